//! Sigma `logsource` → the azhunt log kinds a rule is evaluated on.
//!
//! Each [`LogKind`] is one bit; a rule's route is the set of kinds its logsource names, so an
//! Entra sign-in never meets an Activity Log rule. Unknown products route nowhere and are
//! reported by `rules validate`, never silently evaluated against everything.

use azhunt_model::LogKind;
use azhunt_sigma::LogSource;

/// The route bit of a log kind.
pub fn kind_bit(kind: LogKind) -> u32 {
    match kind {
        LogKind::Activity => 1,
        LogKind::EntraAudit => 1 << 1,
        LogKind::EntraSignIn => 1 << 2,
        LogKind::KeyVault => 1 << 3,
        LogKind::KubeAudit => 1 << 4,
        LogKind::Resource => 1 << 5,
    }
}

const AZURE_ALL: u32 = 0b11_1111;

/// Why a logsource routes nowhere, for `rules validate`.
pub fn route(ls: &LogSource) -> Result<u32, String> {
    let lower = |s: &Option<String>| s.as_deref().map(|x| x.trim().to_ascii_lowercase());
    let product = lower(&ls.product);
    let service = lower(&ls.service);
    match product.as_deref() {
        Some("azure") => match service.as_deref() {
            None => Ok(AZURE_ALL),
            Some("activitylogs" | "activitylog" | "activity") => Ok(kind_bit(LogKind::Activity)),
            Some("auditlogs" | "auditlog" | "pim" | "privilegedidentitymanagement") => {
                Ok(kind_bit(LogKind::EntraAudit))
            }
            // Risk detections are not a log azhunt reads; sign-ins carry their risk fields.
            Some("signinlogs" | "signinlog" | "riskdetection" | "identityprotection") => {
                Ok(kind_bit(LogKind::EntraSignIn))
            }
            Some("keyvault" | "keyvaultaudit") => Ok(kind_bit(LogKind::KeyVault)),
            Some("kubernetes" | "aks" | "kube-audit") => Ok(kind_bit(LogKind::KubeAudit)),
            Some("resourcelogs" | "diagnostics") => Ok(kind_bit(LogKind::Resource)
                | kind_bit(LogKind::KeyVault)
                | kind_bit(LogKind::KubeAudit)),
            Some(other) => Err(format!(
                "logsource service {other:?} of product azure is not a log azhunt reads"
            )),
        },
        Some("kubernetes") => match service.as_deref() {
            None | Some("audit") => Ok(kind_bit(LogKind::KubeAudit)),
            Some(other) => Err(format!(
                "logsource service {other:?} of product kubernetes is not a log azhunt reads"
            )),
        },
        Some("m365" | "microsoft365" | "entra" | "entraid" | "azuread") => {
            Ok(kind_bit(LogKind::EntraAudit) | kind_bit(LogKind::EntraSignIn))
        }
        Some(other) => Err(format!(
            "logsource product {other:?} is not a log azhunt reads"
        )),
        None => Err("logsource names no product".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(p: &str, s: Option<&str>) -> LogSource {
        LogSource {
            product: Some(p.into()),
            service: s.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn services_map_onto_kinds() {
        assert_eq!(route(&ls("azure", Some("activitylogs"))), Ok(1));
        assert_eq!(route(&ls("Azure", Some("SigninLogs"))), Ok(4));
        assert_eq!(route(&ls("kubernetes", Some("audit"))), Ok(16));
        assert!(route(&ls("windows", None)).is_err());
        assert!(route(&ls("azure", Some("nope"))).is_err());
    }
}
