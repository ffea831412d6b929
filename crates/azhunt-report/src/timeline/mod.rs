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

pub mod compact;
pub mod fields;
pub(crate) mod json;
pub mod ordered;

use crate::cells::{push_csv_row, terminal_text};
use crate::sort::Key;
use azhunt_model::Event;
use azhunt_model::time::write_rfc3339;
use fields::{RowFields, Slot};

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

/// Encodes one event for ordering (with the original record's JSON text when rows carry it);
/// [`ordered::write_in_order`] renders it.
pub fn encode(e: &Event, opts: RowOptions) -> Row {
    let raw = opts
        .raw
        .then(|| sonic_rs::to_string(&e.raw).unwrap_or_else(|_| "null".to_string()));
    // `compact::encode` reserves the row's exact size: one allocation, no growth.
    let mut bytes = Vec::new();
    compact::encode(&RowFields::of(e, raw.as_deref()), &mut bytes);
    Row {
        seconds: e.time.as_second(),
        nanos: u32::try_from(e.time.subsec_nanosecond()).unwrap_or(0),
        bytes,
    }
}

/// Appends the row of a decoded row in `opts.format` to `out` (its text was checked for JSON
/// escapes as it was decoded).
pub fn render_decoded(d: &compact::Decoded, opts: RowOptions, out: &mut Vec<u8>) {
    render(&d.fields, d.plain, opts, out);
}

/// The row of `f`; `plain`: no text of `f` needs escaping in JSON.
fn render(f: &RowFields, plain: bool, opts: RowOptions, out: &mut Vec<u8>) {
    let mut time = String::with_capacity(32);
    write_rfc3339(f.time(), &mut time);
    let msg = f.message();
    let raw = f.get(Slot::Raw).filter(|_| opts.raw);
    match opts.format {
        Format::Jsonl => {
            // Room for a typical row up front, so the members rarely grow the buffer.
            out.reserve(2048);
            // Strings are the row's texts, the message made of them and constants: when no
            // text needs escaping, none of them does.
            let mut m = json::Members::new(out).plain(plain);
            m.str("time", &time);
            m.str("log", f.log.as_str());
            m.opt("category", f.get(Slot::Category));
            m.str("operation", f.str(Slot::Operation));
            m.opt("operation_display", f.get(Slot::OperationDisplay));
            m.opt("status", f.get(Slot::Status));
            m.opt("sub_status", f.get(Slot::SubStatus));
            m.opt("caller", f.caller());
            m.str("caller_type", f.caller_type.as_str());
            m.opt("caller_upn", f.get(Slot::CallerUpn));
            m.opt("caller_object_id", f.get(Slot::CallerObjectId));
            m.opt("caller_app_id", f.get(Slot::CallerAppId));
            m.opt("ip", f.get(Slot::Ip));
            m.opt("user_agent", f.get(Slot::UserAgent));
            m.opt("location", f.get(Slot::Location));
            m.opt("correlation_id", f.get(Slot::CorrelationId));
            m.str("event_id", f.str(Slot::EventId));
            m.opt("tenant_id", f.get(Slot::TenantId));
            m.opt("subscription_id", f.get(Slot::SubscriptionId));
            m.opt("resource_group", f.get(Slot::ResourceGroup));
            m.opt("resource_provider", f.get(Slot::ResourceProvider));
            m.opt("resource_type", f.get(Slot::ResourceType));
            m.opt("resource_name", f.get(Slot::ResourceName));
            m.opt("resource_id", f.get(Slot::ResourceId));
            m.opt("scope", f.scope.map(|s| s.as_str()));
            m.opt("authorization_action", f.get(Slot::AuthorizationAction));
            m.opt("authorization_scope", f.get(Slot::AuthorizationScope));
            m.opt("role", f.get(Slot::Role));
            m.opt("role_definition_id", f.get(Slot::RoleDefinitionId));
            m.opt("role_principal_id", f.get(Slot::RolePrincipalId));
            m.opt("role_principal_type", f.get(Slot::RolePrincipalType));
            m.opt("role_scope", f.get(Slot::RoleScope));
            m.str("format", f.format.as_str());
            m.bool("time_zone_assumed", f.time_zone_assumed);
            let mut source = m.object("source");
            source.str("path", f.str(Slot::SourcePath));
            source.uint("record", f.record);
            if let Some(line) = f.line {
                source.uint("line", line);
            }
            source.close();
            m.str("datetime", &time);
            m.int("timestamp", f.time().as_microsecond());
            m.str("timestamp_desc", "Event Time");
            m.str("message", &msg);
            // The record's JSON text was serialized from the parsed record: valid JSON.
            if let Some(raw) = raw {
                m.json("raw", raw.as_bytes());
            }
            m.close();
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
