//! The normalized event: one shape for every Azure control-plane and identity log record.
//!
//! Field meanings are documented in `docs/EVENT-MODEL.md`. The struct holds the facts azhunt's
//! commands reason about plus `raw`, the record exactly as read, so nothing in the input is ever
//! lost and any field a rule or query names can still be reached.

use crate::caller::Caller;
use crate::resource::{ResourceId, ScopeLevel};
use jiff::Timestamp;
use serde::Serialize;
use sonic_rs::Value;
use std::sync::Arc;

/// Which log an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// Azure Activity Log (any category, any scope: tenant, management group, subscription).
    Activity,
    /// Entra ID audit log (directoryAudits / AuditLogs).
    EntraAudit,
    /// Entra ID sign-in logs of every kind; `category` tells which.
    EntraSignIn,
    /// Key Vault `AuditEvent` resource log.
    KeyVault,
    /// AKS `kube-audit` / `kube-audit-admin` resource logs.
    KubeAudit,
    /// Another resource log category, kept as read.
    Resource,
}

impl LogKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Activity => "activity",
            LogKind::EntraAudit => "entra_audit",
            LogKind::EntraSignIn => "entra_signin",
            LogKind::KeyVault => "keyvault",
            LogKind::KubeAudit => "kube_audit",
            LogKind::Resource => "resource",
        }
    }
}

/// The export shape a record came in. Together with [`LogKind`] it says which reader made the
/// event, which matters when a field is missing from one shape (portal CSV has no caller IP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordFormat {
    /// Azure REST / `az` CLI / SDK / PowerShell object (`operationName` as `{value}` or string).
    Rest,
    /// Diagnostic-settings record (storage `PT1H.json`, Event Hub `records`).
    Diagnostic,
    /// A Log Analytics table row (portal CSV/JSON export, query API, `az monitor log-analytics`).
    LogAnalytics,
    /// Microsoft Graph `directoryAudit` / `signIn` object.
    Graph,
    /// Azure portal Activity Log "Download as CSV".
    PortalCsv,
}

impl RecordFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordFormat::Rest => "rest",
            RecordFormat::Diagnostic => "diagnostic",
            RecordFormat::LogAnalytics => "log-analytics",
            RecordFormat::Graph => "graph",
            RecordFormat::PortalCsv => "portal-csv",
        }
    }
}

/// Where an event came from: the file (or `archive.zip!member`, `-` for stdin), its 1-based
/// record number within that file, and the 1-based line the record starts on when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub path: Arc<str>,
    pub record: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// How an event id was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdOrigin {
    /// The log's own id: `eventDataId`, Graph `id`, Kubernetes `auditID`.
    Source,
    /// A hash of the record's content (the log carries no id).
    ContentHash,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventId {
    pub value: String,
    pub origin: IdOrigin,
}

/// The RBAC check Azure recorded for the operation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Authorization {
    pub action: Option<String>,
    pub scope: Option<String>,
}

/// What a role-assignment event granted or removed, resolved from the request/response body
/// (Azure RBAC) or the modified properties (Entra directory roles).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RoleAssignment {
    pub role_definition_id: Option<String>,
    /// Built-in role name resolved from the definition id, or the name the record states.
    pub role_name: Option<String>,
    pub principal_id: Option<String>,
    pub principal_type: Option<String>,
    pub scope: Option<String>,
    /// Whether the role is one Microsoft classes as privileged.
    pub privileged: bool,
}

/// One normalized event.
#[derive(Debug, Clone)]
pub struct Event {
    /// When it happened, UTC.
    pub time: Timestamp,
    /// The record's time had no offset and UTC was assumed.
    pub time_zone_assumed: bool,
    pub log: LogKind,
    /// Log category: Activity Log category (`Administrative`, `Policy`, …), Entra audit category
    /// (`RoleManagement`, …), sign-in category (`SignInLogs`, `NonInteractiveUserSignInLogs`,
    /// …), or the resource-log category.
    pub category: Option<String>,
    /// Canonical operation: the invariant operation id (`Microsoft.Authorization/roleAssignments/write`),
    /// the Entra activity name, `Sign-in activity`, the Key Vault operation, or `verb resource`
    /// for Kubernetes.
    pub operation: String,
    /// Display name of the operation when the log gives one that differs.
    pub operation_display: Option<String>,
    /// Result in one vocabulary: `Started`, `Accepted`, `Succeeded`, `Failed`, `Active`,
    /// `Resolved`, … (activity); `success` / `failure` (Entra, Key Vault, Kubernetes).
    pub status: Option<String>,
    /// Sub-status / error code (HTTP status text, Entra error code, HTTP status code).
    pub sub_status: Option<String>,
    pub caller: Caller,
    /// Client IP address as the log states it (not validated: may be IPv6 or masked).
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Caller geolocation when the log has it (sign-ins): `City, State, CC`.
    pub location: Option<String>,
    pub correlation_id: Option<String>,
    pub id: EventId,
    pub tenant_id: Option<String>,
    pub subscription_id: Option<String>,
    pub resource: Option<ResourceId>,
    /// Resource provider namespace, e.g. `Microsoft.ContainerService`.
    pub resource_provider: Option<String>,
    pub authorization: Option<Authorization>,
    pub role_assignment: Option<RoleAssignment>,
    pub format: RecordFormat,
    pub source: Source,
    /// The record exactly as read (CSV rows become an object of column → cell text).
    pub raw: Value,
}

/// The Entra / Key Vault / Kubernetes result word (`success`, `failure`) of a canonical status
/// (`Succeeded`, `Failed`); `None` for statuses those logs have no word for.
pub fn result_word(canonical: &str) -> Option<&'static str> {
    match canonical {
        "Succeeded" => Some("success"),
        "Failed" => Some("failure"),
        _ => None,
    }
}

impl Event {
    /// The level of the hierarchy the event acted on. Entra events act on the directory, which
    /// is tenant scope.
    pub fn scope_level(&self) -> Option<ScopeLevel> {
        if let Some(scope) = self.resource.as_ref().and_then(|r| r.scope) {
            return Some(scope);
        }
        match self.log {
            LogKind::EntraAudit | LogKind::EntraSignIn => Some(ScopeLevel::Tenant),
            _ => None,
        }
    }

    pub fn resource_id(&self) -> Option<&str> {
        self.resource.as_ref().map(|r| r.id.as_str())
    }
}
