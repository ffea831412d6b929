//! Azure resource ids, parsed once, case-insensitively.
//!
//! Resource ids arrive in any case (`/SUBSCRIPTIONS/…/RESOURCEGROUPS/…`, `/TeNaNtS/…`) and at
//! every level of the hierarchy: the tenant (`/`, `/providers/Microsoft.Authorization`,
//! `/tenants/{id}/…`), a management group, a subscription, a resource group, a resource, or an
//! *extension* resource attached to any of those (role assignments, diagnostic settings, locks).
//! Investigators ask "at which level did this change apply?", so the parse yields the scope level
//! plus the subscription, resource group, provider, type and name of the addressed resource. The
//! original string is kept as given; nothing is validated strictly (anonymised exports contain
//! broken GUIDs).

use serde::Serialize;

/// The level of the Azure hierarchy a resource id addresses (for extension resources such as
/// role assignments: the level they are attached to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeLevel {
    Tenant,
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Resource,
}

impl ScopeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeLevel::Tenant => "tenant",
            ScopeLevel::ManagementGroup => "management_group",
            ScopeLevel::Subscription => "subscription",
            ScopeLevel::ResourceGroup => "resource_group",
            ScopeLevel::Resource => "resource",
        }
    }
}

/// A parsed resource id. Component strings keep the case they had in the id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ResourceId {
    /// The id exactly as it arrived (trimmed).
    pub id: String,
    pub tenant_id: Option<String>,
    pub management_group: Option<String>,
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
    /// Namespace of the addressed resource type, e.g. `Microsoft.ContainerService`.
    pub provider: Option<String>,
    /// Full type of the addressed resource, e.g. `Microsoft.ContainerService/managedClusters/agentPools`.
    pub resource_type: Option<String>,
    /// Name of the addressed resource (last name segment).
    pub name: Option<String>,
    pub scope: Option<ScopeLevel>,
}

impl ResourceId {
    /// Parses a resource id. Returns `None` for text that is not a resource id (does not start
    /// with `/` after trimming, or is empty).
    pub fn parse(text: &str) -> Option<ResourceId> {
        let id = crate::field::trim(text);
        if !id.starts_with('/') {
            return None;
        }
        let mut segs: Vec<&str> = Vec::with_capacity(16);
        segs.extend(id.split('/').filter(|s| !s.is_empty()));
        let mut out = ResourceId {
            id: id.to_string(),
            ..ResourceId::default()
        };
        let mut scope = ScopeLevel::Tenant;
        let mut i = 0;
        // Parent scopes: tenants/{id}, subscriptions/{id}, resourceGroups/{name}.
        while i < segs.len() {
            let key = segs[i];
            let Some(val) = segs.get(i + 1) else { break };
            if key.eq_ignore_ascii_case("tenants") && scope == ScopeLevel::Tenant {
                out.tenant_id = Some((*val).to_string());
            } else if key.eq_ignore_ascii_case("subscriptions") {
                out.subscription_id = Some((*val).to_string());
                scope = ScopeLevel::Subscription;
            } else if key.eq_ignore_ascii_case("resourceGroups") && out.subscription_id.is_some() {
                out.resource_group = Some((*val).to_string());
                scope = ScopeLevel::ResourceGroup;
            } else {
                break;
            }
            i += 2;
        }
        // Provider sections: providers/{ns}/{type}/{name}[/{subtype}/{subname}]...
        // Each `providers` keyword starts a new (possibly extension) resource.
        let mut first_resource = true;
        while i < segs.len() {
            if !segs[i].eq_ignore_ascii_case("providers") {
                // Not a well-formed id past this point; keep what we have.
                break;
            }
            let Some(ns) = segs.get(i + 1) else { break };
            i += 2;
            // The type path is part of the id, so the id's length bounds it; growing from the
            // namespace's length reallocated two or three times per id.
            let mut type_path = String::with_capacity(id.len());
            type_path.push_str(ns);
            let mut name: Option<&str> = None;
            while i < segs.len() && !segs[i].eq_ignore_ascii_case("providers") {
                type_path.push('/');
                type_path.push_str(segs[i]);
                name = segs.get(i + 1).copied();
                i += 2;
            }
            let is_mg = ns.eq_ignore_ascii_case("Microsoft.Management")
                && type_path.len() > ns.len()
                && type_path[ns.len() + 1..]
                    .split('/')
                    .next()
                    .is_some_and(|t| t.eq_ignore_ascii_case("managementGroups"));
            if is_mg && first_resource && scope == ScopeLevel::Tenant {
                out.management_group = name.map(str::to_string);
                scope = ScopeLevel::ManagementGroup;
            } else if first_resource && name.is_some() && scope == ScopeLevel::ResourceGroup {
                // A resource inside a resource group; later `providers` sections are extensions
                // attached to it and keep the resource level.
                scope = ScopeLevel::Resource;
            }
            first_resource = false;
            out.provider = Some((*ns).to_string());
            out.resource_type = Some(type_path);
            out.name = name.map(str::to_string);
        }
        if out.name.is_none() {
            out.name = match scope {
                ScopeLevel::ResourceGroup => out.resource_group.clone(),
                ScopeLevel::Subscription => out.subscription_id.clone(),
                ScopeLevel::ManagementGroup => out.management_group.clone(),
                _ => None,
            };
        }
        if out.management_group.is_some() && out.tenant_id.is_none() {
            // The tenant root management group is named after the tenant id; other groups are
            // not, so no tenant is inferred here.
        }
        out.scope = Some(scope);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ResourceId {
        ResourceId::parse(s).expect("parses")
    }

    #[test]
    fn resource_in_group() {
        let r = p(
            "/subscriptions/S1/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1",
        );
        assert_eq!(r.scope, Some(ScopeLevel::Resource));
        assert_eq!(r.subscription_id.as_deref(), Some("S1"));
        assert_eq!(r.resource_group.as_deref(), Some("rg-aks"));
        assert_eq!(r.provider.as_deref(), Some("Microsoft.ContainerService"));
        assert_eq!(
            r.resource_type.as_deref(),
            Some("Microsoft.ContainerService/managedClusters")
        );
        assert_eq!(r.name.as_deref(), Some("aks1"));
    }

    #[test]
    fn upper_case_child_resource() {
        let r = p(
            "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1/AGENTPOOLS/POOL2",
        );
        assert_eq!(r.scope, Some(ScopeLevel::Resource));
        assert_eq!(r.resource_group.as_deref(), Some("RG"));
        assert_eq!(
            r.resource_type.as_deref(),
            Some("MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AGENTPOOLS")
        );
        assert_eq!(r.name.as_deref(), Some("POOL2"));
    }

    #[test]
    fn extension_on_resource_keeps_resource_level() {
        let r = p(
            "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.Insights/diagnosticSettings/ds1",
        );
        assert_eq!(r.scope, Some(ScopeLevel::Resource));
        assert_eq!(r.provider.as_deref(), Some("Microsoft.Insights"));
        assert_eq!(
            r.resource_type.as_deref(),
            Some("Microsoft.Insights/diagnosticSettings")
        );
        assert_eq!(r.name.as_deref(), Some("ds1"));
    }

    #[test]
    fn role_assignment_at_subscription() {
        let r = p("/subscriptions/S1/providers/Microsoft.Authorization/roleAssignments/ra1");
        assert_eq!(r.scope, Some(ScopeLevel::Subscription));
        assert_eq!(
            r.resource_type.as_deref(),
            Some("Microsoft.Authorization/roleAssignments")
        );
    }

    #[test]
    fn management_group_and_its_extensions() {
        let r = p("/providers/Microsoft.Management/managementGroups/root-tenant");
        assert_eq!(r.scope, Some(ScopeLevel::ManagementGroup));
        assert_eq!(r.management_group.as_deref(), Some("root-tenant"));
        assert_eq!(r.name.as_deref(), Some("root-tenant"));
        let r = p(
            "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleAssignments/ra",
        );
        assert_eq!(r.scope, Some(ScopeLevel::ManagementGroup));
        assert_eq!(r.management_group.as_deref(), Some("mg1"));
        assert_eq!(r.name.as_deref(), Some("ra"));
    }

    #[test]
    fn tenant_scopes() {
        for s in [
            "/",
            "/providers/Microsoft.Authorization",
            "/providers/Microsoft.Authorization/elevateAccess",
            "/TeNaNtS/t1/PrOvIdErS/Microsoft.aadiam",
        ] {
            assert_eq!(p(s).scope, Some(ScopeLevel::Tenant), "{s}");
        }
        assert_eq!(
            p("/tenants/t1/providers/Microsoft.aadiam")
                .tenant_id
                .as_deref(),
            Some("t1")
        );
    }

    #[test]
    fn group_and_subscription() {
        assert_eq!(p("/subscriptions/S1").scope, Some(ScopeLevel::Subscription));
        let r = p("/subscriptions/S1/resourcegroups/RG1");
        assert_eq!(r.scope, Some(ScopeLevel::ResourceGroup));
        assert_eq!(r.name.as_deref(), Some("RG1"));
    }

    #[test]
    fn not_an_id() {
        assert!(ResourceId::parse("").is_none());
        assert!(ResourceId::parse("Microsoft.Compute").is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = ResourceId::parse(&s);
            let _ = ResourceId::parse(&format!("/{s}"));
        }
    }
}
