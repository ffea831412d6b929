//! Entra ID audit and sign-in records, in all three shapes: Microsoft Graph objects
//! (`directoryAudit`, `signIn`, v1.0 and beta), Log Analytics rows (`AuditLogs`, `SigninLogs`
//! and the other sign-in tables, where dynamic columns may be JSON text or split into
//! `X_dynamic` / `X_string`), and diagnostic records (the Graph object inside `properties`).

use super::{blank, canonical_status, source_id, text, time_of};
use azhunt_model::field::{Fields, Lookup, decode_embedded, get_ci, non_empty, string_of};
use azhunt_model::{Caller, CallerType, Event, LogKind, RecordFormat, ResourceId, Source, Value};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};
use std::borrow::Cow;

/// The Graph-shaped part of a record: `properties` of a diagnostic record, else the record.
fn body(raw: &Value, format: RecordFormat) -> Cow<'_, Value> {
    if format == RecordFormat::Diagnostic
        && let Some(p) = get_ci(raw, "properties")
    {
        if let Some(s) = p.as_str() {
            if let Some(v) = decode_embedded(s) {
                return Cow::Owned(v);
            }
        } else if p.is_object() {
            return Cow::Borrowed(p);
        }
    }
    Cow::Borrowed(raw)
}

/// A dynamic field that may be an object, JSON text, or split into `_dynamic` / `_string`.
fn dynamic<'a>(v: &'a Value, name: &str) -> Option<Cow<'a, Value>> {
    for key in [
        name.to_string(),
        format!("{name}_dynamic"),
        format!("{name}_string"),
    ] {
        let Some(x) = get_ci(v, &key) else { continue };
        if let Some(s) = x.as_str() {
            if let Some(d) = decode_embedded(s) {
                return Some(Cow::Owned(d));
            }
            continue;
        }
        if !x.is_null() {
            return Some(Cow::Borrowed(x));
        }
    }
    None
}

fn set_envelope(raw: &Value, format: RecordFormat, e: &mut Event) {
    if format == RecordFormat::Diagnostic {
        e.resource = text(raw, &["resourceId"]).and_then(|r| ResourceId::parse(&r));
        e.tenant_id = text(raw, &["tenantId"]);
        e.ip = text(raw, &["callerIpAddress"]);
    }
}

pub(crate) fn audit(
    raw: &Value,
    f: &Fields,
    format: RecordFormat,
    source: Source,
) -> Result<Box<Event>, String> {
    let b = body(raw, format);
    // Diagnostic records carry the Graph object in `properties`; others are it.
    let own = (format == RecordFormat::Diagnostic).then(|| Fields::of(&b));
    let bf = own.as_ref().unwrap_or(f);
    let time = time_of(
        bf,
        &["activityDateTime", "TimeGenerated", "createdDateTime"],
    )
    .or_else(|e| {
        if format == RecordFormat::Diagnostic {
            time_of(f, &["time"])
        } else {
            Err(e)
        }
    })?;
    let mut e = blank(time, LogKind::EntraAudit, format, source.clone());
    set_envelope(raw, format, &mut e);
    e.operation = text(bf, &["activityDisplayName", "OperationName"])
        .or_else(|| text(f, &["operationName"]))
        .unwrap_or_default();
    e.category = text(bf, &["category"]).filter(|c| !c.eq_ignore_ascii_case("AuditLogs"));
    e.status = text(bf, &["result", "resultType"]).map(|s| canonical_status(&s));
    e.sub_status = text(bf, &["resultReason"]);
    e.correlation_id = text(bf, &["correlationId"]).or_else(|| text(f, &["correlationId"]));
    if let Some(id) = text(bf, &["id"]) {
        e.id = source_id(&id);
    }
    e.tenant_id = e
        .tenant_id
        .take()
        .or_else(|| text(bf, &["AADTenantId", "tenantId"]));
    if let Some(init) = dynamic(&b, "initiatedBy") {
        initiator(&init, &mut e);
    }
    if e.caller.is_empty()
        && let Some(s) = get_ci(raw, "identity").and_then(|i| i.as_str())
    {
        e.caller.name = non_empty(Some(s)).map(str::to_string);
    }
    if let Some(details) = dynamic(&b, "additionalDetails") {
        e.user_agent = key_value(&details, "User-Agent");
    }
    let targets = dynamic(&b, "targetResources");
    e.role_assignment = super::role::entra(&e.operation, targets.as_deref());
    e.resource_provider = Some("Microsoft.aadiam".to_string());
    Ok(e)
}

/// `initiatedBy.user` or `initiatedBy.app`.
fn initiator(init: &Value, e: &mut Event) {
    if let Some(u) = get_ci(init, "user").filter(|u| u.is_object()) {
        let c = Caller {
            upn: text(u, &["userPrincipalName"]),
            object_id: text(u, &["id"]),
            name: text(u, &["displayName"]),
            app_id: None,
            kind: CallerType::User,
        };
        if !c.is_empty() {
            if let Some(ip) = text(u, &["ipAddress"]) {
                e.ip = Some(ip);
            }
            e.caller = c;
            return;
        }
    }
    if let Some(a) = get_ci(init, "app").filter(|a| a.is_object()) {
        e.caller = Caller {
            upn: None,
            app_id: text(a, &["appId"]),
            object_id: text(a, &["servicePrincipalId"]),
            name: text(a, &["displayName", "servicePrincipalName"]),
            kind: CallerType::ServicePrincipal,
        };
        if let Some(ip) = text(a, &["ipAddress"]) {
            e.ip = Some(ip);
        }
    }
}

/// The value for `key` in a `[{key, value}]` list.
fn key_value(list: &Value, key: &str) -> Option<String> {
    list.as_array()?.iter().find_map(|kv| {
        let k = get_ci(kv, "key").and_then(|k| k.as_str())?;
        if k.eq_ignore_ascii_case(key) {
            get_ci(kv, "value")
                .and_then(string_of)
                .map(|s| s.to_string())
        } else {
            None
        }
    })
}

/// Sign-in category from the Log Analytics table, Graph `signInEventTypes` or `isInteractive`.
fn sign_in_category(raw: &Value, bf: &Fields, format: RecordFormat) -> Option<String> {
    if format == RecordFormat::Diagnostic {
        return text(raw, &["category"]);
    }
    let table = text(bf, &["Type", "$table"]).unwrap_or_default();
    let from_table = [
        ("SigninLogs", "SignInLogs"),
        (
            "AADNonInteractiveUserSignInLogs",
            "NonInteractiveUserSignInLogs",
        ),
        (
            "AADServicePrincipalSignInLogs",
            "ServicePrincipalSignInLogs",
        ),
        ("AADManagedIdentitySignInLogs", "ManagedIdentitySignInLogs"),
        ("ADFSSignInLogs", "ADFSSignInLogs"),
    ];
    if let Some((_, c)) = from_table
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(&table))
    {
        return Some((*c).to_string());
    }
    let kind = bf
        .member("signInEventTypes")
        .and_then(|t| t.as_array())
        .and_then(|a| a.first())
        .and_then(|t| t.as_str().map(str::to_ascii_lowercase));
    let by_kind = match kind.as_deref() {
        Some("interactiveuser") => Some("SignInLogs"),
        Some("noninteractiveuser") => Some("NonInteractiveUserSignInLogs"),
        Some("serviceprincipal") => Some("ServicePrincipalSignInLogs"),
        Some("managedidentity") => Some("ManagedIdentitySignInLogs"),
        _ => None,
    };
    if let Some(c) = by_kind {
        return Some(c.to_string());
    }
    match bf.member("isInteractive").and_then(|i| {
        i.as_bool()
            .or_else(|| i.as_str().map(|s| s.eq_ignore_ascii_case("true")))
    }) {
        Some(true) => Some("SignInLogs".to_string()),
        Some(false) => Some("NonInteractiveUserSignInLogs".to_string()),
        None => None,
    }
}

pub(crate) fn sign_in(
    raw: &Value,
    f: &Fields,
    format: RecordFormat,
    source: Source,
) -> Result<Box<Event>, String> {
    let b = body(raw, format);
    // Diagnostic records carry the Graph object in `properties`; others are it.
    let own = (format == RecordFormat::Diagnostic).then(|| Fields::of(&b));
    let bf = own.as_ref().unwrap_or(f);
    let time = time_of(bf, &["createdDateTime", "TimeGenerated"]).or_else(|e| {
        if format == RecordFormat::Diagnostic {
            time_of(f, &["time"])
        } else {
            Err(e)
        }
    })?;
    let mut e = blank(time, LogKind::EntraSignIn, format, source);
    set_envelope(raw, format, &mut e);
    e.operation = "Sign-in activity".to_string();
    e.category = sign_in_category(raw, bf, format);
    let code = dynamic(&b, "status")
        .and_then(|s| {
            get_ci(&s, "errorCode")
                .and_then(string_of)
                .map(|c| c.into_owned())
        })
        .or_else(|| text(bf, &["ResultType", "errorCode"]))
        .or_else(|| {
            if format == RecordFormat::Diagnostic {
                text(f, &["resultType"])
            } else {
                None
            }
        });
    if let Some(code) = code {
        let ok = code.trim() == "0";
        e.status = Some(if ok { "Succeeded" } else { "Failed" }.to_string());
        e.sub_status = Some(code.trim().to_string());
    }
    e.correlation_id = text(bf, &["correlationId"]);
    if let Some(id) = text(bf, &["id"]) {
        e.id = source_id(&id);
    }
    e.tenant_id = e
        .tenant_id
        .take()
        .or_else(|| text(bf, &["resourceTenantId", "homeTenantId", "AADTenantId"]));
    e.ip = text(bf, &["ipAddress"]).or(e.ip.take());
    e.user_agent = text(bf, &["userAgent"]);
    e.location = dynamic(&b, "location")
        .filter(|l| l.is_object())
        .or_else(|| dynamic(&b, "LocationDetails"))
        .and_then(|l| place(&l))
        .or_else(|| text(bf, &["Location"]));
    let category = e.category.as_deref().unwrap_or("").to_ascii_lowercase();
    let kind = if category.contains("managedidentity") {
        CallerType::ManagedIdentity
    } else if category.contains("serviceprincipal") {
        CallerType::ServicePrincipal
    } else {
        CallerType::User
    };
    e.caller = if kind == CallerType::User {
        Caller {
            upn: text(bf, &["userPrincipalName"]),
            object_id: text(bf, &["userId"]),
            name: text(bf, &["userDisplayName"]),
            app_id: text(bf, &["appId"]),
            kind,
        }
    } else {
        Caller {
            upn: None,
            object_id: text(bf, &["servicePrincipalId"]),
            name: text(bf, &["servicePrincipalName", "appDisplayName"]),
            app_id: text(bf, &["appId"]),
            kind,
        }
    };
    if e.caller.upn.is_none()
        && e.caller.name.is_none()
        && let Some(s) = get_ci(raw, "identity").and_then(|i| i.as_str())
    {
        e.caller.name = non_empty(Some(s)).map(str::to_string);
    }
    e.resource_provider = Some("Microsoft.aadiam".to_string());
    Ok(e)
}

/// `City, State, CC` from a Graph `location` / Log Analytics `LocationDetails` object.
fn place(l: &Value) -> Option<String> {
    let parts: Vec<String> = ["city", "state", "countryOrRegion"]
        .iter()
        .filter_map(|k| text(l, &[k]))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Schema;
    use std::sync::Arc;

    /// Normalizes a test record as the given schema.
    fn norm(raw: Value, schema: Schema, bytes: &[u8]) -> Event {
        crate::normalize::normalize(raw, schema, src(), bytes).unwrap()
    }

    fn src() -> Source {
        Source {
            path: Arc::from("x"),
            record: 1,
            line: None,
        }
    }

    #[test]
    fn graph_sign_in() {
        let raw: Value = sonic_rs::from_str(r#"{"id":"s1","createdDateTime":"2026-11-13T13:20:00Z","userPrincipalName":"m@f.com","userId":"u","appId":"a","appDisplayName":"Azure Portal","ipAddress":"203.0.113.9","isInteractive":true,"status":{"errorCode":0},"location":{"city":"Lagos","state":"Lagos","countryOrRegion":"NG"}}"#).unwrap();
        let e = norm(raw, Schema::SignIn(RecordFormat::Graph), b"x");
        assert_eq!(e.category.as_deref(), Some("SignInLogs"));
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(e.location.as_deref(), Some("Lagos, Lagos, NG"));
        assert_eq!(e.caller.upn.as_deref(), Some("m@f.com"));
        assert_eq!(e.id.value, "s1");
    }

    #[test]
    fn log_analytics_split_columns() {
        let raw: Value = sonic_rs::from_str(r#"{"CreatedDateTime [UTC]":"4/19/2021, 12:13:19.483 PM","Type":"SigninLogs","AppId":"a","ResultType":"50126","Status_dynamic":"","Status_string":"{\"errorCode\":50126}","LocationDetails_dynamic":"{\"city\":\"Redmond\",\"countryOrRegion\":\"US\"}","LocationDetails_string":"","UserPrincipalName":"x@y.z","IPAddress":"1.2.3.4","Id":"i"}"#).unwrap();
        let e = norm(raw, Schema::SignIn(RecordFormat::LogAnalytics), b"x");
        assert_eq!(e.status.as_deref(), Some("Failed"));
        assert_eq!(e.sub_status.as_deref(), Some("50126"));
        assert_eq!(e.location.as_deref(), Some("Redmond, US"));
        assert_eq!(e.ip.as_deref(), Some("1.2.3.4"));
    }

    #[test]
    fn la_audit_with_json_text_columns() {
        let raw: Value = sonic_rs::from_str(r#"{"TimeGenerated":"2021-01-01T00:00:00Z","OperationName":"Add member to role","Result":"success","InitiatedBy":"{\"user\":{\"userPrincipalName\":\"a@b.c\",\"ipAddress\":\"5.6.7.8\"}}","TargetResources":"[{\"id\":\"u\",\"type\":\"User\",\"modifiedProperties\":[{\"displayName\":\"Role.DisplayName\",\"newValue\":\"\\\"Global Administrator\\\"\"}]}]","AdditionalDetails":"[{\"key\":\"User-Agent\",\"value\":\"curl\"}]","Id":"Directory_1"}"#).unwrap();
        let e = norm(raw, Schema::Audit(RecordFormat::LogAnalytics), b"x");
        assert_eq!(e.operation, "Add member to role");
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(e.caller.upn.as_deref(), Some("a@b.c"));
        assert_eq!(e.ip.as_deref(), Some("5.6.7.8"));
        assert_eq!(e.user_agent.as_deref(), Some("curl"));
        let ra = e.role_assignment.unwrap();
        assert_eq!(ra.role_name.as_deref(), Some("Global Administrator"));
        assert!(ra.privileged);
    }
}
