#![allow(clippy::unwrap_used)]
//! `azhunt report` end to end in headless Chromium: the shipped evidence plus one hostile
//! Activity Log event. The page, after its scripts ran, shows the planted intrusion's
//! detections, shows every hostile string as text, never ran a script from the evidence, drew
//! its charts under its Content-Security-Policy; a screenshot is saved for people to look at.
//!
//! Needs `/usr/bin/chromium` (Debian's `chromium`, installed by `.ci/run`); fails without it
//! unless `AZHUNT_SKIP_BROWSER_TESTS=1`.

#[path = "../../azhunt-report/src/html/browser.rs"]
mod browser;
mod support;

use std::path::Path;
use support::root;

const TITLE_PAYLOAD: &str = "<script>document.title='pwned'</script>";
const IMG_PAYLOAD: &str = "\"><img src=x onerror=\"document.title='pwned'\">";
const SVG_PAYLOAD: &str = "<svg onload=\"document.title='pwned'\">";

/// Detections of the planted intrusion (examples/evidence/README.md, "What a good tool should
/// find"), by rule title.
const PLANTED: [&str; 13] = [
    "Impossible travel between sign-ins of one identity",
    "Conditional Access policy switched off or to report-only",
    "Global Administrator role assigned",
    "Global Administrator elevated access to User Access Administrator at root scope",
    "Owner or User Access Administrator assigned at root or management group scope",
    "AKS cluster admin credential retrieved",
    "Command run on AKS cluster through the run command API",
    "Binding to the cluster-admin role created or changed",
    "Diagnostic setting deleted",
    "AKS node pool requested with GPU virtual machine sizes",
    "NSG rule allows inbound SSH, RDP or WinRM from the Internet",
    "Sensitive operation from an IP never seen for this identity",
    "AKS cluster deleted",
];

/// One Activity Log event as `az monitor activity-log list` prints it: a diagnostic setting
/// deleted (so a rule fires and it is listed as tampering), with markup in the caller, the
/// resource id and the operation's display name.
fn hostile_event() -> String {
    let resource = format!(
        "/subscriptions/5846ed77-ea09-5f84-b3a1-4c71468496bb/resourceGroups/rg-x/providers/\
         Microsoft.ContainerService/managedClusters/{TITLE_PAYLOAD}/providers/\
         Microsoft.Insights/diagnosticSettings/{SVG_PAYLOAD}"
    );
    let event = format!(
        r#"[{{
  "authorization": {{"action": "Microsoft.Insights/diagnosticSettings/delete", "scope": {r}}},
  "caller": {caller},
  "category": {{"localizedValue": "Administrative", "value": "Administrative"}},
  "channels": "Operation",
  "claims": {{"name": {caller}, "ipaddr": "192.0.2.99"}},
  "correlationId": "0a1b2c3d-0000-4000-8000-000000000001",
  "description": {svg},
  "eventDataId": "0a1b2c3d-0000-4000-8000-000000000002",
  "eventName": {{"localizedValue": "End request", "value": "EndRequest"}},
  "eventTimestamp": "2026-11-14T12:00:00.0000000Z",
  "httpRequest": {{"clientIpAddress": "192.0.2.99", "clientRequestId": "x", "method": "DELETE"}},
  "id": "/subscriptions/5846ed77-ea09-5f84-b3a1-4c71468496bb/resourceGroups/rg-x/events/0a1b2c3d-0000-4000-8000-000000000002/ticks/639302544000000000",
  "level": "Informational",
  "operationId": "0a1b2c3d-0000-4000-8000-000000000001",
  "operationName": {{"localizedValue": {svg}, "value": "Microsoft.Insights/diagnosticSettings/delete"}},
  "properties": {{"entity": {r}, "message": {title}, "statusCode": "OK"}},
  "resourceGroupName": "rg-x",
  "resourceId": {r},
  "resourceProviderName": {{"localizedValue": "Microsoft.Insights", "value": "Microsoft.Insights"}},
  "resourceType": {{"localizedValue": "Microsoft.Insights/diagnosticSettings", "value": "Microsoft.Insights/diagnosticSettings"}},
  "status": {{"localizedValue": "Succeeded", "value": "Succeeded"}},
  "subStatus": {{"localizedValue": "OK", "value": "OK"}},
  "submissionTimestamp": "2026-11-14T12:01:00.0000000Z",
  "subscriptionId": "5846ed77-ea09-5f84-b3a1-4c71468496bb",
  "tenantId": "1a348f3f-1916-5ff0-abb3-e431844d5148"
}}]"#,
        r = sonic_rs::to_string(&resource).unwrap(),
        caller = sonic_rs::to_string(IMG_PAYLOAD).unwrap(),
        svg = sonic_rs::to_string(SVG_PAYLOAD).unwrap(),
        title = sonic_rs::to_string(TITLE_PAYLOAD).unwrap(),
    );
    sonic_rs::from_str::<sonic_rs::Value>(&event).unwrap();
    event
}

/// Text as a DOM serializer writes it (`&`, `<`, `>` escaped; quotes kept).
fn as_dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_report(dir: &Path) -> std::path::PathBuf {
    let hostile = dir.join("hostile");
    std::fs::create_dir_all(&hostile).unwrap();
    std::fs::write(hostile.join("activity-log-hostile.json"), hostile_event()).unwrap();
    let page = dir.join("report.html");
    // Read in place, never copied: the shipped evidence by its path from the repository root.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_azhunt"))
        .current_dir(root())
        .arg("report")
        .arg("-q")
        .arg("examples/evidence")
        .arg(&hostile)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "azhunt report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    page
}

#[test]
fn report_of_shipped_and_hostile_evidence_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = write_report(dir.path());
    let html = std::fs::read_to_string(&page).unwrap();

    // As written: the hostile event was read, fired its rule, and is text everywhere.
    assert!(html.contains("Content-Security-Policy"));
    for raw in [TITLE_PAYLOAD, IMG_PAYLOAD, SVG_PAYLOAD, "<img", "<svg"] {
        assert!(!html.contains(raw), "{raw} is in the page unescaped");
    }
    let escaped_caller = azhunt_report::html::escape(IMG_PAYLOAD);
    assert!(
        html.contains(&escaped_caller),
        "the hostile caller is not shown"
    );
    let charts = html.matches("<div class=\"plot\" id=\"chart-").count();
    assert!(charts >= 2, "{charts} charts");

    if !browser::available() {
        return;
    }
    let dom = browser::dump_dom(&page, dir.path());
    let title = html
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    browser::check_dom(&dom, title, charts);
    for t in PLANTED {
        let shown = format!("<span class=\"dtitle\">{}</span>", as_dom_text(t));
        assert!(dom.contains(&shown), "planted detection not shown: {t}");
    }
    // The attacker's address and the backdoor account are on the page; sign-in context is
    // shown for detections.
    assert!(dom.contains("203.0.113.66"));
    assert!(dom.contains("svc-backup-sync@fabrikamlogistics.onmicrosoft.com"));
    assert!(dom.contains("<h4>Sign-ins of the identity in the "));
    // Tampering and blockers: the deleted AKS audit setting, blockers with a next step.
    assert!(dom.contains("aks-audit-to-la"));
    assert!(dom.contains("<p class=\"next\"><b>Next:</b> "));
    // The hostile strings are text: the caller in the detection list, the resource in the
    // tampering table, the display name in the raw event.
    for payload in [TITLE_PAYLOAD, IMG_PAYLOAD, SVG_PAYLOAD] {
        assert!(
            dom.contains(&as_dom_text(payload)),
            "{payload} is not shown as text"
        );
    }
    assert!(dom.contains(&format!(
        "<span class=\"dtitle\">Diagnostic setting deleted</span><span class=\"dwho\">{}",
        as_dom_text(IMG_PAYLOAD)
    )));

    let png = browser::target_dir().join("report-screenshot.png");
    let size = browser::screenshot(&page, dir.path(), &png, 2400);
    assert!(size > 100_000, "screenshot of {size} bytes is too small");
}
