//! The renderer on hand-built data full of hostile strings: structure, escaping, the JSON
//! data block, no network, the CSP hashes — and the page in headless Chromium.

use super::assets::{CSP_META, REPORT_CSS, REPORT_JS, UPLOT_CSS, UPLOT_JS};
use super::markup::escape;
use super::{CHART_DATA_ID, SECTIONS, activity, browser, render};
use crate::report_data::*;
use azhunt_detect::{Detection, EventRef, Level, SourceRef};
use azhunt_insight::coverage::{DayCount, Gap, Period, TamperEvent};
use azhunt_insight::identity::{IpUseProfile, SigninSummary};
use azhunt_insight::{
    Blocker, Counted, CoverageReport, DetectionBrief, IdentityProfile, IpProfile, LevelCounts,
    Series, SigninBrief, SigninContext, SourceCoverage,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Payloads that run script when they reach the page as markup. The title ones are what the
/// browser test watches for: any of them running changes `document.title`.
const HOSTILE: [&str; 6] = [
    "<script>document.title='pwned'</script>",
    "\"><img src=x onerror=\"document.title='pwned'\">",
    "'><svg onload=\"document.title='pwned'\">",
    "</script><script>document.title='pwned'</script>",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];
/// A URL the evidence names: it must stay inert text.
const PLANTED_URL: &str = "https://attacker.example/beacon.js";
const H: i64 = 3_600_000;
/// 2026-11-12T00:00:00Z in unix ms.
const DAY0: i64 = 1_794_441_600_000;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn all_hostile() -> String {
    HOSTILE.concat()
}

fn event(x: &str, n: u64, time: &str, ip: &str) -> EventRef {
    EventRef {
        id: format!("evt-{n}-{x}"),
        time: time.to_string(),
        operation: format!("Microsoft.Insights/diagnosticSettings/delete{x}"),
        caller: Some(format!("maria.lopez@fabrikam-logistics.com{x}")),
        caller_type: "user",
        ip: Some(format!("{ip}{x}")),
        resource_id: Some(format!(
            "/subscriptions/s/resourceGroups/rg{x}/providers/x/{x}"
        )),
        source: SourceRef {
            path: Arc::from(format!("evidence/{x}/file.json").as_str()),
            record: n,
            line: Some(n + 1),
        },
        nanos: 0,
    }
}

fn detection(
    x: &str,
    n: u64,
    level: Level,
    time: &str,
    log_source: Option<&'static str>,
) -> ReportDetection {
    let e = event(x, n, time, "203.0.113.66");
    ReportDetection {
        detection: Detection {
            time: time.to_string(),
            rule_id: format!("rule-{n}{x}"),
            rule_title: format!("Diagnostic setting deleted {x}"),
            level,
            attack: vec![format!("T1562.008{x}")],
            tactics: vec!["defense-evasion".to_string(), format!("tactic{x}")],
            rule_origin: format!("builtin:{x}"),
            events: Some(vec![e.clone(), event(x, n + 100, time, "198.51.100.23")]),
            event: e,
            summary: Some(format!("2 events {x}")),
        },
        context: Some(SigninContext {
            window_hours: 24,
            total: 2,
            failed: 1,
            recent: vec![SigninBrief {
                time: time.to_string(),
                kind: "interactive",
                ip: Some(format!("203.0.113.66{x}")),
                location: Some(format!("Lagos, NG{x}")),
                app: Some(format!("Azure Portal{x}")),
                result: "failure",
                error_code: Some(format!("50126{x}")),
                conditional_access: Some(format!("notApplied{x}")),
                authentication: Some(format!("password{x}")),
                risk: Some(format!("medium{x}")),
            }],
            ips: vec![format!("198.51.100.23{x}")],
            ip: Some(format!("203.0.113.66{x}")),
            ip_in_signins: Some(false),
            ip_in_any_signin: Some(false),
            flag: Some(format!(
                "control-plane IP never seen in this identity's sign-ins {x}"
            )),
        }),
        raw: Some(format!(
            "{{\"resourceId\":{},\"caller\":{},\"link\":\"{PLANTED_URL}\"}}",
            sonic_rs::to_string(&format!("/subscriptions/{x}")).unwrap(),
            sonic_rs::to_string(x).unwrap()
        )),
        log_source,
    }
}

fn counted(x: &str, n: u64) -> Vec<Counted> {
    vec![Counted {
        value: format!("value{x}"),
        count: n,
    }]
}

fn levels(critical: u64, high: u64) -> LevelCounts {
    LevelCounts {
        total: critical + high,
        critical,
        high,
        ..LevelCounts::default()
    }
}

/// A report with `x` in every string the evidence could fill (static ones leaked).
pub(super) fn fixture(x: &str) -> ReportData {
    let t = |h: i64| azhunt_insight::fmt_ms(DAY0 + h * H + 60_000);
    let sx: &'static str = leak(x.to_string());
    let detections = vec![
        detection(x, 1, Level::Critical, &t(9), Some("activity_subscription")),
        detection(x, 2, Level::High, &t(10), Some("activity_subscription")),
        detection(x, 3, Level::Medium, &t(30), None),
        detection(x, 4, Level::Low, &t(31), Some("entra_audit")),
    ];
    let identity = IdentityProfile {
        identity: format!("maria.lopez@fabrikam-logistics.com{x}"),
        keys: vec![format!("7158ec18{x}")],
        kind: "user",
        first_seen: t(0),
        last_seen: t(40),
        events: 42,
        logs: BTreeMap::from([("activity", 40), ("signin", 2)]),
        ips: vec![
            IpUseProfile {
                ip: format!("203.0.113.66{x}"),
                events: 12,
                first_seen: t(9),
                last_seen: t(10),
                location: Some(format!("Lagos{x}")),
                in_signins: false,
            },
            IpUseProfile {
                ip: "198.51.100.23".to_string(),
                events: 30,
                first_seen: t(0),
                last_seen: t(40),
                location: None,
                in_signins: true,
            },
        ],
        ip_count: 3,
        locations: counted(x, 2),
        operations: counted(x, 40),
        operation_count: 20,
        failed: 1,
        failed_operations: counted(x, 1),
        privileged: counted(x, 5),
        privileged_count: 5,
        signins: SigninSummary {
            total: 2,
            failed: 1,
            risky: 1,
            applications: counted(x, 2),
            authentication: counted(x, 2),
        },
        detections: levels(1, 1),
        detection_list: vec![DetectionBrief {
            time: t(9),
            level: "critical",
            rule_title: format!("Diagnostic setting deleted {x}"),
            operation: format!("delete{x}"),
            ip: Some(format!("203.0.113.66{x}")),
        }],
    };
    let mut second = identity.clone();
    second.identity = format!("svc-backup-sync{x}");
    second.keys = vec![format!("ee90fc58{x}")];
    second.kind = "service_principal";
    second.detections = LevelCounts::default();
    second.detection_list.clear();
    let hours = |base: i64| -> Vec<(i64, u64)> {
        (0..48)
            .map(|h| (DAY0 + h * H, ((h * 7 + base) % 11) as u64))
            .collect()
    };
    let gap = Gap {
        from: t(12),
        to: t(30),
        hours: 18.0,
    };
    ReportData {
        title: "azhunt report: Fabrikam".to_string(),
        generated_at: "2026-11-20T10:00:00Z".to_string(),
        tool: "azhunt 0.1.0".to_string(),
        overview: Overview {
            events: 341,
            duplicates: 6,
            rejected: 1,
            first_event: Some(t(0)),
            last_event: Some(t(47)),
            files: vec![FileRow {
                path: format!("examples/{x}/PT1H.json"),
                kinds: vec![format!("activity/rest{x} 28")],
                read: 28,
                normalized: 27,
                duplicates: 0,
                rejected: 1,
                status: format!("read{x}"),
            }],
            sources: vec![SourceRow {
                label: format!("Activity Log{x}"),
                scope: format!("/subscriptions/{x}"),
                events: 200,
                first: t(0),
                last: t(47),
            }],
            scopes: vec![format!("tenant {x}")],
            identities: 2,
            ips: 3,
        },
        totals: DetectionTotals {
            total: 5,
            by_level: BTreeMap::from([
                ("critical".to_string(), 1),
                ("high".to_string(), 1),
                ("medium".to_string(), 1),
                ("low".to_string(), 1),
                (format!("weird{x}"), 1),
            ]),
            by_tactic: BTreeMap::from([("defense-evasion".to_string(), 4), (format!("t{x}"), 1)]),
            matrix: vec![
                MatrixCell {
                    tactic: "defense-evasion".to_string(),
                    technique: format!("T1562.008{x}"),
                    detections: 4,
                    highest: "critical".to_string(),
                    rules: vec![format!("Diagnostic setting deleted {x}")],
                },
                MatrixCell {
                    tactic: format!("tactic{x}"),
                    technique: "T1078.004".to_string(),
                    detections: 1,
                    highest: format!("level{x}"),
                    rules: vec![format!("rule{x}")],
                },
            ],
            not_listed: 1,
        },
        detections,
        activity: vec![
            Series {
                source: "activity_subscription",
                label: leak(format!("Activity Log, subscription {x}")),
                hours: hours(0),
            },
            Series {
                source: "entra_audit",
                label: sx,
                hours: hours(3),
            },
            Series {
                source: "empty",
                label: "no hours",
                hours: vec![],
            },
        ],
        identities: vec![identity, second],
        ips: vec![IpProfile {
            ip: format!("203.0.113.66{x}"),
            events: 12,
            first_seen: t(9),
            last_seen: t(10),
            identity_count: 3,
            identities: vec![
                format!("maria.lopez@fabrikam-logistics.com{x}"),
                format!("unknown{x}"),
            ],
            locations: counted(x, 12),
            logs: BTreeMap::from([("activity", 12)]),
            signins: 1,
            private: false,
            detections: levels(1, 0),
        }],
        coverage: CoverageReport {
            period: Period {
                first_event: Some(t(0)),
                last_event: Some(t(47)),
                since: None,
                until: Some(t(48)),
                collected_at: Some(t(48)),
                collected_at_basis: "latest event",
            },
            gap_threshold_hours: 24.0,
            sources: vec![SourceCoverage {
                source: "activity_subscription",
                label: sx,
                scope: format!("/subscriptions/{x}"),
                events: 200,
                first: t(0),
                last: t(47),
                days_covered: 2,
                events_per_day: 100.0,
                days: vec![DayCount {
                    day: "2026-11-12".to_string(),
                    events: 100,
                }],
                gaps: vec![gap],
            }],
            tampering: vec![TamperEvent {
                time: t(9),
                what: "diagnostic_setting_deleted",
                operation: format!("Microsoft.Insights/diagnosticSettings/delete{x}"),
                target: format!("/subscriptions/{x}/aks"),
                resource_id: format!(
                    "/subscriptions/{x}/aks/providers/microsoft.insights/diagnosticsettings/{x}"
                ),
                events: 2,
                caller: Some(format!("maria.lopez@fabrikam-logistics.com{x}")),
                ip: Some(format!("203.0.113.66{x}")),
                ms: DAY0 + 9 * H,
                kind: None,
            }],
            blockers: vec![
                Blocker {
                    kind: "logging_coverage_missing",
                    title: format!("No AKS kube-audit logs {x}"),
                    detail: format!("Cluster aks-prod-weu{x} appears in the Activity Log."),
                    next: format!("Collect insights-logs-kube-audit {x}"),
                },
                Blocker {
                    kind: sx,
                    title: format!("Diagnostic setting deleted {x}"),
                    detail: x.to_string(),
                    next: x.to_string(),
                },
            ],
        },
    }
}

/// Tags the renderer writes, and the attributes it gives them.
const TAGS: [&str; 41] = [
    "html", "head", "meta", "title", "style", "script", "body", "header", "nav", "main", "section",
    "footer", "div", "h1", "h2", "h3", "h4", "h5", "p", "a", "span", "b", "strong", "code", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "li", "dl", "dt", "dd", "details",
    "summary", "time", "figure",
];
const MORE_TAGS: [&str; 1] = ["figcaption"];
const ATTRIBUTES: [&str; 12] = [
    "id",
    "class",
    "href",
    "title",
    "datetime",
    "type",
    "charset",
    "name",
    "content",
    "http-equiv",
    "lang",
    "hidden",
];

/// Attribute values and text of a page, as the HTML parser would split them.
#[derive(Default)]
struct Scan {
    /// (tag, attribute, value as written)
    attributes: Vec<(String, String, String)>,
    /// Element text outside `<script>` and `<style>`, as written.
    text: String,
    /// Contents of `<script type="application/json">` elements.
    json: Vec<String>,
}

/// Reads `page` as a tokenizer would and fails on anything the renderer does not write
/// itself: every `<` must open or close a known tag (or be the doctype), every attribute
/// must be a known name with a double-quoted value free of `<`, `>` and `"`.
fn scan(page: &str) -> Scan {
    let mut s = Scan::default();
    let mut rest = page;
    let known = |t: &str| TAGS.contains(&t) || MORE_TAGS.contains(&t);
    while let Some(lt) = rest.find('<') {
        s.text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!DOCTYPE html>") {
            rest = r;
            continue;
        }
        let closing = rest.starts_with("</");
        let body = &rest[if closing { 2 } else { 1 }..];
        let name_end = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let tag = &body[..name_end];
        assert!(
            known(tag),
            "unknown tag <{tag} at: {}",
            &rest[..rest.len().min(80)]
        );
        let mut at = &body[name_end..];
        let mut attrs = Vec::new();
        loop {
            at = at.trim_start_matches(' ');
            if let Some(r) = at.strip_prefix('>') {
                at = r;
                break;
            }
            assert!(!closing, "attributes on </{tag}>");
            let eq = at
                .find('=')
                .unwrap_or_else(|| panic!("attribute without value in <{tag}"));
            let name = &at[..eq];
            assert!(
                ATTRIBUTES.contains(&name),
                "unknown attribute {name} on <{tag}"
            );
            let value_and_rest = at[eq + 1..]
                .strip_prefix('"')
                .unwrap_or_else(|| panic!("unquoted {name} on <{tag}"));
            let close = value_and_rest.find('"').unwrap();
            let value = &value_and_rest[..close];
            assert!(
                !value.contains('<') && !value.contains('>'),
                "raw < or > in {name} of <{tag}: {value}"
            );
            attrs.push((name.to_string(), value.to_string()));
            s.attributes
                .push((tag.to_string(), name.to_string(), value.to_string()));
            at = &value_and_rest[close + 1..];
        }
        rest = at;
        if !closing && (tag == "script" || tag == "style") {
            let end = format!("</{tag}>");
            let stop = rest
                .find(&end)
                .unwrap_or_else(|| panic!("unclosed <{tag}>"));
            let content = &rest[..stop];
            if attrs
                .iter()
                .any(|(n, v)| n == "type" && v == "application/json")
            {
                s.json.push(content.to_string());
            } else {
                let known_code = [UPLOT_JS, REPORT_JS, UPLOT_CSS, REPORT_CSS];
                assert!(
                    known_code.contains(&content),
                    "a <{tag}> holds unknown code"
                );
            }
            rest = &rest[stop..];
        }
    }
    s.text.push_str(rest);
    s
}

#[test]
fn html_every_section_and_nav_link_is_there() {
    let page = render(&fixture(&all_hostile()));
    for (id, _) in SECTIONS {
        assert!(
            page.contains(&format!("<section id=\"{id}\" class=\"card\">")),
            "{id}"
        );
        assert!(
            page.contains(&format!("<a href=\"#{id}\">")),
            "nav link to {id}"
        );
    }
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.trim_end().ends_with("</html>"));
    for i in 0..4 {
        assert!(
            page.contains(&format!("<details id=\"detection-{i}\"")),
            "detection {i}"
        );
    }
    assert!(page.contains("<section id=\"identity-0\" class=\"identity\">"));
    assert!(page.contains("<section id=\"identity-1\" class=\"identity\">"));
    // The detection's caller links to the identity's page, and the page back to the detection.
    assert!(page.contains("<a href=\"#identity-0\">maria.lopez@fabrikam-logistics.com"));
    assert!(page.contains("<a href=\"#detection-0\">Diagnostic setting deleted"));
    // Most severe first, as given.
    let pos = |l: &str| page.find(&format!("<details id=\"detection-{l}\" class=\"det lvl-"));
    assert!(pos("0") < pos("1") && pos("1") < pos("2"));
    assert!(page.contains("class=\"det lvl-critical\""));
    // The IP never seen in the identity's sign-ins is flagged.
    assert!(page.contains("never in its sign-ins"));
    assert!(page.contains("<p class=\"flag\">control-plane IP never seen"));
    // Blockers say what to do next.
    assert!(page.contains("<p class=\"next\"><b>Next:</b> Collect insights-logs-kube-audit"));
    assert!(page.contains("Logging coverage missing"));
    assert!(page.contains("1 more detections are counted above but not listed"));
}

#[test]
fn html_hostile_strings_are_text_only() {
    let x = all_hostile();
    let page = render(&fixture(&x));
    let s = scan(&page);
    for raw in [
        "<script>alert",
        "<script>document",
        "<img",
        "<svg",
        "onload=\"",
        "<!--",
    ] {
        assert!(!page.contains(raw), "{raw} survived unescaped");
    }
    // Each `onerror=` belongs to a payload whose `<` is escaped (as HTML or as JSON).
    for (p, _) in page.match_indices("onerror=") {
        let before = &page[..p];
        assert!(
            before.ends_with("&lt;img src=x ") || before.ends_with("\\u003cimg src=x "),
            "unescaped payload at {}",
            &page[p.saturating_sub(40)..p + 10]
        );
    }
    // The payload is shown as text, only in element text and attribute values.
    let escaped = escape(&x);
    let shown = page.matches(&escaped).count();
    assert!(shown > 30, "the payload is shown as text ({shown} times)");
    let in_attributes: usize = s
        .attributes
        .iter()
        .map(|(_, _, v)| v.matches(&escaped).count())
        .sum();
    assert_eq!(shown, s.text.matches(&escaped).count() + in_attributes);
    // Raw JSON is pretty-printed, still escaped.
    assert!(page.contains("<pre class=\"raw\">{\n"));
    // A level or blocker kind from the data never becomes a class name.
    for (_, name, v) in &s.attributes {
        if name == "class" {
            assert!(
                v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' '),
                "{v}"
            );
        }
    }
}

#[test]
fn html_json_block_cannot_close_early_and_round_trips() {
    let x = all_hostile();
    let data = fixture(&x);
    let page = render(&data);
    let s = scan(&page);
    assert_eq!(s.json.len(), 1);
    let json = &s.json[0];
    assert!(page.contains(&format!(
        "<script type=\"application/json\" id=\"{CHART_DATA_ID}\">"
    )));
    assert!(
        !json.contains('<') && !json.contains('>') && !json.contains('&'),
        "{json}"
    );
    assert!(!json.to_ascii_lowercase().contains("</script"));
    let v: sonic_rs::Value = sonic_rs::from_str(json).unwrap();
    use sonic_rs::{JsonContainerTrait, JsonValueTrait};
    let charts = v.get("charts").and_then(|c| c.as_array()).unwrap();
    // All sources, then each series with hours (the empty one draws no chart).
    assert_eq!(charts.len(), 3);
    assert_eq!(
        charts[2].get("label").and_then(|l| l.as_str()),
        Some(x.as_str())
    );
    assert_eq!(page.matches("<div class=\"plot\" id=\"chart-").count(), 3);
}

#[test]
fn html_loads_nothing_from_the_network() {
    let page = render(&fixture(&all_hostile()));
    let s = scan(&page);
    for (tag, name, v) in &s.attributes {
        if name == "href" {
            assert!(v.starts_with('#'), "<{tag} href={v}> leaves the page");
        }
    }
    // The only URLs: uPlot's banner comment and the one the evidence names (inert text).
    assert_eq!(UPLOT_JS.matches("://").count(), 1);
    assert!(UPLOT_JS.starts_with("/*! https://github.com/leeoniya/uPlot (v1.6.32) */"));
    let planted = page.matches(PLANTED_URL).count();
    assert!(planted >= 4, "the planted URL is shown");
    assert_eq!(page.matches("://").count(), planted + 1);
    assert_eq!(s.text.matches(PLANTED_URL).count(), planted);
    for code in [UPLOT_CSS, REPORT_CSS, REPORT_JS] {
        for bad in [
            "url(",
            "@import",
            "://",
            "fetch(",
            "XMLHttpRequest",
            "innerHTML",
            "<",
        ] {
            assert!(!code.contains(bad), "embedded code contains {bad}");
        }
    }
    for bad in ["</script", "<!--", "innerHTML", "XMLHttpRequest", "fetch("] {
        assert!(
            !UPLOT_JS
                .to_ascii_lowercase()
                .contains(&bad.to_ascii_lowercase()),
            "{bad}"
        );
    }
    // The CSP comes first in <head>, before any style or script.
    let csp = page.find(CSP_META).unwrap();
    assert!(csp < page.find("<style>").unwrap() && csp < page.find("<script").unwrap());
    assert!(CSP_META.contains("default-src 'none'"));
    assert!(!CSP_META.contains("unsafe"));
}

/// SHA-256 of `text` as CSP writes it (base64), computed by coreutils' `sha256sum`.
fn csp_hash(text: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum (coreutils) runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let hex = String::from_utf8(out.stdout).unwrap();
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    b64
}

#[test]
fn html_csp_hashes_match_the_embedded_code() {
    assert_eq!(
        csp_hash("abc"),
        "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    let want: Vec<String> = [UPLOT_JS, REPORT_JS, UPLOT_CSS, REPORT_CSS]
        .iter()
        .map(|c| format!("'sha256-{}'", csp_hash(c)))
        .collect();
    let csp = format!(
        "default-src 'none'; script-src {} {}; style-src {} {}; base-uri 'none'; form-action 'none'",
        want[0], want[1], want[2], want[3]
    );
    assert!(
        CSP_META.contains(&csp),
        "update CSP_META in html/assets.rs to:\n{csp}"
    );
}

#[test]
fn html_charts_mark_detections_on_their_source() {
    let data = fixture("x");
    let charts = activity::charts(&data);
    let sources: Vec<&str> = charts.iter().map(|c| c.source).collect();
    assert_eq!(sources, ["all", "activity_subscription", "entra_audit"]);
    let c = &charts[1];
    assert_eq!(
        (c.unit, c.step, c.x.len(), c.y.len()),
        ("hour", 3600, 48, 48)
    );
    assert_eq!(c.x[0], DAY0 / 1000);
    assert_eq!(c.x[1] - c.x[0], 3600);
    let sum = |s: &Series| s.hours.iter().map(|h| h.1).sum::<u64>();
    assert_eq!(c.y.iter().sum::<u64>(), sum(&data.activity[0]));
    let levels = |c: &activity::Chart| c.marks.iter().map(|m| m.level).collect::<Vec<_>>();
    // Critical and high come from this source's events, low from the other source's; the
    // medium one has no single source and is on the all-sources chart only.
    assert_eq!(levels(c), ["critical", "high"]);
    assert_eq!(c.marks[0].n[9], 1);
    assert_eq!(c.marks[1].n[10], 1);
    assert_eq!(c.marks[0].n.iter().sum::<u32>(), 1);
    assert_eq!(levels(&charts[2]), ["low"]);
    assert_eq!(charts[2].marks[0].n[31], 1);
    let all = &charts[0];
    assert_eq!(levels(all), ["critical", "high", "medium", "low"]);
    assert_eq!(all.marks[2].n[30], 1);
    assert_eq!(
        all.y.iter().sum::<u64>(),
        sum(&data.activity[0]) + sum(&data.activity[1])
    );
}

#[test]
fn html_long_spans_use_wider_buckets() {
    let mut data = fixture("x");
    data.activity[0].hours = vec![(DAY0, 1), (DAY0 + 200 * 24 * H, 2)];
    let c = &activity::charts(&data)[1];
    assert_eq!((c.unit, c.x.len()), ("day", 201));
    assert_eq!((c.y[0], c.y[200]), (1, 2));
    data.activity[0].hours = vec![(DAY0, 1), (DAY0 + 20 * 365 * 24 * H, 2)];
    let c = &activity::charts(&data)[1];
    assert_eq!(c.unit, "week");
    assert_eq!(c.y.iter().sum::<u64>(), 3);
}

#[test]
fn html_empty_report_renders() {
    let mut data = fixture("plain");
    data.detections.clear();
    data.activity.clear();
    data.identities.clear();
    data.ips.clear();
    data.totals = DetectionTotals::default();
    data.coverage.blockers.clear();
    data.coverage.tampering.clear();
    let page = render(&data);
    scan(&page);
    assert!(page.contains("No rule fired on this evidence."));
    assert!(page.contains("No events with a time to chart."));
    assert!(page.contains("No blocker found"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever text the evidence holds, the page keeps the renderer's structure: no tag,
    /// attribute or script the renderer did not write, and the JSON block stays closed.
    #[test]
    fn html_arbitrary_strings_never_become_markup(x in "(<|>|&|\"|'|/|=|script|img|\\PC){0,40}") {
        let page = render(&fixture(&x));
        let s = scan(&page);
        prop_assert_eq!(s.json.len(), 1);
        prop_assert!(!s.json[0].contains('<'));
        let shown = escape(&x);
        prop_assert!(s.text.contains(&shown));
    }
}

#[test]
fn html_fixture_in_headless_chromium() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("fixture-report.html");
    let data = fixture(&all_hostile());
    std::fs::write(&page, render(&data)).unwrap();
    let dom = browser::dump_dom(&page, dir.path());
    browser::check_dom(&dom, &escape(&data.title), 3);
    // The payloads are there, as text the serializer escapes again.
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;"));
    assert!(dom.contains("Diagnostic setting deleted &lt;script&gt;"));
    // The chart legend names the detection series (from JSON, through uPlot's textContent).
    assert!(dom.contains("critical detections"));
    let png = browser::target_dir().join("report-fixture-screenshot.png");
    let size = browser::screenshot(&page, dir.path(), &png, 2400);
    assert!(size > 50_000, "screenshot of {size} bytes");
}
