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
mod log_analytics_resource;
mod role;

use crate::classify::Schema;
use azhunt_model::field::{Fields, Lookup, get_ci, non_empty, string_of};
use azhunt_model::time::{ParsedTime, parse_time};
use azhunt_model::{Caller, Event, EventId, IdOrigin, LogKind, RecordFormat, Source, Value};
use sonic_rs::JsonContainerTrait;
use std::borrow::Cow;

/// Normalizes one record of a known schema. The error says why the record cannot be an event.
pub fn normalize(
    raw: Value,
    schema: Schema,
    source: Source,
    raw_bytes: &[u8],
) -> Result<Event, String> {
    let mut e = {
        let fields = Fields::of(&raw);
        normalize_borrowed(&raw, &fields, schema, source, raw_bytes)?
    };
    e.raw = raw;
    Ok(*e)
}

/// [`normalize`] for a record whose members were already materialized (the worker shares them
/// with the classifier). The event's `raw` is left empty for the caller to move the record in.
/// Boxed from the start: an event is some 880 bytes, and handed back by value through the
/// normalizer, this function, the worker's panic guard and into the pipeline it was copied
/// whole at every step (eight copies; 1.4% of a timeline's instructions).
pub fn normalize_borrowed(
    raw: &Value,
    f: &Fields,
    schema: Schema,
    source: Source,
    raw_bytes: &[u8],
) -> Result<Box<Event>, String> {
    let mut e = match schema {
        Schema::ActivityRest => activity::rest(f, source),
        Schema::PortalActivity => activity::portal(f, source),
        Schema::ActivityDiagnostic => diagnostic::activity(raw, f, source),
        Schema::KeyVault => diagnostic::key_vault(f, source),
        Schema::KubeAudit => diagnostic::kube_audit(raw, f, source),
        Schema::Resource => diagnostic::resource(f, source),
        Schema::LaActivity => log_analytics::activity(f, source),
        Schema::LaKeyVault => log_analytics_resource::key_vault(f, source),
        Schema::LaKubeAudit => log_analytics_resource::kube_audit(f, source),
        Schema::LaResource => log_analytics_resource::resource(f, source),
        Schema::Audit(format) => entra::audit(raw, f, format, source),
        Schema::SignIn(format) => entra::sign_in(raw, f, format, source),
    }?;
    if e.id.value.is_empty() {
        e.id = content_id(raw_bytes);
    }
    Ok(e)
}

/// An event with only the always-present facts set; normalizers fill in the rest.
pub(crate) fn blank(
    time: ParsedTime,
    log: LogKind,
    format: RecordFormat,
    source: Source,
) -> Box<Event> {
    Box::new(Event {
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
        // Filled with a content hash by `normalize_borrowed` when the log has no id.
        id: EventId {
            value: String::new(),
            origin: IdOrigin::ContentHash,
        },
        tenant_id: None,
        subscription_id: None,
        resource: None,
        resource_provider: None,
        authorization: None,
        role_assignment: None,
        format,
        source,
        raw: Value::new(),
    })
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
        value: azhunt_model::field::trim(id).to_string(),
        origin: IdOrigin::Source,
    }
}

/// The first of `keys` that holds a parseable time. Errors name what was looked for or found.
pub(crate) fn time_of(v: &(impl Lookup + ?Sized), keys: &[&str]) -> Result<ParsedTime, String> {
    for key in keys {
        if let Some(text) = v.member(key).and_then(string_of) {
            let text = azhunt_model::field::trim(&text);
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
pub(crate) fn text(v: &(impl Lookup + ?Sized), keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| v.member(k).and_then(member_text))
        .map(Cow::into_owned)
}

/// The text [`text`] takes from a member already found — a scalar, or a `{value}` object's
/// value — borrowed when it is a string: callers that parse or map it (resource ids, statuses,
/// caller strings) copy only what they keep.
pub(crate) fn member_text(x: &Value) -> Option<Cow<'_, str>> {
    let x = match x.as_object() {
        // `{value, localizedValue}` objects (four per Activity record) almost always start
        // with `value` spelled so: that member is what the case-insensitive lookup finds
        // first, without its walk.
        Some(o) => match o.iter().next() {
            Some(("value", v)) => v,
            _ => get_ci(x, "value")?,
        },
        None => x,
    };
    scalar_text(x)
}

/// A scalar's text, trimmed, when not empty: strings borrowed, numbers and booleans printed.
pub(crate) fn scalar_text(x: &Value) -> Option<Cow<'_, str>> {
    match string_of(x)? {
        Cow::Borrowed(s) => non_empty(Some(s)).map(Cow::Borrowed),
        Cow::Owned(s) => non_empty(Some(&s)).map(|t| Cow::Owned(t.to_string())),
    }
}

/// Activity statuses in the REST vocabulary (`Start` → `Started`, `Success` → `Succeeded`, …),
/// so diagnostic, Log Analytics and REST copies of one event agree.
pub(crate) fn canonical_status(s: &str) -> String {
    let t = azhunt_model::field::trim(s);
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
