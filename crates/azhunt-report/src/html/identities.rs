//! `#identities`: the ranked identities and IPs, then one page per identity (`#identity-N`):
//! kind, first and last seen, IPs (flagging those never seen in its sign-ins), locations,
//! operations, failed and privileged operations, sign-ins and detections.

use super::detections::{detection_anchor, find_detection};
use super::markup::{Html, LEVELS};
use super::{IdentityIndex, identity_anchor};
use crate::report_data::ReportData;
use azhunt_insight::{Counted, IdentityProfile, LevelCounts};

/// Rows of the ranking tables; every identity still has its page.
const TOP: usize = 25;
/// Values listed per list on an identity page.
const LISTED: usize = 15;

pub(super) fn section(h: &mut Html, data: &ReportData, ids: &IdentityIndex) {
    h.section("identities", "Identities and IP addresses");
    h.el("h3", &[], "Top identities");
    if data.identities.is_empty() {
        h.raw("<p class=\"empty\">No identity is named in the evidence.</p>");
    } else {
        h.raw("<p class=\"note\">Ranked by detections (weighted by level), then privileged operations, failures and events.</p>");
        identity_table(h, data);
    }
    h.el("h3", &[], "Top IP addresses");
    if data.ips.is_empty() {
        h.raw("<p class=\"empty\">No IP address is recorded in the evidence.</p>");
    } else {
        ip_table(h, data, ids);
    }
    if !data.identities.is_empty() {
        h.el("h3", &[], "Identity pages");
        for (i, p) in data.identities.iter().enumerate() {
            page(h, data, i, p);
        }
    }
    h.raw("</section>\n");
}

fn levels(h: &mut Html, c: &LevelCounts) {
    if c.total == 0 {
        h.raw("<span class=\"none\">–</span>");
        return;
    }
    let per = [c.critical, c.high, c.medium, c.low, c.informational];
    for (level, n) in LEVELS.iter().zip(per) {
        if n > 0 {
            let class = format!("cnt lvl-{level}");
            let title = format!("{n} {level}");
            h.open("span", &[("class", &class), ("title", &title)]);
            h.num(n).close("span");
        }
    }
}

fn identity_table(h: &mut Html, data: &ReportData) {
    h.grid(
        "grid",
        &[
            "#",
            "Identity",
            "Kind",
            "#Events",
            "Detections",
            "#Privileged",
            "#Failed",
            "#IPs",
            "First seen",
            "Last seen",
        ],
        |h| {
            for (i, p) in data.identities.iter().enumerate().take(TOP) {
                h.raw("<tr>").td_num(i + 1).raw("<td>");
                let href = format!("#{}", identity_anchor(i));
                h.el("a", &[("href", &href)], &p.identity).raw("</td>");
                h.td(Some(p.kind)).td_num(p.events).raw("<td>");
                levels(h, &p.detections);
                h.raw("</td>")
                    .td_num(p.privileged_count)
                    .td_num(p.failed)
                    .td_num(p.ip_count);
                h.td_time(&p.first_seen).td_time(&p.last_seen).raw("</tr>");
            }
        },
    );
    if data.identities.len() > TOP {
        h.raw("<p class=\"note\">").num(data.identities.len() - TOP);
        h.raw(" more identities have pages below.</p>");
    }
}

fn ip_table(h: &mut Html, data: &ReportData, ids: &IdentityIndex) {
    h.grid(
        "grid",
        &[
            "IP",
            "#Events",
            "Detections",
            "Identities",
            "Locations",
            "#Sign-ins",
            "First seen",
            "Last seen",
        ],
        |h| {
            for ip in data.ips.iter().take(TOP) {
                h.raw("<tr><td><code>").text(&ip.ip).raw("</code>");
                if ip.private {
                    h.raw(" <span class=\"muted\">private</span>");
                }
                h.raw("</td>").td_num(ip.events).raw("<td>");
                levels(h, &ip.detections);
                h.raw("</td><td>");
                for (k, who) in ip.identities.iter().enumerate() {
                    if k > 0 {
                        h.raw(", ");
                    }
                    h.identity(ids, who);
                }
                if ip.identity_count > ip.identities.len() {
                    h.raw(" +").num(ip.identity_count - ip.identities.len());
                }
                h.raw("</td>");
                h.td(Some(&joined(&ip.locations)));
                h.td_num(ip.signins)
                    .td_time(&ip.first_seen)
                    .td_time(&ip.last_seen);
                h.raw("</tr>");
            }
        },
    );
    if data.ips.len() > TOP {
        h.raw("<p class=\"note\">").num(data.ips.len() - TOP);
        h.raw(" more IP addresses are not listed.</p>");
    }
}

/// `value (count), ...`
fn joined(values: &[Counted]) -> String {
    let parts: Vec<String> = values
        .iter()
        .take(LISTED)
        .map(|c| format!("{} ({})", c.value, c.count))
        .collect();
    parts.join(", ")
}

fn counted_list(h: &mut Html, title: &'static str, values: &[Counted], total: Option<u64>) {
    h.raw("<div class=\"box\">").el("h5", &[], title);
    if values.is_empty() {
        h.raw("<p class=\"none\">none</p></div>");
        return;
    }
    h.raw("<table class=\"mini\"><tbody>");
    for c in values.iter().take(LISTED) {
        h.raw("<tr><td class=\"wrapcode\">")
            .text(&c.value)
            .raw("</td>");
        h.td_num(c.count).raw("</tr>");
    }
    h.raw("</tbody></table>");
    let shown = values.len().min(LISTED);
    if let Some(t) = total.filter(|t| *t as usize > shown) {
        h.raw("<p class=\"note\">")
            .num(t as usize - shown)
            .raw(" more</p>");
    }
    h.raw("</div>");
}

fn page(h: &mut Html, data: &ReportData, i: usize, p: &IdentityProfile) {
    let anchor = identity_anchor(i);
    h.open("section", &[("id", &anchor), ("class", "identity")]);
    h.raw("<header><h4>")
        .text(&p.identity)
        .raw("</h4> <span class=\"chip\">");
    h.text(p.kind).raw("</span> ");
    levels(h, &p.detections);
    h.raw("</header>");
    h.raw("<dl class=\"facts\"><dt>First seen</dt><dd>")
        .time(&p.first_seen);
    h.raw("</dd><dt>Last seen</dt><dd>").time(&p.last_seen);
    h.raw("</dd><dt>Events</dt><dd>").num(p.events);
    if !p.logs.is_empty() {
        h.raw(" <span class=\"muted\">(");
        for (k, (log, n)) in p.logs.iter().enumerate() {
            if k > 0 {
                h.raw(", ");
            }
            h.text(log).raw(" ").num(*n);
        }
        h.raw(")</span>");
    }
    h.raw("</dd><dt>Known as</dt><dd>");
    for k in &p.keys {
        h.raw("<code class=\"wrapcode\">").text(k).raw("</code> ");
    }
    h.raw("</dd><dt>Sign-ins</dt><dd>")
        .num(p.signins.total)
        .raw(" (");
    h.num(p.signins.failed)
        .raw(" failed, ")
        .num(p.signins.risky)
        .raw(" risky)");
    h.raw("</dd></dl>");

    h.el("h5", &[], "IP addresses");
    if p.ips.is_empty() {
        h.raw("<p class=\"none\">none recorded</p>");
    } else {
        h.grid(
            "grid",
            &[
                "IP",
                "#Events",
                "Location",
                "In sign-ins",
                "First seen",
                "Last seen",
            ],
            |h| {
                for ip in &p.ips {
                    h.raw(if ip.in_signins {
                        "<tr>"
                    } else {
                        "<tr class=\"flagrow\">"
                    });
                    h.raw("<td><code>")
                        .text(&ip.ip)
                        .raw("</code></td>")
                        .td_num(ip.events);
                    h.td(ip.location.as_deref());
                    h.raw(if ip.in_signins {
                        "<td class=\"ok\">yes</td>"
                    } else {
                        "<td class=\"bad\"><strong>never in its sign-ins</strong></td>"
                    });
                    h.td_time(&ip.first_seen)
                        .td_time(&ip.last_seen)
                        .raw("</tr>");
                }
            },
        );
        if p.ip_count > p.ips.len() {
            h.raw("<p class=\"note\">")
                .num(p.ip_count - p.ips.len())
                .raw(" more</p>");
        }
    }

    h.raw("<div class=\"boxes\">");
    counted_list(h, "Locations", &p.locations, None);
    counted_list(
        h,
        "Operations",
        &p.operations,
        Some(p.operation_count as u64),
    );
    counted_list(h, "Failed operations", &p.failed_operations, Some(p.failed));
    counted_list(
        h,
        "Privileged operations",
        &p.privileged,
        Some(p.privileged_count),
    );
    counted_list(h, "Sign-in applications", &p.signins.applications, None);
    counted_list(h, "Authentication", &p.signins.authentication, None);
    h.raw("</div>");

    h.el("h5", &[], "Detections");
    if p.detection_list.is_empty() {
        h.raw("<p class=\"none\">none</p>");
    } else {
        h.grid("grid", &["Time", "Level", "Rule", "Operation", "IP"], |h| {
            for d in &p.detection_list {
                h.raw("<tr>")
                    .td_time(&d.time)
                    .raw("<td>")
                    .badge(d.level)
                    .raw("</td><td>");
                match find_detection(data, &d.time, &d.rule_title) {
                    Some(k) => {
                        let href = format!("#{}", detection_anchor(k));
                        h.el("a", &[("href", &href)], &d.rule_title);
                    }
                    None => {
                        h.text(&d.rule_title);
                    }
                }
                h.raw("</td>")
                    .td(Some(&d.operation))
                    .td(d.ip.as_deref())
                    .raw("</tr>");
            }
        });
    }
    h.raw("</section>\n");
}
