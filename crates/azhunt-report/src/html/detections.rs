//! `#detections`: counts by level and tactic, the ATT&CK tactic × technique matrix, and the
//! detection list (most severe first), each expandable to its rule, event facts, sign-in
//! context and raw event.

use super::IdentityIndex;
use super::markup::{Html, LEVELS, level_class};
use crate::report_data::{MatrixCell, ReportData, ReportDetection};
use azhunt_detect::EventRef;
use azhunt_insight::SigninContext;

/// ATT&CK Enterprise tactics in kill-chain order (the matrix's columns).
const TACTIC_ORDER: [&str; 14] = [
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
];

/// The anchor of detection `i` in the list.
pub(super) fn detection_anchor(i: usize) -> String {
    format!("detection-{i}")
}

pub(super) fn section(h: &mut Html, data: &ReportData, ids: &IdentityIndex) {
    let t = &data.totals;
    h.section("detections", "Detections");
    h.raw("<div class=\"levels\">");
    for level in LEVELS {
        let n = t.by_level.get(level).copied().unwrap_or(0);
        let class = format!("lvlcount lvl-{level}{}", if n == 0 { " zero" } else { "" });
        h.open("div", &[("class", &class)]);
        h.raw("<b>")
            .num(n)
            .raw("</b><span>")
            .text(level)
            .raw("</span></div>");
    }
    h.raw("<div class=\"lvlcount total\"><b>").num(t.total);
    h.raw("</b><span>total</span></div></div>");

    if !t.by_tactic.is_empty() {
        h.el("h3", &[], "By ATT&CK tactic");
        h.raw("<ul class=\"chips tactics\">");
        for (tactic, n) in &t.by_tactic {
            h.raw("<li>")
                .text(tactic)
                .raw(" <b>")
                .num(*n)
                .raw("</b></li>");
        }
        h.raw("</ul>");
    }

    h.el("h3", &[], "ATT&CK matrix (tactic × technique)");
    matrix(h, &t.matrix);

    h.el("h3", &[], "Detection list");
    if data.detections.is_empty() {
        h.raw("<p class=\"empty\">No rule fired on this evidence.</p>");
    } else {
        h.raw("<p class=\"note\">Most severe first, then by time. Open a row for the rule, the event, the identity's sign-ins and the raw record.</p>");
        h.raw("<div class=\"detlist\">");
        for (i, d) in data.detections.iter().enumerate() {
            detection(h, i, d, ids);
        }
        h.raw("</div>");
    }
    if t.not_listed > 0 {
        h.raw("<p class=\"note warnnote\">").num(t.not_listed);
        h.raw(" more detections are counted above but not listed; run <code>azhunt hunt</code> for all of them.</p>");
    }
    h.raw("</section>\n");
}

fn tactic_rank(t: &str) -> usize {
    TACTIC_ORDER
        .iter()
        .position(|x| *x == t)
        .unwrap_or(TACTIC_ORDER.len())
}

fn matrix(h: &mut Html, cells: &[MatrixCell]) {
    if cells.is_empty() {
        h.raw("<p class=\"empty\">No detection names an ATT&amp;CK technique.</p>");
        return;
    }
    let mut tactics: Vec<&str> = cells.iter().map(|c| c.tactic.as_str()).collect();
    tactics.sort_by(|a, b| tactic_rank(a).cmp(&tactic_rank(b)).then(a.cmp(b)));
    tactics.dedup();
    h.raw("<div class=\"scroll\"><div class=\"matrix\">");
    for tactic in tactics {
        h.raw("<div class=\"tactic\">").el("h4", &[], tactic);
        let mut column: Vec<&MatrixCell> = cells.iter().filter(|c| c.tactic == tactic).collect();
        column.sort_by(|a, b| {
            b.detections
                .cmp(&a.detections)
                .then(a.technique.cmp(&b.technique))
        });
        for c in column {
            let class = format!("tech lvl-{}", level_class(&c.highest));
            let title = c.rules.join("\n");
            h.open("div", &[("class", &class), ("title", &title)]);
            h.raw("<span class=\"tid\">")
                .text(&c.technique)
                .raw("</span>");
            h.raw("<span class=\"tn\">")
                .num(c.detections)
                .raw("</span>");
            h.raw("<span class=\"trules\">")
                .text(&c.rules.join("; "))
                .raw("</span>");
            h.raw("</div>");
        }
        h.raw("</div>");
    }
    h.raw("</div></div>");
}

fn detection(h: &mut Html, i: usize, rd: &ReportDetection, ids: &IdentityIndex) {
    let d = &rd.detection;
    let level = d.level.as_str();
    let anchor = detection_anchor(i);
    let class = format!("det lvl-{level}");
    h.open("details", &[("id", &anchor), ("class", &class)]);
    h.raw("<summary>").badge(level).raw(" ");
    h.raw("<span class=\"dt\">").time(&d.time).raw("</span> ");
    h.raw("<span class=\"dtitle\">")
        .text(&d.rule_title)
        .raw("</span>");
    h.raw("<span class=\"dwho\">");
    if let Some(c) = &d.event.caller {
        h.text(c);
    }
    if let Some(ip) = &d.event.ip {
        h.raw(" · ").text(ip);
    }
    h.raw("</span>");
    if rd.context.as_ref().is_some_and(|c| c.flag.is_some()) {
        h.raw("<span class=\"flagmark\" title=\"sign-in context flag\">!</span>");
    }
    h.raw("</summary><div class=\"detbody\">");

    h.raw("<dl class=\"facts\">");
    h.raw("<dt>Rule</dt><dd>")
        .text(&d.rule_title)
        .raw(" <code>")
        .text(&d.rule_id);
    h.raw("</code></dd><dt>Origin</dt><dd><code>")
        .text(&d.rule_origin)
        .raw("</code></dd>");
    h.raw("<dt>Level</dt><dd>").badge(level).raw("</dd>");
    h.raw("<dt>ATT&amp;CK</dt><dd>");
    for t in &d.attack {
        h.raw("<span class=\"chip\">").text(t).raw("</span> ");
    }
    for t in &d.tactics {
        h.raw("<span class=\"chip tac\">").text(t).raw("</span> ");
    }
    h.raw("</dd>");
    if let Some(s) = &d.summary {
        h.raw("<dt>Summary</dt><dd>").text(s).raw("</dd>");
    }
    h.raw("</dl>");

    h.el("h4", &[], "Event");
    event_facts(h, &d.event, ids);
    if let Some(events) = d.events.as_ref().filter(|e| e.len() > 1) {
        h.el("h4", &[], "Events behind it");
        h.grid(
            "grid",
            &["Time", "Operation", "Caller", "IP", "Resource"],
            |h| {
                for e in events {
                    h.raw("<tr>").td_time(&e.time).td(Some(&e.operation));
                    h.td(e.caller.as_deref())
                        .td(e.ip.as_deref())
                        .td(e.resource_id.as_deref());
                    h.raw("</tr>");
                }
            },
        );
    }
    if let Some(c) = &rd.context {
        context(h, c);
    }
    if let Some(raw) = &rd.raw {
        h.el("h4", &[], "Raw event");
        h.el("pre", &[("class", "raw")], &pretty_json(raw));
    }
    h.raw("</div></details>\n");
}

fn event_facts(h: &mut Html, e: &EventRef, ids: &IdentityIndex) {
    h.raw("<dl class=\"facts\">");
    h.raw("<dt>Time</dt><dd>").time(&e.time).raw("</dd>");
    h.raw("<dt>Operation</dt><dd><code>")
        .text(&e.operation)
        .raw("</code></dd>");
    h.raw("<dt>Caller</dt><dd>");
    match &e.caller {
        Some(c) => {
            h.identity(ids, c)
                .raw(" <span class=\"muted\">(")
                .text(e.caller_type);
            h.raw(")</span>");
        }
        None => {
            h.raw("<span class=\"none\">not recorded</span>");
        }
    }
    h.raw("</dd><dt>IP</dt><dd>")
        .text(e.ip.as_deref().unwrap_or("–"))
        .raw("</dd>");
    if let Some(r) = &e.resource_id {
        h.raw("<dt>Resource</dt><dd><code class=\"wrapcode\">")
            .text(r)
            .raw("</code></dd>");
    }
    h.raw("<dt>Event id</dt><dd><code class=\"wrapcode\">")
        .text(&e.id)
        .raw("</code></dd>");
    h.raw("<dt>Read from</dt><dd><code class=\"wrapcode\">")
        .text(&e.source.path);
    h.raw("</code> record ").num(e.source.record);
    if let Some(l) = e.source.line {
        h.raw(", line ").num(l);
    }
    h.raw("</dd></dl>");
}

fn context(h: &mut Html, c: &SigninContext) {
    h.raw("<h4>Sign-ins of the identity in the ")
        .num(c.window_hours);
    h.raw(" hours before</h4>");
    if let Some(flag) = &c.flag {
        h.raw("<p class=\"flag\">").text(flag).raw("</p>");
    }
    h.raw("<p class=\"note\">")
        .num(c.total)
        .raw(" sign-ins, ")
        .num(c.failed);
    h.raw(" failed. Control-plane IP ");
    match &c.ip {
        Some(ip) => {
            h.raw("<code>").text(ip).raw("</code>");
            h.raw(match c.ip_in_signins {
                Some(true) => " appears in these sign-ins.",
                Some(false) => " <strong>does not appear</strong> in these sign-ins.",
                None => " could not be compared (no sign-ins in the window).",
            });
            if c.ip_in_any_signin == Some(false) {
                h.raw(" It appears in no sign-in of this identity in the evidence.");
            }
        }
        None => {
            h.raw("not recorded.");
        }
    }
    if !c.ips.is_empty() {
        h.raw(" Sign-in IPs: ");
        for (i, ip) in c.ips.iter().enumerate() {
            if i > 0 {
                h.raw(", ");
            }
            h.raw("<code>").text(ip).raw("</code>");
        }
        h.raw(".");
    }
    h.raw("</p>");
    if c.recent.is_empty() {
        return;
    }
    h.grid(
        "grid signins",
        &[
            "Time",
            "Kind",
            "IP",
            "Location",
            "Application",
            "Result",
            "Conditional Access",
            "Authentication",
            "Risk",
        ],
        |h| {
            for s in &c.recent {
                let hit = c.ip.is_some() && s.ip == c.ip;
                h.raw(if hit {
                    "<tr class=\"ipmatch\">"
                } else {
                    "<tr>"
                });
                h.td_time(&s.time)
                    .td(Some(s.kind))
                    .td(s.ip.as_deref())
                    .td(s.location.as_deref());
                h.td(s.app.as_deref());
                let failed = s.result != "success";
                h.open("td", &[("class", if failed { "bad" } else { "ok" })])
                    .text(s.result);
                if let Some(code) = s.error_code.as_ref().filter(|c| !c.is_empty() && *c != "0") {
                    h.raw(" (").text(code).raw(")");
                }
                h.raw("</td>");
                h.td(s.conditional_access.as_deref())
                    .td(s.authentication.as_deref());
                h.td(s.risk.as_deref()).raw("</tr>");
            }
        },
    );
}

/// The raw record indented for reading; text that is not JSON is shown as it is.
fn pretty_json(raw: &str) -> String {
    match sonic_rs::from_str::<sonic_rs::Value>(raw) {
        Ok(v) => sonic_rs::to_string_pretty(&v).unwrap_or_else(|_| raw.to_string()),
        Err(_) => raw.to_string(),
    }
}

/// Used by identity pages to link a detection brief to the list when it is there.
pub(super) fn find_detection(data: &ReportData, time: &str, rule_title: &str) -> Option<usize> {
    data.detections
        .iter()
        .position(|d| d.detection.time == time && d.detection.rule_title == rule_title)
}
