use super::*;
use crate::{Options, run_parsed};

fn columns() -> Vec<(String, Type)> {
    vec![
        ("Caller".to_string(), Type::String),
        ("TimeGenerated".to_string(), Type::DateTime),
        ("Level".to_string(), Type::String),
        ("Count".to_string(), Type::Long),
    ]
}

const HOUR: i64 = 3_600_000_000_000;

/// Rows with repeated callers, a null caller, null counts and times over three days.
fn rows() -> Vec<Vec<Value>> {
    let callers = ["alice@x", "bob@x", "", "carol@x", "alice@x"];
    (0..60i64)
        .map(|i| {
            let caller = match i % 7 {
                3 => Value::Null,
                k => Value::from(callers[(k as usize) % callers.len()]),
            };
            let level = if i % 4 == 0 { "Error" } else { "Informational" };
            let count = if i % 5 == 0 {
                Value::Null
            } else {
                Value::Int(i % 9)
            };
            vec![
                caller,
                Value::DateTime(i * HOUR + i * 7),
                Value::from(level),
                count,
            ]
        })
        .collect()
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::UNIX_EPOCH
}

/// The query over the full table, and the same query streamed row by row.
fn both(q: &str) -> (Result<Table>, Option<Result<Table>>) {
    let parsed = crate::parse(q).unwrap();
    let mut full = MemoryCatalog::new();
    let mut t = Table::new("T", columns());
    t.rows = rows();
    full.insert(t);
    let whole = run_parsed(&parsed, &full, &Options { now: now() });
    let Some(s) = RowSummarize::leading(&parsed, q, "T", &columns(), now()) else {
        return (whole, None);
    };
    let mut g = s.grouping();
    for r in rows() {
        let p = s.prepare(r);
        s.add(&mut g, p);
    }
    let mut empty = MemoryCatalog::new();
    empty.insert(Table::new("T", columns()));
    (whole, Some(s.run(g, &empty)))
}

fn same(q: &str) {
    let (whole, streamed) = both(q);
    let streamed = streamed.unwrap_or_else(|| panic!("not streamed: {q}"));
    match (whole, streamed) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.columns, b.columns, "{q}");
            assert_eq!(format!("{:?}", a.rows), format!("{:?}", b.rows), "{q}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{q}"),
        (a, b) => panic!("{q}: {a:?} vs {b:?}"),
    }
}

#[test]
fn streamed_summaries_equal_the_table_at_a_time_result() {
    for q in [
        "T | summarize count() by Caller, bin(TimeGenerated, 1h)",
        "T | summarize count() by Caller, bin(TimeGenerated, 1d) | where count_ > 1 | order by Caller asc",
        "T | where Level == 'Error' | summarize dcount(Caller), make_set(Level) by bin(TimeGenerated, 1d)",
        "T | where Caller == '' | summarize count()",
        "T | where Level == 'Error' | where isnotempty(Caller) | summarize c = count() by Caller",
        "T | summarize arg_max(TimeGenerated, *) by Caller",
        "T | summarize arg_min(TimeGenerated, Level, Count) by Caller | project Caller, Level",
        "T | summarize n = count(), s = sumif(Count, Level == 'Error'), a = avg(Count), mx = max(Count) by Caller",
        "T | summarize round(avg(Count), 2), count() * 2 by Caller",
        "T | summarize take_any(Level), make_list(Count, 3), countif(Count > 4) by Caller",
        "T | summarize min(TimeGenerated), max(TimeGenerated), dcountif(Level, Count > 2)",
        "T | where Level == 'nothing' | summarize count()",
        "T | where Level == 'nothing' | summarize count() by Caller",
        "T | summarize count() by tolower(Caller) | count",
        "T | summarize Total = sum(Count) by Caller | top 2 by Total desc",
        // Arguments an aggregate does not read for a row cannot fail it.
        "T | summarize sumif(Caller + 1, Level == 'nothing'), make_set_if(Level * 2, false)",
    ] {
        same(q);
    }
}

#[test]
fn failures_are_those_of_the_table_at_a_time_run() {
    for q in [
        "T | where Caller + 1 > 2 | summarize count()",
        "T | summarize sum(Level) by Caller",
        "T | summarize count() by Caller matches regex '('",
        // A failing where is reported although the summarize fails on an earlier row.
        "T | where TimeGenerated < datetime(1970-01-01T05:00:00Z) or Caller + 1 > 0 | summarize sum(Level)",
        // And the first where before the second.
        "T | where TimeGenerated < datetime(1970-01-01T05:00:00Z) or Caller + 1 > 0 | where Level * 2 > 0 | summarize count()",
        // Unknown functions fail whatever the data.
        "T | where Level == 'nothing' | summarize count() by Caller | extend x = nosuchfunction(Caller)",
    ] {
        let (whole, streamed) = both(q);
        let streamed = streamed.unwrap_or_else(|| panic!("not streamed: {q}"));
        match (whole, streamed) {
            (Err(a), Err(b)) => assert_eq!(a, b, "{q}"),
            (a, b) => panic!("{q}: expected the same failure, got {a:?} and {b:?}"),
        }
    }
}

#[test]
fn only_row_local_leading_summaries_stream() {
    let leading = |q: &str| {
        let parsed = crate::parse(q).unwrap();
        RowSummarize::leading(&parsed, q, "T", &columns(), now()).is_some()
    };
    assert!(leading("T | summarize count() by Caller"));
    assert!(leading(
        "T | where Level == 'Error' | summarize count() by Caller | take 3"
    ));
    assert!(!leading("T | project Caller | summarize count() by Caller"));
    assert!(!leading("let x = 'a'; T | summarize count() by x"), "a let");
    assert!(
        !leading("T | summarize count() by prev(Caller)"),
        "window function"
    );
    assert!(
        !leading("T | summarize count() | union (T | count)"),
        "T twice"
    );
    assert!(!leading("union T* | summarize count()"), "wildcard");
    assert!(
        !leading("T | where Nope == 1 | summarize count()"),
        "not a column"
    );
    assert!(!leading("T | summarize make_set(Nope)"), "not a column");
    assert!(!leading("U | summarize count()"), "another table");
}

#[test]
fn prepared_rows_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<RowSummarize>();
    fn send<T: Send>() {}
    send::<Prepared>();
}
