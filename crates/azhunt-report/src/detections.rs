//! `hunt` output: detections as a table grouped and coloured by level, JSON Lines, a JSON
//! array, or formula-safe CSV; and the summary (by level, by ATT&CK tactic, throughput).
//!
//! Rows are rendered where the detection is found (on worker threads) and ordered by a
//! [`Sorter`] with a fixed memory budget, so a hunt that finds half a million detections holds
//! none of them in memory. A row is ordered without what depends on its rule alone (id, title,
//! level, ATT&CK mapping, origin: a third of a JSON row), rendered once per rule and put back
//! on output ([`RenderedRow`], [`rule_part`]). The table keeps one sorter per level so it can print the most
//! severe group first. The JSON shapes are the contract in `docs/HUNT.md`. Every string in a
//! detection comes from the evidence and is attacker-controlled: the table strips control
//! characters, CSV cells are formula-safe, JSON strings are escaped as serde_json escapes them.

use crate::cells::{push_csv_cell, push_csv_row, terminal_text};
pub use crate::detection_json::RuleFacts;
use crate::in_order::{Feed, render_in_order};
use crate::sort::{Key, Sorter};
use azhunt_detect::{Detection, DetectionView, Level, RuleRef};
use azhunt_insight::{ContextRequest, SigninContext};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Output format of `hunt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectionFormat {
    Table,
    Jsonl,
    Json,
    Csv,
}

/// CSV columns, in order (also the header).
pub const CSV_COLUMNS: [&str; 18] = [
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
    "signins_before",
    "signin_ips",
    "signin_flag",
];

/// Levels, most severe first (the table's group order).
pub const LEVELS: [Level; 5] = [
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

/// A detection rendered for ordering: the row without the part that depends on its rule
/// alone ([`rule_part`]), and the byte offset where that part goes back. Rows are sorted and
/// spilled without it; a rule's part is rendered once and put back on output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedRow {
    pub bytes: Vec<u8>,
    pub split: usize,
}

/// One detection rendered (ending in a newline), without its [`rule_part`].
pub fn render_row(d: &DetectionView<'_>, format: DetectionFormat, use_colour: bool) -> RenderedRow {
    let mut out = Vec::with_capacity(768);
    let split = match format {
        DetectionFormat::Jsonl | DetectionFormat::Json => {
            let split = crate::detection_json::write_without_rule(d, &mut out);
            out.push(b'\n');
            split
        }
        DetectionFormat::Csv => {
            push_csv_cell(&mut out, d.time);
            out.push(b',');
            let split = out.len();
            let record = d.event.source.record.to_string();
            let events = d.events.map_or(1, <[_]>::len).to_string();
            push_csv_row(
                &mut out,
                [
                    d.event.operation.as_str(),
                    d.event.caller.as_deref().unwrap_or(""),
                    d.event.caller_type,
                    d.event.ip.as_deref().unwrap_or(""),
                    d.event.resource_id.as_deref().unwrap_or(""),
                    &d.event.source.path,
                    &record,
                    &events,
                    d.summary.unwrap_or(""),
                ],
            );
            split
        }
        DetectionFormat::Table => {
            let (on, reset) = if use_colour {
                (colour(d.level), "\x1b[0m")
            } else {
                ("", "")
            };
            let what = match d.summary {
                Some(s) => s.to_string(),
                None => format!(
                    "{} {}",
                    d.event.operation,
                    d.event.resource_id.as_deref().unwrap_or("")
                ),
            };
            let line = format!(
                "{}  {on}{:<58}{reset}  {:<28}  {:<15}  {}  [{}]\n",
                d.time.get(..19).unwrap_or(d.time),
                terminal_text(d.rule_title, 58),
                terminal_text(d.event.caller.as_deref().unwrap_or("-"), 28),
                terminal_text(d.event.ip.as_deref().unwrap_or("-"), 15),
                terminal_text(&what, 140),
                d.attack.join(","),
            );
            out.extend_from_slice(line.as_bytes());
            0
        }
    };
    RenderedRow { bytes: out, split }
}

/// The part of a detection's row that depends on its rule alone: in JSON the rule's id,
/// title, level, ATT&CK mapping and origin; in CSV its level, title, id, techniques and
/// tactics cells. The table interleaves them with the event's columns and renders rows whole
/// (an empty part).
pub fn rule_part(r: RuleFacts<'_>, format: DetectionFormat) -> Vec<u8> {
    let mut out = Vec::new();
    match format {
        DetectionFormat::Jsonl | DetectionFormat::Json => {
            crate::detection_json::write_rule_members(r, &mut out)
        }
        DetectionFormat::Csv => {
            let attack = r.attack.join(" ");
            let tactics = r.tactics.join(" ");
            for cell in [r.level.as_str(), r.title, r.id, &attack, &tactics] {
                push_csv_cell(&mut out, cell);
                out.push(b',');
            }
        }
        DetectionFormat::Table => {}
    }
    out
}

/// What a detection counts toward: its rule's level, title and ATT&CK mapping.
#[derive(Debug, Clone, Copy)]
pub struct Tally<'a> {
    pub level: Level,
    pub title: &'a str,
    pub attack: &'a [String],
    pub tactics: &'a [String],
}

impl<'a> From<&'a RuleRef> for Tally<'a> {
    fn from(r: &'a RuleRef) -> Tally<'a> {
        Tally {
            level: r.level,
            title: &r.title,
            attack: &r.attack,
            tactics: &r.tactics,
        }
    }
}

impl<'a> From<&'a Detection> for Tally<'a> {
    fn from(d: &'a Detection) -> Tally<'a> {
        Tally {
            level: d.level,
            title: &d.rule_title,
            attack: &d.attack,
            tactics: &d.tactics,
        }
    }
}

/// Detections of one ATT&CK technique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechniqueCount {
    pub count: usize,
    pub highest: Level,
    /// Titles of the rules that found it (the first few).
    pub rules: Vec<String>,
}

/// Counts for the summary and the ATT&CK Navigator layer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HuntSummary {
    pub total: usize,
    pub by_level: BTreeMap<&'static str, usize>,
    pub by_tactic: BTreeMap<String, usize>,
    pub by_technique: BTreeMap<String, TechniqueCount>,
    pub highest: Option<Level>,
}

/// Rule titles kept per technique.
const TITLES_PER_TECHNIQUE: usize = 5;

fn bump(map: &mut BTreeMap<String, usize>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

impl HuntSummary {
    pub fn add(&mut self, t: Tally<'_>) {
        self.total += 1;
        *self.by_level.entry(t.level.as_str()).or_default() += 1;
        for tactic in t.tactics {
            bump(&mut self.by_tactic, tactic);
        }
        for tech in t.attack {
            if let Some(c) = self.by_technique.get_mut(tech) {
                c.count += 1;
                c.highest = c.highest.max(t.level);
                if c.rules.len() < TITLES_PER_TECHNIQUE && !c.rules.iter().any(|r| r == t.title) {
                    c.rules.push(t.title.to_string());
                }
            } else {
                let first = TechniqueCount {
                    count: 1,
                    highest: t.level,
                    rules: vec![t.title.to_string()],
                };
                self.by_technique.insert(tech.clone(), first);
            }
        }
        self.highest = Some(self.highest.map_or(t.level, |h| h.max(t.level)));
    }

    /// The summary block: detections by level and by tactic, events read, events per second.
    pub fn text(&self, events: u64, seconds: f64, rules: usize) -> String {
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
            "detections: {}{}\nby tactic: {}\nevents: {events} read in {seconds:.2} s ({rate:.0} events/s), {rules} rules\n",
            self.total,
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

/// Orders rendered detections (by time, then arrival) in bounded memory and writes them with
/// the format's framing.
pub struct DetectionWriter {
    format: DetectionFormat,
    use_colour: bool,
    /// One per level for the table (most severe first), else one.
    sorters: Vec<Sorter>,
    seq: u64,
    /// Rule parts ([`rule_part`]) by id, and the id of each distinct part.
    parts: Vec<Vec<u8>>,
    part_ids: HashMap<Vec<u8>, u32>,
    pub summary: HuntSummary,
}

fn level_slot(level: Level) -> usize {
    LEVELS.iter().position(|l| *l == level).unwrap_or(0)
}

impl DetectionWriter {
    /// `budget`: bytes of rows kept in memory before sorted runs spill to temporary files.
    pub fn new(format: DetectionFormat, use_colour: bool, budget: usize) -> DetectionWriter {
        let n = if format == DetectionFormat::Table {
            LEVELS.len()
        } else {
            1
        };
        DetectionWriter {
            format,
            use_colour,
            sorters: (0..n).map(|_| Sorter::new(budget / n)).collect(),
            seq: 0,
            parts: Vec::new(),
            part_ids: HashMap::new(),
            summary: HuntSummary::default(),
        }
    }

    /// The id of a rule part ([`rule_part`]) for [`DetectionWriter::push`]; equal parts share
    /// one id, so memory grows with the rules, not with the detections.
    pub fn part_id(&mut self, part: &[u8]) -> u32 {
        if let Some(id) = self.part_ids.get(part) {
            return *id;
        }
        let id = u32::try_from(self.parts.len()).unwrap_or(u32::MAX);
        self.parts.push(part.to_vec());
        self.part_ids.insert(part.to_vec(), id);
        id
    }

    pub fn format(&self) -> DetectionFormat {
        self.format
    }

    pub fn use_colour(&self) -> bool {
        self.use_colour
    }

    /// Adds one rendered detection whose (first) event happened at `nanos`, with the id of
    /// its rule part ([`DetectionWriter::part_id`]); `context` is an encoded
    /// [`ContextRequest`] answered when the rows are written (after all sign-ins are read).
    pub fn push(
        &mut self,
        tally: Tally<'_>,
        nanos: i128,
        row: &RenderedRow,
        part: u32,
        context: Option<&[u8]>,
    ) -> io::Result<()> {
        let level = tally.level;
        self.summary.add(tally);
        let key = Key {
            seconds: i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(i64::MAX),
            nanos: u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0),
            seq: self.seq,
        };
        self.seq += 1;
        let slot = if self.sorters.len() > 1 {
            level_slot(level)
        } else {
            0
        };
        // Stored as [context length][context request][rule part id][split][row], the numbers
        // u32 LE; see `unframe`. A request too long to frame is dropped (length 0), never
        // misframed.
        let ctx = context
            .filter(|c| u32::try_from(c.len()).is_ok())
            .unwrap_or(&[]);
        let len = u32::try_from(ctx.len()).unwrap_or(0).to_le_bytes();
        let split = u32::try_from(row.split.min(row.bytes.len()))
            .unwrap_or(0)
            .to_le_bytes();
        match self.sorters.get_mut(slot) {
            Some(s) => s.push_parts(key, &[&len, ctx, &part.to_le_bytes(), &split, &row.bytes]),
            None => Ok(()),
        }
    }

    /// Writes everything, framed for the format, with no sign-in context.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        self.finish_with(out, &|_| None)
    }

    /// Writes everything, framed for the format; `context` answers each detection's
    /// [`ContextRequest`] (JSON `context.signins`, extra CSV columns, a table line). Rows are
    /// completed (rule part, context) and written in order by [`crate::in_order`]'s inline
    /// path: completing a row is a small share of this phase, which waits on reading the
    /// spilled runs back; render threads measured no faster on 1M events and held ~20 MB more
    /// in flight (docs/PERFORMANCE.md, session 19).
    pub fn finish_with(
        self,
        out: &mut dyn Write,
        context: &(dyn Fn(&ContextRequest) -> Option<SigninContext> + Sync),
    ) -> io::Result<()> {
        let DetectionWriter {
            format,
            use_colour,
            sorters,
            summary,
            parts,
            ..
        } = self;
        let parts = &parts;
        let make = || {
            let mut whole = Vec::new();
            move |index: u64, framed: &[u8], out: &mut Vec<u8>| -> io::Result<()> {
                let (ctx, stored) = unframe(framed);
                let answer = ctx.and_then(|c| context(&c));
                let (part, split, bytes) = unpart(stored);
                let split = split.min(bytes.len());
                whole.clear();
                whole.extend_from_slice(&bytes[..split]);
                whole.extend_from_slice(parts.get(part).map_or(&[][..], Vec::as_slice));
                whole.extend_from_slice(&bytes[split..]);
                add_context(format, &mut whole, answer.as_ref());
                if format == DetectionFormat::Json {
                    out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
                    out.extend_from_slice(whole.strip_suffix(b"\n").unwrap_or(&whole));
                } else {
                    out.extend_from_slice(&whole);
                }
                Ok(())
            }
        };
        render_in_order(1, out, make, |feed| {
            let rows = |s: Sorter, feed: &mut dyn Feed| s.finish_rows(&mut |row| feed.row(row));
            match format {
                DetectionFormat::Jsonl => {
                    for s in sorters {
                        rows(s, feed)?;
                    }
                }
                DetectionFormat::Json => {
                    feed.literal(b"[")?;
                    for s in sorters {
                        rows(s, feed)?;
                    }
                    feed.literal(b"\n]\n")?;
                }
                DetectionFormat::Csv => {
                    let mut header = Vec::new();
                    push_csv_row(&mut header, CSV_COLUMNS);
                    feed.literal(&header)?;
                    for s in sorters {
                        rows(s, feed)?;
                    }
                }
                DetectionFormat::Table => {
                    let reset = if use_colour { "\x1b[0m" } else { "" };
                    for (level, s) in LEVELS.iter().zip(sorters) {
                        let n = summary.by_level.get(level.as_str()).copied().unwrap_or(0);
                        if n == 0 {
                            continue;
                        }
                        let on = if use_colour { colour(*level) } else { "" };
                        let title = level.as_str().to_ascii_uppercase();
                        feed.literal(format!("{on}== {title} ({n}) =={reset}\n").as_bytes())?;
                        rows(s, feed)?;
                        feed.literal(b"\n")?;
                    }
                    if summary.total == 0 {
                        feed.literal(b"no detections\n")?;
                    }
                }
            }
            Ok(())
        })
    }
}

/// Splits a stored row into its context request and the rendered row.
fn unframe(framed: &[u8]) -> (Option<ContextRequest>, &[u8]) {
    let Some((len, rest)) = framed.split_first_chunk::<4>() else {
        return (None, framed);
    };
    let len = u32::from_le_bytes(*len) as usize;
    match rest.split_at_checked(len) {
        Some((ctx, row)) if len > 0 => (ContextRequest::decode(ctx), row),
        Some((_, row)) => (None, row),
        None => (None, rest),
    }
}

/// Splits what follows the context request into the rule part id, the split offset and the
/// row without the part.
fn unpart(stored: &[u8]) -> (usize, usize, &[u8]) {
    let Some((part, rest)) = stored.split_first_chunk::<4>() else {
        return (usize::MAX, 0, stored);
    };
    let Some((split, row)) = rest.split_first_chunk::<4>() else {
        return (usize::MAX, 0, rest);
    };
    (
        u32::from_le_bytes(*part) as usize,
        u32::from_le_bytes(*split) as usize,
        row,
    )
}

/// Adds the sign-in context to a rendered row, in place, in the format's way: a `context`
/// member in JSON, three CSV cells (sign-ins in the window, their IPs, the flag), an indented
/// line under the table row. Rows without context get empty CSV cells so columns line up.
fn add_context(format: DetectionFormat, row: &mut Vec<u8>, ctx: Option<&SigninContext>) {
    match format {
        DetectionFormat::Jsonl | DetectionFormat::Json => {
            let Some(c) = ctx else { return };
            let body = row.strip_suffix(b"\n").unwrap_or(row).len();
            if row.get(..body).is_none_or(|b| !b.ends_with(b"}")) {
                return;
            }
            row.truncate(body - 1);
            row.extend_from_slice(b",\"context\":{\"signins\":");
            crate::detection_json::write_signin_context(c, row);
            row.extend_from_slice(b"}}\n");
        }
        DetectionFormat::Csv => {
            if row.ends_with(b"\n") {
                row.pop();
            }
            if row.ends_with(b"\r") {
                row.pop();
            }
            let (n, ips, flag) = match ctx {
                Some(c) => (
                    c.total.to_string(),
                    c.ips.join(" "),
                    c.flag.clone().unwrap_or_default(),
                ),
                None => (String::new(), String::new(), String::new()),
            };
            row.push(b',');
            push_csv_row(row, [n.as_str(), &ips, &flag]);
        }
        DetectionFormat::Table => {
            if let Some(c) = ctx {
                let ips = if c.ips.is_empty() {
                    String::new()
                } else {
                    format!(
                        " from {}",
                        c.ips.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
                    )
                };
                let line = format!(
                    "    \u{21b3} sign-ins in the {} h before: {}{}{}",
                    c.window_hours,
                    c.total,
                    ips,
                    c.flag
                        .as_deref()
                        .map(|f| format!("; {f}"))
                        .unwrap_or_default()
                );
                row.extend_from_slice(terminal_text(&line, 400).as_bytes());
                row.push(b'\n');
            }
        }
    }
}

#[cfg(test)]
mod context_tests {
    use super::*;
    use sonic_rs::JsonValueTrait;

    fn with_context(format: DetectionFormat, row: &[u8], ctx: Option<&SigninContext>) -> Vec<u8> {
        let mut out = row.to_vec();
        add_context(format, &mut out, ctx);
        out
    }

    fn ctx(flag: Option<&str>) -> SigninContext {
        SigninContext {
            window_hours: 24,
            total: 2,
            failed: 0,
            recent: Vec::new(),
            ips: vec!["198.51.100.1".into()],
            ip: Some("203.0.113.7".into()),
            ip_in_signins: Some(false),
            ip_in_any_signin: Some(false),
            flag: flag.map(str::to_string),
        }
    }

    #[test]
    fn context_is_spliced_into_each_format() {
        let json = with_context(
            DetectionFormat::Jsonl,
            b"{\"a\":1}\n",
            Some(&ctx(Some("x"))),
        );
        let v: sonic_rs::Value = sonic_rs::from_slice(&json).unwrap();
        assert_eq!(v["context"]["signins"]["total"].as_u64(), Some(2));
        assert_eq!(v["a"].as_u64(), Some(1));
        assert!(json.ends_with(b"}\n"));
        let csv = with_context(DetectionFormat::Csv, b"a,b\n", Some(&ctx(Some("=cmd"))));
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "a,b,2,198.51.100.1,\"'=cmd\"\n"
        );
        let none = with_context(DetectionFormat::Csv, b"a,b\n", None);
        assert_eq!(none, b"a,b,,,\n");
        let table = with_context(
            DetectionFormat::Table,
            b"row\n",
            Some(&ctx(Some("flag\x1b[31m"))),
        );
        let text = String::from_utf8(table).unwrap();
        assert!(
            text.starts_with("row\n    ") && text.contains("flag?[31m") && text.ends_with('\n')
        );
        assert_eq!(
            with_context(DetectionFormat::Table, b"row\n", None),
            b"row\n"
        );
    }

    fn event(i: u64) -> azhunt_detect::EventRef {
        azhunt_detect::EventRef {
            id: format!("e{i}"),
            time: format!("2026-11-10T10:00:0{i}Z"),
            operation: "=op,\"x\"".into(),
            caller: Some("a@contoso.example".into()),
            caller_type: "user",
            ip: None,
            resource_id: Some("/subscriptions/s".into()),
            source: azhunt_detect::SourceRef {
                path: std::sync::Arc::from("in.json"),
                record: i,
                line: Some(i),
            },
            nanos: i128::from(i) * 1_000_000_000,
        }
    }

    fn rule(n: u32) -> RuleRef {
        RuleRef {
            id: format!("r{n}"),
            title: format!("Rule, \"{n}\""),
            level: Level::High,
            attack: vec!["T1098".into(), "T1098.003".into()],
            tactics: vec!["persistence".into()],
            origin: "builtin:r.yml".into(),
        }
    }

    /// Rows stored without their rule part (spilled, with a tiny budget) come out whole: the
    /// JSON as serde writes the detection, CSV with the rule's cells in their columns.
    #[test]
    fn rule_parts_go_back_into_every_row() {
        let rules = [rule(1), rule(2)];
        let events: Vec<_> = (0..6).map(|i| event(5 - i)).collect();
        for format in [DetectionFormat::Jsonl, DetectionFormat::Csv] {
            let mut w = DetectionWriter::new(format, false, 256);
            let ids: Vec<u32> = rules
                .iter()
                .map(|r| w.part_id(&rule_part(RuleFacts::from(r), format)))
                .collect();
            assert_ne!(ids[0], ids[1]);
            assert_eq!(
                w.part_id(&rule_part(RuleFacts::from(&rules[1]), format)),
                ids[1]
            );
            for (i, e) in events.iter().enumerate() {
                let view = DetectionView::single(&rules[i % 2], e);
                let row = render_row(&view, format, false);
                w.push(Tally::from(&rules[i % 2]), e.nanos, &row, ids[i % 2], None)
                    .unwrap();
            }
            let mut out = Vec::new();
            w.finish(&mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            match format {
                DetectionFormat::Jsonl => {
                    assert_eq!(lines.len(), 6);
                    for (line, e) in lines.iter().zip(events.iter().rev()) {
                        let i = events.iter().position(|x| x.id == e.id).unwrap();
                        let want = sonic_rs::to_string(&DetectionView::single(&rules[i % 2], e));
                        assert_eq!(*line, want.unwrap());
                    }
                }
                _ => {
                    assert_eq!(lines.len(), 7);
                    assert!(lines[1].starts_with(
                        "2026-11-10T10:00:00Z,high,\"Rule, \"\"2\"\"\",r2,T1098 T1098.003,persistence,\"'=op,\"\"x\"\"\",a@contoso.example,"
                    ), "{}", lines[1]);
                }
            }
        }
    }

    #[test]
    fn frames_without_or_with_broken_requests_still_yield_the_row() {
        assert_eq!(unframe(b"\0\0\0\0row"), (None, &b"row"[..]));
        assert_eq!(unframe(b"ro"), (None, &b"ro"[..]));
        let (req, row) = unframe(b"\x03\0\0\0abcrow");
        assert!(req.is_none());
        assert_eq!(row, b"row");
    }
}
