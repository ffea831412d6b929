//! Which log and which export shape a record is.
//!
//! Decided per record, from field names and a few values, because one stream can mix logs (an
//! Activity Log Event Hub also carries Entra sign-ins) and one file can hold pages of different
//! queries. Field names are compared case-insensitively, which lets the Graph and Log Analytics
//! spellings of Entra records (`activityDisplayName` / `ActivityDisplayName`) share one
//! normalizer; the export shape is still recorded. A record that matches no rule is refused with
//! the reason, never guessed into an event.

use azhunt_model::field::{Fields, Lookup, get_ci};
use azhunt_model::{LogKind, RecordFormat};
use sonic_rs::{JsonValueTrait, Value};

/// Export families a user can force with `--input-format` when detection is not wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Activity Log in REST / az CLI / SDK / PowerShell shape.
    Rest,
    /// Diagnostic-settings records (storage `PT1H.json`, Event Hub `records`).
    Diagnostic,
    /// Log Analytics table rows.
    LogAnalytics,
    /// Microsoft Graph `directoryAudit` / `signIn` objects.
    Graph,
    /// The Azure portal's Activity Log "Download as CSV".
    PortalCsv,
}

/// A recognized record schema: which normalizer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Activity Log object with `eventTimestamp` (REST, az, SDK snake_case, PowerShell).
    ActivityRest,
    /// Activity Log diagnostic record (`time`, `resourceId`, `operationName` string, `identity`).
    ActivityDiagnostic,
    /// Log Analytics `AzureActivity` row (current or legacy columns).
    LaActivity,
    /// Portal Activity Log CSV row.
    PortalActivity,
    /// Entra audit record in the given shape.
    Audit(RecordFormat),
    /// Entra sign-in record in the given shape.
    SignIn(RecordFormat),
    KeyVault,
    KubeAudit,
    /// Another resource-log category.
    Resource,
    /// Log Analytics `AzureDiagnostics` row of Key Vault `AuditEvent`.
    LaKeyVault,
    /// Log Analytics `AzureDiagnostics` row of `kube-audit` / `kube-audit-admin`, or an
    /// `AKSAudit` / `AKSAuditAdmin` row.
    LaKubeAudit,
    /// Another Log Analytics resource-log row (`AzureDiagnostics` of any other category,
    /// `AKSControlPlane`).
    LaResource,
}

impl Schema {
    pub fn log(self) -> LogKind {
        match self {
            Schema::ActivityRest
            | Schema::ActivityDiagnostic
            | Schema::LaActivity
            | Schema::PortalActivity => LogKind::Activity,
            Schema::Audit(_) => LogKind::EntraAudit,
            Schema::SignIn(_) => LogKind::EntraSignIn,
            Schema::KeyVault | Schema::LaKeyVault => LogKind::KeyVault,
            Schema::KubeAudit | Schema::LaKubeAudit => LogKind::KubeAudit,
            Schema::Resource | Schema::LaResource => LogKind::Resource,
        }
    }

    pub fn format(self) -> RecordFormat {
        match self {
            Schema::ActivityRest => RecordFormat::Rest,
            Schema::LaActivity | Schema::LaKeyVault | Schema::LaKubeAudit | Schema::LaResource => {
                RecordFormat::LogAnalytics
            }
            Schema::PortalActivity => RecordFormat::PortalCsv,
            Schema::Audit(f) | Schema::SignIn(f) => f,
            Schema::ActivityDiagnostic
            | Schema::KeyVault
            | Schema::KubeAudit
            | Schema::Resource => RecordFormat::Diagnostic,
        }
    }
}

const ACTIVITY_CATEGORIES: [&str; 11] = [
    "Administrative",
    "ServiceHealth",
    "ResourceHealth",
    "Alert",
    "Autoscale",
    "Recommendation",
    "Security",
    "Policy",
    // Legacy diagnostic categories: the Write / Delete / Action breakdown of Administrative.
    "Write",
    "Delete",
    "Action",
];

const SIGNIN_TABLES: [&str; 6] = [
    "SigninLogs",
    "AADNonInteractiveUserSignInLogs",
    "AADServicePrincipalSignInLogs",
    "AADManagedIdentitySignInLogs",
    "ADFSSignInLogs",
    "AADProvisioningLogs",
];

fn has(v: &Fields, key: &str) -> bool {
    v.member(key).is_some_and(|x| !x.is_null())
}

fn get_str<'a>(v: &'a Fields, key: &str) -> Option<&'a str> {
    v.member(key).and_then(|x| x.as_str())
}

/// Recognizes a record, optionally within a forced family.
pub fn classify(v: &Value, forced: Option<Family>) -> Result<Schema, String> {
    classify_fields(v, &Fields::of(v), forced)
}

/// [`classify`] with the record's members already materialized.
pub fn classify_fields(
    record: &Value,
    v: &Fields,
    forced: Option<Family>,
) -> Result<Schema, String> {
    if !record.is_object() {
        return Err("not a JSON object".into());
    }
    let found = match forced {
        None => detect(v),
        Some(Family::Rest) => Some(Schema::ActivityRest),
        Some(Family::Diagnostic) => Some(diagnostic(v).unwrap_or(Schema::ActivityDiagnostic)),
        Some(Family::LogAnalytics) => Some(log_analytics(v).unwrap_or(Schema::LaActivity)),
        Some(Family::Graph) => {
            Some(entra(v, RecordFormat::Graph).unwrap_or(Schema::Audit(RecordFormat::Graph)))
        }
        Some(Family::PortalCsv) => Some(Schema::PortalActivity),
    };
    found.ok_or_else(|| describe_unknown(v))
}

fn detect(v: &Fields) -> Option<Schema> {
    if has(v, "eventTimestamp") {
        return Some(Schema::ActivityRest);
    }
    if has(v, "Operation name") && has(v, "Event initiated by") {
        return Some(Schema::PortalActivity);
    }
    if has(v, "time") && (has(v, "operationName") || has(v, "category") || has(v, "resourceId")) {
        return diagnostic(v);
    }
    if let Some(s) = log_analytics(v) {
        return Some(s);
    }
    entra(v, RecordFormat::Graph)
}

/// A diagnostic-settings record, routed by its category.
fn diagnostic(v: &Fields) -> Option<Schema> {
    let category = get_str(v, "category").unwrap_or("").trim();
    let is = |c: &str| category.eq_ignore_ascii_case(c);
    if is("AuditLogs") {
        return Some(Schema::Audit(RecordFormat::Diagnostic));
    }
    if category.to_ascii_lowercase().ends_with("signinlogs") {
        return Some(Schema::SignIn(RecordFormat::Diagnostic));
    }
    if is("kube-audit") || is("kube-audit-admin") {
        return Some(Schema::KubeAudit);
    }
    if is("AuditEvent")
        && get_str(v, "resourceId")
            .is_some_and(|r| r.to_ascii_lowercase().contains("/microsoft.keyvault/"))
    {
        return Some(Schema::KeyVault);
    }
    if ACTIVITY_CATEGORIES.iter().any(|c| is(c))
        || v.member("properties")
            .is_some_and(|p| get_ci(p, "eventCategory").is_some())
    {
        return Some(Schema::ActivityDiagnostic);
    }
    Some(Schema::Resource)
}

/// A Log Analytics row: recognized by its table name or by the columns that identify a table.
fn log_analytics(v: &Fields) -> Option<Schema> {
    let table = get_str(v, "Type")
        .or_else(|| get_str(v, "$table"))
        .unwrap_or("")
        .trim();
    let timed = has(v, "TimeGenerated");
    if timed {
        if table.eq_ignore_ascii_case("AzureActivity") {
            return Some(Schema::LaActivity);
        }
        if table.eq_ignore_ascii_case("AuditLogs") {
            return Some(Schema::Audit(RecordFormat::LogAnalytics));
        }
        if SIGNIN_TABLES.iter().any(|t| t.eq_ignore_ascii_case(table)) {
            return Some(Schema::SignIn(RecordFormat::LogAnalytics));
        }
        if let Some(schema) = la_resource_table(v, table) {
            return Some(schema);
        }
    }
    if has(v, "OperationNameValue")
        || ((has(v, "ActivityStatus") || has(v, "ActivityStatusValue")) && has(v, "OperationName"))
    {
        return Some(Schema::LaActivity);
    }
    let la_columns = timed || has(v, "SourceSystem") || has(v, "TenantId");
    if la_columns {
        return entra(v, RecordFormat::LogAnalytics);
    }
    None
}

/// A Log Analytics resource-log row: `AzureDiagnostics` routed by `Category`, or one of the
/// AKS resource-specific tables.
fn la_resource_table(v: &Fields, table: &str) -> Option<Schema> {
    let is = |t: &str| table.eq_ignore_ascii_case(t);
    if is("AKSAudit") || is("AKSAuditAdmin") {
        return Some(Schema::LaKubeAudit);
    }
    if is("AKSControlPlane") {
        return Some(Schema::LaResource);
    }
    if !is("AzureDiagnostics") {
        return None;
    }
    let category = get_str(v, "Category").unwrap_or("").trim();
    let cat = |c: &str| category.eq_ignore_ascii_case(c);
    if cat("kube-audit") || cat("kube-audit-admin") {
        return Some(Schema::LaKubeAudit);
    }
    let keyvault = get_str(v, "ResourceProvider")
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("MICROSOFT.KEYVAULT"))
        || get_str(v, "ResourceId")
            .or_else(|| get_str(v, "_ResourceId"))
            .is_some_and(|r| r.to_ascii_lowercase().contains("/microsoft.keyvault/"));
    if cat("AuditEvent") && keyvault {
        return Some(Schema::LaKeyVault);
    }
    Some(Schema::LaResource)
}

/// An Entra audit or sign-in record (Graph spelling or Log Analytics columns).
fn entra(v: &Fields, format: RecordFormat) -> Option<Schema> {
    if has(v, "activityDateTime")
        || (has(v, "activityDisplayName") && (has(v, "initiatedBy") || has(v, "targetResources")))
    {
        return Some(Schema::Audit(format));
    }
    let app = has(v, "appId") || has(v, "appDisplayName");
    let outcome = has(v, "status")
        || has(v, "Status_dynamic")
        || has(v, "Status_string")
        || has(v, "ResultType")
        || has(v, "errorCode");
    if app && outcome {
        return Some(Schema::SignIn(format));
    }
    None
}

fn describe_unknown(v: &Fields) -> String {
    let keys: Vec<&str> = v.names().take(8).collect();
    format!(
        "record shape not recognized: no Activity Log, Entra, Key Vault, AKS or Log Analytics field set (fields: {})",
        keys.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Result<Schema, String> {
        classify(&sonic_rs::from_str(s).unwrap(), None)
    }

    #[test]
    fn routes_records() {
        assert_eq!(
            c(r#"{"eventTimestamp":"t","operationName":{"value":"x"}}"#),
            Ok(Schema::ActivityRest)
        );
        assert_eq!(c(r#"{"event_timestamp":"t"}"#), Ok(Schema::ActivityRest));
        assert_eq!(
            c(r#"{"time":"t","category":"Administrative"}"#),
            Ok(Schema::ActivityDiagnostic)
        );
        assert_eq!(
            c(r#"{"time":"t","category":"Write","operationName":"X"}"#),
            Ok(Schema::ActivityDiagnostic)
        );
        assert_eq!(
            c(r#"{"time":"t","Category":"NonInteractiveUserSignInLogs"}"#),
            Ok(Schema::SignIn(RecordFormat::Diagnostic))
        );
        assert_eq!(
            c(r#"{"time":"t","category":"AuditLogs"}"#),
            Ok(Schema::Audit(RecordFormat::Diagnostic))
        );
        assert_eq!(
            c(r#"{"time":"t","category":"kube-audit"}"#),
            Ok(Schema::KubeAudit)
        );
        assert_eq!(
            c(
                r#"{"time":"t","category":"AuditEvent","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/V"}"#
            ),
            Ok(Schema::KeyVault)
        );
        assert_eq!(
            c(r#"{"time":"t","category":"guard","resourceId":"/x"}"#),
            Ok(Schema::Resource)
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","OperationNameValue":"x"}"#),
            Ok(Schema::LaActivity)
        );
        assert_eq!(
            c(r#"{"TimeGenerated [UTC]":"t","OperationName":"x","ActivityStatus":"Succeeded"}"#),
            Ok(Schema::LaActivity)
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","Type":"AuditLogs"}"#),
            Ok(Schema::Audit(RecordFormat::LogAnalytics))
        );
        assert_eq!(
            c(
                r#"{"TimeGenerated":"t","Type":"AzureDiagnostics","Category":"AuditEvent","ResourceProvider":"MICROSOFT.KEYVAULT"}"#
            ),
            Ok(Schema::LaKeyVault)
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","Type":"AzureDiagnostics","Category":"kube-audit-admin"}"#),
            Ok(Schema::LaKubeAudit)
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","Type":"AKSAudit","Verb":"get"}"#),
            Ok(Schema::LaKubeAudit)
        );
        assert_eq!(
            c(
                r#"{"TimeGenerated":"t","Type":"AzureDiagnostics","Category":"AuditEvent","ResourceProvider":"MICROSOFT.SQL"}"#
            ),
            Ok(Schema::LaResource)
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","Type":"AuditLogs"}"#),
            Ok(Schema::Audit(RecordFormat::LogAnalytics))
        );
        assert_eq!(
            c(r#"{"TimeGenerated":"t","Type":"AADNonInteractiveUserSignInLogs"}"#),
            Ok(Schema::SignIn(RecordFormat::LogAnalytics))
        );
        assert_eq!(
            c(r#"{"activityDateTime":"t","activityDisplayName":"x"}"#),
            Ok(Schema::Audit(RecordFormat::Graph))
        );
        assert_eq!(
            c(r#"{"createdDateTime":"t","appId":"a","status":{"errorCode":0}}"#),
            Ok(Schema::SignIn(RecordFormat::Graph))
        );
        assert_eq!(
            c(r#"{"Operation name":"x","Event initiated by":"y","Time":"t"}"#),
            Ok(Schema::PortalActivity)
        );
    }

    #[test]
    fn summaries_and_stubs_are_refused() {
        assert!(c(r#"{"StartTime [UTC]":"t","IPAddress":"1.2.3.4","Type":"SigninLogs","timestamp [UTC]":"t"}"#).is_err());
        assert!(c(r#"{"category":"Administrative"}"#).is_err());
        assert!(c(r#"{"name":"package","version":"1"}"#).is_err());
        assert!(c("[1]").is_err());
    }
}
