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
mod schemas;

pub use diagnostics::DiagRow;

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
    let name = table_of(e)?;
    Some(match e.log {
        LogKind::Activity => Row::Fixed(name, convert::activity(e)),
        LogKind::EntraAudit => Row::Fixed(name, convert::audit(e)),
        LogKind::EntraSignIn => Row::Fixed(name, convert::signin(e, name)),
        LogKind::KeyVault | LogKind::KubeAudit | LogKind::Resource => {
            if e.format != RecordFormat::Diagnostic {
                return None;
            }
            Row::Diagnostics(diagnostics::row(e))
        }
    })
}

impl TableBuilder {
    pub fn new() -> TableBuilder {
        let mut b = TableBuilder::default();
        for name in schemas::TABLES {
            b.tables.insert(name, schemas::empty(name));
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
