//! One event → one row, column by column.
//!
//! Each column is read from the normalized event when the model holds it (time, operation,
//! status, caller, IP, resource) and otherwise from the original record under any of its
//! spellings: REST / Graph camelCase, the diagnostic `properties.` nesting, Log Analytics
//! column names (including `X_dynamic` / `X_string` split columns). Dynamic columns get JSON
//! that arrived inside strings decoded; string columns get objects as compact JSON, as Log
//! Analytics shows them.

use crate::schemas::{ACTIVITY, AUDIT, SIGNIN, TableSchema};
use azhunt_kql::Value as K;
use azhunt_model::field::{decode_embedded, get_ci, get_path};
use azhunt_model::time::parse_time;
use azhunt_model::{Event, IdOrigin, Value};
use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
use std::borrow::Cow;
use std::sync::Arc;

/// A raw JSON value as a KQL dynamic value.
pub(crate) fn dynamic(v: &Value) -> K {
    match v.get_type() {
        JsonType::Null => K::Null,
        JsonType::Boolean => K::Bool(v.as_bool().unwrap_or(false)),
        JsonType::Number => match (v.as_i64(), v.as_f64()) {
            (Some(i), _) => K::Int(i),
            (None, Some(f)) => K::Real(f),
            _ => K::Null,
        },
        JsonType::String => K::from(v.as_str().unwrap_or("")),
        JsonType::Array => K::Array(Arc::new(
            v.as_array()
                .map(|a| a.iter().map(dynamic).collect())
                .unwrap_or_default(),
        )),
        JsonType::Object => K::Bag(Arc::new(
            v.as_object()
                .map(|o| o.iter().map(|(k, x)| (k.to_string(), dynamic(x))).collect())
                .unwrap_or_default(),
        )),
    }
}

/// The first raw value found under `names` (dotted paths, case-insensitive), each also tried
/// under `properties.` and, for a top-level name, as a split `_dynamic` / `_string` column.
fn raw<'a>(e: &'a Event, names: &[&str]) -> Option<Cow<'a, Value>> {
    // Looked up only when a name is not at the top level.
    let mut props: Option<Option<&'a Value>> = None;
    let present = |v: &Cow<'a, Value>| !v.is_null();
    for name in names {
        let segs: Vec<&str> = name.split('.').collect();
        if let Some(v) = get_path(&e.raw, &segs).filter(present) {
            return Some(v);
        }
        let p = *props.get_or_insert_with(|| get_ci(&e.raw, "properties"));
        if let Some(v) = p.and_then(|p| get_path(p, &segs)).filter(present) {
            return Some(v);
        }
        if segs.len() == 1
            && let Some(v) = ["_dynamic", "_string"].iter().find_map(|sfx| {
                get_ci(&e.raw, &format!("{name}{sfx}"))
                    .map(Cow::Borrowed)
                    .filter(present)
            })
        {
            return Some(v);
        }
    }
    None
}

/// [`text_of`] as a cell: a plain string goes straight into the cell, without an intermediate
/// copy.
fn cell_of(v: &Value) -> Option<K> {
    match v.as_str() {
        Some(s) => Some(K::from(s)),
        None => text_of(v).map(K::from),
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v.get_type() {
        JsonType::Null => None,
        JsonType::String => v.as_str().map(str::to_string),
        JsonType::Object
            if v.get("value").is_some() && v.as_object().is_some_and(|o| o.len() <= 2) =>
        {
            v.get("value").and_then(text_of)
        }
        JsonType::Object | JsonType::Array => sonic_rs::to_string(v).ok(),
        _ => sonic_rs::to_string(v).ok(),
    }
}

/// A raw value as a string column.
fn raw_text(e: &Event, names: &[&str]) -> K {
    raw(e, names).and_then(|v| cell_of(&v)).unwrap_or(K::Null)
}

/// A raw value as a dynamic column (JSON inside a string decoded).
fn raw_dynamic(e: &Event, names: &[&str]) -> K {
    match raw(e, names) {
        Some(v) => match v.as_str().and_then(decode_embedded) {
            Some(d) => dynamic(&d),
            None => dynamic(&v),
        },
        None => K::Null,
    }
}

fn raw_time(e: &Event, names: &[&str]) -> K {
    raw(e, names)
        .and_then(|v| v.as_str().and_then(|s| parse_time(s.trim())))
        .and_then(|p| i64::try_from(p.ts.as_nanosecond()).ok())
        .map_or(K::Null, K::DateTime)
}

fn s(v: Option<&str>) -> K {
    v.map_or(K::Null, K::from)
}

fn time(e: &Event) -> K {
    i64::try_from(e.time.as_nanosecond()).map_or(K::Null, K::DateTime)
}

/// Log Analytics' current `ActivityStatusValue` words for the canonical statuses.
fn status_value(canonical: &str) -> &str {
    match canonical {
        "Succeeded" => "Success",
        "Started" => "Start",
        "Accepted" => "Accept",
        "Failed" => "Failure",
        other => other,
    }
}

/// The columns a query can reach, by name and as one flag per column of each fixed schema,
/// worked out once: a row is built by walking its schema's flags, never by hashing names.
#[derive(Debug, Clone)]
pub struct ColumnSet {
    names: std::collections::HashSet<String>,
    activity: Vec<bool>,
    audit: Vec<bool>,
    signin: Vec<bool>,
}

impl ColumnSet {
    pub fn new(names: std::collections::HashSet<String>) -> ColumnSet {
        let mask = |s: TableSchema| s.iter().map(|(n, _)| names.contains(*n)).collect();
        ColumnSet {
            activity: mask(ACTIVITY),
            audit: mask(AUDIT),
            signin: mask(SIGNIN),
            names,
        }
    }

    pub fn names(&self) -> &std::collections::HashSet<String> {
        &self.names
    }

    fn mask(&self, schema: TableSchema) -> &[bool] {
        if std::ptr::eq(schema, ACTIVITY) {
            &self.activity
        } else if std::ptr::eq(schema, AUDIT) {
            &self.audit
        } else {
            &self.signin
        }
    }
}

/// The columns wanted (all when `None`).
pub type Wanted<'w> = Option<&'w ColumnSet>;

/// The wanted columns of `schema`, in order: a pruned table has only the columns a query can
/// reach, so a million rows hold two cells each instead of fifty nulls.
fn row(schema: TableSchema, wanted: Wanted<'_>, mut col: impl FnMut(&str) -> K) -> Vec<K> {
    match wanted {
        None => schema.iter().map(|(name, _)| col(name)).collect(),
        Some(w) => schema
            .iter()
            .zip(w.mask(schema))
            .filter(|(_, keep)| **keep)
            .map(|((name, _), _)| col(name))
            .collect(),
    }
}

pub fn activity(e: &Event, wanted: Wanted<'_>) -> Vec<K> {
    let res = e.resource.as_ref();
    row(ACTIVITY, wanted, |c| match c {
        "TimeGenerated" => time(e),
        "EventSubmissionTimestamp" => {
            raw_time(e, &["submissionTimestamp", "EventSubmissionTimestamp"])
        }
        "OperationNameValue" => s(Some(e.operation.as_str()).filter(|o| !o.is_empty())),
        "OperationName" => {
            match raw(e, &["OperationName"]).filter(|_| e.format.as_str() == "log-analytics") {
                Some(v) => text_of(&v).map_or(K::Null, K::from),
                None => s(e
                    .operation_display
                    .as_deref()
                    .or(Some(e.operation.as_str()))),
            }
        }
        "CategoryValue" | "Category" => s(e.category.as_deref()),
        "ActivityStatusValue" => match raw(e, &["ActivityStatusValue"]) {
            Some(v) => text_of(&v).map_or(K::Null, K::from),
            None => s(e.status.as_deref().map(status_value)),
        },
        "ActivityStatus" => s(e.status.as_deref()),
        "ActivitySubstatusValue" | "ActivitySubstatus" => s(e.sub_status.as_deref()),
        "Caller" => match raw(e, &["caller"]).and_then(|v| cell_of(&v)) {
            Some(t) => t,
            None => s(e.caller.upn.as_deref().or(e.caller.object_id.as_deref())),
        },
        "CallerIpAddress" => s(e.ip.as_deref()),
        "Authorization" => raw_text(e, &["authorization", "identity.authorization"]),
        "Authorization_d" => raw_dynamic(e, &["authorization", "identity.authorization"]),
        "Claims" => raw_text(e, &["claims.Content", "claims", "identity.claims"]),
        "Claims_d" => raw_dynamic(e, &["claims.Content", "claims", "identity.claims"]),
        "Properties" => raw_text(e, &["properties"]),
        "Properties_d" => raw_dynamic(e, &["properties"]),
        "HTTPRequest" => raw_text(e, &["httpRequest"]),
        "CorrelationId" => s(e.correlation_id.as_deref()),
        "EventDataId" => match e.id.origin {
            IdOrigin::Source => K::from(e.id.value.as_str()),
            IdOrigin::ContentHash => raw_text(e, &["eventDataId"]),
        },
        "OperationId" => raw_text(e, &["operationId"]),
        "Level" => raw_text(e, &["level"]),
        "Hierarchy" => raw_text(e, &["Hierarchy"]),
        "ResourceGroup" => s(res.and_then(|r| r.resource_group())),
        "ResourceId" | "_ResourceId" => s(e.resource_id()),
        "Resource" => s(res.and_then(|r| r.name())),
        "ResourceProviderValue" | "ResourceProvider" => s(e.resource_provider.as_deref()),
        "SubscriptionId" | "_SubscriptionId" => s(e.subscription_id.as_deref()),
        "TenantId" => s(e.tenant_id.as_deref()),
        "SourceSystem" => K::from("Azure"),
        "Type" => K::from("AzureActivity"),
        _ => K::Null,
    })
}

pub fn audit(e: &Event, wanted: Wanted<'_>) -> Vec<K> {
    row(AUDIT, wanted, |c| match c {
        "TimeGenerated" | "ActivityDateTime" => time(e),
        "OperationName" | "ActivityDisplayName" => {
            s(Some(e.operation.as_str()).filter(|o| !o.is_empty()))
        }
        "Category" => s(e.category.as_deref()),
        "LoggedByService" => raw_text(e, &["loggedByService"]),
        "Result" => match raw(e, &["result"]).and_then(|v| text_of(&v)) {
            Some(t) => K::from(t),
            None => s(e
                .status
                .as_deref()
                .map(|st| azhunt_model::result_word(st).unwrap_or(st))),
        },
        "ResultReason" => raw_text(e, &["resultReason"]),
        "ResultType" => raw_text(e, &["resultType"]),
        "ResultDescription" => raw_text(e, &["resultDescription"]),
        "InitiatedBy" => raw_dynamic(e, &["initiatedBy"]),
        "TargetResources" => raw_dynamic(e, &["targetResources"]),
        "AdditionalDetails" => raw_dynamic(e, &["additionalDetails"]),
        "CorrelationId" => s(e.correlation_id.as_deref()),
        "Id" => K::from(e.id.value.as_str()),
        "Identity" => match raw(e, &["Identity"]).and_then(|v| text_of(&v)) {
            Some(t) if !t.starts_with('{') => K::from(t),
            _ => s(e.caller.display()),
        },
        "AADOperationType" => raw_text(e, &["operationType", "AADOperationType"]),
        "AADTenantId" => s(e.tenant_id.as_deref()),
        "Level" => raw_text(e, &["level"]),
        "OperationVersion" => raw_text(e, &["operationVersion"]),
        "SourceSystem" => K::from("Azure AD"),
        "Type" => K::from("AuditLogs"),
        _ => K::Null,
    })
}

pub fn signin(e: &Event, table: &str, wanted: Wanted<'_>) -> Vec<K> {
    row(SIGNIN, wanted, |c| match c {
        "TimeGenerated" | "CreatedDateTime" => time(e),
        "UserPrincipalName" => match raw_text(e, &["userPrincipalName"]) {
            K::Null => s(e.caller.upn.as_deref()),
            v => v,
        },
        "UserId" => match raw_text(e, &["userId"]) {
            K::Null => s(e.caller.object_id.as_deref()),
            v => v,
        },
        "UserDisplayName" => raw_text(e, &["userDisplayName"]),
        "UserType" => raw_text(e, &["userType"]),
        "AlternateSignInName" => raw_text(e, &["alternateSignInName"]),
        "IPAddress" => s(e.ip.as_deref()),
        "AutonomousSystemNumber" => raw_text(e, &["autonomousSystemNumber"]),
        "Location" => match raw(e, &["location"]) {
            Some(v) if v.is_object() => raw_text(e, &["location.countryOrRegion"]),
            Some(v) => text_of(&v).map_or(K::Null, K::from),
            None => K::Null,
        },
        "LocationDetails" => match raw(e, &["LocationDetails"]) {
            Some(_) => raw_dynamic(e, &["LocationDetails"]),
            None => raw(e, &["location"])
                .filter(|v| v.is_object())
                .map_or(K::Null, |v| dynamic(&v)),
        },
        "AppDisplayName" => raw_text(e, &["appDisplayName"]),
        "AppId" => raw_text(e, &["appId"]),
        "ResourceDisplayName" => raw_text(e, &["resourceDisplayName"]),
        "ResourceIdentity" => raw_text(e, &["ResourceIdentity", "resourceId"]),
        "ClientAppUsed" => raw_text(e, &["clientAppUsed"]),
        "UserAgent" => s(e.user_agent.as_deref()),
        "IsInteractive" => raw(e, &["isInteractive"]).map_or(K::Null, |v| match v.as_str() {
            Some(t) => K::Bool(t.eq_ignore_ascii_case("true")),
            None => dynamic(&v),
        }),
        "ResultType" => raw_text(e, &["ResultType", "status.errorCode"]),
        "ResultDescription" => raw_text(e, &["ResultDescription", "status.failureReason"]),
        "Status" => raw_dynamic(e, &["status"]),
        "ConditionalAccessStatus" => raw_text(e, &["conditionalAccessStatus"]),
        "ConditionalAccessPolicies" => raw_dynamic(
            e,
            &[
                "appliedConditionalAccessPolicies",
                "ConditionalAccessPolicies",
            ],
        ),
        "AuthenticationRequirement" => raw_text(e, &["authenticationRequirement"]),
        "AuthenticationDetails" => raw_text(e, &["authenticationDetails"]),
        "MfaDetail" => raw_dynamic(e, &["mfaDetail"]),
        "DeviceDetail" => raw_dynamic(e, &["deviceDetail"]),
        "RiskDetail" => raw_text(e, &["riskDetail"]),
        "RiskEventTypes" => raw_text(e, &["riskEventTypes"]),
        "RiskEventTypes_V2" => raw_text(e, &["riskEventTypes_v2"]),
        "RiskLevelAggregated" => raw_text(e, &["riskLevelAggregated"]),
        "RiskLevelDuringSignIn" => raw_text(e, &["riskLevelDuringSignIn"]),
        "RiskState" => raw_text(e, &["riskState"]),
        "IsRisky" => raw(e, &["isRisky"]).map_or(K::Null, |v| match v.as_str() {
            Some(t) => K::Bool(t.eq_ignore_ascii_case("true")),
            None => dynamic(&v),
        }),
        "HomeTenantId" => raw_text(e, &["homeTenantId"]),
        "ResourceTenantId" => raw_text(e, &["resourceTenantId"]),
        "CorrelationId" => s(e.correlation_id.as_deref()),
        "Id" => K::from(e.id.value.as_str()),
        "OriginalRequestId" => raw_text(e, &["originalRequestId"]),
        "ServicePrincipalId" => raw_text(e, &["servicePrincipalId"]),
        "ServicePrincipalName" => raw_text(e, &["servicePrincipalName"]),
        "NetworkLocationDetails" => raw_text(e, &["networkLocationDetails"]),
        "Category" => s(e.category.as_deref()),
        "OperationName" => K::from("Sign-in activity"),
        "DurationMs" => raw(e, &["DurationMs"])
            .and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|t| t.trim().parse().ok()))
            })
            .map_or(K::Null, K::Int),
        "Type" => K::from(table),
        _ => K::Null,
    })
}
