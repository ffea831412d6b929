//! The JSON form of a detection (`hunt --format jsonl|json`), written directly.
//!
//! A row for ordering is written without the members that depend on its rule alone
//! ([`write_without_rule`]); they are written once per rule ([`write_rule_members`]) and put
//! back when the row is output, so a sorted, possibly spilled, row does not carry them.
//!
//! Member names are constants copied as prepared bytes and string values go through the same
//! SIMD escaping as timeline rows (`timeline/json.rs`). The bytes are those serde would write
//! for [`DetectionView`] (its `Serialize` stays the contract's definition; a test compares the
//! two on detections with every optional part and hostile strings). Rendering the 11,177
//! detections of 20k generated events took 69.5 M instructions through serde, 40.7 M here.

use crate::timeline::json::Members;
use azhunt_detect::{DetectionView, EventRef, Level, RuleRef};
use azhunt_insight::SigninContext;

/// Appends `d` as one JSON object (rows for output are written in two parts; the whole
/// object is what the test below compares with serde).
#[cfg(test)]
pub fn write_detection(d: &DetectionView<'_>, out: &mut Vec<u8>) {
    let split = write_without_rule(d, out);
    let mut rule = Vec::new();
    write_rule_members(RuleFacts::from(d), &mut rule);
    out.splice(split..split, rule);
}

/// Appends `d` as one JSON object without the members that depend on its rule alone
/// ([`write_rule_members`]); returns the offset in `out` where they belong (after `time`).
pub fn write_without_rule(d: &DetectionView<'_>, out: &mut Vec<u8>) -> usize {
    let mut m = Members::new(out);
    m.str("time", d.time);
    let split = m.written();
    write_event(m.object("event"), d.event);
    if let Some(events) = d.events {
        let mut a = m.array("events");
        for e in events {
            write_event(Members::new(a.next()), e);
        }
        a.close();
    }
    if let Some(summary) = d.summary {
        m.str("summary", summary);
    }
    m.close();
    split
}

/// What a detection's row says about its rule: the same for every detection of the rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleFacts<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub level: Level,
    pub attack: &'a [String],
    pub tactics: &'a [String],
    pub origin: &'a str,
}

impl<'a> From<&DetectionView<'a>> for RuleFacts<'a> {
    fn from(d: &DetectionView<'a>) -> RuleFacts<'a> {
        RuleFacts {
            id: d.rule_id,
            title: d.rule_title,
            level: d.level,
            attack: d.attack,
            tactics: d.tactics,
            origin: d.rule_origin,
        }
    }
}

impl<'a> From<&'a RuleRef> for RuleFacts<'a> {
    fn from(r: &'a RuleRef) -> RuleFacts<'a> {
        RuleFacts {
            id: &r.id,
            title: &r.title,
            level: r.level,
            attack: &r.attack,
            tactics: &r.tactics,
            origin: &r.origin,
        }
    }
}

/// The members that depend on the rule alone, each after a comma:
/// `,"rule_id":…,"rule_title":…,"level":…,"attack":[…],"tactics":[…],"rule_origin":…`.
pub fn write_rule_members(r: RuleFacts<'_>, out: &mut Vec<u8>) {
    let mut m = Members::continued(out);
    m.str("rule_id", r.id);
    m.str("rule_title", r.title);
    m.str("level", r.level.as_str());
    m.strs("attack", r.attack);
    m.strs("tactics", r.tactics);
    m.str("rule_origin", r.origin);
}

fn write_event(mut m: Members<'_>, e: &EventRef) {
    m.str("id", &e.id);
    m.str("time", &e.time);
    m.str("operation", &e.operation);
    m.opt("caller", e.caller.as_deref());
    m.str("caller_type", e.caller_type);
    m.opt("ip", e.ip.as_deref());
    m.opt("resource_id", e.resource_id.as_deref());
    let mut source = m.object("source");
    source.str("path", &e.source.path);
    source.uint("record", e.source.record);
    if let Some(line) = e.source.line {
        source.uint("line", line);
    }
    source.close();
    m.close();
}

/// Appends a detection's sign-in context (`context.signins`) as one JSON object: the bytes
/// serde writes for [`SigninContext`] (a test compares them), for the half million rows a hunt
/// can write.
pub fn write_signin_context(c: &SigninContext, out: &mut Vec<u8>) {
    let mut m = Members::new(out);
    m.uint("window_hours", u64::from(c.window_hours));
    m.uint("total", c.total as u64);
    m.uint("failed", c.failed as u64);
    let mut recent = m.array("recent");
    for b in &c.recent {
        let mut s = Members::new(recent.next());
        s.str("time", &b.time);
        s.str("kind", b.kind);
        s.opt("ip", b.ip.as_deref());
        s.opt("location", b.location.as_deref());
        s.opt("app", b.app.as_deref());
        s.str("result", b.result);
        s.opt("error_code", b.error_code.as_deref());
        s.opt("conditional_access", b.conditional_access.as_deref());
        s.opt("authentication", b.authentication.as_deref());
        s.opt("risk", b.risk.as_deref());
        s.close();
    }
    recent.close();
    m.strs("ips", &c.ips);
    m.opt("ip", c.ip.as_deref());
    m.opt_bool("ip_in_signins", c.ip_in_signins);
    m.opt_bool("ip_in_any_signin", c.ip_in_any_signin);
    m.opt("flag", c.flag.as_deref());
    m.close();
}

#[cfg(test)]
mod tests {
    use super::*;
    use azhunt_detect::SourceRef;
    use proptest::prelude::*;
    use std::sync::Arc;

    fn event(s: &str, opt: bool, line: Option<u64>) -> EventRef {
        EventRef {
            id: format!("id{s}"),
            time: "2026-11-10T10:00:00Z".into(),
            operation: s.to_string(),
            caller: opt.then(|| format!("=cmd|{s}")),
            caller_type: "user",
            ip: opt.then(|| "203.0.113.5".to_string()),
            resource_id: (!opt).then(|| format!("/subscriptions/{s}")),
            source: SourceRef {
                path: Arc::from(format!("dir/{s}.json")),
                record: 7,
                line,
            },
            nanos: 0,
        }
    }

    fn brief(s: &str, opt: bool) -> azhunt_insight::SigninBrief {
        let o = |x: &str| opt.then(|| format!("{x}{s}"));
        azhunt_insight::SigninBrief {
            time: format!("2026-11-10T10:00:00Z{s}"),
            kind: "interactive",
            ip: o("ip"),
            location: o("Oslo, NO"),
            app: o("app"),
            result: if opt { "success" } else { "failure" },
            error_code: o("50126"),
            conditional_access: o("ca"),
            authentication: o("auth"),
            risk: o("risk"),
        }
    }

    proptest! {
        /// Byte for byte what serde writes for a sign-in context, whatever it holds.
        #[test]
        fn signin_context_same_bytes_as_serde(
            s in "\\PC*|[\\x00-\\x7f]{0,30}",
            n in 0usize..3,
            opt in any::<bool>(),
            bools in (proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>())),
            counts in (any::<u32>(), any::<usize>(), any::<usize>()),
        ) {
            let c = SigninContext {
                window_hours: counts.0,
                total: counts.1,
                failed: counts.2,
                recent: (0..n).map(|i| brief(&format!("{s}{i}"), opt ^ (i % 2 == 1))).collect(),
                ips: (0..n).map(|i| format!("{s}/{i}")).collect(),
                ip: opt.then(|| s.clone()),
                ip_in_signins: bools.0,
                ip_in_any_signin: bools.1,
                flag: (!opt).then(|| format!("flag {s}")),
            };
            let mut ours = Vec::new();
            write_signin_context(&c, &mut ours);
            let serde = sonic_rs::to_vec(&c).unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&serde));
        }

        /// Byte for byte what serde writes for the view, whatever the strings and parts.
        #[test]
        fn same_bytes_as_serde(
            s in "\\PC*|[\\x00-\\x7f]{0,30}",
            opt in any::<bool>(),
            line in proptest::option::of(any::<u64>()),
            n_events in proptest::option::of(0usize..3),
            summary in proptest::option::of("\\PC{0,20}"),
            attack in proptest::collection::vec("[A-Za-z0-9.\"\\\\]{0,8}", 0..3),
        ) {
            let ev = event(&s, opt, line);
            let events: Vec<EventRef> = (0..n_events.unwrap_or(0)).map(|i| event(&format!("{s}{i}"), i % 2 == 0, line)).collect();
            let view = DetectionView {
                time: &ev.time,
                rule_id: &s,
                rule_title: "t\u{1b}[31m<b>",
                level: Level::High,
                attack: &attack,
                tactics: &attack,
                rule_origin: "builtin:x.yml",
                event: &ev,
                events: n_events.map(|_| events.as_slice()),
                summary: summary.as_deref(),
            };
            let mut ours = Vec::new();
            write_detection(&view, &mut ours);
            let serde = sonic_rs::to_vec(&view).unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&serde));
        }
    }
}
