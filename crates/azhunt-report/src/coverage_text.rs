//! `coverage` as text: per source and scope the span, events per day and gaps; tampering; and
//! the blockers, each with what to collect or enable next.

use crate::cells::terminal_text;
use azhunt_insight::CoverageReport;
use std::fmt::Write;

fn short(t: &str) -> &str {
    t.get(..16).unwrap_or(t)
}

pub fn coverage_text(c: &CoverageReport) -> String {
    let mut out = String::new();
    let p = &c.period;
    let _ = writeln!(
        out,
        "evidence: {} .. {}{}{}; collected at {} ({})",
        p.first_event.as_deref().unwrap_or("-"),
        p.last_event.as_deref().unwrap_or("-"),
        p.since
            .as_deref()
            .map(|s| format!("; period from {s}"))
            .unwrap_or_default(),
        p.until
            .as_deref()
            .map(|s| format!(" until {s}"))
            .unwrap_or_default(),
        p.collected_at.as_deref().unwrap_or("-"),
        p.collected_at_basis
    );
    let _ = writeln!(
        out,
        "\nsources (gaps longer than {} h):",
        c.gap_threshold_hours
    );
    let _ = writeln!(
        out,
        "  {:<48} {:<40} {:>8} {:<16} {:<16} {:>5} {:>9} {:>4}",
        "source", "scope", "events", "first", "last", "days", "per day", "gaps"
    );
    for s in &c.sources {
        let scope = if s.scope.is_empty() {
            "-"
        } else {
            s.scope.rsplit('/').next().unwrap_or(&s.scope)
        };
        let _ = writeln!(
            out,
            "  {:<48} {:<40} {:>8} {:<16} {:<16} {:>5} {:>9} {:>4}",
            s.label,
            terminal_text(scope, 40),
            s.events,
            short(&s.first),
            short(&s.last),
            s.days_covered,
            s.events_per_day,
            s.gaps.len()
        );
    }
    if !c.tampering.is_empty() {
        let _ = writeln!(out, "\ntampering with logging:");
        for t in &c.tampering {
            let name = |id: &str| id.rsplit('/').next().unwrap_or("").to_string();
            let _ = writeln!(
                out,
                "  {}  {:<28} {} on {}  by {} from {}",
                short(&t.time),
                t.what,
                terminal_text(&name(&t.resource_id), 60),
                terminal_text(&name(&t.target), 60),
                terminal_text(t.caller.as_deref().unwrap_or("-"), 60),
                terminal_text(t.ip.as_deref().unwrap_or("-"), 39)
            );
        }
    }
    if c.blockers.is_empty() {
        let _ = writeln!(out, "\nblockers: none found");
    } else {
        let _ = writeln!(out, "\nblockers ({}):", c.blockers.len());
        for (i, b) in c.blockers.iter().enumerate() {
            let _ = writeln!(out, "{:>3}. {}", i + 1, terminal_text(&b.title, 200));
            let _ = writeln!(out, "     {}", terminal_text(&b.detail, 400));
            let _ = writeln!(out, "     next: {}", terminal_text(&b.next, 400));
        }
    }
    out
}
