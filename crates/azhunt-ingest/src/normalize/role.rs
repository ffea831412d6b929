//! What a role assignment granted: resolved from the request, the response or the audit's
//! modified properties.
//!
//! The operation name only says "a role assignment was written"; which role, to whom and where
//! sits in `properties.requestbody` / `responseBody` (JSON text, any key case) for Azure RBAC and
//! in `targetResources[].modifiedProperties` for Entra directory roles. Built-in role ids are
//! resolved to names so an Owner grant is visible as one.

use azhunt_model::field::{decode_embedded, ends_with_ci, get_ci, get_path, non_empty, string_of};
use azhunt_model::roles::{
    azure_role_name, entra_role_name, is_privileged_azure_role, is_privileged_entra_role,
};
use azhunt_model::{RoleAssignment, Value};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};

/// Enrichment for `Microsoft.Authorization/roleAssignments/write|delete` events.
pub(crate) fn azure(
    operation: &str,
    properties: Option<&Value>,
    authorization_scope: Option<&str>,
) -> Option<RoleAssignment> {
    if !(ends_with_ci(operation, "microsoft.authorization/roleassignments/write")
        || ends_with_ci(operation, "microsoft.authorization/roleassignments/delete"))
    {
        return None;
    }
    let mut ra = RoleAssignment::default();
    if let Some(props) = properties {
        for body in ["requestbody", "responseBody"] {
            let pick = |field: &str| -> Option<String> {
                [vec![body, "properties", field], vec![body, field]]
                    .iter()
                    .find_map(|p| get_path(props, p))
                    .and_then(|v| string_of(&v).map(|s| s.trim().to_string()))
                    .filter(|s| !s.is_empty())
            };
            ra.role_definition_id = ra.role_definition_id.or_else(|| pick("roleDefinitionId"));
            ra.principal_id = ra.principal_id.or_else(|| pick("principalId"));
            ra.principal_type = ra.principal_type.or_else(|| pick("principalType"));
            ra.scope = ra.scope.or_else(|| pick("scope"));
        }
    }
    if ra.scope.is_none() {
        ra.scope = authorization_scope.and_then(assignment_parent);
    }
    ra.role_name = ra
        .role_definition_id
        .as_deref()
        .and_then(azure_role_name)
        .map(str::to_string);
    ra.privileged = ra
        .role_name
        .as_deref()
        .is_some_and(is_privileged_azure_role);
    Some(ra)
}

/// `/…/providers/Microsoft.Authorization/roleAssignments/{id}` → the scope it is attached to.
fn assignment_parent(scope: &str) -> Option<String> {
    let lower = scope.to_ascii_lowercase();
    let cut = lower.find("/providers/microsoft.authorization/roleassignments")?;
    let parent = &scope[..cut];
    Some(if parent.is_empty() {
        "/".to_string()
    } else {
        parent.to_string()
    })
}

/// Enrichment for Entra "Add member to role"-style audits.
pub(crate) fn entra(activity: &str, targets: Option<&Value>) -> Option<RoleAssignment> {
    let a = activity.to_ascii_lowercase();
    if !(a.contains("member to role") || a.contains("member from role")) {
        return None;
    }
    let targets = targets?.as_array()?;
    let mut ra = RoleAssignment {
        scope: Some("/".to_string()),
        ..RoleAssignment::default()
    };
    for t in targets.iter() {
        let t_type = get_ci(t, "type").and_then(|x| x.as_str()).unwrap_or("");
        if !t_type.eq_ignore_ascii_case("Role") && ra.principal_id.is_none() {
            ra.principal_id = get_ci(t, "id").and_then(string_of).map(|s| s.to_string());
            ra.principal_type = non_empty(Some(t_type)).map(str::to_string);
        }
        for mp in get_ci(t, "modifiedProperties")
            .and_then(|m| m.as_array())
            .into_iter()
            .flat_map(|m| m.iter())
        {
            let name = get_ci(mp, "displayName")
                .and_then(|x| x.as_str())
                .unwrap_or("");
            let value = modified_value(mp);
            if name.eq_ignore_ascii_case("Role.DisplayName") {
                ra.role_name = ra.role_name.or(value);
            } else if name.eq_ignore_ascii_case("Role.TemplateId") {
                ra.role_definition_id = ra.role_definition_id.or(value);
            }
        }
        if t_type.eq_ignore_ascii_case("Role") && ra.role_name.is_none() {
            ra.role_name = get_ci(t, "displayName")
                .and_then(string_of)
                .map(|s| s.to_string());
        }
    }
    if ra.role_name.is_none() {
        ra.role_name = ra
            .role_definition_id
            .as_deref()
            .and_then(entra_role_name)
            .map(str::to_string);
    }
    ra.privileged = ra
        .role_name
        .as_deref()
        .is_some_and(is_privileged_entra_role);
    Some(ra)
}

/// `newValue` (else `oldValue`) of a modified property, decoded from its JSON-string form
/// (`"\"Global Administrator\""`).
fn modified_value(mp: &Value) -> Option<String> {
    let raw = ["newValue", "oldValue"].iter().find_map(|k| {
        get_ci(mp, k)
            .and_then(|x| x.as_str())
            .and_then(|s| non_empty(Some(s)))
    })?;
    let decoded = sonic_rs::from_str::<String>(raw)
        .ok()
        .or_else(|| {
            decode_embedded(raw).and_then(|v| {
                v.as_array()
                    .and_then(|a| a.first().and_then(|x| x.as_str().map(str::to_string)))
            })
        })
        .unwrap_or_else(|| raw.to_string());
    non_empty(Some(&decoded)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_at_root_management_group_from_request_text() {
        let props: Value = sonic_rs::from_str(
            r#"{"requestbody":"{\"Id\":\"x\",\"Properties\":{\"PrincipalId\":\"p1\",\"PrincipalType\":\"User\",\"RoleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635\",\"Scope\":\"/providers/Microsoft.Management/managementGroups/t1\"}}"}"#,
        )
        .unwrap();
        let ra = azure(
            "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE",
            Some(&props),
            None,
        )
        .unwrap();
        assert_eq!(ra.role_name.as_deref(), Some("Owner"));
        assert!(ra.privileged);
        assert_eq!(ra.principal_id.as_deref(), Some("p1"));
        assert_eq!(ra.principal_type.as_deref(), Some("User"));
        assert_eq!(
            ra.scope.as_deref(),
            Some("/providers/Microsoft.Management/managementGroups/t1")
        );
    }

    #[test]
    fn response_body_and_scope_fallback() {
        let props: Value = sonic_rs::from_str(
            r#"{"responseBody":"{\"properties\":{\"roleDefinitionId\":\"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\"p2\"}}"}"#,
        )
        .unwrap();
        let ra = azure(
            "Microsoft.Authorization/roleAssignments/write",
            Some(&props),
            Some("/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/r1"),
        )
        .unwrap();
        assert_eq!(ra.role_name.as_deref(), Some("Reader"));
        assert!(!ra.privileged);
        assert_eq!(ra.scope.as_deref(), Some("/subscriptions/s"));
        assert!(
            azure(
                "Microsoft.Compute/virtualMachines/write",
                Some(&props),
                None
            )
            .is_none()
        );
    }

    #[test]
    fn entra_global_admin() {
        let t: Value = sonic_rs::from_str(
            r#"[{"id":"u1","type":"User","userPrincipalName":"x@y","modifiedProperties":[{"displayName":"Role.TemplateId","oldValue":null,"newValue":"\"62e90394-69f5-4237-9190-012177145e10\""},{"displayName":"Role.DisplayName","oldValue":null,"newValue":"\"Global Administrator\""}]}]"#,
        )
        .unwrap();
        let ra = entra("Add member to role", Some(&t)).unwrap();
        assert_eq!(ra.role_name.as_deref(), Some("Global Administrator"));
        assert_eq!(
            ra.role_definition_id.as_deref(),
            Some("62e90394-69f5-4237-9190-012177145e10")
        );
        assert_eq!(ra.principal_id.as_deref(), Some("u1"));
        assert!(ra.privileged);
    }
}
