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

/// A parsed resource id. Components keep the case they had in the id.
///
/// The components are ranges of [`ResourceId::id`] (one allocation per id, not one per
/// component: ids are parsed for every event read), except the type of a nested resource
/// (`…/virtualNetworks/vnet/subnets/s` has type `Microsoft.Network/virtualNetworks/subnets`),
/// which the id does not spell contiguously.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceId {
    /// The id exactly as it arrived (trimmed).
    pub id: String,
    pub scope: Option<ScopeLevel>,
    tenant_id: Span,
    management_group: Span,
    subscription_id: Span,
    resource_group: Span,
    provider: Span,
    name: Span,
    resource_type: TypeText,
}

/// A range of the id.
type Span = Option<(usize, usize)>;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum TypeText {
    #[default]
    None,
    InId(usize, usize),
    Built(Box<str>),
}

impl ResourceId {
    fn text(&self, span: Span) -> Option<&str> {
        span.and_then(|(a, b)| self.id.get(a..b))
    }

    pub fn tenant_id(&self) -> Option<&str> {
        self.text(self.tenant_id)
    }

    pub fn management_group(&self) -> Option<&str> {
        self.text(self.management_group)
    }

    pub fn subscription_id(&self) -> Option<&str> {
        self.text(self.subscription_id)
    }

    pub fn resource_group(&self) -> Option<&str> {
        self.text(self.resource_group)
    }

    /// Namespace of the addressed resource type, e.g. `Microsoft.ContainerService`.
    pub fn provider(&self) -> Option<&str> {
        self.text(self.provider)
    }

    /// Full type of the addressed resource, e.g. `Microsoft.ContainerService/managedClusters/agentPools`.
    pub fn resource_type(&self) -> Option<&str> {
        match &self.resource_type {
            TypeText::None => None,
            TypeText::InId(a, b) => self.id.get(*a..*b),
            TypeText::Built(t) => Some(t),
        }
    }

    /// Name of the addressed resource (last name segment; for a resource group, subscription
    /// or management group, its name).
    pub fn name(&self) -> Option<&str> {
        self.text(self.name)
    }

    /// Parses a resource id. Returns `None` for text that is not a resource id (does not start
    /// with `/` after trimming, or is empty).
    pub fn parse(text: &str) -> Option<ResourceId> {
        let id = crate::field::trim(text);
        if !id.starts_with('/') {
            return None;
        }
        // The non-empty segments, as ranges of the id.
        let mut segs: Vec<(usize, usize)> = Vec::with_capacity(16);
        let mut start = 0;
        for slash in memchr::memchr_iter(b'/', id.as_bytes()).chain(std::iter::once(id.len())) {
            if slash > start {
                segs.push((start, slash));
            }
            start = slash + 1;
        }
        let seg = |i: usize| segs.get(i).and_then(|&(a, b)| id.get(a..b));
        let mut out = ResourceId {
            id: id.to_string(),
            ..ResourceId::default()
        };
        let mut scope = ScopeLevel::Tenant;
        let mut i = 0;
        // Parent scopes: tenants/{id}, subscriptions/{id}, resourceGroups/{name}.
        while let (Some(key), Some(&val)) = (seg(i), segs.get(i + 1)) {
            if key.eq_ignore_ascii_case("tenants") && scope == ScopeLevel::Tenant {
                out.tenant_id = Some(val);
            } else if key.eq_ignore_ascii_case("subscriptions") {
                out.subscription_id = Some(val);
                scope = ScopeLevel::Subscription;
            } else if key.eq_ignore_ascii_case("resourceGroups") && out.subscription_id.is_some() {
                out.resource_group = Some(val);
                scope = ScopeLevel::ResourceGroup;
            } else {
                break;
            }
            i += 2;
        }
        // Provider sections: providers/{ns}/{type}/{name}[/{subtype}/{subname}]...
        // Each `providers` keyword starts a new (possibly extension) resource.
        let mut first_resource = true;
        while let Some(key) = seg(i) {
            if !key.eq_ignore_ascii_case("providers") {
                // Not a well-formed id past this point; keep what we have.
                break;
            }
            let Some(&ns) = segs.get(i + 1) else { break };
            i += 2;
            // Type segments are every other one from here: (type, name) pairs.
            let first = i;
            let mut name: Span = None;
            while seg(i).is_some_and(|s| !s.eq_ignore_ascii_case("providers")) {
                name = segs.get(i + 1).copied();
                i += 2;
            }
            let pairs = segs.get(first..i.min(segs.len())).unwrap_or_default();
            let first_type = pairs.first().copied();
            let is_mg = id[ns.0..ns.1].eq_ignore_ascii_case("Microsoft.Management")
                && first_type
                    .is_some_and(|(a, b)| id[a..b].eq_ignore_ascii_case("managementGroups"));
            if is_mg && first_resource && scope == ScopeLevel::Tenant {
                out.management_group = name;
                scope = ScopeLevel::ManagementGroup;
            } else if first_resource && name.is_some() && scope == ScopeLevel::ResourceGroup {
                // A resource inside a resource group; later `providers` sections are extensions
                // attached to it and keep the resource level.
                scope = ScopeLevel::Resource;
            }
            first_resource = false;
            out.provider = Some(ns);
            out.resource_type = match first_type {
                None => TypeText::InId(ns.0, ns.1),
                // One (type, name) pair: `ns/type` as the id spells it.
                Some((a, b)) if pairs.len() <= 2 && a == ns.1 + 1 => TypeText::InId(ns.0, b),
                Some(_) => {
                    let mut t = String::with_capacity(id.len());
                    t.push_str(&id[ns.0..ns.1]);
                    for &(a, b) in pairs.iter().step_by(2) {
                        t.push('/');
                        t.push_str(&id[a..b]);
                    }
                    TypeText::Built(t.into_boxed_str())
                }
            };
            out.name = name;
        }
        if out.name.is_none() {
            out.name = match scope {
                ScopeLevel::ResourceGroup => out.resource_group,
                ScopeLevel::Subscription => out.subscription_id,
                ScopeLevel::ManagementGroup => out.management_group,
                _ => None,
            };
        }
        out.scope = Some(scope);
        Some(out)
    }
}

/// The components by name, as the struct with one field per component serialized.
impl Serialize for ResourceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ResourceId", 9)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("tenant_id", &self.tenant_id())?;
        st.serialize_field("management_group", &self.management_group())?;
        st.serialize_field("subscription_id", &self.subscription_id())?;
        st.serialize_field("resource_group", &self.resource_group())?;
        st.serialize_field("provider", &self.provider())?;
        st.serialize_field("resource_type", &self.resource_type())?;
        st.serialize_field("name", &self.name())?;
        st.serialize_field("scope", &self.scope)?;
        st.end()
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
        assert_eq!(r.subscription_id(), Some("S1"));
        assert_eq!(r.resource_group(), Some("rg-aks"));
        assert_eq!(r.provider(), Some("Microsoft.ContainerService"));
        assert_eq!(
            r.resource_type(),
            Some("Microsoft.ContainerService/managedClusters")
        );
        assert_eq!(r.name(), Some("aks1"));
    }

    #[test]
    fn upper_case_child_resource() {
        let r = p(
            "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1/AGENTPOOLS/POOL2",
        );
        assert_eq!(r.scope, Some(ScopeLevel::Resource));
        assert_eq!(r.resource_group(), Some("RG"));
        assert_eq!(
            r.resource_type(),
            Some("MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AGENTPOOLS")
        );
        assert_eq!(r.name(), Some("POOL2"));
    }

    #[test]
    fn extension_on_resource_keeps_resource_level() {
        let r = p(
            "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.Insights/diagnosticSettings/ds1",
        );
        assert_eq!(r.scope, Some(ScopeLevel::Resource));
        assert_eq!(r.provider(), Some("Microsoft.Insights"));
        assert_eq!(
            r.resource_type(),
            Some("Microsoft.Insights/diagnosticSettings")
        );
        assert_eq!(r.name(), Some("ds1"));
    }

    #[test]
    fn role_assignment_at_subscription() {
        let r = p("/subscriptions/S1/providers/Microsoft.Authorization/roleAssignments/ra1");
        assert_eq!(r.scope, Some(ScopeLevel::Subscription));
        assert_eq!(
            r.resource_type(),
            Some("Microsoft.Authorization/roleAssignments")
        );
    }

    #[test]
    fn management_group_and_its_extensions() {
        let r = p("/providers/Microsoft.Management/managementGroups/root-tenant");
        assert_eq!(r.scope, Some(ScopeLevel::ManagementGroup));
        assert_eq!(r.management_group(), Some("root-tenant"));
        assert_eq!(r.name(), Some("root-tenant"));
        let r = p(
            "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleAssignments/ra",
        );
        assert_eq!(r.scope, Some(ScopeLevel::ManagementGroup));
        assert_eq!(r.management_group(), Some("mg1"));
        assert_eq!(r.name(), Some("ra"));
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
            p("/tenants/t1/providers/Microsoft.aadiam").tenant_id(),
            Some("t1")
        );
    }

    #[test]
    fn group_and_subscription() {
        assert_eq!(p("/subscriptions/S1").scope, Some(ScopeLevel::Subscription));
        let r = p("/subscriptions/S1/resourcegroups/RG1");
        assert_eq!(r.scope, Some(ScopeLevel::ResourceGroup));
        assert_eq!(r.name(), Some("RG1"));
    }

    #[test]
    fn not_an_id() {
        assert!(ResourceId::parse("").is_none());
        assert!(ResourceId::parse("Microsoft.Compute").is_none());
    }

    /// The parser before components became ranges of the id (one string per component): the
    /// reference the ranges are checked against.
    mod reference {
        use super::ScopeLevel;

        #[derive(Debug, Default, PartialEq)]
        pub(super) struct Parts {
            pub id: String,
            pub tenant_id: Option<String>,
            pub management_group: Option<String>,
            pub subscription_id: Option<String>,
            pub resource_group: Option<String>,
            pub provider: Option<String>,
            pub resource_type: Option<String>,
            pub name: Option<String>,
            pub scope: Option<ScopeLevel>,
        }

        /// Parses a resource id. Returns `None` for text that is not a resource id (does not start
        /// with `/` after trimming, or is empty).
        pub(super) fn parse(text: &str) -> Option<Parts> {
            let id = crate::field::trim(text);
            if !id.starts_with('/') {
                return None;
            }
            let mut segs: Vec<&str> = Vec::with_capacity(16);
            segs.extend(id.split('/').filter(|s| !s.is_empty()));
            let mut out = Parts {
                id: id.to_string(),
                ..Parts::default()
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
                } else if key.eq_ignore_ascii_case("resourceGroups")
                    && out.subscription_id.is_some()
                {
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

    fn parts(r: &ResourceId) -> reference::Parts {
        let own = |s: Option<&str>| s.map(str::to_string);
        reference::Parts {
            id: r.id.clone(),
            tenant_id: own(r.tenant_id()),
            management_group: own(r.management_group()),
            subscription_id: own(r.subscription_id()),
            resource_group: own(r.resource_group()),
            provider: own(r.provider()),
            resource_type: own(r.resource_type()),
            name: own(r.name()),
            scope: r.scope,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Ids built from the words that steer the parse, in any case, with empty segments:
        /// the same components as the reference parser.
        #[test]
        fn components_match_the_reference(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "subscriptions", "SUBSCRIPTIONS", "resourceGroups", "resourcegroups",
                    "providers", "PROVIDERS", "tenants", "Microsoft.Management",
                    "managementGroups", "Microsoft.Network", "virtualNetworks", "subnets",
                    "s1", "rg", "x", "", " ", "é",
                ]),
                0..12,
            ),
            trailing in proptest::bool::ANY,
        ) {
            let mut id = format!("/{}", words.join("/"));
            if trailing {
                id.push('/');
            }
            let new = ResourceId::parse(&id).map(|r| parts(&r));
            proptest::prop_assert_eq!(new, reference::parse(&id));
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = ResourceId::parse(&s);
            let _ = ResourceId::parse(&format!("/{s}"));
        }
    }
}
