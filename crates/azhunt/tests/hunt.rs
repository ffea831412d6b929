//! `azhunt hunt` end to end: the shipped evidence yields exactly the planted intrusion at high
//! and critical level; SigmaHQ's Azure rules run unmodified over the public samples; exit
//! codes and output formats.

#![allow(clippy::unwrap_used)]

mod support;

use sonic_rs::{JsonContainerTrait, JsonValueTrait, Value};
use support::{azhunt, json_lines, root};

const ATTACKER_IP: &str = "203.0.113.66";
const BACKDOOR: &str = "svc-backup-sync@fabrikamlogistics.onmicrosoft.com";

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(*p) {
            Some(x) => cur = x,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

fn events(d: &Value) -> Vec<&Value> {
    match d.get("events").and_then(|e| e.as_array()) {
        Some(a) => a.iter().collect(),
        None => d.get("event").into_iter().collect(),
    }
}

fn evidence_detections() -> Vec<Value> {
    let out = azhunt(
        &["hunt", "-q", "--format", "jsonl", "examples/evidence"],
        &root(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
}

#[test]
fn every_planted_step_is_detected() {
    let all = evidence_detections();
    let hit = |pred: &dyn Fn(&Value) -> bool| all.iter().any(|d| events(d).iter().any(|e| pred(e)));
    let op = |e: &Value, needle: &str| {
        s(e, &["operation"])
            .to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
    };
    let steps: Vec<(&str, bool)> = vec![
        (
            "1 impossible travel",
            all.iter()
                .any(|d| s(d, &["rule_title"]).contains("Impossible travel")),
        ),
        (
            "2 CA policy disabled",
            hit(&|e| {
                op(e, "Update conditional access policy")
                    && s(e, &["time"]).starts_with("2026-11-12T08:55")
            }),
        ),
        (
            "3 Global Administrator granted",
            hit(&|e| {
                op(e, "Add member to role") && s(e, &["time"]).starts_with("2026-11-12T09:01")
            }),
        ),
        ("4 elevate access", hit(&|e| op(e, "elevateAccess/action"))),
        (
            "5 Owner on tenant root MG",
            hit(&|e| {
                op(e, "roleAssignments/write") && s(e, &["time"]).starts_with("2026-11-12T09:07")
            }),
        ),
        (
            "6 listClusterAdminCredential",
            hit(&|e| op(e, "listClusterAdminCredential")),
        ),
        ("7 new node pool", hit(&|e| op(e, "agentPools/write"))),
        (
            "8 diagnostic setting deleted",
            hit(&|e| op(e, "diagnosticSettings/delete")),
        ),
        ("9 AKS run command", hit(&|e| op(e, "runCommand/action"))),
        (
            "10 NSG SSH from Internet",
            hit(&|e| {
                op(e, "securityRules/write") && s(e, &["time"]).starts_with("2026-11-12T10:08")
            }),
        ),
        (
            "11 Key Vault secret reads from a new IP",
            all.iter().any(|d| {
                s(d, &["rule_title"]).contains("never seen")
                    && events(d).iter().any(|e| op(e, "SecretGet"))
            }),
        ),
        (
            "12 cluster deleted",
            // The portal CSV download names operations by display name only.
            hit(&|e| op(e, "managedClusters/delete") || op(e, "Delete Managed Cluster")),
        ),
    ];
    let missing: Vec<&str> = steps
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    assert!(
        missing.is_empty(),
        "planted steps not detected: {missing:?}"
    );
}

#[test]
fn nothing_benign_is_high_or_critical() {
    for d in evidence_detections() {
        let level = s(&d, &["level"]);
        if level != "high" && level != "critical" {
            continue;
        }
        let attacker = events(&d).iter().any(|e| {
            s(e, &["ip"]) == ATTACKER_IP || s(e, &["caller"]).eq_ignore_ascii_case(BACKDOOR)
        });
        assert!(
            attacker,
            "benign {level} detection: {}",
            sonic_rs::to_string(&d).unwrap()
        );
    }
}

#[test]
fn detections_follow_the_contract() {
    for d in evidence_detections() {
        for key in [
            "time",
            "rule_id",
            "rule_title",
            "level",
            "attack",
            "tactics",
            "event",
        ] {
            assert!(
                d.get(key).is_some(),
                "{key} missing: {}",
                sonic_rs::to_string(&d).unwrap()
            );
        }
        for key in ["id", "time", "operation", "caller_type", "source"] {
            assert!(d["event"].get(key).is_some(), "event.{key} missing");
        }
        if d.get("events").is_some() {
            assert!(
                !s(&d, &["summary"]).is_empty(),
                "multi-event detection without summary"
            );
        }
    }
}

#[test]
fn fail_on_exits_one_and_formats_render() {
    let r = root();
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--fail-on",
            "high",
            "--format",
            "json",
            "examples/evidence",
        ],
        &r,
    );
    assert_eq!(out.status.code(), Some(1));
    let arr: Value = sonic_rs::from_slice(&out.stdout).unwrap();
    assert!(arr.as_array().is_some_and(|a| !a.is_empty()));
    let out = azhunt(&["hunt", "-q", "--format", "csv", "examples/evidence"], &r);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("time,level,rule_title,"));
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--min-level",
            "critical",
            "--no-stateful",
            "--format",
            "jsonl",
            "examples/evidence",
        ],
        &r,
    );
    assert!(
        json_lines(&out)
            .iter()
            .all(|d| s(d, &["level"]) == "critical")
    );
    let out = azhunt(&["hunt", "--rules", "no/such/dir", "examples/evidence"], &r);
    assert_eq!(out.status.code(), Some(2));
    // A SigmaHQ checkout holds placeholder and unsupported rules: named, skipped, or fatal.
    let all = "../shared/corpus/sigma-azure";
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--rules",
            all,
            "--format",
            "jsonl",
            "examples/evidence",
        ],
        &r,
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown placeholder '%HomeTenantID%'"),
        "{err}"
    );
    assert!(err.contains("could not be loaded and are not run"), "{err}");
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--strict-rules",
            "--rules",
            all,
            "examples/evidence",
        ],
        &r,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sigmahq_azure_rules_validate_and_run_over_the_public_samples() {
    let r = root();
    let rules = "../shared/corpus/sigma-azure/rules";
    let out = azhunt(&["rules", "validate", rules], &r);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("0 error(s)"), "{text}");
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--no-builtin",
            "--rules",
            rules,
            "--format",
            "jsonl",
            "../shared/corpus/samples",
        ],
        &r,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = json_lines(&out);
    let count = |title: &str, file: &str| {
        found
            .iter()
            .filter(|d| {
                s(d, &["rule_title"]) == title && s(d, &["event", "source", "path"]).ends_with(file)
            })
            .count()
    };
    // Facts of the samples (see ../shared/corpus/samples/SOURCES.md), checked by hand.
    assert!(count("Azure Firewall Modified or Deleted", "azure_activity.csv") >= 1);
    assert!(
        count(
            "Added Credentials to Existing Application",
            "AADAuditEvents.json"
        ) >= 1
    );
    assert!(
        count(
            "Azure Key Vault Modified or Deleted",
            "azureActivity_adele.csv"
        ) >= 1
    );
    assert!(
        count(
            "Azure Service Principal Removed",
            "20250502131826-AuditLogs.json"
        ) >= 1
    );
    assert!(
        count(
            "Granting Of Permissions To An Account",
            "log_analytics_events"
        ) >= 1
    );
}

#[test]
fn rules_list_shows_the_pack() {
    let out = azhunt(&["rules", "list", "--format", "json"], &root());
    assert_eq!(out.status.code(), Some(0));
    let v: Value = sonic_rs::from_slice(&out.stdout).unwrap();
    let n = v.as_array().map_or(0, |a| a.len());
    // At least 50 built-in rules plus the three stateful detectors.
    assert!(n >= 53, "{n} rules listed");
}

#[test]
fn navigator_layer_lists_the_detected_techniques() {
    let dir = tempfile::tempdir().unwrap();
    let layer = dir.path().join("layer.json");
    let out = azhunt(
        &[
            "hunt",
            "-q",
            "--format",
            "jsonl",
            "--navigator",
            layer.to_str().unwrap(),
            "examples/evidence",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = sonic_rs::from_str(&std::fs::read_to_string(&layer).unwrap()).unwrap();
    assert_eq!(s(&v, &["domain"]), "enterprise-attack");
    let techniques: Vec<&str> = v["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(t, &["techniqueID"]))
        .collect();
    for want in ["T1098.003", "T1562.008", "T1078.004"] {
        assert!(
            techniques.contains(&want),
            "{want} missing from {techniques:?}"
        );
    }
    // Every technique of every detection is in the layer.
    for d in json_lines(&out) {
        for t in d["attack"].as_array().unwrap() {
            assert!(techniques.contains(&t.as_str().unwrap()));
        }
    }
}
