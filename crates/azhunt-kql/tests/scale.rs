//! Summarize and join stay hash-based: 100k rows finish quickly even in debug builds.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use azhunt_kql::{MemoryCatalog, Options, Table, Type, Value, run};

fn big(n: i64) -> MemoryCatalog {
    let mut t = Table::new(
        "AzureActivity",
        vec![
            ("Caller".into(), Type::String),
            ("TimeGenerated".into(), Type::DateTime),
            ("N".into(), Type::Long),
        ],
    );
    for i in 0..n {
        t.rows.push(vec![
            Value::from(format!("user{}@contoso.com", i % 5000)),
            Value::DateTime(1_700_000_000_000_000_000 + i * 60_000_000_000),
            Value::Int(i),
        ]);
    }
    let mut c = MemoryCatalog::new();
    c.insert(t);
    c
}

#[test]
fn hash_summarize_and_join_scale_linearly() {
    let cat = big(100_000);
    let opts = Options {
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let start = Instant::now();
    let t = run("AzureActivity | summarize count(), dcount(N), max(TimeGenerated) by Caller, bin(TimeGenerated, 1d)", &cat, &opts).unwrap();
    assert!(t.rows.len() >= 5000);
    let t = run(
        "AzureActivity | summarize c = count() by Caller | join kind=inner (AzureActivity | summarize m = max(N) by Caller) on Caller | count",
        &cat,
        &opts,
    )
    .unwrap();
    assert_eq!(t.rows[0][0], Value::Int(5000));
    let t = run(
        "AzureActivity | join kind=leftsemi (AzureActivity | where N < 10) on Caller | count",
        &cat,
        &opts,
    )
    .unwrap();
    assert_eq!(t.rows[0][0], Value::Int(200));
    let elapsed = start.elapsed();
    // Quadratic behaviour would take minutes; allow generous slack for slow CI machines.
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
}
