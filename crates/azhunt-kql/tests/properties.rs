//! Semantic property tests: `has` against a term-splitting reference, summarize/join/sort
//! invariants against straightforward recomputation.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use azhunt_kql::{MemoryCatalog, Options, Table, Type, Value, run};
use proptest::prelude::*;

fn opts() -> Options {
    Options {
        now: jiff::Timestamp::UNIX_EPOCH,
    }
}

fn kql_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn table(keys: &[(u8, i64)]) -> MemoryCatalog {
    let mut t = Table::new(
        "T",
        vec![("k".into(), Type::String), ("v".into(), Type::Long)],
    );
    for (k, v) in keys {
        t.rows
            .push(vec![Value::from(format!("k{}", k % 7)), Value::Int(*v)]);
    }
    let mut c = MemoryCatalog::new();
    c.insert(t);
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn has_matches_whole_terms(hay in "[a-cA-C0-9 ./_-]{0,24}", needle in "[a-cA-C0-9]{1,4}") {
        let q = format!("print {} has {}", kql_str(&hay), kql_str(&needle));
        let got = run(&q, &MemoryCatalog::new(), &opts()).unwrap().rows[0][0].clone();
        let expect = hay
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| t.eq_ignore_ascii_case(&needle));
        prop_assert_eq!(got, Value::Bool(expect));
    }

    #[test]
    fn contains_matches_substring(hay in "[a-cA-C ]{0,16}", needle in "[a-cA-C]{0,3}") {
        let q = format!("print {} contains {}, {} contains_cs {}", kql_str(&hay), kql_str(&needle), kql_str(&hay), kql_str(&needle));
        let t = run(&q, &MemoryCatalog::new(), &opts()).unwrap();
        prop_assert_eq!(&t.rows[0][0], &Value::Bool(hay.to_lowercase().contains(&needle.to_lowercase())));
        prop_assert_eq!(&t.rows[0][1], &Value::Bool(hay.contains(&needle)));
    }

    #[test]
    fn summarize_counts_add_up(rows in proptest::collection::vec((any::<u8>(), -50i64..50), 0..60)) {
        let cat = table(&rows);
        let t = run("T | summarize n = count(), s = sum(v) by k", &cat, &opts()).unwrap();
        let mut expect: HashMap<String, (i64, i64)> = HashMap::new();
        for (k, v) in &rows {
            let e = expect.entry(format!("k{}", k % 7)).or_default();
            e.0 += 1;
            e.1 += v;
        }
        prop_assert_eq!(t.rows.len(), expect.len());
        for r in &t.rows {
            let (n, s) = expect[&r[0].to_kql_string()];
            prop_assert_eq!(&r[1], &Value::Int(n));
            prop_assert_eq!(&r[2], &Value::Int(s));
        }
    }

    #[test]
    fn inner_join_size_is_sum_of_products(rows in proptest::collection::vec((any::<u8>(), -5i64..5), 0..40)) {
        let cat = table(&rows);
        let t = run("T | join kind=inner (T | where v > 0) on k | count", &cat, &opts()).unwrap();
        let mut left: HashMap<String, i64> = HashMap::new();
        let mut right: HashMap<String, i64> = HashMap::new();
        for (k, v) in &rows {
            *left.entry(format!("k{}", k % 7)).or_default() += 1;
            if *v > 0 {
                *right.entry(format!("k{}", k % 7)).or_default() += 1;
            }
        }
        let expect: i64 = left.iter().map(|(k, n)| n * right.get(k).copied().unwrap_or(0)).sum();
        prop_assert_eq!(&t.rows[0][0], &Value::Int(expect));
        let anti = run("T | join kind=leftanti (T | where v > 0) on k | count", &cat, &opts()).unwrap();
        let expect_anti: i64 = left.iter().filter(|(k, _)| !right.contains_key(*k)).map(|(_, n)| n).sum();
        prop_assert_eq!(&anti.rows[0][0], &Value::Int(expect_anti));
    }

    #[test]
    fn sort_orders_and_keeps_rows(rows in proptest::collection::vec((any::<u8>(), -50i64..50), 0..60)) {
        let cat = table(&rows);
        let t = run("T | sort by v asc", &cat, &opts()).unwrap();
        let vals: Vec<i64> = t.rows.iter().map(|r| match r[1] { Value::Int(i) => i, _ => 0 }).collect();
        let mut sorted: Vec<i64> = rows.iter().map(|(_, v)| *v).collect();
        sorted.sort_unstable();
        prop_assert_eq!(vals, sorted);
    }
}
