//! Timeline rows: one line per event, in one of three formats.
//!
//! JSON Lines is the contract other tools consume (documented in `docs/TIMELINE.md`): a flat
//! object with the normalized fields, `source` (where the record was), and Timesketch's
//! `datetime`, `timestamp` (microseconds), `timestamp_desc` and `message`, so the file imports
//! into Timesketch as it is. CSV carries the same columns, formula-safe. The table is for people
//! at a terminal. Rows are rendered on worker threads; only their bytes reach the sorter.

use crate::cells::{push_csv_row, terminal_text};
use crate::sort::Key;
use azhunt_model::time::write_rfc3339;
use azhunt_model::{Event, Value};
use serde::Serialize;

/// Output format of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Table,
}

/// How rows are rendered.
#[derive(Debug, Clone, Copy)]
pub struct RowOptions {
    pub format: Format,
    /// Include the original record (`raw`) in JSONL and CSV.
    pub raw: bool,
}

/// A rendered row and the instant it sorts by (the sequence is added by the caller).
pub struct Row {
    pub seconds: i64,
    pub nanos: u32,
    pub bytes: Vec<u8>,
}

impl Row {
    pub fn key(&self, seq: u64) -> Key {
        Key {
            seconds: self.seconds,
            nanos: self.nanos,
            seq,
        }
    }
}

#[derive(Serialize)]
struct SourceRef<'a> {
    path: &'a str,
    record: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    time: &'a str,
    log: &'a str,
    category: Option<&'a str>,
    operation: &'a str,
    operation_display: Option<&'a str>,
    status: Option<&'a str>,
    sub_status: Option<&'a str>,
    caller: Option<&'a str>,
    caller_type: &'a str,
    caller_upn: Option<&'a str>,
    caller_object_id: Option<&'a str>,
    caller_app_id: Option<&'a str>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    location: Option<&'a str>,
    correlation_id: Option<&'a str>,
    event_id: &'a str,
    tenant_id: Option<&'a str>,
    subscription_id: Option<&'a str>,
    resource_group: Option<&'a str>,
    resource_provider: Option<&'a str>,
    resource_type: Option<&'a str>,
    resource_name: Option<&'a str>,
    resource_id: Option<&'a str>,
    scope: Option<&'a str>,
    authorization_action: Option<&'a str>,
    authorization_scope: Option<&'a str>,
    role: Option<&'a str>,
    role_definition_id: Option<&'a str>,
    role_principal_id: Option<&'a str>,
    role_principal_type: Option<&'a str>,
    role_scope: Option<&'a str>,
    format: &'a str,
    time_zone_assumed: bool,
    source: SourceRef<'a>,
    datetime: &'a str,
    timestamp: i64,
    timestamp_desc: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<&'a Value>,
}

/// CSV columns, in order (also the header).
pub const CSV_COLUMNS: [&str; 22] = [
    "time",
    "log",
    "category",
    "operation",
    "operation_display",
    "status",
    "sub_status",
    "caller",
    "caller_type",
    "ip",
    "user_agent",
    "location",
    "correlation_id",
    "event_id",
    "tenant_id",
    "subscription_id",
    "resource_id",
    "scope",
    "role",
    "source_path",
    "source_record",
    "message",
];

/// The one-line description Timesketch shows.
pub fn message(e: &Event) -> String {
    let mut m = String::with_capacity(96);
    m.push_str(if e.operation.is_empty() {
        "(no operation)"
    } else {
        &e.operation
    });
    if let Some(s) = &e.status {
        m.push(' ');
        m.push_str(s);
    }
    if let Some(c) = e.caller.display() {
        m.push_str(" by ");
        m.push_str(c);
    }
    if let Some(ip) = &e.ip {
        m.push_str(" from ");
        m.push_str(ip);
    }
    if let Some(r) = e.resource_id() {
        m.push_str(" on ");
        m.push_str(r);
    }
    if let Some(role) = e
        .role_assignment
        .as_ref()
        .and_then(|r| r.role_name.as_deref())
    {
        m.push_str(" role=");
        m.push_str(role);
    }
    m
}

/// Renders one event.
pub fn render(e: &Event, opts: RowOptions) -> Row {
    let mut time = String::with_capacity(32);
    write_rfc3339(e.time, &mut time);
    let msg = message(e);
    let res = e.resource.as_ref();
    let role = e.role_assignment.as_ref();
    let auth = e.authorization.as_ref();
    // Activity rows are ~1.9 KB: one allocation instead of growing through 512 and 1024.
    let mut bytes = Vec::with_capacity(if opts.raw { 8192 } else { 2048 });
    match opts.format {
        Format::Jsonl => {
            let row = JsonRow {
                time: &time,
                log: e.log.as_str(),
                category: e.category.as_deref(),
                operation: &e.operation,
                operation_display: e.operation_display.as_deref(),
                status: e.status.as_deref(),
                sub_status: e.sub_status.as_deref(),
                caller: e.caller.display(),
                caller_type: e.caller.kind.as_str(),
                caller_upn: e.caller.upn.as_deref(),
                caller_object_id: e.caller.object_id.as_deref(),
                caller_app_id: e.caller.app_id.as_deref(),
                ip: e.ip.as_deref(),
                user_agent: e.user_agent.as_deref(),
                location: e.location.as_deref(),
                correlation_id: e.correlation_id.as_deref(),
                event_id: &e.id.value,
                tenant_id: e.tenant_id.as_deref(),
                subscription_id: e.subscription_id.as_deref(),
                resource_group: res.and_then(|r| r.resource_group.as_deref()),
                resource_provider: e.resource_provider.as_deref(),
                resource_type: res.and_then(|r| r.resource_type.as_deref()),
                resource_name: res.and_then(|r| r.name.as_deref()),
                resource_id: e.resource_id(),
                scope: e.scope_level().map(|s| s.as_str()),
                authorization_action: auth.and_then(|a| a.action.as_deref()),
                authorization_scope: auth.and_then(|a| a.scope.as_deref()),
                role: role.and_then(|r| r.role_name.as_deref()),
                role_definition_id: role.and_then(|r| r.role_definition_id.as_deref()),
                role_principal_id: role.and_then(|r| r.principal_id.as_deref()),
                role_principal_type: role.and_then(|r| r.principal_type.as_deref()),
                role_scope: role.and_then(|r| r.scope.as_deref()),
                format: e.format.as_str(),
                time_zone_assumed: e.time_zone_assumed,
                source: SourceRef {
                    path: &e.source.path,
                    record: e.source.record,
                    line: e.source.line,
                },
                datetime: &time,
                timestamp: e.time.as_microsecond(),
                timestamp_desc: "Event Time",
                message: &msg,
                raw: opts.raw.then_some(&e.raw),
            };
            if sonic_rs::to_writer(&mut bytes, &row).is_err() {
                bytes.clear();
                bytes.extend_from_slice(b"{}");
            }
            bytes.push(b'\n');
        }
        Format::Csv => {
            let record = e.source.record.to_string();
            let raw_text = if opts.raw {
                sonic_rs::to_string(&e.raw).unwrap_or_default()
            } else {
                String::new()
            };
            let mut cells: Vec<&str> = vec![
                &time,
                e.log.as_str(),
                e.category.as_deref().unwrap_or(""),
                &e.operation,
                e.operation_display.as_deref().unwrap_or(""),
                e.status.as_deref().unwrap_or(""),
                e.sub_status.as_deref().unwrap_or(""),
                e.caller.display().unwrap_or(""),
                e.caller.kind.as_str(),
                e.ip.as_deref().unwrap_or(""),
                e.user_agent.as_deref().unwrap_or(""),
                e.location.as_deref().unwrap_or(""),
                e.correlation_id.as_deref().unwrap_or(""),
                &e.id.value,
                e.tenant_id.as_deref().unwrap_or(""),
                e.subscription_id.as_deref().unwrap_or(""),
                e.resource_id().unwrap_or(""),
                e.scope_level().map(|s| s.as_str()).unwrap_or(""),
                role.and_then(|r| r.role_name.as_deref()).unwrap_or(""),
                &e.source.path,
                &record,
                &msg,
            ];
            if opts.raw {
                cells.push(&raw_text);
            }
            push_csv_row(&mut bytes, cells);
        }
        Format::Table => {
            let line = format!(
                "{:<24}  {:<12}  {:<10}  {:<32}  {:<15}  {}\n",
                e.time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                e.log.as_str(),
                terminal_text(e.status.as_deref().unwrap_or("-"), 10),
                terminal_text(e.caller.display().unwrap_or("-"), 32),
                terminal_text(e.ip.as_deref().unwrap_or("-"), 15),
                terminal_text(&table_what(e), 160),
            );
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    Row {
        seconds: e.time.as_second(),
        nanos: u32::try_from(e.time.subsec_nanosecond()).unwrap_or(0),
        bytes,
    }
}

/// The operation and its target, for the table's last column.
fn table_what(e: &Event) -> String {
    let op = e
        .operation_display
        .as_deref()
        .filter(|_| e.operation.is_empty())
        .unwrap_or(&e.operation);
    let target = e
        .resource
        .as_ref()
        .and_then(|r| r.name.as_deref())
        .or(e.location.as_deref());
    let mut what = match target {
        Some(t) => format!("{op} → {t}"),
        None => op.to_string(),
    };
    if let Some(ra) = e.role_assignment.as_ref()
        && let Some(role) = ra.role_name.as_deref()
    {
        what.push_str(" [role: ");
        what.push_str(role);
        if let Some(scope) = ra.scope.as_deref().filter(|s| *s != "/") {
            what.push_str(" at ");
            what.push_str(scope);
        }
        what.push(']');
    }
    what
}

/// The header line for a format (none for JSONL).
pub fn header(opts: RowOptions) -> Vec<u8> {
    let mut out = Vec::new();
    match opts.format {
        Format::Jsonl => {}
        Format::Csv => {
            let mut cols: Vec<&str> = CSV_COLUMNS.to_vec();
            if opts.raw {
                cols.push("raw");
            }
            push_csv_row(&mut out, cols);
        }
        Format::Table => {
            out.extend_from_slice(
                format!(
                    "{:<24}  {:<12}  {:<10}  {:<32}  {:<15}  {}\n",
                    "TIME (UTC)", "LOG", "STATUS", "CALLER", "IP", "OPERATION → TARGET"
                )
                .as_bytes(),
            );
        }
    }
    out
}
