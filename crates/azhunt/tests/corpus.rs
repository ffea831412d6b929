//! Every real public sample in `../shared/corpus/samples` is read with the record counts its
//! `SOURCES.md` gives, and with the normalized / duplicate / rejected split azhunt decides.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

mod support;
use support::azhunt;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/samples")
}

/// (path under samples/, read, normalized, duplicates, rejected) — or read = -1 for a file
/// reported as unrecognized.
const EXPECTED: &[(&str, i64, u64, u64, u64)] = &[
    (
        "azure-rest-api-specs/specification/monitor/resource-manager/Microsoft.Insights/stable/2015-04-01/examples/GetActivityLogsFiltered.json",
        1,
        1,
        0,
        0,
    ),
    // A copy of the subscription example (same eventDataId): a duplicate when read together.
    (
        "azure-rest-api-specs/specification/monitor/resource-manager/Microsoft.Insights/stable/2015-04-01/examples/GetTenantActivityLogsFiltered.json",
        1,
        1,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-activitylogs-raw.log",
        3,
        3,
        0,
        0,
    ),
    // Two hand-made variants of one sign-in share id, time and category.
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-activitylogs-edgecases.log",
        3,
        2,
        1,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-activitylogs-mixedcase-resourceid.log",
        2,
        2,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-acitivitylogs-responsebody.log",
        1,
        1,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-azure-activitylogs-duration-as-string-sample.log",
        3,
        3,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/activitylogs/_dev/test/pipeline/test-time-formats-corner-cases.log",
        11,
        11,
        0,
        0,
    ),
    // Category stubs with no time are not events.
    (
        "elastic-integrations/packages/azure/data_stream/events/_dev/test/pipeline/test-activitylogs-categories.log",
        -1,
        0,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/events/_dev/test/pipeline/test-signinlogs-raw.log",
        -1,
        0,
        0,
        0,
    ),
    // Three hand-made variants of one audit record share id and time.
    (
        "elastic-integrations/packages/azure/data_stream/auditlogs/_dev/test/pipeline/test-auditlogs-raw.log",
        3,
        1,
        2,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/auditlogs/_dev/test/pipeline/test-audit-logs-sample.log",
        3,
        3,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-signinlogs-raw.log",
        5,
        5,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-service-principal.log",
        1,
        1,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-alternative-time-and-duration-as-string.log",
        1,
        1,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-adfs-signin.log",
        1,
        1,
        0,
        0,
    ),
    (
        "elastic-integrations/packages/azure/data_stream/platformlogs/_dev/test/pipeline/test-platformlogs-kube.log",
        1,
        1,
        0,
        0,
    ),
    (
        "microsoft-extractor-suite/Output/EntraID/20250502-Auditlogs/20250502131826-AuditLogs.json",
        123,
        123,
        0,
        0,
    ),
    (
        "microsoft-extractor-suite/Output/EntraID/20250502-SignInLogs/managedIdentity/20250502132321-managedIdentity-SignInLogs.json",
        28,
        28,
        0,
        0,
    ),
    (
        "microsoft-extractor-suite/Output/EntraID/20250502-SignInLogs/servicePrincipal/20250502132320-servicePrincipal-SignInLogs.json",
        494,
        494,
        0,
        0,
    ),
    (
        "sentinel-training-lab-telemetry/azureActivity_adele.csv",
        23,
        23,
        0,
        0,
    ),
    (
        "sentinel-training-lab-telemetry/azure_activity.csv",
        325,
        325,
        0,
        0,
    ),
    (
        "sentinel-training-lab-telemetry/sign-in_adelete.csv",
        56,
        56,
        0,
        0,
    ),
    // Query results that projected the time away: real rows, but no time, so rejected.
    (
        "sentinel-training-lab-telemetry/AuditLogs_Hunting.csv",
        5,
        0,
        0,
        5,
    ),
    (
        "sentinel-training-lab-telemetry/disable_accounts.csv",
        4,
        0,
        0,
        4,
    ),
    // A summarized query result, not events.
    (
        "sentinel-training-lab-telemetry/signinLogs.csv",
        -1,
        0,
        0,
        0,
    ),
    // Two rows share Id and time.
    (
        "otrf-security-datasets/GoldenSAMLADFSMailAccess/AADAuditEvents.json",
        4,
        3,
        1,
        0,
    ),
    (
        "otrf-security-datasets/GoldenSAMLADFSMailAccess/AADAuditEvents.Zip",
        4,
        3,
        1,
        0,
    ),
    ("wazuh/wodles/azure/tests/data/graph_events", 2, 2, 0, 0),
    (
        "wazuh/wodles/azure/tests/data/log_analytics_events",
        2,
        2,
        0,
        0,
    ),
    (
        "wazuh/wodles/azure/tests/data/storage_events_json",
        2,
        2,
        0,
        0,
    ),
    (
        "wazuh/wodles/azure/tests/data/storage_events_inline",
        2,
        2,
        0,
        0,
    ),
    ("plaso/test_data/jsonl/azure_activity_log.jsonl", 4, 4, 0, 0),
    (
        "sumologic-azure-function/EventHubs/tests/activity_log_fixtures.json",
        1,
        1,
        0,
        0,
    ),
];

#[test]
fn every_sample_reads_with_its_documented_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (rel, read, normalized, duplicates, rejected) in EXPECTED {
        let path = samples().join(rel);
        assert!(
            path.exists(),
            "missing sample {rel} (is ../shared beside the checkout?)"
        );
        let summary = dir.path().join("s.json");
        let (summary_arg, path_arg) = (summary.display().to_string(), path.display().to_string());
        let out = azhunt(
            &[
                "timeline",
                "--quiet",
                "--format",
                "jsonl",
                "--summary-json",
                &summary_arg,
                &path_arg,
            ],
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let files: sonic_rs::Value =
            sonic_rs::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
        let f = &files[0];
        use sonic_rs::JsonValueTrait;
        let got = (
            f["status"].as_str().unwrap_or("").to_string(),
            f["read"].as_u64().unwrap_or(0),
            f["normalized"].as_u64().unwrap_or(0),
            f["duplicates"].as_u64().unwrap_or(0),
            f["rejected"].as_u64().unwrap_or(0),
        );
        let want = if *read < 0 {
            ("unrecognized".to_string(), 0, 0, 0, 0)
        } else {
            (
                "read".to_string(),
                *read as u64,
                *normalized,
                *duplicates,
                *rejected,
            )
        };
        if got != want {
            failures.push(format!("{rel}: got {got:?}, want {want:?}"));
        }
        let lines = String::from_utf8_lossy(&out.stdout).lines().count() as u64;
        if lines != want.2 {
            failures.push(format!("{rel}: {lines} timeline lines, want {}", want.2));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_whole_corpus_reconciles_in_one_run() {
    let all = samples().display().to_string();
    let out = azhunt(&["timeline", "--format", "jsonl", &all], &support::root());
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("reconciled"), "{err}");
    // Across files: the tenant REST example repeats the subscription one, the OTRF zip holds
    // the JSON beside it, wazuh's JSON Lines file repeats its `records` file; plus the
    // within-file duplicates listed above (1 + 2 + 1 + 1).
    let total = err.lines().find(|l| l.starts_with("TOTAL")).unwrap_or("");
    let cols: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(cols.get(3), Some(&"11"), "duplicates in: {total}");
    // Time order.
    let times: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: sonic_rs::Value = sonic_rs::from_str(l).unwrap();
            use sonic_rs::JsonValueTrait;
            v["timestamp"].as_i64().unwrap().to_string()
        })
        .collect();
    let nums: Vec<i64> = times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(nums.windows(2).all(|w| w[0] <= w[1]));
    assert!(nums.len() > 1000);
}
