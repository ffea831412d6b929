#![allow(clippy::unwrap_used)]
//! The built-in pack: every rule loads, is documented, maps to ATT&CK, and matches its
//! true-positive records and none of its true-negative records (`rules/tests/<name>.json`).
//! Records are raw log records in any shape azhunt reads; they go through the real readers.

use azhunt_detect::pack::BUILTIN_RULES;
use azhunt_detect::{HuntOptions, Hunter};
use azhunt_ingest::classify::classify;
use azhunt_ingest::normalize::normalize;
use azhunt_model::{Event, Source, Value};
use sonic_rs::JsonContainerTrait;
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
                let hit = hunter.evaluate(&e).is_some_and(|h| !h.matched.is_empty());
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
