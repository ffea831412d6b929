//! Timeline rows: one line per event, in one of three formats.
//!
//! JSON Lines is the contract other tools consume (documented in `docs/TIMELINE.md`): a flat
//! object with the normalized fields, `source` (where the record was), and Timesketch's
//! `datetime`, `timestamp` (microseconds), `timestamp_desc` and `message`, so the file imports
//! into Timesketch as it is. CSV carries the same columns, formula-safe. The table is for people
//! at a terminal.
//!
//! Workers turn each event into its [`RowFields`] and encode them compactly ([`compact`]); the
//! sorter orders and spills those, and [`ordered`] renders them in parallel after the merge.
//! [`render`] is the same rendering for a single event.

pub mod compact;
pub mod fields;
pub mod ordered;

use crate::cells::{push_csv_row, terminal_text};
use crate::sort::Key;
use azhunt_model::Event;
use azhunt_model::time::write_rfc3339;
use fields::{RowFields, Slot};
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

/// An encoded row (see [`compact`]) and the instant it sorts by (the sequence is added by
/// the caller).
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

/// The original record's JSON text, when rows carry it.
fn raw_text(e: &Event, opts: RowOptions) -> Option<String> {
    opts.raw
        .then(|| sonic_rs::to_string(&e.raw).unwrap_or_else(|_| "null".to_string()))
}

/// Encodes one event for ordering; [`ordered::write_in_order`] renders it.
pub fn encode(e: &Event, opts: RowOptions) -> Row {
    let raw = raw_text(e, opts);
    let mut bytes = Vec::with_capacity(if opts.raw { 8192 } else { 768 });
    compact::encode(&RowFields::of(e, raw.as_deref()), &mut bytes);
    Row {
        seconds: e.time.as_second(),
        nanos: u32::try_from(e.time.subsec_nanosecond()).unwrap_or(0),
        bytes,
    }
}

/// Renders one event as its row in `opts.format`.
pub fn render(e: &Event, opts: RowOptions) -> Vec<u8> {
    let raw = raw_text(e, opts);
    let mut out = Vec::new();
    render_fields(&RowFields::of(e, raw.as_deref()), opts, &mut out);
    out
}

/// Appends the row of `f` in `opts.format` to `out`.
pub fn render_fields(f: &RowFields, opts: RowOptions, out: &mut Vec<u8>) {
    let mut time = String::with_capacity(32);
    write_rfc3339(f.time(), &mut time);
    let msg = f.message();
    let raw = f.get(Slot::Raw).filter(|_| opts.raw);
    match opts.format {
        Format::Jsonl => {
            let row = JsonRow {
                time: &time,
                log: f.log.as_str(),
                category: f.get(Slot::Category),
                operation: f.str(Slot::Operation),
                operation_display: f.get(Slot::OperationDisplay),
                status: f.get(Slot::Status),
                sub_status: f.get(Slot::SubStatus),
                caller: f.caller(),
                caller_type: f.caller_type.as_str(),
                caller_upn: f.get(Slot::CallerUpn),
                caller_object_id: f.get(Slot::CallerObjectId),
                caller_app_id: f.get(Slot::CallerAppId),
                ip: f.get(Slot::Ip),
                user_agent: f.get(Slot::UserAgent),
                location: f.get(Slot::Location),
                correlation_id: f.get(Slot::CorrelationId),
                event_id: f.str(Slot::EventId),
                tenant_id: f.get(Slot::TenantId),
                subscription_id: f.get(Slot::SubscriptionId),
                resource_group: f.get(Slot::ResourceGroup),
                resource_provider: f.get(Slot::ResourceProvider),
                resource_type: f.get(Slot::ResourceType),
                resource_name: f.get(Slot::ResourceName),
                resource_id: f.get(Slot::ResourceId),
                scope: f.scope.map(|s| s.as_str()),
                authorization_action: f.get(Slot::AuthorizationAction),
                authorization_scope: f.get(Slot::AuthorizationScope),
                role: f.get(Slot::Role),
                role_definition_id: f.get(Slot::RoleDefinitionId),
                role_principal_id: f.get(Slot::RolePrincipalId),
                role_principal_type: f.get(Slot::RolePrincipalType),
                role_scope: f.get(Slot::RoleScope),
                format: f.format.as_str(),
                time_zone_assumed: f.time_zone_assumed,
                source: SourceRef {
                    path: f.str(Slot::SourcePath),
                    record: f.record,
                    line: f.line,
                },
                datetime: &time,
                timestamp: f.time().as_microsecond(),
                timestamp_desc: "Event Time",
                message: &msg,
            };
            let start = out.len();
            if sonic_rs::to_writer(&mut *out, &row).is_err() {
                out.truncate(start);
                out.extend_from_slice(b"{}");
            }
            // `raw` is the last member: the record's JSON text goes in as it is (it was
            // serialized from the parsed record, so it is valid JSON).
            if let Some(raw) = raw
                && out.last() == Some(&b'}')
            {
                out.pop();
                out.extend_from_slice(b",\"raw\":");
                out.extend_from_slice(raw.as_bytes());
                out.push(b'}');
            }
            out.push(b'\n');
        }
        Format::Csv => {
            let record = f.record.to_string();
            let mut cells: Vec<&str> = vec![
                &time,
                f.log.as_str(),
                f.str(Slot::Category),
                f.str(Slot::Operation),
                f.str(Slot::OperationDisplay),
                f.str(Slot::Status),
                f.str(Slot::SubStatus),
                f.caller().unwrap_or(""),
                f.caller_type.as_str(),
                f.str(Slot::Ip),
                f.str(Slot::UserAgent),
                f.str(Slot::Location),
                f.str(Slot::CorrelationId),
                f.str(Slot::EventId),
                f.str(Slot::TenantId),
                f.str(Slot::SubscriptionId),
                f.str(Slot::ResourceId),
                f.scope.map(|s| s.as_str()).unwrap_or(""),
                f.str(Slot::Role),
                f.str(Slot::SourcePath),
                &record,
                &msg,
            ];
            if opts.raw {
                cells.push(raw.unwrap_or(""));
            }
            push_csv_row(out, cells);
        }
        Format::Table => {
            let line = format!(
                "{:<24}  {:<12}  {:<10}  {:<32}  {:<15}  {}\n",
                f.time().strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                f.log.as_str(),
                terminal_text(f.get(Slot::Status).unwrap_or("-"), 10),
                terminal_text(f.caller().unwrap_or("-"), 32),
                terminal_text(f.get(Slot::Ip).unwrap_or("-"), 15),
                terminal_text(&f.table_what(), 160),
            );
            out.extend_from_slice(line.as_bytes());
        }
    }
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
