//! Telling "forbidden", "unlicensed" and "empty" apart (research §4.6, §8, §13.6).
//!
//! Three different facts look alike from the outside: the principal may not read a scope
//! (ARM 403 `AuthorizationFailed`, Graph 403 `Authorization_RequestDenied`), the tenant has no
//! Entra ID P1/P2 licence (Graph 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`),
//! or the scope has no events. Worse, the Activity Log API may answer **200 with an empty list**
//! to a principal without rights. So every scope is first probed with a request that a
//! principal without access cannot pass — reading the subscription or management group object,
//! a one-minute window of the tenant or Entra log, a `print` query on the workspace — and the
//! answer is classified here. A scope found empty after a passed probe is reported as empty,
//! with the caveat for subscriptions that the Activity Log cannot say more.

/// What a scope turned out to be.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeStatus {
    /// Not started yet.
    Pending,
    /// Probed and being collected.
    Collecting,
    /// Every window collected; at least one event.
    Complete,
    /// Every window collected; no event at all.
    Empty,
    /// The principal may not read the scope (401/403, or the scope object is not visible).
    Forbidden,
    /// Entra ID premium licence required.
    Unlicensed,
    /// Collection failed (retries exhausted, bad request, result too large at the smallest
    /// window); the scope is complete only up to its cursor.
    Failed,
}

impl ScopeStatus {
    /// Whether the scope's data is all there.
    pub fn is_complete(self) -> bool {
        matches!(self, ScopeStatus::Complete | ScopeStatus::Empty)
    }
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeStatus::Pending => "pending",
            ScopeStatus::Collecting => "collecting",
            ScopeStatus::Complete => "complete",
            ScopeStatus::Empty => "empty",
            ScopeStatus::Forbidden => "forbidden",
            ScopeStatus::Unlicensed => "unlicensed",
            ScopeStatus::Failed => "failed",
        }
    }
}

/// The verdict on a non-success reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    /// Forbidden, Unlicensed or Failed.
    pub status: ScopeStatus,
    /// The service's code and message, shortened.
    pub message: String,
}

/// Classifies a final non-2xx reply of any API.
pub fn classify(status: u16, body: &[u8]) -> Denial {
    let (code, message) = error_of(body);
    let lower = format!("{code} {message}").to_ascii_lowercase();
    let unlicensed = lower.contains("nonpremium")
        || lower.contains("non-premium")
        || lower.contains("premium license")
        || lower.contains("premium licence")
        || (lower.contains("sku") && lower.contains("tenant"));
    let verdict = match status {
        401 | 403 if unlicensed => ScopeStatus::Unlicensed,
        401 | 403 => ScopeStatus::Forbidden,
        // Reading a subscription or management group one cannot see gives 404.
        404 if lower.contains("subscriptionnotfound") || lower.contains("notfound") => {
            ScopeStatus::Forbidden
        }
        _ => ScopeStatus::Failed,
    };
    let mut text = match (code.is_empty(), message.is_empty()) {
        (true, true) => format!("HTTP {status}"),
        (false, true) => format!("HTTP {status} {code}"),
        (_, false) => format!("HTTP {status} {code}: {message}"),
    };
    if text.len() > 400 {
        let mut cut = 400;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    Denial {
        status: verdict,
        message: crate::error::redact(&text),
    }
}

/// `error.code` and `error.message` of an ARM, Graph or Log Analytics error body.
fn error_of(body: &[u8]) -> (String, String) {
    #[derive(serde::Deserialize)]
    struct Outer {
        error: Option<Inner>,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Outer>(body) {
        Ok(Outer { error: Some(e) }) => (e.code, e.message),
        _ => (
            String::new(),
            String::from_utf8_lossy(body).chars().take(200).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_unlicensed_and_other() {
        let arm = br#"{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization"}}"#;
        assert_eq!(classify(403, arm).status, ScopeStatus::Forbidden);
        let lic = br#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license"}}"#;
        let d = classify(403, lic);
        assert_eq!(d.status, ScopeStatus::Unlicensed);
        assert!(d.message.contains("NonPremium"));
        assert_eq!(
            classify(
                404,
                br#"{"error":{"code":"SubscriptionNotFound","message":"x"}}"#
            )
            .status,
            ScopeStatus::Forbidden
        );
        assert_eq!(classify(400, b"bad filter").status, ScopeStatus::Failed);
        assert!(classify(400, &[b'x'; 2000]).message.len() < 450);
    }

    #[test]
    fn only_complete_and_empty_are_complete() {
        assert!(ScopeStatus::Empty.is_complete());
        assert!(!ScopeStatus::Forbidden.is_complete());
        assert!(!ScopeStatus::Failed.is_complete());
    }
}
