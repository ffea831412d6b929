//! `#coverage`: what the evidence cannot show. The blockers first and prominent, each with
//! what to collect or enable next; then the period, the per-source table (span, events per
//! day, gaps) and the changes to logging itself (tampering).

use super::IdentityIndex;
use super::markup::Html;
use crate::report_data::ReportData;
use azhunt_insight::Blocker;

/// Plain words for a blocker's kind, and its CSS class (never taken from the data).
fn kind_words(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "logging_coverage_missing" => ("Logging coverage missing", "blk-coverage"),
        "audit_logging_not_enabled" => ("Audit logging not enabled or not licensed", "blk-audit"),
        "retention_expired" => ("Retention expired before collection", "blk-retention"),
        "tampering" => ("Logging was tampered with", "blk-tamper"),
        "gap" => ("Gap in the logs", "blk-gap"),
        _ => ("Blocker", "blk-other"),
    }
}

pub(super) fn section(h: &mut Html, data: &ReportData, ids: &IdentityIndex) {
    let c = &data.coverage;
    h.section("coverage", "Coverage and blockers");
    h.el("h3", &[], "What this evidence cannot answer");
    if c.blockers.is_empty() {
        h.raw("<p class=\"okbox\">No blocker found: every expected log source is present for the period, with no gap over the threshold and no change to logging.</p>");
    } else {
        h.raw("<div class=\"blockers\">");
        for b in &c.blockers {
            blocker(h, b);
        }
        h.raw("</div>");
    }

    h.el("h3", &[], "Period");
    let p = &c.period;
    h.raw("<dl class=\"facts\">");
    let rows: [(&'static str, &Option<String>); 5] = [
        ("First event", &p.first_event),
        ("Last event", &p.last_event),
        ("Investigation from", &p.since),
        ("Investigation to", &p.until),
        ("Collected", &p.collected_at),
    ];
    for (label, value) in rows {
        h.raw("<dt>").text(label).raw("</dt><dd>");
        match value {
            Some(t) => h.time(t),
            None => h.raw("<span class=\"none\">not given</span>"),
        };
        if label == "Collected" && value.is_some() {
            h.raw(" <span class=\"muted\">(")
                .text(p.collected_at_basis)
                .raw(")</span>");
        }
        h.raw("</dd>");
    }
    h.raw("<dt>Gap threshold</dt><dd>")
        .dec1(c.gap_threshold_hours)
        .raw(" hours</dd></dl>");

    h.el("h3", &[], "Log sources");
    h.grid_or(
        "<p class=\"empty\">No log source was read.</p>",
        c.sources.is_empty(),
        "grid",
        &[
            "Source",
            "Scope",
            "#Events",
            "First",
            "Last",
            "#Days covered",
            "#Events / day",
            "Gaps",
        ],
        |h| {
            for s in &c.sources {
                h.raw("<tr>")
                    .td(Some(s.label))
                    .td(Some(&s.scope))
                    .td_num(s.events);
                h.td_time(&s.first).td_time(&s.last).td_num(s.days_covered);
                h.raw("<td class=\"n\">")
                    .dec1(s.events_per_day)
                    .raw("</td>");
                if s.gaps.is_empty() {
                    h.raw("<td class=\"ok\">none</td>");
                } else {
                    h.raw("<td class=\"bad gapcell\"><ul class=\"gaps\">");
                    for g in &s.gaps {
                        h.raw("<li><b>").dec1(g.hours).raw(" h</b> ");
                        h.time(&g.from).raw(" – ").time(&g.to).raw("</li>");
                    }
                    h.raw("</ul></td>");
                }
                h.raw("</tr>");
            }
        },
    );

    h.el("h3", &[], "Changes to logging (tampering)");
    h.grid_or(
"<p class=\"empty\">No diagnostic setting, workspace or log profile was deleted or changed in the evidence.</p>",
c.tampering.is_empty(),

            "grid tamper",
            &[
                "Time",
                "What",
                "Operation",
                "Target",
                "Setting",
                "#Events",
                "Caller",
                "IP",
            ],
            |h| {
                for t in &c.tampering {
                    h.raw("<tr>")
                        .td_time(&t.time)
                        .td(Some(t.what))
                        .td(Some(&t.operation));
                    h.raw("<td class=\"wrapcode\">")
                        .text(&t.target)
                        .raw("</td><td>");
                    match &t.caller {
                        Some(who) => h.identity(ids, who),
                        None => h.raw("–"),
                    };
                    h.raw("</td>").td(t.ip.as_deref()).raw("</tr>");
                }
            },
        );
    h.raw("</section>\n");
}

fn blocker(h: &mut Html, b: &Blocker) {
    let (words, class) = kind_words(b.kind);
    let class = format!("blocker {class}");
    h.open("div", &[("class", &class)]);
    h.raw("<p class=\"bkind\">").text(words).raw("</p>");
    h.el("h4", &[], &b.title);
    h.el("p", &[], &b.detail);
    h.raw("<p class=\"next\"><b>Next:</b> ")
        .text(&b.next)
        .raw("</p></div>");
}
