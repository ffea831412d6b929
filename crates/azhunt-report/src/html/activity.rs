//! `#activity`: events over time per log source, with the detections of that source marked.
//!
//! The counts are bucketed here (hours; days or weeks when the span is long) and written as
//! JSON for the page's script, which draws each chart with uPlot: a stepped line of events per
//! bucket, and one point series per detection level sitting on the line in the buckets where
//! detections of that level fell (the legend shows how many).

use super::markup::{Html, LEVELS};
use crate::report_data::ReportData;
use serde::Serialize;
use std::collections::BTreeMap;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Buckets per chart at most; a longer span uses wider buckets.
const MAX_BUCKETS: i64 = 3_000;

/// One chart as the page's script reads it.
#[derive(Debug, Serialize, PartialEq)]
pub(super) struct Chart<'a> {
    pub source: &'a str,
    pub label: &'a str,
    /// `hour`, `day` or `week`.
    pub unit: &'static str,
    /// Bucket width, seconds.
    pub step: i64,
    /// Bucket starts, unix seconds (uPlot's time unit).
    pub x: Vec<i64>,
    pub y: Vec<u64>,
    pub marks: Vec<Marks>,
}

/// Detections of one level per bucket.
#[derive(Debug, Serialize, PartialEq)]
pub(super) struct Marks {
    pub level: &'static str,
    pub n: Vec<u32>,
}

#[derive(Serialize)]
struct ChartData<'a> {
    charts: &'a [Chart<'a>],
}

fn bucket_of(span_ms: i64) -> (i64, &'static str) {
    if span_ms / HOUR < MAX_BUCKETS {
        (HOUR, "hour")
    } else if span_ms / DAY < MAX_BUCKETS {
        (DAY, "day")
    } else {
        (7 * DAY, "week")
    }
}

/// A detection as the charts place it: time (ms), level, log source.
type Placed<'a> = (i64, &'static str, Option<&'a str>);

/// The charts: first all log sources together with every detection marked, then one per
/// series with events (in the order of `data.activity`) marking the detections of that source.
/// A detection with no single source (over events of several) is on the first chart only.
pub(super) fn charts(data: &ReportData) -> Vec<Chart<'_>> {
    let detections: Vec<Placed> = data
        .detections
        .iter()
        .filter_map(|d| {
            let t: jiff::Timestamp = d.detection.time.parse().ok()?;
            Some((t.as_millisecond(), d.detection.level.as_str(), d.log_source))
        })
        .collect();
    let mut all: BTreeMap<i64, u64> = BTreeMap::new();
    for s in &data.activity {
        for (ms, n) in &s.hours {
            *all.entry(*ms).or_default() += n;
        }
    }
    let all: Vec<(i64, u64)> = all.into_iter().collect();
    let mut out = Vec::new();
    // With one source the combined chart would repeat it.
    if data.activity.iter().filter(|s| !s.hours.is_empty()).count() > 1 {
        out.extend(chart("all", "All log sources", &all, &detections, |_| true));
    }
    for s in &data.activity {
        let own = |src: Option<&str>| src == Some(s.source);
        out.extend(chart(s.source, s.label, &s.hours, &detections, own));
    }
    out
}

fn chart<'a>(
    source: &'a str,
    label: &'a str,
    hours: &[(i64, u64)],
    detections: &[Placed],
    marks_here: impl Fn(Option<&str>) -> bool,
) -> Option<Chart<'a>> {
    let first = hours.iter().map(|h| h.0).min()?;
    let last = hours.iter().map(|h| h.0).max()?;
    let (step, unit) = bucket_of(last - first);
    let start = first.div_euclid(step) * step;
    let n = usize::try_from((last.div_euclid(step) * step - start) / step + 1).ok()?;
    // Integer division rounds toward zero: a time just before `start` is not in bucket 0.
    let slot = |ms: i64| {
        usize::try_from((ms - start).div_euclid(step))
            .ok()
            .filter(|i| *i < n)
    };
    let mut y = vec![0u64; n];
    for (ms, count) in hours {
        if let Some(i) = slot(*ms) {
            y[i] += count;
        }
    }
    let mut marks: Vec<Marks> = Vec::new();
    for level in LEVELS {
        let mut per = vec![0u32; n];
        for (ms, l, src) in detections {
            if *l == level
                && marks_here(*src)
                && let Some(i) = slot(*ms)
            {
                per[i] += 1;
            }
        }
        if per.iter().any(|c| *c > 0) {
            marks.push(Marks { level, n: per });
        }
    }
    Some(Chart {
        source,
        label,
        unit,
        step: step / 1000,
        x: (0..n as i64).map(|i| (start + i * step) / 1000).collect(),
        y,
        marks,
    })
}

pub(super) fn section(h: &mut Html, charts: &[Chart]) {
    h.section("activity", "Activity over time");
    if charts.is_empty() {
        h.raw("<p class=\"empty\">No events with a time to chart.</p></section>\n");
        return;
    }
    h.raw("<p class=\"note\">Events per time bucket (UTC) for each kind of log source. Coloured points mark buckets with detections, in one lane per level above the line: the first chart has them all, each source's chart those found in its events; hover for counts, drag to zoom, double-click to reset.</p>");
    for (i, c) in charts.iter().enumerate() {
        let total: u64 = c.y.iter().sum();
        let peak = c.y.iter().copied().max().unwrap_or(0);
        let marked: u32 = c.marks.iter().flat_map(|m| m.n.iter()).sum();
        h.raw("<figure class=\"chart\">");
        h.raw("<figcaption><b>")
            .text(c.label)
            .raw("</b> <span class=\"muted\">");
        h.num(total)
            .raw(" events, at most ")
            .num(peak)
            .raw(" per ")
            .text(c.unit);
        h.raw(", ")
            .num(marked)
            .raw(" detections marked</span></figcaption>");
        let id = format!("chart-{i}");
        h.open("div", &[("class", "plot"), ("id", &id)])
            .close("div");
        h.raw("</figure>");
    }
    h.raw("</section>\n");
}

/// What the page's script draws the charts from.
pub(super) fn chart_data<'a>(charts: &'a [Chart<'a>]) -> impl Serialize + 'a {
    ChartData { charts }
}
