//! `hunt` output: detections as a table grouped and coloured by level, JSON Lines, a JSON
//! array, or formula-safe CSV; and the summary (by level, by ATT&CK tactic, throughput).
//!
//! The JSON shapes are the contract in `docs/HUNT.md`. Every string in a detection comes from
//! the evidence and is attacker-controlled: the table strips control characters, CSV cells are
//! formula-safe, JSON is escaped by the serializer.

use crate::cells::{push_csv_row, terminal_text};
use azhunt_detect::{Detection, Level};
use std::collections::BTreeMap;

/// Output format of `hunt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectionFormat {
    Table,
    Jsonl,
    Json,
    Csv,
}

/// CSV columns, in order (also the header).
pub const CSV_COLUMNS: [&str; 15] = [
    "time",
    "level",
    "rule_title",
    "rule_id",
    "attack",
    "tactics",
    "operation",
    "caller",
    "caller_type",
    "ip",
    "resource_id",
    "source_path",
    "source_record",
    "events",
    "summary",
];

const LEVELS: [Level; 5] = [
    Level::Critical,
    Level::High,
    Level::Medium,
    Level::Low,
    Level::Informational,
];

fn colour(level: Level) -> &'static str {
    match level {
        Level::Critical => "\x1b[1;37;41m",
        Level::High => "\x1b[1;31m",
        Level::Medium => "\x1b[33m",
        Level::Low => "\x1b[36m",
        Level::Informational => "\x1b[2m",
    }
}

/// Renders detections (already time-ordered) in `format`. `colour` applies to the table only.
pub fn render(detections: &[Detection], format: DetectionFormat, use_colour: bool) -> Vec<u8> {
    let mut out = Vec::new();
    match format {
        DetectionFormat::Jsonl => {
            for d in detections {
                if sonic_rs::to_writer(&mut out, d).is_ok() {
                    out.push(b'\n');
                }
            }
        }
        DetectionFormat::Json => {
            if sonic_rs::to_writer(&mut out, detections).is_err() {
                out.clear();
                out.extend_from_slice(b"[]");
            }
            out.push(b'\n');
        }
        DetectionFormat::Csv => {
            push_csv_row(&mut out, CSV_COLUMNS);
            for d in detections {
                let record = d.event.source.record.to_string();
                let attack = d.attack.join(" ");
                let tactics = d.tactics.join(" ");
                let events = d.events.as_ref().map_or(1, Vec::len).to_string();
                push_csv_row(
                    &mut out,
                    [
                        d.time.as_str(),
                        d.level.as_str(),
                        &d.rule_title,
                        &d.rule_id,
                        &attack,
                        &tactics,
                        &d.event.operation,
                        d.event.caller.as_deref().unwrap_or(""),
                        d.event.caller_type,
                        d.event.ip.as_deref().unwrap_or(""),
                        d.event.resource_id.as_deref().unwrap_or(""),
                        &d.event.source.path,
                        &record,
                        &events,
                        d.summary.as_deref().unwrap_or(""),
                    ],
                );
            }
        }
        DetectionFormat::Table => table(detections, use_colour, &mut out),
    }
    out
}

fn table(detections: &[Detection], use_colour: bool, out: &mut Vec<u8>) {
    let reset = if use_colour { "\x1b[0m" } else { "" };
    for level in LEVELS {
        let group: Vec<&Detection> = detections.iter().filter(|d| d.level == level).collect();
        if group.is_empty() {
            continue;
        }
        let on = if use_colour { colour(level) } else { "" };
        out.extend_from_slice(
            format!(
                "{on}== {} ({}) =={reset}\n",
                level.as_str().to_ascii_uppercase(),
                group.len()
            )
            .as_bytes(),
        );
        for d in group {
            let what = d.summary.clone().unwrap_or_else(|| {
                let target = d.event.resource_id.as_deref().unwrap_or("");
                format!("{} {}", d.event.operation, target)
            });
            let line = format!(
                "{}  {on}{:<58}{reset}  {:<28}  {:<15}  {}  [{}]\n",
                &d.time.get(..19).unwrap_or(&d.time),
                terminal_text(&d.rule_title, 58),
                terminal_text(d.event.caller.as_deref().unwrap_or("-"), 28),
                terminal_text(d.event.ip.as_deref().unwrap_or("-"), 15),
                terminal_text(&what, 140),
                d.attack.join(","),
            );
            out.extend_from_slice(line.as_bytes());
        }
        out.push(b'\n');
    }
    if detections.is_empty() {
        out.extend_from_slice(b"no detections\n");
    }
}

/// Counts for the summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HuntSummary {
    pub by_level: BTreeMap<&'static str, usize>,
    pub by_tactic: BTreeMap<String, usize>,
}

impl HuntSummary {
    pub fn of(detections: &[Detection]) -> HuntSummary {
        let mut s = HuntSummary::default();
        for d in detections {
            *s.by_level.entry(d.level.as_str()).or_default() += 1;
            for t in &d.tactics {
                *s.by_tactic.entry(t.clone()).or_default() += 1;
            }
        }
        s
    }

    /// The summary block: detections by level and by tactic, events read, events per second.
    pub fn text(&self, total: usize, events: u64, seconds: f64, rules: usize) -> String {
        let levels: Vec<String> = LEVELS
            .iter()
            .filter_map(|l| {
                self.by_level
                    .get(l.as_str())
                    .map(|n| format!("{} {n}", l.as_str()))
            })
            .collect();
        let mut tactics: Vec<(&String, &usize)> = self.by_tactic.iter().collect();
        tactics.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let tactics: Vec<String> = tactics.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let rate = if seconds > 0.0 {
            events as f64 / seconds
        } else {
            0.0
        };
        format!(
            "detections: {total}{}\nby tactic: {}\nevents: {events} read in {seconds:.2} s ({rate:.0} events/s), {rules} rules\n",
            if levels.is_empty() {
                String::new()
            } else {
                format!(" ({})", levels.join(", "))
            },
            if tactics.is_empty() {
                "-".to_string()
            } else {
                tactics.join(", ")
            },
        )
    }
}
