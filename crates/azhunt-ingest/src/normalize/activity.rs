//! Activity Log records in object shape: REST / `az monitor activity-log list` (camelCase with
//! `{value, localizedValue}` objects), Azure SDK dumps (snake_case), PowerShell `Get-AzLog`
//! output (PascalCase, plain strings, `Claims.Content`), and the portal's CSV download.
//!
//! All of these are one normalizer because field lookup ignores case and underscores and
//! [`super::text`] accepts both `{value}` objects and plain strings.

use super::{
    blank, canonical_status, identity, member_text, provider_of_operation, role, scalar_text,
    source_id, text, time_of,
};
use azhunt_model::Value;
use azhunt_model::field::{
    Fields, Lookup, eq_exact, fold_name, get_ci_many, get_path, non_empty, plain_signature,
};
use azhunt_model::{Authorization, Event, LogKind, RecordFormat, ResourceId, Source};
use sonic_rs::JsonValueTrait;
use std::borrow::Cow;

/// The top-level names [`rest`] reads, folded (see [`fold_name`]), in slot order.
const REST_NAMES: [&str; 16] = [
    "eventtimestamp",
    "operationname",
    "category",
    "status",
    "substatus",
    "correlationid",
    "eventdataid",
    "authorization",
    "claims",
    "caller",
    "httprequest",
    "tenantid",
    "resourceid",
    "subscriptionid",
    "resourceprovidername",
    "properties",
];

/// [`REST_NAMES`] as REST and `az` spell them: compared as bytes before the case-insensitive
/// comparison, which the other spellings (PowerShell, SDK dumps) still reach.
const REST_SPELLING: [&str; REST_NAMES.len()] = [
    "eventTimestamp",
    "operationName",
    "category",
    "status",
    "subStatus",
    "correlationId",
    "eventDataId",
    "authorization",
    "claims",
    "caller",
    "httpRequest",
    "tenantId",
    "resourceId",
    "subscriptionId",
    "resourceProviderName",
    "properties",
];

/// Signatures of [`REST_NAMES`]: members with any other are skipped without folding. They are
/// distinct (a unit test checks), so a plain name has at most one candidate.
const REST_SIGNATURES: [u32; REST_NAMES.len()] = {
    let mut out = [0u32; REST_NAMES.len()];
    let mut i = 0;
    while i < REST_NAMES.len() {
        out[i] = plain_signature(REST_NAMES[i]);
        i += 1;
    }
    out
};

/// The members [`rest`] reads, found in one pass over the record instead of a lookup each:
/// the same matching as [`Fields`] (an exact, case-insensitive name wins over a loose one;
/// among equals the first), any other name is looked up in the record's fields.
struct RestMembers<'f, 'a> {
    fields: &'f Fields<'a>,
    slots: [Option<(&'a Value, bool)>; REST_NAMES.len()],
}

impl<'f, 'a> RestMembers<'f, 'a> {
    fn of(fields: &'f Fields<'a>) -> RestMembers<'f, 'a> {
        let mut slots = [None; REST_NAMES.len()];
        let mut buf = [0u8; 32];
        for (sig_at, name, value) in fields.iter_maybe(&REST_SIGNATURES) {
            // A plain name has one candidate with its signature (the wanted names' signatures
            // are distinct); it matches when equal ignoring case. Others are folded first.
            let (i, loose) = match sig_at {
                Some(i) if name == REST_SPELLING[i] || eq_exact(name, REST_NAMES[i]) => (i, false),
                Some(_) => continue,
                None => {
                    let Some((folded, loose)) = fold_name(name, &mut buf) else {
                        continue;
                    };
                    let Some(i) = REST_NAMES.iter().position(|n| n.as_bytes() == folded) else {
                        continue;
                    };
                    (i, loose)
                }
            };
            match slots[i] {
                None => slots[i] = Some((value, loose)),
                Some((_, true)) if !loose => slots[i] = Some((value, false)),
                Some(_) => {}
            }
        }
        RestMembers { fields, slots }
    }
}

// Slots of [`REST_NAMES`], for [`RestMembers::at`].
const OPERATION_NAME: usize = 1;
const CATEGORY: usize = 2;
const STATUS: usize = 3;
const SUB_STATUS: usize = 4;
const CORRELATION_ID: usize = 5;
const EVENT_DATA_ID: usize = 6;
const AUTHORIZATION: usize = 7;
const CLAIMS: usize = 8;
const CALLER: usize = 9;
const HTTP_REQUEST: usize = 10;
const TENANT_ID: usize = 11;
const RESOURCE_ID: usize = 12;
const SUBSCRIPTION_ID: usize = 13;
const RESOURCE_PROVIDER_NAME: usize = 14;
const PROPERTIES: usize = 15;

impl<'a> RestMembers<'_, 'a> {
    /// The member of slot `i` (a [`REST_NAMES`] index): what [`Lookup::member`] gives for its
    /// name, without matching the name against every slot's.
    fn at(&self, i: usize) -> Option<&'a Value> {
        self.slots.get(i).copied().flatten().map(|(v, _)| v)
    }
}

impl Lookup for RestMembers<'_, '_> {
    fn member(&self, key: &str) -> Option<&Value> {
        let slot = match key {
            "eventTimestamp" => 0,
            "operationName" => 1,
            "category" => 2,
            "status" => 3,
            "subStatus" => 4,
            "correlationId" => 5,
            "eventDataId" => 6,
            "authorization" => 7,
            "claims" => 8,
            "caller" => 9,
            "httpRequest" => 10,
            "tenantId" => 11,
            "resourceId" => 12,
            "subscriptionId" => 13,
            "resourceProviderName" => 14,
            "properties" => 15,
            _ => return self.fields.member(key),
        };
        self.slots[slot].map(|(v, _)| v)
    }
}

pub(crate) fn rest(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let v = &RestMembers::of(f);
    let time = time_of(v, &["eventTimestamp"])?;
    let mut e = blank(time, LogKind::Activity, RecordFormat::Rest, source);
    // The operation's id and display name in one walk of its `{value, localizedValue}`.
    let (op_value, op_display) = match v.at(OPERATION_NAME) {
        Some(x) if x.is_object() => {
            let [value, display] = get_ci_many(x, ["value", "localizedValue"]);
            (value, display)
        }
        other => (other, None),
    };
    e.operation = op_value
        .and_then(scalar_text)
        .map(Cow::into_owned)
        .unwrap_or_default();
    let display = non_empty(op_display.and_then(|d| d.as_str()));
    if display.is_some() && display != non_empty(op_value.and_then(|x| x.as_str())) {
        e.operation_display = display.map(str::to_string);
    }
    e.category = v.at(CATEGORY).and_then(value_text);
    e.status = v
        .at(STATUS)
        .and_then(member_text)
        .map(|s| canonical_status(&s));
    e.sub_status = v.at(SUB_STATUS).and_then(value_text);
    e.correlation_id = v.at(CORRELATION_ID).and_then(value_text);
    if let Some(id) = v.at(EVENT_DATA_ID).and_then(member_text) {
        e.id = source_id(&id);
    }
    let authz = v.at(AUTHORIZATION);
    let [action, scope, evidence] = match authz {
        Some(a) => get_ci_many(a, ["action", "scope", "evidence"]),
        None => [None; 3],
    };
    let principal_type = evidence.and_then(|ev| get_path(ev, &["principalType"]));
    let who = identity::identity(
        v.at(CLAIMS),
        v.at(CALLER).and_then(member_text).as_deref(),
        principal_type.as_deref().and_then(|p| p.as_str()),
    );
    e.caller = who.caller;
    e.ip = v
        .at(HTTP_REQUEST)
        .and_then(|h| text(h, &["clientIpAddress"]));
    e.tenant_id = v.at(TENANT_ID).and_then(value_text).or(who.tenant_id);
    e.resource = v
        .at(RESOURCE_ID)
        .and_then(member_text)
        .and_then(|r| ResourceId::parse(&r));
    e.subscription_id = v.at(SUBSCRIPTION_ID).and_then(value_text).or_else(|| {
        e.resource
            .as_ref()
            .and_then(|r| r.subscription_id().map(str::to_string))
    });
    e.resource_provider = v
        .at(RESOURCE_PROVIDER_NAME)
        .and_then(value_text)
        .or_else(|| provider_of_operation(&e.operation))
        .or_else(|| {
            e.resource
                .as_ref()
                .and_then(|r| r.provider().map(str::to_string))
        });
    let auth = Authorization {
        action: action.and_then(value_text),
        scope: scope.and_then(value_text),
    };
    if auth.action.is_some() || auth.scope.is_some() {
        e.authorization = Some(auth);
    }
    if e.operation.is_empty()
        && let Some(action) = e.authorization.as_ref().and_then(|a| a.action.clone())
    {
        e.operation = action;
    }
    let scope = e.authorization.as_ref().and_then(|a| a.scope.as_deref());
    e.role_assignment = role::azure(&e.operation, v.at(PROPERTIES), scope);
    Ok(e)
}

/// [`member_text`], owned.
fn value_text(x: &Value) -> Option<String> {
    member_text(x).map(Cow::into_owned)
}

/// The portal's Activity Log "Download as CSV". Its columns hold display strings only: no
/// caller IP, no claims, no operation id (the display name stands in).
pub(crate) fn portal(f: &Fields, source: Source) -> Result<Box<Event>, String> {
    let time = time_of(f, &["Time", "Event timestamp"])?;
    let mut e = blank(time, LogKind::Activity, RecordFormat::PortalCsv, source);
    let v = f;
    e.operation = text(v, &["Operation name"]).unwrap_or_default();
    e.category = text(v, &["Event category"]);
    e.status = text(v, &["Status"]).map(|s| canonical_status(&s));
    e.correlation_id = text(v, &["Correlation id"]);
    if let Some(id) = text(v, &["Id", "Event data id"]) {
        e.id = source_id(&id);
    }
    let who = identity::identity(None, text(v, &["Event initiated by"]).as_deref(), None);
    e.caller = who.caller;
    let subscription = text(v, &["Subscription"]);
    let group = text(v, &["Resource group"]);
    let rtype = text(v, &["Resource type"]);
    let name = text(v, &["Resource"]);
    e.resource = match name.as_deref() {
        Some(n) if n.starts_with('/') => ResourceId::parse(n),
        _ => synthesize_id(
            subscription.as_deref(),
            group.as_deref(),
            rtype.as_deref(),
            name.as_deref(),
        ),
    };
    e.subscription_id = e
        .resource
        .as_ref()
        .and_then(|r| r.subscription_id().map(str::to_string))
        .or(subscription);
    e.resource_provider = e
        .resource
        .as_ref()
        .and_then(|r| r.provider().map(str::to_string))
        .or_else(|| {
            rtype
                .as_deref()
                .and_then(|t| t.split('/').next())
                .map(str::to_string)
        });
    Ok(e)
}

/// Builds a resource id from the portal's separate columns when they name a subscription id.
fn synthesize_id(
    sub: Option<&str>,
    group: Option<&str>,
    rtype: Option<&str>,
    name: Option<&str>,
) -> Option<ResourceId> {
    let sub = sub.filter(|s| s.len() == 36 && s.matches('-').count() == 4)?;
    let mut id = format!("/subscriptions/{sub}");
    if let Some(g) = group {
        id.push_str("/resourceGroups/");
        id.push_str(g);
        if let (Some(t), Some(n)) = (rtype.filter(|t| t.contains('/')), name) {
            let (ns, types) = t.split_once('/').unwrap_or((t, ""));
            id.push_str("/providers/");
            id.push_str(ns);
            // Child types (`a/b`) need a name per level; the portal gives only the last.
            if !types.contains('/') {
                id.push('/');
                id.push_str(types);
                id.push('/');
                id.push_str(n);
            } else {
                return ResourceId::parse(&format!("/subscriptions/{sub}/resourceGroups/{g}"));
            }
        }
    }
    ResourceId::parse(&id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Schema;
    use azhunt_model::Value;
    use azhunt_model::{CallerType, ScopeLevel};
    use std::sync::Arc;

    /// Normalizes a test record as the given schema.
    fn norm(raw: Value, schema: Schema, bytes: &[u8]) -> Event {
        crate::normalize::normalize(raw, schema, src(), bytes).unwrap()
    }

    fn src() -> Source {
        Source {
            path: Arc::from("t.json"),
            record: 1,
            line: Some(1),
        }
    }

    #[test]
    fn rest_event_is_fully_normalized() {
        let raw: Value = sonic_rs::from_str(r#"{
          "authorization":{"action":"Microsoft.Authorization/roleAssignments/write","scope":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/ra"},
          "caller":"admin@contoso.com",
          "claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"admin@contoso.com","http://schemas.microsoft.com/identity/claims/objectidentifier":"oid","idtyp":"user"},
          "correlationId":"c1","eventDataId":"e1",
          "category":{"value":"Administrative","localizedValue":"Administrative"},
          "eventTimestamp":"2026-11-10T10:00:00.1234567Z",
          "httpRequest":{"clientIpAddress":"203.0.113.5","method":"PUT"},
          "operationName":{"value":"Microsoft.Authorization/roleAssignments/write","localizedValue":"Create role assignment"},
          "properties":{"requestbody":"{\"Properties\":{\"RoleDefinitionId\":\"/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c\",\"PrincipalId\":\"p\"}}"},
          "resourceId":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/ra",
          "status":{"value":"Started"},"subStatus":{"value":""},
          "subscriptionId":"s1","tenantId":"t1"}"#).unwrap();
        let e = norm(raw, Schema::ActivityRest, b"x");
        assert_eq!(e.operation, "Microsoft.Authorization/roleAssignments/write");
        assert_eq!(
            e.operation_display.as_deref(),
            Some("Create role assignment")
        );
        assert_eq!(e.status.as_deref(), Some("Started"));
        assert_eq!(e.sub_status, None);
        assert_eq!(e.caller.kind, CallerType::User);
        assert_eq!(e.ip.as_deref(), Some("203.0.113.5"));
        assert_eq!(e.id.value, "e1");
        assert_eq!(e.scope_level(), Some(ScopeLevel::Subscription));
        assert_eq!(
            e.resource_provider.as_deref(),
            Some("Microsoft.Authorization")
        );
        assert_eq!(
            e.role_assignment.unwrap().role_name.as_deref(),
            Some("Contributor")
        );
    }

    #[test]
    fn slot_constants_name_their_members() {
        let slots = [
            (OPERATION_NAME, "operationname"),
            (CATEGORY, "category"),
            (STATUS, "status"),
            (SUB_STATUS, "substatus"),
            (CORRELATION_ID, "correlationid"),
            (EVENT_DATA_ID, "eventdataid"),
            (AUTHORIZATION, "authorization"),
            (CLAIMS, "claims"),
            (CALLER, "caller"),
            (HTTP_REQUEST, "httprequest"),
            (TENANT_ID, "tenantid"),
            (RESOURCE_ID, "resourceid"),
            (SUBSCRIPTION_ID, "subscriptionid"),
            (RESOURCE_PROVIDER_NAME, "resourceprovidername"),
            (PROPERTIES, "properties"),
        ];
        for (slot, name) in slots {
            assert_eq!(REST_NAMES[slot], name);
        }
    }

    #[test]
    fn rest_spelling_folds_to_rest_names() {
        for (spelled, name) in REST_SPELLING.iter().zip(REST_NAMES) {
            assert_eq!(spelled.to_ascii_lowercase(), name);
        }
    }

    #[test]
    fn rest_signatures_are_distinct() {
        for (i, a) in REST_SIGNATURES.iter().enumerate() {
            assert!(!REST_SIGNATURES[..i].contains(a), "{}", REST_NAMES[i]);
        }
    }

    proptest::proptest! {
        /// The one-pass gathering finds exactly what a lookup per name finds.
        #[test]
        fn rest_members_agree_with_fields(
            keys in proptest::collection::vec(
                "(event_?[Tt]imestamp|[Oo]peration_?[Nn]ame|STATUS|status|sub_status|Category|claims|caller|x_y|resource[Ii]d|Properties|eventDataId)( \\[UTC\\])?",
                0..8,
            )
        ) {
            let mut obj = sonic_rs::Object::new();
            for (i, k) in keys.iter().enumerate() {
                obj.insert(k, Value::from(i as u64));
            }
            let v = Value::from(obj);
            let f = Fields::of(&v);
            let r = RestMembers::of(&f);
            for key in ["eventTimestamp", "operationName", "status", "subStatus", "category", "claims", "caller", "resourceId", "properties", "eventDataId", "tenantId"] {
                let a = r.member(key).and_then(|x| x.as_u64());
                let b = f.member(key).and_then(|x| x.as_u64());
                proptest::prop_assert_eq!(a, b, "{}", key);
            }
        }
    }

    #[test]
    fn snake_case_sdk_dump() {
        let raw: Value = sonic_rs::from_str(r#"{"event_timestamp":"2022-02-09T03:04:54.297853Z","operation_name":{"value":"Microsoft.Compute/disks/delete","localized_value":"Delete disk"},"http_request":{"client_ip_address":"1.2.3.4"},"status":{"value":"Started"},"event_data_id":"x","resource_id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/disks/d"}"#).unwrap();
        let e = norm(raw, Schema::ActivityRest, b"x");
        assert_eq!(e.operation, "Microsoft.Compute/disks/delete");
        assert_eq!(e.operation_display.as_deref(), Some("Delete disk"));
        assert_eq!(e.ip.as_deref(), Some("1.2.3.4"));
        assert_eq!(e.scope_level(), Some(ScopeLevel::Resource));
    }

    #[test]
    fn portal_row() {
        let raw: Value = sonic_rs::from_str(r#"{"Correlation id":"c","Operation name":"Delete Kubernetes cluster","Status":"Succeeded","Event category":"Administrative","Level":"Informational","Time":"11/13/2026, 2:02:11 PM","Subscription":"11111111-2222-3333-4444-555555555555","Event initiated by":"a@b.com","Resource type":"Microsoft.ContainerService/managedClusters","Resource group":"rg","Resource":"aks1"}"#).unwrap();
        let e = norm(raw, Schema::PortalActivity, b"x");
        assert_eq!(e.operation, "Delete Kubernetes cluster");
        assert_eq!(
            e.resource_id(),
            Some(
                "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1"
            )
        );
        assert_eq!(e.caller.upn.as_deref(), Some("a@b.com"));
    }
}
