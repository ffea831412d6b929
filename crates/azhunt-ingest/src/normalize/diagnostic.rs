//! Diagnostic-settings records: what storage `PT1H.json` blobs and Event Hub `records` batches
//! hold, for the Activity Log, Key Vault `AuditEvent`, AKS `kube-audit` and other resource logs.
//!
//! These share an envelope (`time`, `resourceId`, `operationName`, `category`, `resultType`,
//! `callerIpAddress`, `correlationId`, `identity`, `properties`) but each log fills it its own
//! way: Activity records carry the caller in `identity.claims`, Key Vault in `identity.claim`,
//! and AKS puts the whole Kubernetes audit event as JSON text in `properties.log`.

use super::{
    blank, canonical_status, identity, provider_of_operation, role, source_id, text, time_of,
};
use azhunt_model::field::{Fields, Lookup, decode_embedded, get_ci, get_path, string_of};
use azhunt_model::{
    Authorization, Caller, CallerType, Event, LogKind, RecordFormat, ResourceId, Source, Value,
};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};

/// Fills the envelope fields every diagnostic record shares.
fn envelope(raw: &Fields, e: &mut Event) {
    e.operation = text(raw, &["operationName"]).unwrap_or_default();
    e.category = text(raw, &["category"]);
    e.status = text(raw, &["resultType"]).map(|s| canonical_status(&s));
    e.sub_status = text(raw, &["resultSignature"]);
    e.ip = text(raw, &["callerIpAddress"]);
    e.correlation_id = text(raw, &["correlationId"]);
    e.resource = text(raw, &["resourceId"]).and_then(|r| ResourceId::parse(&r));
    e.subscription_id = e
        .resource
        .as_ref()
        .and_then(|r| r.subscription_id().map(str::to_string));
    e.tenant_id = text(raw, &["tenantId"]);
    e.resource_provider = provider_of_operation(&e.operation).or_else(|| {
        e.resource
            .as_ref()
            .and_then(|r| r.provider().map(str::to_string))
    });
}

pub(crate) fn activity(raw: &Value, f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["time"])?;
    let mut e = blank(time, LogKind::Activity, RecordFormat::Diagnostic, source);
    envelope(f, &mut e);
    // `category` is Write/Delete/Action in older archives; the Activity category is in
    // `properties.eventCategory` (absent means Administrative).
    let event_category = get_path(raw, &["properties", "eventCategory"])
        .and_then(|c| c.as_str().map(str::to_string));
    let legacy = e.category.as_deref().is_some_and(|c| {
        ["Write", "Delete", "Action"]
            .iter()
            .any(|l| l.eq_ignore_ascii_case(c))
    });
    if let Some(c) = event_category {
        e.category = Some(c);
    } else if legacy {
        e.category = Some("Administrative".to_string());
    }
    let id = f.member("identity");
    let principal_type = id
        .and_then(|i| get_path(i, &["authorization", "evidence", "principalType"]))
        .and_then(|p| p.as_str().map(str::to_string));
    let claims = id.and_then(|i| get_ci(i, "claims"));
    let who = identity::identity(
        claims,
        text(f, &["caller"]).as_deref(),
        principal_type.as_deref(),
    );
    e.caller = who.caller;
    e.tenant_id = e.tenant_id.take().or(who.tenant_id);
    if let Some(a) = id.and_then(|i| get_ci(i, "authorization")) {
        e.authorization = Some(Authorization {
            action: text(a, &["action"]),
            scope: text(a, &["scope"]),
        });
    }
    let scope = e.authorization.as_ref().and_then(|a| a.scope.clone());
    e.role_assignment = role::azure(&e.operation, f.member("properties"), scope.as_deref());
    Ok(e)
}

pub(crate) fn key_vault(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["time"])?;
    let mut e = blank(time, LogKind::KeyVault, RecordFormat::Diagnostic, source);
    envelope(f, &mut e);
    e.resource_provider = Some("Microsoft.KeyVault".to_string());
    let claims = f
        .member("identity")
        .and_then(|i| get_ci(i, "claim").or_else(|| get_ci(i, "claims")));
    let who = identity::identity(claims, None, None);
    e.caller = who.caller;
    e.tenant_id = e.tenant_id.take().or(who.tenant_id);
    if let Some(props) = f.member("properties") {
        e.user_agent = text(props, &["clientInfo"]);
        if e.sub_status.is_none() {
            e.sub_status = text(props, &["httpStatusCode"]);
        }
    }
    Ok(e)
}

pub(crate) fn kube_audit(raw: &Value, f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let log = get_path(raw, &["properties", "log"]).and_then(|l| match l.as_str() {
        Some(s) => decode_embedded(s),
        None => l.is_object().then(|| l.into_owned()),
    });
    let time = match log.as_ref() {
        Some(l) => time_of(l, &["requestReceivedTimestamp", "stageTimestamp"])
            .or_else(|_| time_of(f, &["time"]))?,
        None => time_of(f, &["time"])?,
    };
    let mut e = blank(time, LogKind::KubeAudit, RecordFormat::Diagnostic, source);
    envelope(f, &mut e);
    e.resource_provider = Some("Microsoft.ContainerService".to_string());
    if let Some(l) = log.as_ref() {
        kube_event(l, &mut e);
    }
    Ok(e)
}

/// Reads the Kubernetes audit event (`audit.k8s.io/v1` `Event`).
pub(crate) fn kube_event(l: &Value, e: &mut Event) {
    let verb = text(l, &["verb"]);
    let obj = get_ci(l, "objectRef");
    let resource = obj.and_then(|o| text(o, &["resource"]));
    let sub = obj.and_then(|o| text(o, &["subresource"]));
    if let Some(verb) = verb {
        let mut op = verb;
        if let Some(r) = resource {
            op.push(' ');
            op.push_str(&r);
            if let Some(s) = sub {
                op.push('/');
                op.push_str(&s);
            }
        }
        e.operation = op;
        e.operation_display = text(l, &["requestURI"]);
    }
    if let Some(id) = text(l, &["auditID"]) {
        e.id = source_id(&id);
    }
    if let Some(code) = get_path(l, &["responseStatus", "code"]).and_then(|c| c.as_i64()) {
        e.status = Some(if code < 400 { "Succeeded" } else { "Failed" }.to_string());
        e.sub_status = Some(code.to_string());
    }
    if let Some(user) = get_ci(l, "user") {
        let name = text(user, &["username"]);
        let object_id = get_path(user, &["extra", "oid", "0"])
            .and_then(|o| string_of(&o).map(|s| s.to_string()));
        let upn = name.clone().filter(|n| n.contains('@'));
        let kind = if upn.is_some() {
            CallerType::User
        } else {
            CallerType::Unknown
        };
        e.caller = Caller {
            upn,
            app_id: None,
            object_id,
            name,
            kind,
        };
    }
    e.ip = get_ci(l, "sourceIPs")
        .and_then(|s| s.as_array())
        .and_then(|a| a.first())
        .and_then(|ip| ip.as_str().map(str::to_string))
        .or(e.ip.take());
    e.user_agent = text(l, &["userAgent"]);
}

pub(crate) fn resource(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["time"])?;
    let mut e = blank(time, LogKind::Resource, RecordFormat::Diagnostic, source);
    envelope(f, &mut e);
    let id = f.member("identity");
    let claims = id.and_then(|i| get_ci(i, "claims").or_else(|| get_ci(i, "claim")));
    let caller_text = id.and_then(|i| i.as_str().map(str::to_string));
    e.caller = identity::identity(claims, caller_text.as_deref(), None).caller;
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Schema;
    use azhunt_model::ScopeLevel;
    use std::sync::Arc;

    /// Normalizes a test record as the given schema.
    fn norm(raw: Value, schema: Schema, bytes: &[u8]) -> Event {
        crate::normalize::normalize(raw, schema, src(), bytes).unwrap()
    }

    fn src() -> Source {
        Source {
            path: Arc::from("PT1H.json"),
            record: 1,
            line: Some(1),
        }
    }

    #[test]
    fn activity_diagnostic_record() {
        let raw: Value = sonic_rs::from_str(r#"{"time":"2026-11-10T10:00:00.0000000Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG1/SECURITYRULES/SSH","operationName":"MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE","category":"Write","resultType":"Success","resultSignature":"Succeeded.Created","callerIpAddress":"198.51.100.7","correlationId":"c","identity":{"authorization":{"scope":"/x","action":"Microsoft.Network/networkSecurityGroups/securityRules/write","evidence":{"principalType":"User"}},"claims":{"upn":"m@f.com"}},"level":"Information","properties":{"statusCode":"Created"}}"#).unwrap();
        let e = norm(raw, Schema::ActivityDiagnostic, b"x");
        assert_eq!(e.category.as_deref(), Some("Administrative"));
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(e.ip.as_deref(), Some("198.51.100.7"));
        assert_eq!(e.caller.upn.as_deref(), Some("m@f.com"));
        assert_eq!(e.subscription_id.as_deref(), Some("S1"));
        assert_eq!(e.resource_provider.as_deref(), Some("MICROSOFT.NETWORK"));
        assert_eq!(e.scope_level(), Some(ScopeLevel::Resource));
        assert_eq!(e.id.origin, azhunt_model::IdOrigin::ContentHash);
    }

    #[test]
    fn kube_audit_inner_event() {
        let log = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods/web/exec?command=sh","verb":"create","user":{"username":"masterclient","groups":["system:masters"]},"sourceIPs":["203.0.113.9"],"userAgent":"kubectl/v1.29.0","objectRef":{"resource":"pods","namespace":"default","name":"web","apiVersion":"v1","subresource":"exec"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-13T14:05:00.123456Z","stageTimestamp":"2026-11-13T14:05:01.000000Z"}"#;
        let rec = format!(
            r#"{{"time":"2026-11-13T14:05:02Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS","category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{{"log":{},"stream":"stdout"}}}}"#,
            sonic_rs::to_string(log).unwrap()
        );
        let e = norm(
            sonic_rs::from_str(&rec).unwrap(),
            Schema::KubeAudit,
            rec.as_bytes(),
        );
        assert_eq!(e.operation, "create pods/exec");
        assert_eq!(e.id.value, "a-1");
        assert_eq!(e.caller.name.as_deref(), Some("masterclient"));
        assert_eq!(e.ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(e.user_agent.as_deref(), Some("kubectl/v1.29.0"));
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(
            azhunt_model::time::format_rfc3339(e.time),
            "2026-11-13T14:05:00.123456Z"
        );
    }

    #[test]
    fn key_vault_record() {
        let raw: Value = sonic_rs::from_str(r#"{"time":"2026-11-13T14:30:00Z","category":"AuditEvent","operationName":"SecretGet","resultType":"Success","resultSignature":"OK","callerIpAddress":"203.0.113.9","correlationId":"k","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV","identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"o","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"m@f.com","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"}},"properties":{"clientInfo":"azsdk-python","httpStatusCode":200}}"#).unwrap();
        let e = norm(raw, Schema::KeyVault, b"x");
        assert_eq!(e.log, LogKind::KeyVault);
        assert_eq!(e.operation, "SecretGet");
        assert_eq!(e.caller.upn.as_deref(), Some("m@f.com"));
        assert_eq!(e.user_agent.as_deref(), Some("azsdk-python"));
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
    }
}
