//! Microsoft Sentinel's queries over the shipped evidence: every query of
//! `../shared/corpus/sentinel-azureactivity` that reads only AzureActivity, AuditLogs and
//! SigninLogs must parse and run over `examples/evidence` presented as those tables. Run with
//! `--nocapture` for the rate and each failure's reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use azhunt_ingest::{ReadOptions, Sink, read_events};
use azhunt_kql::{Catalog, MemoryCatalog, Options, run};
use azhunt_tables::{Row, TableBuilder, row_of};
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/sentinel-azureactivity"
);
const EVIDENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/evidence");
const IN_SCOPE: [&str; 3] = ["AzureActivity", "AuditLogs", "SigninLogs"];

struct Rows(TableBuilder);

impl Sink<Option<Row>> for Rows {
    fn accept(&mut self, row: Option<Row>) {
        self.0.push(row);
    }
}

struct Input<'p>(azhunt_tables::QueryInput<'p>);

impl Sink<azhunt_tables::Item> for Input<'_> {
    fn accept(&mut self, item: azhunt_tables::Item) {
        self.0.push(item);
    }
}

pub fn evidence_catalog() -> MemoryCatalog {
    let mut rows = Rows(TableBuilder::new());
    read_events(
        &[PathBuf::from(EVIDENCE)],
        &ReadOptions::default(),
        |e, _| row_of(e),
        &mut rows,
    )
    .unwrap();
    rows.0.into_catalog()
}

fn queries(dir: &Path, out: &mut Vec<(PathBuf, String, Vec<String>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            queries(&p, out);
            continue;
        }
        if !p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) else {
            continue;
        };
        let Some(q) = doc.get("query").and_then(|q| q.as_str()) else {
            continue;
        };
        let types: Vec<String> = doc
            .get("requiredDataConnectors")
            .and_then(|c| c.as_sequence())
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("dataTypes").and_then(|d| d.as_sequence()))
            .flatten()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        out.push((p, q.to_string(), types));
    }
}

#[test]
fn sentinel_queries_run_over_the_evidence() {
    let mut all = Vec::new();
    queries(Path::new(CORPUS), &mut all);
    assert!(!all.is_empty(), "no queries under {CORPUS}");
    let catalog = evidence_catalog();
    assert!(
        catalog
            .table("AzureActivity")
            .is_some_and(|t| !t.rows.is_empty())
    );
    let opts = Options {
        now: "2026-11-16T00:00:00Z".parse().unwrap(),
    };
    let (mut total, mut ok, mut with_rows) = (0, 0, 0);
    let mut failures = Vec::new();
    for (path, q, types) in &all {
        if types.is_empty() || !types.iter().all(|t| IN_SCOPE.contains(&t.as_str())) {
            continue;
        }
        total += 1;
        match run(q, &catalog, &opts) {
            Ok(t) => {
                ok += 1;
                with_rows += usize::from(!t.rows.is_empty());
            }
            Err(e) => failures.push(format!(
                "{}\n{}",
                path.strip_prefix(CORPUS).unwrap_or(path).display(),
                e.render(q)
            )),
        }
    }
    println!(
        "ran {ok}/{total} in-scope Sentinel queries over examples/evidence ({with_rows} returned rows)"
    );
    for f in &failures {
        println!("FAIL {f}\n");
    }
    assert!(
        ok * 100 >= total * 80,
        "{ok}/{total} below 80%:\n{}",
        failures.join("\n")
    );
}

/// The tables built as `azhunt query` builds them — only the tables and columns a query can
/// reach, and without the rows its leading `where` drops — give every Sentinel query exactly
/// the result of the full tables.
#[test]
fn pruned_and_pushed_down_tables_change_no_result() {
    let mut all = Vec::new();
    queries(Path::new(CORPUS), &mut all);
    let full = evidence_catalog();
    let now: jiff::Timestamp = "2026-11-16T00:00:00Z".parse().unwrap();
    let opts = Options { now };
    let (mut compared, mut pushed, mut summarized, mut pruned) = (0, 0, 0, 0);
    for (path, q, types) in &all {
        if types.is_empty() || !types.iter().all(|t| IN_SCOPE.contains(&t.as_str())) {
            continue;
        }
        let Ok(parsed) = azhunt_kql::parse(q) else {
            continue;
        };
        let wanted =
            azhunt_tables::reachable_columns(q, &parsed).map(azhunt_tables::ColumnSet::new);
        let names = wanted.as_ref().map(azhunt_tables::ColumnSet::names);
        let push = azhunt_tables::Pushdown::of(&parsed, q, now, names);
        let tables = azhunt_tables::reachable_tables(q);
        match &push {
            Some(azhunt_tables::Pushdown::Where { .. }) => pushed += 1,
            Some(azhunt_tables::Pushdown::Summarize { .. }) => summarized += 1,
            None => {}
        }
        pruned += usize::from(wanted.is_some());
        let mut input = Input(azhunt_tables::QueryInput::new(names, push.as_ref()));
        read_events(
            &[PathBuf::from(EVIDENCE)],
            &ReadOptions::default(),
            |e, _| {
                azhunt_tables::Pushdown::item(
                    push.as_ref(),
                    azhunt_tables::row_with(e, tables.as_ref(), wanted.as_ref()),
                )
            },
            &mut input,
        )
        .unwrap();
        let streamed = input.0.run(&parsed, &opts);
        compared += 1;
        match (run(q, &full, &opts), streamed) {
            (Ok(a), Ok(b)) => assert_eq!(
                format!("{:?}", a.rows),
                format!("{:?}", b.rows),
                "{}",
                path.display()
            ),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{}: {:?} vs {:?}", path.display(), a.is_ok(), b.is_ok()),
        }
    }
    println!(
        "{compared} queries compared: {pruned} with pruned columns, {pushed} with a pushed-down \
         where, {summarized} with a streamed summarize"
    );
    assert!(
        pushed >= 10 && summarized >= 1 && pruned >= 3,
        "{pushed} pushed down, {summarized} summarized, {pruned} pruned"
    );
}
