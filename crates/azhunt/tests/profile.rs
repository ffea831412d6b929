//! `whois`, `summary`, `coverage`, `report --format json` and the sign-in context of `hunt`,
//! end to end on the shipped evidence (the story in `examples/evidence/README.md`).

#![allow(clippy::unwrap_used)]

mod support;

use sonic_rs::{JsonContainerTrait, JsonValueTrait, Value};
use support::{azhunt, json_lines, root};

const MARIA: &str = "maria.lopez@fabrikam-logistics.com";
const MARIA_OID: &str = "7158ec18-6d09-586e-8577-bd5abbbbe529";
const ATTACKER_IP: &str = "203.0.113.66";

/// A run from the repository root that must succeed.
fn ok(args: &[&str]) -> std::process::Output {
    let out = azhunt(args, &root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Standard output of a successful run, as one JSON value.
fn json_of(args: &[&str]) -> Value {
    sonic_rs::from_slice(&ok(args).stdout).unwrap()
}

/// Standard output of a successful run, as JSON Lines.
fn lines_of(args: &[&str]) -> Vec<Value> {
    json_lines(&ok(args))
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn u(v: &Value, path: &[&str]) -> u64 {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p).unwrap();
    }
    cur.as_u64().unwrap()
}

#[test]
fn whois_joins_the_phished_admin_across_logs() {
    let p = json_of(&[
        "whois",
        "-q",
        "--format",
        "json",
        MARIA,
        "examples/evidence",
    ]);
    assert_eq!(p.get("identity").unwrap().as_str(), Some(MARIA));
    assert_eq!(p.get("kind").unwrap().as_str(), Some("user"));
    assert!(strs(&p, "keys").contains(&MARIA_OID.to_string()));
    let ips: Vec<String> = p
        .get("ips")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.get("ip").unwrap().as_str().unwrap().to_string())
        .collect();
    assert!(
        ips.contains(&ATTACKER_IP.to_string()) && ips.contains(&"198.51.100.23".to_string()),
        "{ips:?}"
    );
    assert!(u(&p, &["detections", "critical"]) >= 1);
    assert!(u(&p, &["privileged_count"]) >= 10);
    assert!(u(&p, &["signins", "total"]) >= 10);
    let logs = p.get("logs").unwrap();
    for log in ["activity", "entra_audit", "entra_signin", "keyvault"] {
        assert!(logs.get(log).is_some(), "{log} missing from {logs:?}");
    }
    // The same identity by object id, any case.
    let by_oid = json_of(&[
        "whois",
        "-q",
        "--format",
        "json",
        &MARIA_OID.to_ascii_uppercase(),
        "examples/evidence",
    ]);
    assert_eq!(by_oid.get("identity").unwrap().as_str(), Some(MARIA));
    // Text form names the attacker IP.
    let out = azhunt(&["whois", "-q", MARIA, "examples/evidence"], &root());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("kind:        user") && text.contains(ATTACKER_IP),
        "{text}"
    );
}

#[test]
fn whois_of_an_unknown_identity_is_an_error_with_suggestions() {
    let out = azhunt(&["whois", "-q", "maria", "examples/evidence"], &root());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no identity \"maria\"") && err.contains(MARIA),
        "{err}"
    );
}

#[test]
fn summary_ranks_the_phished_admin_and_the_attacker_ip_first() {
    let s = json_of(&[
        "summary",
        "-q",
        "--format",
        "json",
        "--top",
        "3",
        "examples/evidence",
    ]);
    let ids = s.get("identities").unwrap().as_array().unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[0].get("identity").unwrap().as_str(), Some(MARIA));
    let ips = s.get("ips").unwrap().as_array().unwrap();
    assert_eq!(ips[0].get("ip").unwrap().as_str(), Some(ATTACKER_IP));
    assert!(
        strs(&ips[0], "identities")
            .iter()
            .any(|i| i.starts_with("svc-backup-sync"))
    );
}

#[test]
fn coverage_finds_the_deleted_diagnostic_setting_and_the_missing_kube_audit() {
    let c = json_of(&["coverage", "-q", "--format", "json", "examples/evidence"]);
    let tampering = c.get("tampering").unwrap().as_array().unwrap();
    assert_eq!(tampering.len(), 1, "{tampering:?}");
    let t = &tampering[0];
    assert_eq!(
        t.get("what").unwrap().as_str(),
        Some("diagnostic_setting_deleted")
    );
    assert_eq!(t.get("caller").unwrap().as_str(), Some(MARIA));
    assert_eq!(t.get("ip").unwrap().as_str(), Some(ATTACKER_IP));
    assert!(
        t.get("target")
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with("/managedclusters/aks-prod-weu")
    );
    let sources: Vec<String> = c
        .get("sources")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.get("source").unwrap().as_str().unwrap().to_string())
        .collect();
    for s in [
        "activity_tenant",
        "activity_management_group",
        "activity_subscription",
        "entra_audit",
        "signin_interactive",
        "signin_non_interactive",
        "keyvault_audit",
        "aks_kube_audit",
    ] {
        assert!(sources.contains(&s.to_string()), "{s} missing: {sources:?}");
    }
    let titles: Vec<String> = c
        .get("blockers")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.get("title").unwrap().as_str().unwrap().to_string())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("AKS cluster aks-prod-weu") && t.contains("logs end")),
        "{titles:#?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.contains("no managed-identity sign-ins")),
        "{titles:#?}"
    );
    assert!(
        !titles.iter().any(|t| t.contains("tenant-scope")),
        "the evidence has Directory Activity: {titles:#?}"
    );
    // --fail-on-blockers turns blockers into exit 1; the text form lists them.
    let out = azhunt(
        &["coverage", "-q", "--fail-on-blockers", "examples/evidence"],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("blockers (") && text.contains("next: "),
        "{text}"
    );
    // Retention: a period reaching back before 90 days of the collection time.
    let c = json_of(&[
        "coverage",
        "-q",
        "--format",
        "json",
        "--since",
        "2026-07-01T00:00:00Z",
        "--collected-at",
        "2026-11-16T00:00:00Z",
        "examples/evidence",
    ]);
    let kinds = c
        .get("blockers")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b.get("kind").unwrap().as_str() == Some("retention_expired"))
        .count();
    assert_eq!(kinds, 2);
}

#[test]
fn hunt_attaches_signin_context_and_flags_an_ip_never_signed_in_from() {
    let dir = tempfile::tempdir().unwrap();
    // Priya elevates access from an address none of her sign-ins come from.
    let fixture = dir.path().join("elevate.json");
    std::fs::write(
        &fixture,
        r#"[{"caller":"priya.nair@fabrikam-logistics.com","claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"3033bfca-694e-50a3-9aec-bd7155c35298"},
        "category":{"value":"Administrative"},"correlationId":"fx-1","eventDataId":"fx-1","eventTimestamp":"2026-11-12T16:00:00Z",
        "httpRequest":{"clientIpAddress":"192.0.2.250"},"id":"/providers/Microsoft.Authorization/events/fx-1","level":"Informational",
        "operationName":{"value":"Microsoft.Authorization/elevateAccess/action"},"resourceId":"/providers/Microsoft.Authorization",
        "status":{"value":"Succeeded"},"tenantId":"1a348f3f-1916-5ff0-abb3-e431844d5148"}]"#,
    )
    .unwrap();
    let all = lines_of(&[
        "hunt",
        "-q",
        "--format",
        "jsonl",
        "examples/evidence",
        fixture.to_str().unwrap(),
    ]);
    let ctx = |d: &Value| d.get("context").and_then(|c| c.get("signins")).cloned();
    let maria: Vec<&Value> = all
        .iter()
        .filter(|d| d.get("event").unwrap().get("caller").unwrap().as_str() == Some(MARIA))
        .collect();
    assert!(!maria.is_empty());
    for d in &maria {
        let c = ctx(d).expect("every detection of a user carries sign-in context");
        assert_eq!(c.get("window_hours").unwrap().as_u64(), Some(24));
    }
    let ga = maria
        .iter()
        .find(|d| {
            d.get("rule_title")
                .unwrap()
                .as_str()
                .unwrap()
                .contains("Global Administrator role assigned")
        })
        .unwrap();
    let c = ctx(ga).unwrap();
    assert!(strs(&c, "ips").contains(&ATTACKER_IP.to_string()), "{c:?}");
    assert_eq!(c.get("ip_in_signins").unwrap().as_bool(), Some(true));
    let fx = all
        .iter()
        .find(|d| d.get("event").unwrap().get("ip").unwrap().as_str() == Some("192.0.2.250"))
        .unwrap();
    let c = ctx(fx).unwrap();
    assert_eq!(
        c.get("ip_in_signins").unwrap().as_bool(),
        Some(false),
        "{c:?}"
    );
    assert_eq!(c.get("ip_in_any_signin").unwrap().as_bool(), Some(false));
    assert!(
        c.get("flag")
            .unwrap()
            .as_str()
            .unwrap()
            .contains("never appears")
    );
    // Kubernetes callers are not Entra identities: no context.
    assert!(
        all.iter()
            .filter(
                |d| d.get("event").unwrap().get("caller").unwrap().as_str() == Some("masterclient")
            )
            .all(|d| ctx(d).is_none())
    );
    // --no-context leaves it out; CSV carries it in three columns.
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--no-context",
            "--format",
            "jsonl",
            "examples/evidence",
        ],
        &root(),
    );
    assert!(json_lines(&out).iter().all(|d| d.get("context").is_none()));
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--format",
            "csv",
            "examples/evidence",
            fixture.to_str().unwrap(),
        ],
        &root(),
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("signins_before,signin_ips,signin_flag")
    );
    assert!(csv.contains("never appears"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let widths: Vec<usize> = reader.records().map(|r| r.unwrap().len()).collect();
    assert!(
        widths.iter().all(|w| *w == 18),
        "every CSV row has every column"
    );
}

#[test]
fn report_json_holds_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.json");
    let out_arg = out_path.to_str().unwrap();
    lines_of(&[
        "report",
        "-q",
        "--format",
        "json",
        "-o",
        out_arg,
        "examples/evidence",
    ]);
    let r: Value = sonic_rs::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    let hunt = azhunt(
        &["hunt", "-q", "--format", "jsonl", "examples/evidence"],
        &root(),
    );
    let total = json_lines(&hunt).len() as u64;
    assert_eq!(
        u(&r, &["totals", "total"]),
        total,
        "the report counts what hunt finds"
    );
    let dets = r.get("detections").unwrap().as_array().unwrap();
    assert_eq!(dets.len() as u64, total);
    assert_eq!(
        dets[0].get("level").unwrap().as_str(),
        Some("critical"),
        "most severe first"
    );
    assert!(dets.iter().filter(|d| d.get("raw").is_some()).count() > 40);
    assert!(dets.iter().any(|d| d.get("context").is_some()));
    assert!(
        !r.get("totals")
            .unwrap()
            .get("matrix")
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(!r.get("activity").unwrap().as_array().unwrap().is_empty());
    let timeline = azhunt(
        &["timeline", "-q", "--format", "jsonl", "examples/evidence"],
        &root(),
    );
    assert_eq!(
        u(&r, &["overview", "events"]),
        json_lines(&timeline).len() as u64
    );
    assert!(
        !r.get("coverage")
            .unwrap()
            .get("blockers")
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Refuses to write inside the evidence.
    let out = azhunt(
        &[
            "report",
            "-q",
            "-o",
            "examples/evidence/r.html",
            "examples/evidence",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn coverage_takes_the_period_and_collection_time_from_a_collect_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root_dir = dir.path().join("case");
    std::fs::create_dir_all(root_dir.join("events")).unwrap();
    std::fs::write(
        root_dir.join("manifest.json"),
        r#"{"tool":"azhunt","tool_version":"0.1.0","format":1,"started":"2026-11-16T00:00:00Z","finished":"2026-11-16T00:10:00Z","since":"2026-07-01T00:00:00Z","until":"2026-11-16T00:00:00Z"}"#,
    )
    .unwrap();
    std::fs::write(
        root_dir.join("events/activity-subscription-x.jsonl"),
        r#"{"caller":"a@b.c","category":{"value":"Administrative"},"eventDataId":"m1","eventTimestamp":"2026-11-10T10:00:00Z","operationName":{"value":"Microsoft.Resources/tags/write"},"resourceId":"/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg","status":{"value":"Succeeded"},"subscriptionId":"22222222-2222-2222-2222-222222222222"}"#,
    )
    .unwrap();
    let c = json_of(&[
        "coverage",
        "-q",
        "--format",
        "json",
        root_dir.to_str().unwrap(),
    ]);
    let period = c.get("period").unwrap();
    assert_eq!(
        period.get("since").unwrap().as_str(),
        Some("2026-07-01T00:00:00Z")
    );
    assert_eq!(
        period.get("collected_at_basis").unwrap().as_str(),
        Some("given")
    );
    let blockers = c.get("blockers").unwrap().as_array().unwrap();
    let expired = blockers
        .iter()
        .filter(|b| b.get("kind").unwrap().as_str() == Some("retention_expired"))
        .count();
    assert_eq!(expired, 2, "{blockers:?}");
    // The period's start is far before the first event: a gap at the edge.
    let gaps = c.get("sources").unwrap().as_array().unwrap()[0]
        .get("gaps")
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    assert_eq!(gaps, 2);
}
