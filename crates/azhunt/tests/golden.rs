//! Golden files: the timeline and the accounting of the shipped evidence (`examples/evidence`).
//! Any change to normalization shows up here as a diff. To accept an intended change, run
//! `AZHUNT_UPDATE_GOLDEN=1 cargo test -p azhunt --test golden` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

mod support;
use support::{azhunt, root};

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("AZHUNT_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {}\n  actual: {}\n(AZHUNT_UPDATE_GOLDEN=1 to accept)",
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn evidence_timeline_and_accounting() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.json");
    let summary_arg = summary.display().to_string();
    let out = azhunt(
        &[
            "timeline",
            "--quiet",
            "--format",
            "jsonl",
            "--summary-json",
            &summary_arg,
            "examples/evidence",
        ],
        &root(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let timeline = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        timeline.lines().count(),
        341,
        "unique events of the shipped evidence"
    );
    check("evidence-timeline.jsonl", &timeline);
    check(
        "evidence-summary.json",
        &std::fs::read_to_string(&summary).unwrap(),
    );
}

#[test]
fn evidence_csv_and_table_render() {
    for (format, name) in [
        ("csv", "evidence-timeline.csv"),
        ("table", "evidence-timeline.txt"),
    ] {
        let out = azhunt(
            &[
                "timeline",
                "--quiet",
                "--format",
                format,
                "examples/evidence",
            ],
            &root(),
        );
        assert!(out.status.success());
        check(name, &String::from_utf8(out.stdout).unwrap());
    }
}
