//! Sigma field names → where the value lives in an azhunt [`Event`].
//!
//! SigmaHQ's Azure rules mix vocabularies: the REST names (`operationName`), Log Analytics
//! column names (`OperationNameValue`, `ActivityDisplayName`, `ResultType`), Graph names
//! (`properties.message` for the audit activity) and plain raw paths
//! (`TargetResources.ModifiedProperties.DisplayName`). A rule must hit the same fact whatever
//! the export shape, so each name compiles once, at load time, into a [`FieldSpec`]: a list of
//! sources whose values are all offered to the matcher (any may match). Normalized event fields
//! come first; raw paths reach everything else. The `azhunt.` namespace names the normalized
//! fields and enrichments (resolved role, scope level, caller type) directly.

use azhunt_sigma::{FieldKey, FieldResolver};
use std::collections::HashMap;

/// A normalized [`Event`](azhunt_model::Event) field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Norm {
    Log,
    Format,
    Operation,
    OperationDisplay,
    Status,
    SubStatus,
    Category,
    Caller,
    CallerUpn,
    CallerObjectId,
    CallerAppId,
    CallerName,
    CallerType,
    Ip,
    UserAgent,
    Location,
    CorrelationId,
    EventId,
    TenantId,
    SubscriptionId,
    ResourceId,
    ResourceGroup,
    ResourceProvider,
    ResourceType,
    ResourceName,
    Scope,
    AuthorizationAction,
    AuthorizationScope,
    Role,
    RolePrivileged,
    RoleDefinitionId,
    RolePrincipalId,
    RolePrincipalType,
    RoleScope,
}

/// Names of the `azhunt.` namespace, for documentation and `rules validate`.
pub const AZHUNT_FIELDS: [(&str, Norm); 34] = [
    ("log", Norm::Log),
    ("format", Norm::Format),
    ("operation", Norm::Operation),
    ("operation_display", Norm::OperationDisplay),
    ("status", Norm::Status),
    ("sub_status", Norm::SubStatus),
    ("category", Norm::Category),
    ("caller", Norm::Caller),
    ("caller_upn", Norm::CallerUpn),
    ("caller_object_id", Norm::CallerObjectId),
    ("caller_app_id", Norm::CallerAppId),
    ("caller_name", Norm::CallerName),
    ("caller_type", Norm::CallerType),
    ("ip", Norm::Ip),
    ("user_agent", Norm::UserAgent),
    ("location", Norm::Location),
    ("correlation_id", Norm::CorrelationId),
    ("event_id", Norm::EventId),
    ("tenant_id", Norm::TenantId),
    ("subscription_id", Norm::SubscriptionId),
    ("resource_id", Norm::ResourceId),
    ("resource_group", Norm::ResourceGroup),
    ("resource_provider", Norm::ResourceProvider),
    ("resource_type", Norm::ResourceType),
    ("resource_name", Norm::ResourceName),
    ("scope", Norm::Scope),
    ("authorization_action", Norm::AuthorizationAction),
    ("authorization_scope", Norm::AuthorizationScope),
    ("role", Norm::Role),
    ("role_privileged", Norm::RolePrivileged),
    ("role_definition_id", Norm::RoleDefinitionId),
    ("role_principal_id", Norm::RolePrincipalId),
    ("role_principal_type", Norm::RolePrincipalType),
    ("role_scope", Norm::RoleScope),
];

/// One place a value can come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Norm(Norm),
    /// A dotted path into the original record (segments as written, matched case-insensitively).
    Raw(Vec<String>),
}

/// Every place a Sigma field name reads; values of all of them are offered to the matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    pub places: Vec<Place>,
}

fn raw(path: &str) -> Place {
    Place::Raw(path.split('.').map(str::to_string).collect())
}

/// The places a Sigma field name reads (see the module doc).
pub fn spec_for(name: &str) -> FieldSpec {
    use Norm::*;
    let lower = name.trim().to_ascii_lowercase();
    let n = |x| Place::Norm(x);
    let places = if let Some(rest) = lower.strip_prefix("azhunt.") {
        AZHUNT_FIELDS
            .iter()
            .find(|(k, _)| *k == rest)
            .map(|(_, f)| vec![n(*f)])
            .unwrap_or_default()
    } else {
        match lower.as_str() {
            "operationname"
            | "operationnamevalue"
            | "operationname.value"
            | "operation"
            | "activitydisplayname"
            | "activity"
            | "properties.operationname"
            | "properties.activitydisplayname" => vec![n(Operation), n(OperationDisplay)],
            "properties.message" | "message" => {
                vec![raw(name), n(Operation), n(OperationDisplay)]
            }
            // The normalized status is read from these very fields in every shape.
            "status" | "activitystatus" | "activitystatusvalue" | "status.value" => vec![n(Status)],
            "result" | "properties.result" => {
                vec![raw("result"), raw("properties.result"), n(Status)]
            }
            "substatus" | "activitysubstatus" | "activitysubstatusvalue" => {
                vec![n(SubStatus), raw(name)]
            }
            "resulttype" | "properties.resulttype" | "errorcode" => vec![
                raw("ResultType"),
                raw("status.errorCode"),
                raw("properties.status.errorCode"),
                n(SubStatus),
            ],
            "resultdescription" | "properties.resultdescription" | "failurereason" => vec![
                raw("ResultDescription"),
                raw("status.failureReason"),
                raw("properties.status.failureReason"),
            ],
            "category" | "categoryvalue" | "category.value" | "properties.category" => {
                vec![n(Category)]
            }
            "caller" | "initiatedby" => vec![n(Caller), n(CallerUpn), n(CallerObjectId), raw(name)],
            "calleripaddress"
            | "ipaddress"
            | "clientip"
            | "callerip"
            | "ip"
            | "httprequest.clientipaddress"
            | "properties.ipaddress" => vec![n(Ip)],
            "resourceid" | "_resourceid" => vec![n(ResourceId), raw(name)],
            "resourceprovider"
            | "resourceprovidervalue"
            | "resourceprovidername"
            | "resourceprovidername.value" => vec![n(ResourceProvider), raw(name)],
            "resourcegroup" | "resourcegroupname" => vec![n(ResourceGroup), raw(name)],
            "subscriptionid" => vec![n(SubscriptionId), raw(name)],
            "tenantid" => vec![n(TenantId), raw(name)],
            "useragent" | "properties.useragent" => vec![n(UserAgent), raw(name)],
            "username" | "userprincipalname" | "upn" | "properties.userprincipalname" => {
                vec![n(CallerUpn), raw(name)]
            }
            "location" => vec![n(Location), raw(name)],
            "correlationid" => vec![n(CorrelationId), raw(name)],
            _ => vec![raw(name)],
        }
    };
    FieldSpec {
        name: name.to_string(),
        places,
    }
}

/// Interns field names into [`FieldKey`]s, one spec per distinct (case-folded) name.
#[derive(Debug, Default, Clone)]
pub struct EventResolver {
    by_name: HashMap<String, FieldKey>,
    specs: Vec<FieldSpec>,
}

impl EventResolver {
    pub fn new() -> EventResolver {
        EventResolver::default()
    }

    /// The spec behind a key issued by this resolver.
    pub fn spec(&self, key: FieldKey) -> Option<&FieldSpec> {
        self.specs.get(key.0 as usize)
    }

    pub fn specs(&self) -> &[FieldSpec] {
        &self.specs
    }
}

impl FieldResolver for EventResolver {
    /// Names that read the same places share one key (`operationName`, `OperationNameValue`
    /// and `ActivityDisplayName` are one field), so the operation index serves all of them.
    fn resolve(&mut self, sigma_field_name: &str) -> FieldKey {
        let folded = sigma_field_name.trim().to_ascii_lowercase();
        if let Some(k) = self.by_name.get(&folded) {
            return *k;
        }
        let spec = spec_for(sigma_field_name);
        let key = match self.specs.iter().position(|s| s.places == spec.places) {
            Some(i) => FieldKey(i as u32),
            None => {
                self.specs.push(spec);
                FieldKey(self.specs.len() as u32 - 1)
            }
        };
        self.by_name.insert(folded, key);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_meet_on_normalized_fields() {
        for name in ["operationName", "OperationNameValue", "ActivityDisplayName"] {
            assert_eq!(
                spec_for(name).places[0],
                Place::Norm(Norm::Operation),
                "{name}"
            );
        }
        assert_eq!(
            spec_for("azhunt.role").places,
            vec![Place::Norm(Norm::Role)]
        );
        assert!(spec_for("azhunt.nope").places.is_empty());
        assert_eq!(
            spec_for("TargetResources.ModifiedProperties.DisplayName").places,
            vec![raw("TargetResources.ModifiedProperties.DisplayName")]
        );
    }

    #[test]
    fn resolver_interns_case_insensitively() {
        let mut r = EventResolver::new();
        let a = r.resolve("operationName");
        let b = r.resolve("OPERATIONNAME");
        let c = r.resolve("status");
        let d = r.resolve("OperationNameValue");
        assert_eq!(a, b);
        assert_eq!(a, d, "same places, same key");
        assert_ne!(a, c);
        assert_eq!(r.specs().len(), 2);
    }
}
