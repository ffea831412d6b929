//! What the investigation books need of one event, extracted on the worker threads.
//!
//! The read pipeline normalizes events in parallel and hands them to one consumer in input
//! order. Everything that looks inside an event (its raw record, its operation, its resource
//! id) happens here, on the workers, so the consumer only counts: an [`Observation`] is a
//! handful of short strings, and events are never kept.

use azhunt_model::field::{get_path, string_of};
use azhunt_model::{CallerType, Event, LogKind, ScopeLevel};

/// The log source and scope an event is evidence of — the unit `coverage` reports on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceKey {
    pub kind: SourceKind,
    /// Tenant id, management group, subscription id, vault or cluster resource id (lower case),
    /// resource log category; empty when the record does not say.
    pub scope: Box<str>,
}

/// Kinds of log source, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// Tenant-scope Activity Log ("Directory Activity"): where elevate access is recorded.
    ActivityTenant,
    ActivityManagementGroup,
    ActivitySubscription,
    /// Activity Log records that name no scope (portal CSV rows without a resource id).
    ActivityUnscoped,
    EntraAudit,
    SignIn(SigninKind),
    KeyVault,
    KubeAudit,
    Resource,
}

/// The Entra sign-in log kinds (each a table of its own in Log Analytics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SigninKind {
    Interactive,
    NonInteractive,
    ServicePrincipal,
    ManagedIdentity,
    Adfs,
}

impl SigninKind {
    pub const ALL: [SigninKind; 5] = [
        SigninKind::Interactive,
        SigninKind::NonInteractive,
        SigninKind::ServicePrincipal,
        SigninKind::ManagedIdentity,
        SigninKind::Adfs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SigninKind::Interactive => "interactive",
            SigninKind::NonInteractive => "non_interactive",
            SigninKind::ServicePrincipal => "service_principal",
            SigninKind::ManagedIdentity => "managed_identity",
            SigninKind::Adfs => "adfs",
        }
    }

    /// The diagnostic-settings category (and Log Analytics table) of the kind.
    pub fn category(self) -> &'static str {
        match self {
            SigninKind::Interactive => "SignInLogs",
            SigninKind::NonInteractive => "NonInteractiveUserSignInLogs",
            SigninKind::ServicePrincipal => "ServicePrincipalSignInLogs",
            SigninKind::ManagedIdentity => "ManagedIdentitySignInLogs",
            SigninKind::Adfs => "ADFSSignInLogs",
        }
    }

    fn of(category: Option<&str>) -> SigninKind {
        let c = category.unwrap_or("").to_ascii_lowercase();
        if c.contains("noninteractive") {
            SigninKind::NonInteractive
        } else if c.contains("serviceprincipal") {
            SigninKind::ServicePrincipal
        } else if c.contains("managedidentity") {
            SigninKind::ManagedIdentity
        } else if c.contains("adfs") {
            SigninKind::Adfs
        } else {
            SigninKind::Interactive
        }
    }
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::ActivityTenant => "activity_tenant",
            SourceKind::ActivityManagementGroup => "activity_management_group",
            SourceKind::ActivitySubscription => "activity_subscription",
            SourceKind::ActivityUnscoped => "activity_unscoped",
            SourceKind::EntraAudit => "entra_audit",
            SourceKind::SignIn(k) => match k {
                SigninKind::Interactive => "signin_interactive",
                SigninKind::NonInteractive => "signin_non_interactive",
                SigninKind::ServicePrincipal => "signin_service_principal",
                SigninKind::ManagedIdentity => "signin_managed_identity",
                SigninKind::Adfs => "signin_adfs",
            },
            SourceKind::KeyVault => "keyvault_audit",
            SourceKind::KubeAudit => "aks_kube_audit",
            SourceKind::Resource => "resource_log",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::ActivityTenant => "Activity Log, tenant scope (Directory Activity)",
            SourceKind::ActivityManagementGroup => "Activity Log, management group",
            SourceKind::ActivitySubscription => "Activity Log, subscription",
            SourceKind::ActivityUnscoped => "Activity Log, scope not recorded",
            SourceKind::EntraAudit => "Entra ID audit log",
            SourceKind::SignIn(k) => match k {
                SigninKind::Interactive => "Entra sign-ins, interactive users",
                SigninKind::NonInteractive => "Entra sign-ins, non-interactive users",
                SigninKind::ServicePrincipal => "Entra sign-ins, service principals",
                SigninKind::ManagedIdentity => "Entra sign-ins, managed identities",
                SigninKind::Adfs => "Entra sign-ins, AD FS",
            },
            SourceKind::KeyVault => "Key Vault AuditEvent",
            SourceKind::KubeAudit => "AKS kube-audit",
            SourceKind::Resource => "Resource log",
        }
    }
}

/// Who acted: the keys the caller is known by in this record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// Identity keys, ASCII lower case: object id, then UPN (users) or app id (workloads).
    pub keys: Vec<Box<str>>,
    /// The name shown for the caller (UPN, display name, app id, object id).
    pub display: Box<str>,
    pub kind: CallerType,
    /// The caller is an Azure Automation account or a Logic App (its managed identity claims
    /// name one).
    pub automation: bool,
}

/// What a sign-in says beyond who, where and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigninFacts {
    pub app: Option<Box<str>>,
    pub succeeded: bool,
    /// Entra error code (`0` on success).
    pub code: Option<Box<str>>,
    /// `conditionalAccessStatus`: success, failure, notApplied.
    pub conditional_access: Option<Box<str>>,
    /// `authenticationRequirement`: singleFactorAuthentication, multiFactorAuthentication.
    pub authentication: Option<Box<str>>,
    /// `riskLevelDuringSignIn` when not `none`.
    pub risk: Option<Box<str>>,
}

/// A change to logging itself: evidence that later logs may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tamper {
    DiagnosticSettingDeleted,
    DiagnosticSettingChanged,
    WorkspaceDeleted,
    WorkspaceDataPurged,
    WorkspaceTableDeleted,
    LogProfileDeleted,
    DataCollectionRuleDeleted,
}

impl Tamper {
    pub fn as_str(self) -> &'static str {
        match self {
            Tamper::DiagnosticSettingDeleted => "diagnostic_setting_deleted",
            Tamper::DiagnosticSettingChanged => "diagnostic_setting_changed",
            Tamper::WorkspaceDeleted => "workspace_deleted",
            Tamper::WorkspaceDataPurged => "workspace_data_purged",
            Tamper::WorkspaceTableDeleted => "workspace_table_deleted",
            Tamper::LogProfileDeleted => "log_profile_deleted",
            Tamper::DataCollectionRuleDeleted => "data_collection_rule_deleted",
        }
    }

    /// Whether later logs of the target are lost (a change may only redirect them).
    pub fn stops_logging(self) -> bool {
        !matches!(self, Tamper::DiagnosticSettingChanged)
    }

    fn of(op: &str) -> Option<Tamper> {
        const TABLE: [(&str, Tamper); 8] = [
            (
                "/diagnosticsettings/delete",
                Tamper::DiagnosticSettingDeleted,
            ),
            (
                "/diagnosticsettings/write",
                Tamper::DiagnosticSettingChanged,
            ),
            (
                "microsoft.operationalinsights/workspaces/delete",
                Tamper::WorkspaceDeleted,
            ),
            (
                "microsoft.operationalinsights/workspaces/purge/action",
                Tamper::WorkspaceDataPurged,
            ),
            (
                "microsoft.operationalinsights/workspaces/tables/delete",
                Tamper::WorkspaceTableDeleted,
            ),
            (
                "microsoft.insights/logprofiles/delete",
                Tamper::LogProfileDeleted,
            ),
            (
                "microsoft.insights/datacollectionrules/delete",
                Tamper::DataCollectionRuleDeleted,
            ),
            (
                "microsoft.insights/datacollectionruleassociations/delete",
                Tamper::DataCollectionRuleDeleted,
            ),
        ];
        TABLE
            .iter()
            .find(|(suffix, _)| op.ends_with(suffix))
            .map(|(_, t)| *t)
    }
}

/// The facts of one event the books use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Event time, unix milliseconds.
    pub ms: i64,
    pub log: LogKind,
    pub source: SourceKey,
    pub who: Option<Who>,
    pub ip: Option<Box<str>>,
    pub location: Option<Box<str>>,
    pub operation: Box<str>,
    pub failed: bool,
    pub privileged: bool,
    pub signin: Option<SigninFacts>,
    /// The AKS cluster or Key Vault the event is about (resource id, lower case): coverage
    /// asks whether that resource's own logs are in the evidence.
    pub watched: Option<Box<str>>,
    /// A change to logging, with its target (lower-case resource id).
    pub tamper: Option<(Tamper, Box<str>)>,
    /// The subscription the event names (lower case), wherever it sits in the record.
    pub subscription: Option<Box<str>>,
    /// The resource id, lower case — kept for changes to logging only.
    pub resource_id: Option<Box<str>>,
}

fn boxed(s: Option<&str>) -> Option<Box<str>> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(Into::into)
}

fn lower(s: Option<&str>) -> Option<Box<str>> {
    boxed(s).map(|s| s.to_ascii_lowercase().into_boxed_str())
}

/// The first of `paths` (also tried under `properties`) that holds text.
fn raw_text(e: &Event, names: &[&str]) -> Option<Box<str>> {
    names.iter().find_map(|n| {
        [&[*n][..], &["properties", n][..]].iter().find_map(|p| {
            let v = get_path(&e.raw, p)?;
            let s = string_of(&v)?;
            boxed(Some(&s))
        })
    })
}

/// Operations that change who can do what, or reach secrets and credentials.
pub fn is_privileged(e: &Event) -> bool {
    privileged(e, &e.operation.to_ascii_lowercase())
}

/// [`is_privileged`] with the operation already in lower case.
fn privileged(e: &Event, op: &str) -> bool {
    if e.role_assignment.as_ref().is_some_and(|r| r.privileged)
        || azhunt_detect::stateful::is_sensitive(e)
    {
        return true;
    }
    const ACTIVITY: [&str; 12] = [
        "microsoft.authorization/roledefinitions/write",
        "microsoft.authorization/policyassignments/delete",
        "microsoft.authorization/locks/delete",
        "/diagnosticsettings/delete",
        "/runcommand/action",
        "/vaults/accesspolicies/write",
        "microsoft.keyvault/vaults/write",
        "/securityrules/write",
        "microsoft.containerservice/managedclusters/delete",
        "microsoft.operationalinsights/workspaces/delete",
        "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials/write",
        "microsoft.resources/subscriptions/delete",
    ];
    const ENTRA: [&str; 14] = [
        "add member to role",
        "add eligible member to role",
        "add scoped member to role",
        "update conditional access policy",
        "delete conditional access policy",
        "add service principal credentials",
        "certificates and secrets management",
        "add owner to application",
        "add owner to service principal",
        "consent to application",
        "add app role assignment to service principal",
        "add delegated permission grant",
        "set domain authentication",
        "update authorization policy",
    ];
    match e.log {
        LogKind::Activity => ACTIVITY.iter().any(|p| op.ends_with(p)),
        LogKind::EntraAudit => ENTRA.iter().any(|p| op.contains(p)),
        LogKind::KubeAudit => op.contains("pods/exec") || op.contains("clusterrolebindings"),
        _ => false,
    }
}

/// The watched resource kinds: AKS clusters and Key Vaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Watched {
    Cluster,
    Vault,
}

/// The resource types watched, after a `/providers/` segment.
const MARKERS: [(&str, Watched); 2] = [
    (
        "microsoft.containerservice/managedclusters/",
        Watched::Cluster,
    ),
    ("microsoft.keyvault/vaults/", Watched::Vault),
];

/// The AKS cluster or Key Vault `id` names (cut after its name, lower case), and which. Runs
/// for every Activity Log event, so it only looks at the few `/` of the id (any case: archives
/// write ids in upper case) and allocates only when one is found.
fn watched_in(id: &str) -> Option<(Watched, Box<str>)> {
    const PROVIDERS: &[u8] = b"/providers/";
    let bytes = id.as_bytes();
    for slash in memchr::memchr_iter(b'/', bytes) {
        let Some(seg) = bytes.get(slash..slash + PROVIDERS.len()) else {
            break;
        };
        if !seg.eq_ignore_ascii_case(PROVIDERS) {
            continue;
        }
        let after = slash + PROVIDERS.len();
        for (marker, kind) in MARKERS {
            let end_of_marker = after + marker.len();
            let matches = bytes
                .get(after..end_of_marker)
                .is_some_and(|b| b.eq_ignore_ascii_case(marker.as_bytes()));
            if !matches {
                continue;
            }
            let rest = bytes.get(end_of_marker..).unwrap_or(&[]);
            let end = end_of_marker + memchr::memchr(b'/', rest).unwrap_or(rest.len());
            if end == end_of_marker {
                return None;
            }
            let cut = id.get(..end)?.to_ascii_lowercase();
            return Some((kind, cut.into_boxed_str()));
        }
    }
    None
}

/// `id` cut after the resource of `kind`, lower case.
fn resource_of(id: &str, kind: Watched) -> Option<Box<str>> {
    watched_in(id).filter(|(k, _)| *k == kind).map(|(_, r)| r)
}

fn source_of(e: &Event) -> SourceKey {
    let scope = |s: Option<&str>| lower(s).unwrap_or_default();
    let res = e.resource.as_ref();
    let (kind, scope) = match e.log {
        LogKind::Activity => match e.scope_level() {
            Some(ScopeLevel::Tenant) => (
                SourceKind::ActivityTenant,
                scope(e.tenant_id.as_deref().or(res.and_then(|r| r.tenant_id()))),
            ),
            Some(ScopeLevel::ManagementGroup) => (
                SourceKind::ActivityManagementGroup,
                scope(res.and_then(|r| r.management_group())),
            ),
            Some(_) => (
                SourceKind::ActivitySubscription,
                scope(
                    e.subscription_id
                        .as_deref()
                        .or(res.and_then(|r| r.subscription_id())),
                ),
            ),
            None => match e.subscription_id.as_deref() {
                Some(s) => (SourceKind::ActivitySubscription, scope(Some(s))),
                None => (SourceKind::ActivityUnscoped, Box::default()),
            },
        },
        LogKind::EntraAudit => (SourceKind::EntraAudit, scope(e.tenant_id.as_deref())),
        LogKind::EntraSignIn => (
            SourceKind::SignIn(SigninKind::of(e.category.as_deref())),
            scope(e.tenant_id.as_deref()),
        ),
        LogKind::KeyVault => (
            SourceKind::KeyVault,
            e.resource_id()
                .and_then(|id| resource_of(id, Watched::Vault))
                .unwrap_or_else(|| scope(e.resource_id())),
        ),
        LogKind::KubeAudit => (
            SourceKind::KubeAudit,
            e.resource_id()
                .and_then(|id| resource_of(id, Watched::Cluster))
                .unwrap_or_else(|| scope(e.resource_id())),
        ),
        LogKind::Resource => (SourceKind::Resource, scope(e.category.as_deref())),
    };
    SourceKey { kind, scope }
}

impl Who {
    /// The caller of `e`, when the record names one.
    pub fn of(e: &Event) -> Option<Who> {
        who_of(e)
    }
}

/// The identity keys of a caller as they appear (trimmed, any case), in [`Who::keys`] order
/// and without repeats ignoring ASCII case: the object id, then the UPN (users) or the app id
/// (workloads); the name when there is nothing else. Borrowed: [`Who::of`] lower-cases them,
/// a sign-in context request encodes them without building a [`Who`].
pub(crate) fn key_sources(c: &azhunt_model::Caller) -> ([&str; 2], usize) {
    let mut keys = [""; 2];
    fn push<'c>(keys: &mut [&'c str; 2], k: Option<&'c str>) {
        let Some(k) = k.map(str::trim).filter(|k| !k.is_empty()) else {
            return;
        };
        let n = keys.iter().filter(|k| !k.is_empty()).count();
        if n < 2 && !keys[..n].iter().any(|x| x.eq_ignore_ascii_case(k)) {
            keys[n] = k;
        }
    }
    push(&mut keys, c.object_id.as_deref());
    match c.kind {
        // A user's app id is the client application (Azure Portal), not the user.
        CallerType::User => push(&mut keys, c.upn.as_deref()),
        CallerType::ServicePrincipal | CallerType::ManagedIdentity => {
            push(&mut keys, c.app_id.as_deref())
        }
        CallerType::Unknown => {
            push(&mut keys, c.upn.as_deref());
            let none = keys[0].is_empty();
            push(&mut keys, c.app_id.as_deref().filter(|_| none));
        }
    }
    let none = keys[0].is_empty();
    push(&mut keys, c.name.as_deref().filter(|_| none));
    let n = keys.iter().filter(|k| !k.is_empty()).count();
    (keys, n)
}

fn who_of(e: &Event) -> Option<Who> {
    let c = &e.caller;
    let (found, n) = key_sources(c);
    let keys: Vec<Box<str>> = found[..n]
        .iter()
        .map(|k| k.to_ascii_lowercase().into_boxed_str())
        .collect();
    if keys.is_empty() {
        return None;
    }
    let display = boxed(c.display()).unwrap_or_else(|| keys[0].clone());
    // Automation accounts and Logic Apps act through managed identities (`xms_mirid` claims).
    let automation = c.kind == CallerType::ManagedIdentity && {
        const PATHS: [&[&str]; 4] = [
            &["claims", "xms_mirid"],
            &["Claims", "xms_mirid"],
            &["Claims_d", "xms_mirid"],
            &["identity", "claim", "xms_mirid"],
        ];
        PATHS.iter().any(|p| {
            get_path(&e.raw, p)
                .and_then(|v| string_of(&v).map(|s| s.to_ascii_lowercase()))
                .is_some_and(|s| {
                    s.contains("/microsoft.automation/automationaccounts/")
                        || s.contains("/microsoft.logic/workflows/")
                })
        })
    };
    Some(Who {
        keys,
        display,
        kind: c.kind,
        automation,
    })
}

fn signin_of(e: &Event) -> Option<SigninFacts> {
    if e.log != LogKind::EntraSignIn {
        return None;
    }
    let risk = raw_text(e, &["riskLevelDuringSignIn"])
        .filter(|r| !r.eq_ignore_ascii_case("none") && !r.eq_ignore_ascii_case("hidden"));
    Some(SigninFacts {
        app: raw_text(e, &["appDisplayName", "resourceDisplayName"]),
        succeeded: e.status.as_deref() == Some("Succeeded"),
        code: boxed(e.sub_status.as_deref()),
        conditional_access: raw_text(e, &["conditionalAccessStatus"]),
        authentication: raw_text(e, &["authenticationRequirement"]),
        risk,
    })
}

impl Observation {
    pub fn of(e: &Event) -> Observation {
        let op_low = e.operation.to_ascii_lowercase();
        let failed = e.status.as_deref() == Some("Failed");
        let tamper = (e.log == LogKind::Activity && !failed)
            .then(|| Tamper::of(&op_low))
            .flatten()
            .map(|t| {
                let id = e.resource_id().unwrap_or("").to_ascii_lowercase();
                let target = match id.find("/providers/microsoft.insights/diagnosticsettings") {
                    Some(i) => id.get(..i).unwrap_or("").to_string(),
                    None => id,
                };
                let target = if target.is_empty() {
                    e.tenant_id.as_deref().unwrap_or("").to_ascii_lowercase()
                } else {
                    target
                };
                (t, target.into_boxed_str())
            });
        let watched = match e.log {
            LogKind::Activity => e.resource_id().and_then(watched_in).map(|(_, r)| r),
            _ => None,
        };
        let resource_id = tamper.as_ref().and_then(|_| lower(e.resource_id()));
        Observation {
            resource_id,
            ms: e.time.as_millisecond(),
            log: e.log,
            source: source_of(e),
            who: who_of(e),
            ip: boxed(e.ip.as_deref()),
            location: boxed(e.location.as_deref()),
            operation: e.operation.as_str().into(),
            failed,
            privileged: privileged(e, &op_low),
            signin: signin_of(e),
            watched,
            tamper,
            subscription: lower(
                e.subscription_id
                    .as_deref()
                    .or(e.resource.as_ref().and_then(|r| r.subscription_id())),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_cut_at_their_own_segment() {
        let id = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/AKS-1/agentPools/gpu";
        assert_eq!(
            resource_of(id, Watched::Cluster).as_deref(),
            Some(
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-1"
            )
        );
        assert_eq!(resource_of(id, Watched::Vault), None);
        assert_eq!(resource_of("/subscriptions/s", Watched::Cluster), None);
        assert_eq!(
            resource_of("/providers/microsoft.keyvault/vaults/", Watched::Vault),
            None
        );
        assert_eq!(
            resource_of(
                "/S/providers/Microsoft.KeyVault/vaults/KV/secrets/x",
                Watched::Vault
            )
            .as_deref(),
            Some("/s/providers/microsoft.keyvault/vaults/kv")
        );
    }

    #[test]
    fn tamper_operations_are_named() {
        assert_eq!(
            Tamper::of("microsoft.insights/diagnosticsettings/delete"),
            Some(Tamper::DiagnosticSettingDeleted)
        );
        assert_eq!(
            Tamper::of("microsoft.aadiam/diagnosticsettings/delete"),
            Some(Tamper::DiagnosticSettingDeleted)
        );
        assert_eq!(Tamper::of("microsoft.compute/virtualmachines/delete"), None);
        assert!(!Tamper::DiagnosticSettingChanged.stops_logging());
    }

    #[test]
    fn signin_kinds_follow_the_category() {
        assert_eq!(
            SigninKind::of(Some("NonInteractiveUserSignInLogs")),
            SigninKind::NonInteractive
        );
        assert_eq!(
            SigninKind::of(Some("AADManagedIdentitySignInLogs")),
            SigninKind::ManagedIdentity
        );
        assert_eq!(SigninKind::of(None), SigninKind::Interactive);
    }
}
