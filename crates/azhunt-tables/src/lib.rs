//! azhunt's normalized events as Log Analytics tables, so KQL written for a workspace runs
//! offline over any export azhunt reads.
//!
//! Microsoft's and Sentinel's hunting content queries `AzureActivity`, `AuditLogs`,
//! `SigninLogs` and the other sign-in tables by their Log Analytics column names. An event
//! becomes one row of the table its log belongs to: Activity Log events of every scope →
//! `AzureActivity` (both column generations: `OperationNameValue` and legacy `OperationName`,
//! `ActivityStatusValue` and `ActivityStatus`, …, and the string and `_d` dynamic variants of
//! `Authorization`, `Claims`, `Properties`); Entra audit → `AuditLogs`; sign-ins → `SigninLogs`,
//! `AADNonInteractiveUserSignInLogs`, `AADServicePrincipalSignInLogs`,
//! `AADManagedIdentitySignInLogs`, `ADFSSignInLogs` by category; Key Vault, AKS and other
//! resource-log records → `AzureDiagnostics` (flattened properties). Values come from the
//! normalized event first and from the original record (REST, diagnostic, Graph or Log Analytics
//! spelling, found case-insensitively) for the columns the model does not hold.

mod convert;
mod diagnostics;
mod prune;
mod pushdown;
mod schemas;

pub use convert::ColumnSet;
pub use diagnostics::DiagRow;
pub use prune::{reachable_columns, reachable_tables};
pub use pushdown::{Item, Pushdown, QueryInput};

pub use schemas::{ACTIVITY, AUDIT, SIGNIN, TableSchema};

use azhunt_kql::{MemoryCatalog, Table, Value};
use azhunt_model::{Event, LogKind, RecordFormat};
use std::collections::BTreeMap;

/// Collects events into tables.
#[derive(Default)]
pub struct TableBuilder {
    tables: BTreeMap<&'static str, Table>,
    diagnostics: Vec<DiagRow>,
    /// Events no table represents (resource logs that are not diagnostic records).
    pub skipped: u64,
}

/// One event as a table row.
pub enum Row {
    /// A row of a table with fixed columns.
    Fixed(&'static str, Vec<Value>),
    /// A row of `AzureDiagnostics`, whose columns depend on the evidence.
    Diagnostics(DiagRow),
}

/// The Log Analytics table an event belongs to.
pub fn table_of(e: &Event) -> Option<&'static str> {
    Some(match e.log {
        LogKind::Activity => "AzureActivity",
        LogKind::EntraAudit => "AuditLogs",
        LogKind::EntraSignIn => match e
            .category
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("noninteractiveusersigninlogs") => "AADNonInteractiveUserSignInLogs",
            Some("serviceprincipalsigninlogs") => "AADServicePrincipalSignInLogs",
            Some("managedidentitysigninlogs") => "AADManagedIdentitySignInLogs",
            Some("adfssigninlogs") => "ADFSSignInLogs",
            _ => "SigninLogs",
        },
        LogKind::KeyVault | LogKind::KubeAudit | LogKind::Resource => "AzureDiagnostics",
    })
}

/// The table and row an event becomes, or `None` for records no table represents.
pub fn row_of(e: &Event) -> Option<Row> {
    row_with(e, None, None)
}

/// [`row_of`] for the tables in `tables` only and with only the columns in `wanted` (the others
/// are null); `None` means all (see [`reachable_tables`], [`reachable_columns`]).
pub fn row_with(
    e: &Event,
    tables: Option<&std::collections::HashSet<String>>,
    wanted: Option<&ColumnSet>,
) -> Option<Row> {
    let name = table_of(e)?;
    if tables.is_some_and(|t| !t.contains(name)) {
        return None;
    }
    Some(match e.log {
        LogKind::Activity => Row::Fixed(name, convert::activity(e, wanted)),
        LogKind::EntraAudit => Row::Fixed(name, convert::audit(e, wanted)),
        LogKind::EntraSignIn => Row::Fixed(name, convert::signin(e, name, wanted)),
        LogKind::KeyVault | LogKind::KubeAudit | LogKind::Resource => {
            if !matches!(
                e.format,
                RecordFormat::Diagnostic | RecordFormat::LogAnalytics
            ) {
                return None;
            }
            Row::Diagnostics(diagnostics::row(e))
        }
    })
}

impl TableBuilder {
    pub fn new() -> TableBuilder {
        TableBuilder::with_columns(None)
    }

    /// A builder whose fixed tables have only the `wanted` columns (all when `None`); rows
    /// must come from [`row_with`] with the same `wanted`.
    pub fn with_columns(wanted: Option<&std::collections::HashSet<String>>) -> TableBuilder {
        let mut b = TableBuilder::default();
        for name in schemas::TABLES {
            b.tables.insert(name, schemas::empty_with(name, wanted));
        }
        b
    }

    /// Adds one event as a row of its table.
    pub fn add(&mut self, e: &Event) {
        self.push(row_of(e));
    }

    /// Adds a row made by [`row_of`] (which the read pipeline runs on its worker threads);
    /// `None` counts an event no table represents.
    pub fn push(&mut self, row: Option<Row>) {
        match row {
            Some(Row::Fixed(name, row)) => {
                if let Some(t) = self.tables.get_mut(name) {
                    t.rows.push(row);
                }
            }
            Some(Row::Diagnostics(r)) => self.diagnostics.push(r),
            None => self.skipped += 1,
        }
    }

    /// Rows per table.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        self.tables
            .iter()
            .map(|(k, t)| (*k, t.rows.len()))
            .collect()
    }

    /// The tables as a catalog (every table exists, possibly empty, so queries over a log the
    /// evidence lacks return no rows instead of failing).
    pub fn into_catalog(self) -> MemoryCatalog {
        let mut c = MemoryCatalog::new();
        for (_, t) in self.tables {
            c.insert(t);
        }
        c.insert(diagnostics::table(self.diagnostics));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azhunt_kql::Catalog;
    use azhunt_model::{Caller, EventId, IdOrigin, Source};
    use std::sync::Arc;

    fn event(log: LogKind, format: RecordFormat, raw: &str) -> Event {
        Event {
            time: "2026-11-12T09:04:10Z".parse().unwrap(),
            time_zone_assumed: false,
            log,
            category: Some("Administrative".into()),
            operation: "Microsoft.Authorization/elevateAccess/action".into(),
            operation_display: Some("Assigns the caller to User Access Administrator".into()),
            status: Some("Succeeded".into()),
            sub_status: None,
            caller: Caller::default(),
            ip: Some("203.0.113.66".into()),
            user_agent: None,
            location: None,
            correlation_id: Some("c".into()),
            id: EventId {
                value: "e1".into(),
                origin: IdOrigin::Source,
            },
            tenant_id: None,
            subscription_id: None,
            resource: None,
            resource_provider: None,
            authorization: None,
            role_assignment: None,
            format,
            source: Source {
                path: Arc::from("t"),
                record: 1,
                line: None,
            },
            raw: sonic_rs::from_str(raw).unwrap(),
        }
    }

    fn cell(t: &Table, col: &str) -> Value {
        t.get(0, col).cloned().unwrap_or(Value::Null)
    }

    #[test]
    fn activity_rows_carry_both_column_generations() {
        let raw = r#"{"caller":"maria@x","claims":{"idtyp":"user"},"properties":{"requestbody":"{\"a\":1}"},"httpRequest":{"clientIpAddress":"203.0.113.66"},"level":"Informational"}"#;
        let mut b = TableBuilder::new();
        b.add(&event(LogKind::Activity, RecordFormat::Rest, raw));
        let c = b.into_catalog();
        let t = c.table("AzureActivity").unwrap();
        assert_eq!(
            cell(&t, "OperationNameValue"),
            Value::from("Microsoft.Authorization/elevateAccess/action")
        );
        assert_eq!(
            cell(&t, "OperationName"),
            Value::from("Assigns the caller to User Access Administrator")
        );
        assert_eq!(cell(&t, "ActivityStatusValue"), Value::from("Success"));
        assert_eq!(cell(&t, "ActivityStatus"), Value::from("Succeeded"));
        assert_eq!(cell(&t, "Caller"), Value::from("maria@x"));
        assert_eq!(cell(&t, "Level"), Value::from("Informational"));
        assert!(matches!(cell(&t, "Properties_d"), Value::Bag(_)));
        assert!(matches!(cell(&t, "Properties"), Value::String(_)));
        assert!(matches!(cell(&t, "TimeGenerated"), Value::DateTime(_)));
        // Every table exists, empty or not.
        assert!(c.table("SigninLogs").is_some_and(|t| t.rows.is_empty()));
        assert!(c.table("AzureDiagnostics").is_some());
    }

    #[test]
    fn resource_logs_flatten_into_azure_diagnostics() {
        let raw = r#"{"resultSignature":"OK","properties":{"id":"https://v/secrets/s","httpStatusCode":200,"isRbacAuthorized":false},"identity":{"claim":{"oid":"o1"}}}"#;
        let mut b = TableBuilder::new();
        b.add(&event(LogKind::KeyVault, RecordFormat::Diagnostic, raw));
        // A key-vault event that is not a diagnostic record has no table.
        b.add(&event(LogKind::KeyVault, RecordFormat::Rest, raw));
        assert_eq!(b.skipped, 1);
        let c = b.into_catalog();
        let t = c.table("AzureDiagnostics").unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(cell(&t, "id_s"), Value::from("https://v/secrets/s"));
        assert_eq!(cell(&t, "httpStatusCode_d"), Value::Real(200.0));
        assert_eq!(cell(&t, "isRbacAuthorized_b"), Value::Bool(false));
        assert_eq!(cell(&t, "identity_claim_oid_s"), Value::from("o1"));
        assert_eq!(cell(&t, "ResultSignature"), Value::from("OK"));
        assert_eq!(cell(&t, "CallerIPAddress"), Value::from("203.0.113.66"));
    }
}
