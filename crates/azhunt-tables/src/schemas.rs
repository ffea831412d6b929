//! Column sets of the tables, with Log Analytics' names and types
//! (`../shared/design/detection-content.md` §4, from Microsoft's table reference).

use azhunt_kql::{Table, Type};

/// A table's columns in order.
pub type TableSchema = &'static [(&'static str, Type)];

use Type::{Bool, DateTime, Dynamic, Long, String as Str};

pub const ACTIVITY: TableSchema = &[
    ("TimeGenerated", DateTime),
    ("EventSubmissionTimestamp", DateTime),
    ("OperationNameValue", Str),
    ("OperationName", Str),
    ("CategoryValue", Str),
    ("Category", Str),
    ("ActivityStatusValue", Str),
    ("ActivityStatus", Str),
    ("ActivitySubstatusValue", Str),
    ("ActivitySubstatus", Str),
    ("Caller", Str),
    ("CallerIpAddress", Str),
    ("Authorization", Str),
    ("Authorization_d", Dynamic),
    ("Claims", Str),
    ("Claims_d", Dynamic),
    ("Properties", Str),
    ("Properties_d", Dynamic),
    ("HTTPRequest", Str),
    ("CorrelationId", Str),
    ("EventDataId", Str),
    ("OperationId", Str),
    ("Level", Str),
    ("Hierarchy", Str),
    ("ResourceGroup", Str),
    ("ResourceId", Str),
    ("_ResourceId", Str),
    ("Resource", Str),
    ("ResourceProviderValue", Str),
    ("ResourceProvider", Str),
    ("SubscriptionId", Str),
    ("_SubscriptionId", Str),
    ("TenantId", Str),
    ("SourceSystem", Str),
    ("Type", Str),
];

pub const AUDIT: TableSchema = &[
    ("TimeGenerated", DateTime),
    ("ActivityDateTime", DateTime),
    ("OperationName", Str),
    ("ActivityDisplayName", Str),
    ("Category", Str),
    ("LoggedByService", Str),
    ("Result", Str),
    ("ResultReason", Str),
    ("ResultType", Str),
    ("ResultDescription", Str),
    ("InitiatedBy", Dynamic),
    ("TargetResources", Dynamic),
    ("AdditionalDetails", Dynamic),
    ("CorrelationId", Str),
    ("Id", Str),
    ("Identity", Str),
    ("AADOperationType", Str),
    ("AADTenantId", Str),
    ("Level", Str),
    ("OperationVersion", Str),
    ("SourceSystem", Str),
    ("Type", Str),
];

pub const SIGNIN: TableSchema = &[
    ("TimeGenerated", DateTime),
    ("CreatedDateTime", DateTime),
    ("UserPrincipalName", Str),
    ("UserId", Str),
    ("UserDisplayName", Str),
    ("UserType", Str),
    ("AlternateSignInName", Str),
    ("IPAddress", Str),
    ("AutonomousSystemNumber", Str),
    ("Location", Str),
    ("LocationDetails", Dynamic),
    ("AppDisplayName", Str),
    ("AppId", Str),
    ("ResourceDisplayName", Str),
    ("ResourceIdentity", Str),
    ("ClientAppUsed", Str),
    ("UserAgent", Str),
    ("IsInteractive", Bool),
    ("ResultType", Str),
    ("ResultDescription", Str),
    ("Status", Dynamic),
    ("ConditionalAccessStatus", Str),
    ("ConditionalAccessPolicies", Dynamic),
    ("AuthenticationRequirement", Str),
    ("AuthenticationDetails", Str),
    ("MfaDetail", Dynamic),
    ("DeviceDetail", Dynamic),
    ("RiskDetail", Str),
    ("RiskEventTypes", Str),
    ("RiskEventTypes_V2", Str),
    ("RiskLevelAggregated", Str),
    ("RiskLevelDuringSignIn", Str),
    ("RiskState", Str),
    ("IsRisky", Bool),
    ("HomeTenantId", Str),
    ("ResourceTenantId", Str),
    ("CorrelationId", Str),
    ("Id", Str),
    ("OriginalRequestId", Str),
    ("ServicePrincipalId", Str),
    ("ServicePrincipalName", Str),
    ("NetworkLocationDetails", Str),
    ("Category", Str),
    ("OperationName", Str),
    ("DurationMs", Long),
    ("Type", Str),
];

/// Every table the builder fills.
pub const TABLES: [&str; 7] = [
    "AzureActivity",
    "AuditLogs",
    "SigninLogs",
    "AADNonInteractiveUserSignInLogs",
    "AADServicePrincipalSignInLogs",
    "AADManagedIdentitySignInLogs",
    "ADFSSignInLogs",
];

pub fn schema(table: &str) -> TableSchema {
    match table {
        "AzureActivity" => ACTIVITY,
        "AuditLogs" => AUDIT,
        _ => SIGNIN,
    }
}

/// The columns of `table` that are in `wanted` (all when `None`), in schema order — the
/// columns of the rows [`crate::row_with`] builds.
pub fn columns_with(
    table: &str,
    wanted: Option<&std::collections::HashSet<String>>,
) -> Vec<(&'static str, Type)> {
    schema(table)
        .iter()
        .filter(|(n, _)| wanted.is_none_or(|w| w.contains(*n)))
        .copied()
        .collect()
}

/// An empty table with [`columns_with`].
pub fn empty_with(
    table: &'static str,
    wanted: Option<&std::collections::HashSet<String>>,
) -> Table {
    let cols = columns_with(table, wanted)
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect();
    Table::new(table, cols)
}
