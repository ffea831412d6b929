//! The self-contained HTML report: one file, no network access when opened.
//!
//! [`render`] draws a [`ReportData`] as an HTML5 page with five sections — `overview`,
//! `detections`, `activity`, `identities`, `coverage` — and a nav bar linking them. The CSS, the
//! page's script and the chart library (uPlot, vendored under `assets/`) are embedded; a
//! Content-Security-Policy `<meta>` allows nothing but those exact scripts and styles (by
//! SHA-256 hash), so neither the page nor anything injected into it can fetch a resource.
//!
//! Every string from the evidence is attacker-controlled. It reaches the page only through
//! [`markup::push_escaped`] (element text and attribute values) or, for the charts, as JSON
//! in a `<script type="application/json">` block written by [`markup::json_for_script`]; the
//! page's script reads that with `JSON.parse` and hands text to the DOM only through
//! `textContent` and uPlot (which uses `textContent` too). See `docs/REPORT.md`.

mod activity;
mod assets;
mod coverage;
mod detections;
mod identities;
pub mod markup;
mod overview;

#[cfg(test)]
mod browser;
#[cfg(test)]
mod tests;

use crate::report_data::ReportData;
use markup::Html;
use std::collections::HashMap;

pub use markup::{escape, push_escaped};

/// The `id` of the element holding the chart data.
pub const CHART_DATA_ID: &str = "azhunt-chart-data";

/// The page's sections: (id, nav label).
pub const SECTIONS: [(&str, &str); 5] = [
    ("overview", "Overview"),
    ("detections", "Detections"),
    ("activity", "Activity"),
    ("identities", "Identities"),
    ("coverage", "Coverage"),
];

/// Where each identity's page is: its display name and every key, lower case, to its index.
pub(crate) struct IdentityIndex(HashMap<String, usize>);

impl IdentityIndex {
    fn of(data: &ReportData) -> IdentityIndex {
        let mut m = HashMap::new();
        for (i, p) in data.identities.iter().enumerate() {
            for k in std::iter::once(&p.identity).chain(&p.keys) {
                m.entry(k.to_ascii_lowercase()).or_insert(i);
            }
        }
        IdentityIndex(m)
    }

    /// The page of the identity named `name`, if it has one.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.0.get(&name.to_ascii_lowercase()).copied()
    }
}

/// The anchor of identity page `i`.
pub(crate) fn identity_anchor(i: usize) -> String {
    format!("identity-{i}")
}

impl Html {
    /// `name` linked to its identity page when it has one, else as text.
    pub(crate) fn identity(&mut self, ids: &IdentityIndex, name: &str) -> &mut Html {
        match ids.find(name) {
            Some(i) => {
                let href = format!("#{}", identity_anchor(i));
                self.el("a", &[("href", &href)], name)
            }
            None => self.text(name),
        }
    }
}

/// The whole report as one HTML document.
pub fn render(data: &ReportData) -> String {
    let ids = IdentityIndex::of(data);
    let charts = activity::charts(data);
    let mut h = Html::new();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw(assets::CSP_META);
    h.raw("\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"referrer\" content=\"no-referrer\">\n");
    h.raw("<meta name=\"generator\" content=\"")
        .text(&data.tool)
        .raw("\">\n");
    h.el("title", &[], &data.title).raw("\n");
    h.raw("<style>").raw(assets::UPLOT_CSS).raw("</style>\n");
    h.raw("<style>").raw(assets::REPORT_CSS).raw("</style>\n");
    h.raw("</head>\n<body>\n");
    header(&mut h, data);
    h.raw("<main>\n");
    overview::section(&mut h, data);
    detections::section(&mut h, data, &ids);
    activity::section(&mut h, &charts);
    identities::section(&mut h, data, &ids);
    coverage::section(&mut h, data, &ids);
    h.raw("</main>\n<footer>Made by ")
        .text(&data.tool)
        .raw(" on ");
    h.time(&data.generated_at);
    h.raw(". Self-contained: this file loads nothing from the network. Charts: uPlot 1.6.32 (MIT).</footer>\n");
    h.raw("<div id=\"csp-violations\" hidden=\"\"></div>\n");
    h.script_json(CHART_DATA_ID, &activity::chart_data(&charts));
    h.raw("\n<script>").raw(assets::UPLOT_JS).raw("</script>\n");
    h.raw("<script>")
        .raw(assets::REPORT_JS)
        .raw("</script>\n</body>\n</html>\n");
    h.finish()
}

fn header(h: &mut Html, data: &ReportData) {
    h.raw("<header class=\"top\"><div class=\"wrap\">");
    h.el("h1", &[], &data.title);
    h.raw("<p class=\"sub\">Generated ");
    h.time(&data.generated_at);
    h.raw(" by ").text(&data.tool);
    if let (Some(a), Some(b)) = (&data.overview.first_event, &data.overview.last_event) {
        h.raw(" · evidence from ").time(a).raw(" to ").time(b);
    }
    h.raw("</p></div></header>\n<nav class=\"bar\"><div class=\"wrap\">");
    for (id, label) in SECTIONS {
        let href = format!("#{id}");
        h.el("a", &[("href", &href)], label);
    }
    h.raw("</div></nav>\n");
}

impl Html {
    /// Opens a section with its anchor and heading.
    pub(crate) fn section(&mut self, id: &'static str, title: &'static str) -> &mut Html {
        self.open("section", &[("id", id), ("class", "card")]);
        self.el("h2", &[], title)
    }
}
