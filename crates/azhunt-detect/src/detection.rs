//! What `hunt` reports: one [`Detection`] per rule hit, with the event(s) behind it.
//!
//! The JSON shape is the output contract documented in `docs/HUNT.md`: `time`, `rule_id`,
//! `rule_title`, `level`, `attack`, `tactics`, `event`, and for detections over several events
//! (correlations, stateful detectors) `events` and a one-line `summary`.

use azhunt_model::Event;
use azhunt_model::time::write_rfc3339;
use azhunt_sigma::Level;
use serde::Serialize;
use std::sync::Arc;

/// Where an event was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub path: Arc<str>,
    pub record: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// The facts of an event a detection cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRef {
    pub id: String,
    pub time: String,
    pub operation: String,
    pub caller: Option<String>,
    pub caller_type: &'static str,
    pub ip: Option<String>,
    pub resource_id: Option<String>,
    pub source: SourceRef,
    /// Sort key (unix nanoseconds); not part of the contract.
    #[serde(skip)]
    pub nanos: i128,
}

impl EventRef {
    pub fn of(e: &Event) -> EventRef {
        let mut time = String::with_capacity(32);
        write_rfc3339(e.time, &mut time);
        EventRef {
            id: e.id.value.clone(),
            time,
            operation: e.operation.clone(),
            caller: e.caller.display().map(str::to_string),
            caller_type: e.caller.kind.as_str(),
            ip: e.ip.clone(),
            resource_id: e.resource_id().map(str::to_string),
            source: SourceRef {
                path: e.source.path.clone(),
                record: e.source.record,
                line: e.source.line,
            },
            nanos: e.time.as_nanosecond(),
        }
    }
}

/// Which rule fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub id: String,
    pub title: String,
    #[serde(serialize_with = "level_str")]
    pub level: Level,
    pub attack: Vec<String>,
    pub tactics: Vec<String>,
    /// `builtin` or the rule file's path.
    pub origin: String,
}

fn level_str<S: serde::Serializer>(l: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(l.as_str())
}

/// One detection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    pub time: String,
    pub rule_id: String,
    pub rule_title: String,
    #[serde(serialize_with = "level_str")]
    pub level: Level,
    pub attack: Vec<String>,
    pub tactics: Vec<String>,
    pub rule_origin: String,
    pub event: EventRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A borrowed detection, as rendered: the same JSON shape as [`Detection`]. Single-event
/// detections are rendered from this view on worker threads without building a `Detection`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DetectionView<'a> {
    pub time: &'a str,
    pub rule_id: &'a str,
    pub rule_title: &'a str,
    #[serde(serialize_with = "level_str")]
    pub level: Level,
    pub attack: &'a [String],
    pub tactics: &'a [String],
    pub rule_origin: &'a str,
    pub event: &'a EventRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<&'a [EventRef]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
}

impl<'a> DetectionView<'a> {
    /// `rule` firing on `event`.
    pub fn single(rule: &'a RuleRef, event: &'a EventRef) -> DetectionView<'a> {
        DetectionView {
            time: &event.time,
            rule_id: &rule.id,
            rule_title: &rule.title,
            level: rule.level,
            attack: &rule.attack,
            tactics: &rule.tactics,
            rule_origin: &rule.origin,
            event,
            events: None,
            summary: None,
        }
    }
}

impl Detection {
    pub fn view(&self) -> DetectionView<'_> {
        DetectionView {
            time: &self.time,
            rule_id: &self.rule_id,
            rule_title: &self.rule_title,
            level: self.level,
            attack: &self.attack,
            tactics: &self.tactics,
            rule_origin: &self.rule_origin,
            event: &self.event,
            events: self.events.as_deref(),
            summary: self.summary.as_deref(),
        }
    }

    /// A detection of one event.
    pub fn single(rule: &RuleRef, event: EventRef) -> Detection {
        Detection {
            time: event.time.clone(),
            rule_id: rule.id.clone(),
            rule_title: rule.title.clone(),
            level: rule.level,
            attack: rule.attack.clone(),
            tactics: rule.tactics.clone(),
            rule_origin: rule.origin.clone(),
            event,
            events: None,
            summary: None,
        }
    }

    /// A detection over several events (sorted by time; the first is `event`).
    pub fn multi(rule: &RuleRef, mut events: Vec<EventRef>, summary: String) -> Option<Detection> {
        events.sort_by_key(|e| e.nanos);
        let first = events.first()?.clone();
        let mut d = Detection::single(rule, first);
        d.events = Some(events);
        d.summary = Some(summary);
        Some(d)
    }

    /// Sort key: time, then rule id, then the event's place in the input.
    pub fn sort_key(&self) -> (i128, &str, &str, u64) {
        (
            self.event.nanos,
            &self.rule_id,
            &self.event.source.path,
            self.event.source.record,
        )
    }
}

/// An event reference for the stateful detectors' tests.
#[cfg(test)]
pub(crate) fn test_event(
    id: &str,
    nanos: i128,
    ip: Option<&str>,
    resource: Option<&str>,
) -> EventRef {
    EventRef {
        id: id.into(),
        time: format!("{nanos}ns"),
        operation: "test".into(),
        caller: Some("u@x".into()),
        caller_type: "user",
        ip: ip.map(str::to_string),
        resource_id: resource.map(str::to_string),
        source: SourceRef {
            path: "t".into(),
            record: 1,
            line: None,
        },
        nanos,
    }
}
