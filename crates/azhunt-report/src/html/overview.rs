//! `#overview`: what was read — counts, time span, log sources, scopes, and the per-file
//! accounting that shows nothing was dropped.

use super::markup::{Html, Number};
use crate::report_data::{FileRow, ReportData};

pub(super) fn section(h: &mut Html, data: &ReportData) {
    let o = &data.overview;
    h.section("overview", "Overview");
    h.raw("<div class=\"stats\">");
    stat(h, "Events", o.events, false);
    stat(h, "Duplicates removed", o.duplicates, false);
    stat(h, "Records rejected", o.rejected, o.rejected > 0);
    stat(h, "Detections", data.totals.total, false);
    stat(h, "Identities", o.identities, false);
    stat(h, "IP addresses", o.ips, false);
    h.raw("</div>");
    h.raw("<p class=\"span\">Time span: ");
    match (&o.first_event, &o.last_event) {
        (Some(a), Some(b)) => {
            h.time(a).raw(" to ").time(b);
        }
        _ => {
            h.raw("no events with a time");
        }
    }
    h.raw("</p>");

    h.el("h3", &[], "Log sources");
    h.grid_or(
        "<p class=\"empty\">No events were read.</p>",
        o.sources.is_empty(),
        "grid",
        &["Source", "Scope", "#Events", "First", "Last"],
        |h| {
            for s in &o.sources {
                h.raw("<tr>")
                    .td(Some(&s.label))
                    .td(Some(&s.scope))
                    .td_num(s.events);
                h.td_time(&s.first).td_time(&s.last).raw("</tr>");
            }
        },
    );

    h.el("h3", &[], "Scopes");
    if o.scopes.is_empty() {
        h.raw("<p class=\"empty\">No tenant, management group or subscription was named.</p>");
    } else {
        h.raw("<ul class=\"chips\">");
        for s in &o.scopes {
            h.el("li", &[], s);
        }
        h.raw("</ul>");
    }

    let sum = |f: fn(&FileRow) -> u64| o.files.iter().map(f).sum::<u64>();
    let totals = [
        sum(|f| f.read),
        sum(|f| f.normalized),
        sum(|f| f.duplicates),
        sum(|f| f.rejected),
    ];
    let unread = o.files.iter().filter(|f| f.status != "read").count();
    h.raw("<details class=\"files\"><summary><h3>Files read</h3> <span class=\"muted\">");
    h.num(o.files.len())
        .raw(" files, ")
        .num(totals[0])
        .raw(" records: ");
    h.num(totals[1])
        .raw(" normalized, ")
        .num(totals[2])
        .raw(" duplicates, ");
    h.num(totals[3]).raw(" rejected");
    if unread > 0 {
        h.raw(", <strong class=\"bad\">")
            .num(unread)
            .raw(" not read</strong>");
    }
    h.raw("</span></summary>");
    h.raw("<p class=\"note\">Each record read is normalized, a duplicate of one already read, or rejected.</p>");
    let columns = [
        "File",
        "Record shapes",
        "#Read",
        "#Normalized",
        "#Duplicates",
        "#Rejected",
        "Status",
    ];
    h.grid("grid files", &columns, |h| {
        for f in &o.files {
            h.raw("<tr><td class=\"path\">").text(&f.path).raw("</td>");
            h.td(Some(&f.kinds.join(", ")));
            h.td_num(f.read).td_num(f.normalized).td_num(f.duplicates);
            h.td_num(f.rejected);
            let ok = f.status == "read";
            h.open("td", &[("class", if ok { "ok" } else { "bad" })]);
            h.text(&f.status).raw("</td></tr>");
        }
        h.raw("<tr class=\"total\"><th>Total</th><th></th>");
        for n in totals {
            h.raw("<th class=\"n\">").num(n).raw("</th>");
        }
        h.raw("<th></th></tr>");
    });
    h.raw("</details>");
    h.raw("</section>\n");
}

fn stat<N: Number>(h: &mut Html, label: &'static str, n: N, warn: bool) {
    h.open("div", &[("class", if warn { "stat warn" } else { "stat" })]);
    h.raw("<b>")
        .num(n)
        .raw("</b><span>")
        .text(label)
        .raw("</span></div>");
}
