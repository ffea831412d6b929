#![allow(clippy::unwrap_used)]
//! The built-in pack: every rule loads, is documented, maps to ATT&CK, and matches its
//! true-positive records and none of its true-negative records (`rules/tests/<name>.json`).
//! Records are raw log records in any shape azhunt reads; they go through the real readers.

use azhunt_detect::pack::BUILTIN_RULES;
use azhunt_detect::{HuntOptions, Hunter};
use azhunt_ingest::classify::classify;
use azhunt_ingest::normalize::normalize;
use azhunt_model::{Event, Source, Value};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};
use std::path::PathBuf;
use std::sync::Arc;

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/tests")
}

fn event_of(record: &Value, what: &str) -> Event {
    let bytes = sonic_rs::to_vec(record).unwrap();
    let schema = classify(record, None).unwrap_or_else(|e| panic!("{what}: not recognized: {e}"));
    let source = Source {
        path: Arc::from(what),
        record: 1,
        line: None,
    };
    normalize(record.clone(), schema, source, &bytes)
        .unwrap_or_else(|e| panic!("{what}: rejected: {e}"))
}

fn stem(name: &str) -> &str {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.strip_suffix(".yml")
        .or_else(|| file.strip_suffix(".yaml"))
        .unwrap_or(file)
}

#[test]
fn pack_has_at_least_fifty_documented_rules() {
    assert!(
        BUILTIN_RULES.len() >= 50,
        "built-in pack has {} rules",
        BUILTIN_RULES.len()
    );
    let (hunter, report) = Hunter::load(HuntOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.unrouted.is_empty(), "{:?}", report.unrouted);
    let mut ids = std::collections::HashSet::new();
    for r in hunter.rules() {
        assert!(!r.rule.id.is_empty(), "{} has no id", r.rule.title);
        assert!(ids.insert(r.rule.id.clone()), "duplicate id {}", r.rule.id);
        assert!(
            !r.rule.attack.is_empty(),
            "{} has no ATT&CK technique",
            r.rule.title
        );
        assert!(
            !r.rule.tactics.is_empty(),
            "{} has no ATT&CK tactic",
            r.rule.title
        );
    }
    for (name, text) in BUILTIN_RULES {
        for key in ["description:", "falsepositives:", "level:", "tags:"] {
            assert!(text.contains(key), "{name} lacks {key}");
        }
    }
}

#[test]
fn every_rule_matches_its_true_positives_and_not_its_true_negatives() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, text) in BUILTIN_RULES {
        if is_correlation(text) {
            continue; // tested over event sequences below
        }
        let path = tests_dir().join(format!("{}.json", stem(name)));
        let Ok(body) = std::fs::read_to_string(&path) else {
            failures.push(format!("{name}: no test file {}", path.display()));
            continue;
        };
        let cases: Value = match sonic_rs::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let (hunter, report) = Hunter::load_with(&[(name, text)], HuntOptions::default());
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
        for (key, want) in [("true_positive", true), ("true_negative", false)] {
            let records: Vec<Value> = azhunt_model::get_ci(&cases, key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().cloned().collect())
                .unwrap_or_default();
            if records.is_empty() {
                failures.push(format!("{name}: no {key} records"));
            }
            for (i, rec) in records.iter().enumerate() {
                let what = format!("{name} {key}[{i}]");
                let e = event_of(rec, &what);
                let hit = hunter
                    .evaluate(&e, None)
                    .is_some_and(|h| !h.matched.is_empty());
                // The same record with its JSON text (the keyword scan's other path) agrees.
                let json = sonic_rs::to_vec(rec).unwrap_or_default();
                let with_json = hunter
                    .evaluate(&e, Some(&json))
                    .is_some_and(|h| !h.matched.is_empty());
                if with_json != hit {
                    failures.push(format!("{what}: the JSON-text path disagrees"));
                }
                checked += 1;
                if hit != want {
                    failures.push(format!(
                        "{what}: expected {}, operation {:?} status {:?}",
                        if want { "a match" } else { "no match" },
                        e.operation,
                        e.status
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn is_correlation(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("correlation:"))
}

/// The `id:` of a rule file.
fn rule_id(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(str::trim)
        .unwrap_or("")
}

/// Correlation rules: each `true_positive_sequences` entry (records in any shape, in any
/// order) must make the correlation fire over the whole pack; no `true_negative_sequences`
/// entry may.
#[test]
fn correlations_fire_on_their_sequences_only() {
    let (hunter, report) = Hunter::load(HuntOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, text) in BUILTIN_RULES.iter().filter(|(_, t)| is_correlation(t)) {
        seen += 1;
        let path = tests_dir().join(format!("{}.json", stem(name)));
        let body = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{name}: {}: {e}", path.display()));
        let cases: Value = sonic_rs::from_str(&body).unwrap();
        let id = rule_id(text);
        for (key, want) in [
            ("true_positive_sequences", true),
            ("true_negative_sequences", false),
        ] {
            let seqs = cases
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.len())
                .unwrap_or(0);
            if seqs == 0 {
                failures.push(format!("{name}: no {key}"));
            }
            for n in 0..seqs {
                let seq = &cases[key][n];
                let mut session = hunter.session();
                for (i, rec) in seq.as_array().into_iter().flatten().enumerate() {
                    let e = event_of(rec, &format!("{name} {key}[{n}][{i}]"));
                    // As `hunt` does: workers release the events the session does not read.
                    if let Some(mut hit) = hunter.evaluate(&e, None) {
                        hunter.release_event(&mut hit);
                        session.accept(&hit);
                    }
                }
                let fired = session.finish().iter().any(|d| d.rule_id == id);
                if fired != want {
                    failures.push(format!("{name} {key}[{n}]: fired = {fired}"));
                }
            }
        }
    }
    assert!(seen > 0, "the pack has no correlation rule");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Which operations count as sensitive for the first-seen detector, in any case.
#[test]
fn sensitive_operations_ignore_case_and_failures() {
    let activity = |op: &str, status: &str| {
        let rec: Value = sonic_rs::from_str(&format!(
            r#"{{"eventTimestamp":"2026-11-10T10:00:00Z","category":{{"value":"Administrative"}},
            "operationName":{{"value":"{op}"}},"status":{{"value":"{status}"}},
            "eventDataId":"e1","caller":"a@contoso.example",
            "resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"}}"#
        ))
        .unwrap();
        event_of(&rec, op)
    };
    let sensitive = azhunt_detect::stateful::is_sensitive;
    assert!(sensitive(&activity(
        "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
        "Succeeded"
    )));
    assert!(sensitive(&activity(
        "Microsoft.Authorization/roleAssignments/write",
        "Started"
    )));
    assert!(!sensitive(&activity(
        "Microsoft.Storage/storageAccounts/listKeys/action",
        "Failed"
    )));
    assert!(!sensitive(&activity(
        "Microsoft.Authorization/roleAssignments/writer",
        "Succeeded"
    )));
    assert!(!sensitive(&activity("listkeys/action", "Succeeded")));
}

/// A hit that neither a correlation nor a stateful detector reads gives its event up on the
/// worker; one the first-seen detector reads keeps it.
#[test]
fn events_are_released_only_when_the_session_ignores_them() {
    let rec: Value = sonic_rs::from_str(
        r#"{"eventTimestamp":"2026-11-10T10:00:00Z","category":{"value":"Administrative"},
        "operationName":{"value":"Microsoft.Storage/storageAccounts/listKeys/action"},
        "status":{"value":"Succeeded"},"eventDataId":"e1","caller":"a@contoso.example",
        "httpRequest":{"clientIpAddress":"203.0.113.7"},"resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"}"#,
    )
    .unwrap();
    let e = event_of(&rec, "listKeys");
    for (stateful, kept) in [(false, false), (true, true)] {
        let (hunter, _) = Hunter::load(HuntOptions {
            builtin: true,
            stateful,
            ..Default::default()
        });
        let mut hit = hunter.evaluate(&e, None).unwrap();
        assert!(!hit.matched.is_empty() && hit.event.is_some());
        hunter.release_event(&mut hit);
        assert_eq!(hit.event.is_some(), kept, "stateful = {stateful}");
    }
}
