//! Log Analytics rows of resource logs: `AzureDiagnostics` (Key Vault `AuditEvent`, AKS
//! `kube-audit` / `kube-audit-admin`, any other category) and the AKS resource-specific tables
//! `AKSAudit`, `AKSAuditAdmin`, `AKSControlPlane`, from any export of them (portal CSV, portal
//! JSON, query API).
//!
//! `AzureDiagnostics` flattens the diagnostic record: `properties` and `identity` members
//! become columns named by their path joined with `_` plus a type suffix (`identity_claim_oid_g`,
//! `clientInfo_s`, `httpStatusCode_d`, `log_s`), the envelope keeps Pascal-case names
//! (`OperationName`, `ResultType`, `CallerIPAddress`, `ResourceId`). `AKSAudit` rows are the
//! Kubernetes audit event itself in Pascal case (`Verb`, `User`, `ObjectRef`, `SourceIps`,
//! `ResponseStatus`), dynamic columns as JSON text in CSV exports. `TenantId` is the workspace
//! id in every Log Analytics table, so it is never taken for the Entra tenant.

use super::diagnostic::kube_event;
use super::{blank, canonical_status, identity, provider_of_operation, text, time_of};
use azhunt_model::field::{Fields, decode_embedded};
use azhunt_model::{Event, LogKind, RecordFormat, ResourceId, Source, Value};
use sonic_rs::JsonValueTrait;

/// The envelope columns every `AzureDiagnostics` row has.
fn envelope(f: &Fields, log: LogKind, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["TimeGenerated"])?;
    let mut e = blank(time, log, RecordFormat::LogAnalytics, source);
    e.operation = text(f, &["OperationName"]).unwrap_or_default();
    e.category = text(f, &["Category"]).or_else(|| text(f, &["Type"]));
    e.status = text(f, &["ResultType"]).map(|s| canonical_status(&s));
    e.sub_status = text(f, &["ResultSignature"]);
    e.ip = text(f, &["CallerIPAddress"]);
    e.correlation_id = text(f, &["CorrelationId"]);
    e.resource = text(f, &["ResourceId", "_ResourceId"]).and_then(|r| ResourceId::parse(&r));
    e.subscription_id = text(f, &["SubscriptionId"]).or_else(|| {
        e.resource
            .as_ref()
            .and_then(|r| r.subscription_id().map(str::to_string))
    });
    e.resource_provider = provider_of_operation(&e.operation).or_else(|| {
        e.resource
            .as_ref()
            .and_then(|r| r.provider().map(str::to_string))
    });
    Ok(e)
}

/// The type suffix Log Analytics appends to a flattened column.
fn strip_type(name: &str) -> &str {
    ["_s", "_g", "_d", "_b", "_t"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name)
}

/// The token claims of a row, rebuilt from its `identity_claim_*` columns under the short
/// names the claim reader knows (`oid`, `upn`, `appid`, `tid`, `xms_mirid`); the long URI
/// forms lose their dots in the column name, so they are recognized by their last word.
fn claims(f: &Fields) -> Option<Value> {
    let mut obj = sonic_rs::Object::new();
    for (name, value) in f.iter() {
        let low = name.to_ascii_lowercase();
        let Some(rest) = low.strip_prefix("identity_claim_") else {
            continue;
        };
        if value.as_str().is_none_or(|s| s.trim().is_empty()) {
            continue;
        }
        let rest = strip_type(rest);
        let key = if rest.ends_with("objectidentifier") {
            "oid"
        } else if rest.ends_with("claims_upn") {
            "upn"
        } else if rest.ends_with("claims_tenantid") {
            "tid"
        } else {
            rest
        };
        if obj.get(&key).is_none() {
            obj.insert(&key, value.clone());
        }
    }
    (!obj.is_empty()).then(|| Value::from(obj))
}

pub(crate) fn key_vault(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let mut e = envelope(f, LogKind::KeyVault, source)?;
    e.resource_provider = Some("Microsoft.KeyVault".to_string());
    let claims = claims(f);
    let who = identity::identity(claims.as_ref(), None, None);
    e.caller = who.caller;
    e.tenant_id = who.tenant_id;
    e.user_agent = text(f, &["clientInfo_s"]);
    if e.sub_status.is_none() {
        e.sub_status = text(f, &["httpStatusCode_d"]);
    }
    Ok(e)
}

/// An `AKSAudit` row as the Kubernetes audit event it holds, dynamic columns decoded.
fn audit_event_of_row(f: &Fields) -> Value {
    let mut obj = sonic_rs::Object::new();
    for (name, value) in f.iter() {
        let decoded = value
            .as_str()
            .filter(|s| s.trim_start().starts_with(['{', '[']))
            .and_then(decode_embedded);
        obj.insert(&name, decoded.unwrap_or_else(|| value.clone()));
    }
    Value::from(obj)
}

pub(crate) fn kube_audit(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let mut e = envelope(f, LogKind::KubeAudit, source)?;
    e.resource_provider = Some("Microsoft.ContainerService".to_string());
    let inner = match text(f, &["log_s", "log"]) {
        // AzureDiagnostics: the audit event is JSON text in `log_s`.
        Some(log) => decode_embedded(&log),
        // AKSAudit / AKSAuditAdmin: the row is the audit event.
        None => Some(audit_event_of_row(f)),
    };
    if let Some(l) = inner.as_ref() {
        kube_event(l, &mut e);
        if let Ok(t) = time_of(l, &["requestReceivedTimestamp", "RequestReceivedTime"]) {
            e.time = t.ts;
            e.time_zone_assumed = t.zone_assumed;
        }
    }
    Ok(e)
}

pub(crate) fn resource(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let mut e = envelope(f, LogKind::Resource, source)?;
    let claims = claims(f);
    e.caller = identity::identity(claims.as_ref(), None, None).caller;
    Ok(e)
}

#[cfg(test)]
mod tests {
    use crate::classify::classify;
    use azhunt_model::{CallerType, LogKind, RecordFormat, Source};
    use std::sync::Arc;

    fn norm(json: &str) -> azhunt_model::Event {
        let v: azhunt_model::Value = sonic_rs::from_str(json).unwrap();
        let schema = classify(&v, None).unwrap();
        let src = Source {
            path: Arc::from("export.csv"),
            record: 1,
            line: Some(2),
        };
        crate::normalize::normalize(v, schema, src, json.as_bytes()).unwrap()
    }

    #[test]
    fn key_vault_row_of_azure_diagnostics() {
        let e = norm(
            r#"{"TenantId":"f793c0c2-0000-0000-0000-000000000000","TimeGenerated [UTC]":"11/12/2026, 10:13:05.123 AM","ResourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1","Category":"AuditEvent","ResourceProvider":"MICROSOFT.KEYVAULT","OperationName":"SecretGet","ResultType":"Success","ResultSignature":"OK","CallerIPAddress":"203.0.113.66","CorrelationId":"c1","identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g":"7158ec18-6d09-586e-8577-bd5abbbbe529","identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s":"maria@f.example","identity_claim_appid_g":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","clientInfo_s":"azsdk","httpStatusCode_d":"200","Type":"AzureDiagnostics"}"#,
        );
        assert_eq!(e.log, LogKind::KeyVault);
        assert_eq!(e.format, RecordFormat::LogAnalytics);
        assert_eq!(e.operation, "SecretGet");
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(e.ip.as_deref(), Some("203.0.113.66"));
        assert_eq!(e.caller.upn.as_deref(), Some("maria@f.example"));
        assert_eq!(
            e.caller.object_id.as_deref(),
            Some("7158ec18-6d09-586e-8577-bd5abbbbe529")
        );
        assert_eq!(e.caller.kind, CallerType::User);
        assert_eq!(e.tenant_id, None, "TenantId is the workspace");
        assert_eq!(e.subscription_id.as_deref(), Some("S1"));
        assert_eq!(e.user_agent.as_deref(), Some("azsdk"));
    }

    #[test]
    fn kube_audit_in_azure_diagnostics_and_aks_audit_rows() {
        let log = r#"{\"kind\":\"Event\",\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/secrets\",\"verb\":\"list\",\"user\":{\"username\":\"masterclient\"},\"sourceIPs\":[\"203.0.113.66\"],\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"default\"},\"responseStatus\":{\"code\":200},\"requestReceivedTimestamp\":\"2026-11-12T09:19:00.100000Z\"}"#;
        let e = norm(&format!(
            r#"{{"TimeGenerated":"2026-11-12T09:19:01Z","Category":"kube-audit","ResourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1","log_s":"{log}","Type":"AzureDiagnostics"}}"#
        ));
        assert_eq!(e.log, LogKind::KubeAudit);
        assert_eq!(e.operation, "list secrets");
        assert_eq!(e.ip.as_deref(), Some("203.0.113.66"));
        assert_eq!(e.caller.name.as_deref(), Some("masterclient"));
        assert_eq!(e.id.value, "a1");
        assert_eq!(
            azhunt_model::time::format_rfc3339(e.time),
            "2026-11-12T09:19:00.100Z"
        );
        // The same event as an AKSAudit CSV row: dynamic columns as JSON text.
        let e = norm(
            r#"{"TimeGenerated [UTC]":"2026-11-12T09:19:01Z","Level":"RequestResponse","AuditId":"a1","Stage":"ResponseComplete","RequestUri":"/api/v1/namespaces/default/secrets","Verb":"list","User":"{\"username\":\"masterclient\"}","SourceIps":"[\"203.0.113.66\"]","ObjectRef":"{\"resource\":\"secrets\"}","ResponseStatus":"{\"code\":403}","_ResourceId":"/subscriptions/s1/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1","Type":"AKSAudit"}"#,
        );
        assert_eq!(e.log, LogKind::KubeAudit);
        assert_eq!(e.operation, "list secrets");
        assert_eq!(e.status.as_deref(), Some("Failed"));
        assert_eq!(e.ip.as_deref(), Some("203.0.113.66"));
        assert_eq!(e.caller.name.as_deref(), Some("masterclient"));
        assert!(e.resource_id().unwrap().ends_with("/aks1"));
    }

    #[test]
    fn other_categories_are_resource_events() {
        let e = norm(
            r#"{"TimeGenerated":"2026-11-12T09:19:01Z","Category":"SQLSecurityAuditEvents","OperationName":"AuditEvent","ResourceId":"/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/s/databases/d","Type":"AzureDiagnostics"}"#,
        );
        assert_eq!(e.log, LogKind::Resource);
        assert_eq!(e.category.as_deref(), Some("SQLSecurityAuditEvents"));
    }
}
