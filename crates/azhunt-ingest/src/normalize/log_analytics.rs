//! Log Analytics `AzureActivity` rows, current and legacy schema, from any export of the table
//! (portal CSV, portal JSON, query API, `az monitor log-analytics query`).
//!
//! The current schema has invariant `*Value` columns (`OperationNameValue`,
//! `ActivityStatusValue`); the legacy one only localized text (`OperationName` "Update
//! Incidents", `ResourceProvider` "Microsoft Resources"). For legacy rows the operation id is
//! recovered from the RBAC `Authorization.action`, which is the invariant name. Dynamic columns
//! come twice (`Claims` text, `Claims_d` dynamic) and either may be empty. `TenantId` is the
//! workspace id here, so the Entra tenant is taken from the claims instead.

use super::{
    blank, canonical_status, identity, provider_of_operation, role, source_id, text, time_of,
};
use azhunt_model::field::{Fields, Lookup, decode_embedded, get_path};
use azhunt_model::{Authorization, Event, LogKind, RecordFormat, ResourceId, Source, Value};
use sonic_rs::JsonValueTrait;
use std::borrow::Cow;

/// The dynamic (`X_d`) or text (`X`) form of a column, decoded, whichever is filled.
fn either<'a>(v: &'a Fields<'a>, name: &str) -> Option<Cow<'a, Value>> {
    for key in [format!("{name}_d"), name.to_string()] {
        let Some(x) = v.member(&key) else { continue };
        if let Some(s) = x.as_str() {
            if let Some(d) = decode_embedded(s) {
                return Some(Cow::Owned(d));
            }
        } else if x.is_object() {
            return Some(Cow::Borrowed(x));
        }
    }
    None
}

pub(crate) fn activity(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["TimeGenerated", "EventSubmissionTimestamp"])?;
    let mut e = blank(time, LogKind::Activity, RecordFormat::LogAnalytics, source);
    let v = f;
    let authz = either(v, "Authorization");
    if let Some(a) = authz.as_deref() {
        e.authorization = Some(Authorization {
            action: text(a, &["action"]),
            scope: text(a, &["scope"]),
        });
    }
    let legacy_name = text(v, &["OperationName"]);
    e.operation = text(v, &["OperationNameValue"])
        .or_else(|| e.authorization.as_ref().and_then(|a| a.action.clone()))
        .or_else(|| legacy_name.clone())
        .unwrap_or_default();
    e.operation_display = legacy_name.filter(|n| *n != e.operation);
    e.category = text(v, &["CategoryValue", "Category"]);
    e.status = text(v, &["ActivityStatusValue", "ActivityStatus"]).map(|s| canonical_status(&s));
    e.sub_status = text(v, &["ActivitySubstatusValue", "ActivitySubstatus"]);
    e.correlation_id = text(v, &["CorrelationId"]);
    if let Some(id) = text(v, &["EventDataId"]) {
        e.id = source_id(&id);
    }
    let principal_type = authz
        .as_deref()
        .and_then(|a| get_path(a, &["evidence", "principalType"]))
        .and_then(|p| p.as_str().map(str::to_string));
    let claims = either(v, "Claims");
    let who = identity::identity(
        claims.as_deref(),
        text(v, &["Caller"]).as_deref(),
        principal_type.as_deref(),
    );
    e.caller = who.caller;
    e.tenant_id = who.tenant_id;
    e.ip = text(v, &["CallerIpAddress"])
        .or_else(|| either(v, "HTTPRequest").and_then(|h| text(h.as_ref(), &["clientIpAddress"])));
    e.resource = text(v, &["ResourceId", "_ResourceId"]).and_then(|r| ResourceId::parse(&r));
    e.subscription_id = text(v, &["SubscriptionId"]).or_else(|| {
        e.resource
            .as_ref()
            .and_then(|r| r.subscription_id().map(str::to_string))
    });
    e.resource_provider = text(v, &["ResourceProviderValue"])
        .or_else(|| provider_of_operation(&e.operation))
        .or_else(|| text(v, &["ResourceProvider"]).filter(|p| p.contains('.') && !p.contains(' ')));
    let scope = e.authorization.as_ref().and_then(|a| a.scope.clone());
    let props = either(v, "Properties");
    e.role_assignment = role::azure(&e.operation, props.as_deref(), scope.as_deref());
    Ok(e)
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
            path: Arc::from("la.csv"),
            record: 1,
            line: Some(2),
        }
    }

    #[test]
    fn legacy_row_recovers_operation_id() {
        let raw: Value = sonic_rs::from_str(r#"{"OperationName":"Update Incidents","ActivityStatus":"Succeeded","ActivitySubstatus":"OK (HTTP Status Code: 200)","Caller":"y@b.com","CallerIpAddress":"175.45.176.99","Category":"Administrative","Authorization":"{\r\n  \"action\": \"Microsoft.SecurityInsights/Incidents/write\",\r\n  \"scope\": \"/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w\"\r\n}","ResourceProvider":"Microsoft Resources","TimeGenerated [UTC]":"4/28/2021, 2:32:14.029 PM","EventDataId":"ed"}"#).unwrap();
        let e = norm(raw, Schema::LaActivity, b"x");
        assert_eq!(e.operation, "Microsoft.SecurityInsights/Incidents/write");
        assert_eq!(e.operation_display.as_deref(), Some("Update Incidents"));
        assert_eq!(e.status.as_deref(), Some("Succeeded"));
        assert_eq!(
            e.resource_provider.as_deref(),
            Some("Microsoft.SecurityInsights")
        );
        assert_eq!(
            azhunt_model::time::format_rfc3339(e.time),
            "2021-04-28T14:32:14.029Z"
        );
    }

    #[test]
    fn current_row_prefers_value_columns_and_claims() {
        let raw: Value = sonic_rs::from_str(r#"{"TimeGenerated":"2022-06-03T14:05:09.955Z","OperationNameValue":"Microsoft.Authorization/roleAssignments/write","ActivityStatusValue":"Start","Claims":"","Claims_d":null,"Caller":"x@y.z","TenantId":"workspace","Properties":"{\"requestbody\":\"{\\\"Properties\\\":{\\\"RoleDefinitionId\\\":\\\"/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9\\\"}}\"}"}"#).unwrap();
        let e = norm(raw, Schema::LaActivity, b"x");
        assert_eq!(e.status.as_deref(), Some("Started"));
        assert_eq!(e.tenant_id, None);
        assert_eq!(
            e.role_assignment.unwrap().role_name.as_deref(),
            Some("User Access Administrator")
        );
    }
}
