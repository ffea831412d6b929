//! Mapping recognized records onto the event model.
//!
//! One module per log family; each reads every export shape of that family, relying on
//! case-insensitive field access so that REST, SDK, PowerShell and Log Analytics spellings of the
//! same field are one lookup. Shared vocabulary lives here: the status words, the time lookup
//! with its error messages, content-hash ids.

mod activity;
mod diagnostic;
mod entra;
mod identity;
mod log_analytics;
mod role;

use crate::classify::Schema;
use azhunt_model::field::{get_ci, non_empty, string_of};
use azhunt_model::time::{ParsedTime, parse_time};
use azhunt_model::{Caller, Event, EventId, IdOrigin, LogKind, RecordFormat, Source, Value};
use sonic_rs::JsonValueTrait;

/// Normalizes one record of a known schema. The error says why the record cannot be an event.
pub fn normalize(
    raw: Value,
    schema: Schema,
    source: Source,
    raw_bytes: &[u8],
) -> Result<Event, String> {
    match schema {
        Schema::ActivityRest => activity::rest(raw, source, raw_bytes),
        Schema::PortalActivity => activity::portal(raw, source, raw_bytes),
        Schema::ActivityDiagnostic => diagnostic::activity(raw, source, raw_bytes),
        Schema::KeyVault => diagnostic::key_vault(raw, source, raw_bytes),
        Schema::KubeAudit => diagnostic::kube_audit(raw, source, raw_bytes),
        Schema::Resource => diagnostic::resource(raw, source, raw_bytes),
        Schema::LaActivity => log_analytics::activity(raw, source, raw_bytes),
        Schema::Audit(format) => entra::audit(raw, format, source, raw_bytes),
        Schema::SignIn(format) => entra::sign_in(raw, format, source, raw_bytes),
    }
}

/// An event with only the always-present facts set; normalizers fill in the rest.
pub(crate) fn blank(
    time: ParsedTime,
    log: LogKind,
    format: RecordFormat,
    source: Source,
    raw: Value,
    raw_bytes: &[u8],
) -> Event {
    Event {
        time: time.ts,
        time_zone_assumed: time.zone_assumed,
        log,
        category: None,
        operation: String::new(),
        operation_display: None,
        status: None,
        sub_status: None,
        caller: Caller::default(),
        ip: None,
        user_agent: None,
        location: None,
        correlation_id: None,
        id: content_id(raw_bytes),
        tenant_id: None,
        subscription_id: None,
        resource: None,
        resource_provider: None,
        authorization: None,
        role_assignment: None,
        format,
        source,
        raw,
    }
}

/// A stable id for records that carry none: a hash of the record's bytes as read.
pub(crate) fn content_id(raw_bytes: &[u8]) -> EventId {
    let h = xxhash_rust::xxh3::xxh3_128(raw_bytes);
    EventId {
        value: format!("h:{h:032x}"),
        origin: IdOrigin::ContentHash,
    }
}

pub(crate) fn source_id(id: &str) -> EventId {
    EventId {
        value: id.trim().to_string(),
        origin: IdOrigin::Source,
    }
}

/// The first of `keys` that holds a parseable time. Errors name what was looked for or found.
pub(crate) fn time_of(v: &Value, keys: &[&str]) -> Result<ParsedTime, String> {
    for key in keys {
        if let Some(text) = get_ci(v, key).and_then(string_of) {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            return parse_time(text).ok_or_else(|| format!("unparseable time {text:?} in {key}"));
        }
    }
    Err(format!("no time field (looked for {})", keys.join(", ")))
}

/// Text of the first of `keys` that is a non-empty scalar; `{value, localizedValue}` objects
/// give their `value`.
pub(crate) fn text(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        let x = get_ci(v, k)?;
        let x = if x.is_object() {
            get_ci(x, "value")?
        } else {
            x
        };
        let s = string_of(x)?;
        non_empty(Some(&s)).map(str::to_string)
    })
}

/// The display form of a `{value, localizedValue}` field when it differs from the value.
pub(crate) fn localized(v: &Value, key: &str) -> Option<String> {
    let x = get_ci(v, key)?;
    let loc = get_ci(x, "localizedValue").and_then(|l| l.as_str());
    let val = get_ci(x, "value").and_then(|l| l.as_str());
    let loc = non_empty(loc)?;
    (Some(loc) != non_empty(val)).then(|| loc.to_string())
}

/// Activity statuses in the REST vocabulary (`Start` → `Started`, `Success` → `Succeeded`, …),
/// so diagnostic, Log Analytics and REST copies of one event agree.
pub(crate) fn canonical_status(s: &str) -> String {
    let t = s.trim();
    let known = [
        ("start", "Started"),
        ("started", "Started"),
        ("accept", "Accepted"),
        ("accepted", "Accepted"),
        ("success", "Succeeded"),
        ("succeeded", "Succeeded"),
        ("failure", "Failed"),
        ("failed", "Failed"),
        ("fail", "Failed"),
        ("active", "Active"),
        ("resolved", "Resolved"),
        ("inprogress", "In Progress"),
        ("in progress", "In Progress"),
        ("updated", "Updated"),
        ("canceled", "Canceled"),
        ("cancelled", "Canceled"),
    ];
    known
        .iter()
        .find(|(k, _)| t.eq_ignore_ascii_case(k))
        .map(|(_, v)| (*v).to_string())
        .unwrap_or_else(|| t.to_string())
}

/// The resource provider namespace an operation id starts with (`Microsoft.Compute/…`).
pub(crate) fn provider_of_operation(op: &str) -> Option<String> {
    let (ns, rest) = op.split_once('/')?;
    (ns.contains('.') && !rest.is_empty()).then(|| ns.to_string())
}
