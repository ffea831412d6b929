//! Microsoft Graph: Entra ID audit and sign-in logs (research §8).
//!
//! - audit: `GET /v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge … and le …`;
//! - interactive sign-ins: `GET /v1.0/auditLogs/signIns` (v1.0 returns only interactive ones);
//! - non-interactive, service-principal and managed-identity sign-ins: only the beta endpoint
//!   returns them, with `signInEventTypes/any(t: t eq 'nonInteractiveUser')` (or
//!   `servicePrincipal`, `managedIdentity`).
//!
//! Every request carries `Prefer: include-unknown-enum-members`, without which Graph replaces
//! newer enum values (`authenticationTransfer`, `refreshToken`, …) with `unknownFutureValue`.
//! Paging follows `@odata.nextLink` as given. Graph datetime literals are unquoted.

use crate::activity::encode_query;
use crate::window::{Window, iso_ticks};

/// The `Prefer` header value sent with every Graph request.
pub const PREFER: &str = "include-unknown-enum-members";

/// The Entra sign-in log kinds.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SignInKind {
    /// Interactive user sign-ins.
    Interactive,
    /// Non-interactive user sign-ins (token refresh, SSO).
    NonInteractive,
    /// Service principal (app-only) sign-ins.
    ServicePrincipal,
    /// Managed identity sign-ins.
    ManagedIdentity,
}

impl SignInKind {
    /// Every kind, in collection order.
    pub const ALL: [SignInKind; 4] = [
        SignInKind::Interactive,
        SignInKind::NonInteractive,
        SignInKind::ServicePrincipal,
        SignInKind::ManagedIdentity,
    ];

    /// The name on the command line and in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            SignInKind::Interactive => "interactive",
            SignInKind::NonInteractive => "non-interactive",
            SignInKind::ServicePrincipal => "service-principal",
            SignInKind::ManagedIdentity => "managed-identity",
        }
    }

    /// The `signInEventTypes` value of a beta-only kind; `None` for interactive (v1.0).
    pub fn event_type(self) -> Option<&'static str> {
        match self {
            SignInKind::Interactive => None,
            SignInKind::NonInteractive => Some("nonInteractiveUser"),
            SignInKind::ServicePrincipal => Some("servicePrincipal"),
            SignInKind::ManagedIdentity => Some("managedIdentity"),
        }
    }

    /// Parses a command-line name.
    pub fn parse(s: &str) -> Option<SignInKind> {
        SignInKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// Which Entra log.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Log {
    /// directoryAudits.
    Audit,
    /// signIns of one kind.
    SignIns(SignInKind),
}

/// The `$filter` of a window.
pub fn filter(log: Log, window: &Window) -> String {
    let field = match log {
        Log::Audit => "activityDateTime",
        Log::SignIns(_) => "createdDateTime",
    };
    let time = format!(
        "{field} ge {} and {field} le {}",
        iso_ticks(window.start),
        iso_ticks(window.last())
    );
    match log {
        Log::SignIns(kind) => match kind.event_type() {
            Some(t) => format!("(signInEventTypes/any(t: t eq '{t}')) and {time}"),
            None => time,
        },
        Log::Audit => time,
    }
}

/// The first-page URL of a window; `top` adds `$top` (the probe asks for one record).
pub fn url(graph: &str, log: Log, filter: &str, top: Option<u32>) -> String {
    let path = match log {
        Log::Audit => "v1.0/auditLogs/directoryAudits",
        Log::SignIns(k) if k.event_type().is_none() => "v1.0/auditLogs/signIns",
        Log::SignIns(_) => "beta/auditLogs/signIns",
    };
    let mut u = format!("{graph}/{path}?$filter={}", encode_query(filter));
    if let Some(t) = top {
        u.push_str(&format!("&$top={t}"));
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Window {
        Window {
            start: "2026-01-01T00:00:00Z".parse().unwrap(),
            end: "2026-01-01T01:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn filters_and_endpoints_per_kind() {
        assert_eq!(
            filter(Log::Audit, &w()),
            "activityDateTime ge 2026-01-01T00:00:00.0000000Z and activityDateTime le 2026-01-01T00:59:59.9999999Z"
        );
        let ni = filter(Log::SignIns(SignInKind::NonInteractive), &w());
        assert!(ni.starts_with(
            "(signInEventTypes/any(t: t eq 'nonInteractiveUser')) and createdDateTime ge "
        ));
        assert!(
            url(
                "https://g",
                Log::SignIns(SignInKind::ManagedIdentity),
                &ni,
                None
            )
            .starts_with("https://g/beta/auditLogs/signIns?$filter=")
        );
        let i = filter(Log::SignIns(SignInKind::Interactive), &w());
        assert!(!i.contains("signInEventTypes"));
        assert!(
            url(
                "https://g",
                Log::SignIns(SignInKind::Interactive),
                &i,
                Some(1)
            )
            .starts_with("https://g/v1.0/auditLogs/signIns?$filter=")
        );
        assert!(url("https://g", Log::Audit, "x", Some(1)).ends_with("$filter=x&$top=1"));
        assert_eq!(
            SignInKind::parse("Service-Principal"),
            Some(SignInKind::ServicePrincipal)
        );
        assert_eq!(SignInKind::parse("other"), None);
    }
}
