//! Arbitrary input never panics the lexer, parser or evaluator.
#![allow(clippy::unwrap_used)]

mod common;
use azhunt_kql::{Options, parse, run};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "AzureActivity",
    "|",
    "where",
    "project",
    "extend",
    "summarize",
    "by",
    "join",
    "kind=inner",
    "on",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "let",
    "x",
    "=",
    "==",
    "!=",
    "=~",
    "has",
    "!has",
    "contains",
    "in",
    "in~",
    "between",
    "..",
    "1",
    "1.5",
    "-",
    "+",
    "*",
    "/",
    "%",
    "'a'",
    "\"b\"",
    "@'c'",
    "1d",
    "2h",
    "datetime(2026-01-01)",
    "Caller",
    "Count",
    "TimeGenerated",
    "Properties_d",
    ".",
    "a",
    "count()",
    "dcount(Caller)",
    "arg_max(TimeGenerated, *)",
    "bin(TimeGenerated, 1h)",
    "mv-expand",
    "parse",
    "with",
    "*",
    "take",
    "top",
    "sort",
    "asc",
    "desc",
    "distinct",
    "union",
    "datatable(a:int)",
    "print",
    "tostring(",
    "split(",
    "iff(",
    "case(",
    "ago(",
    "now()",
    "dynamic([1,2])",
    "extract(",
    "matches regex",
    "and",
    "or",
    "not(",
    "null",
    "true",
    "toscalar(",
    "mv-apply",
    "getschema",
    "lookup",
    "project-away",
    "project-rename",
    "range",
    "from",
    "to",
    "step",
    "0",
    "-1",
    "9223372036854775807",
    "1e308",
    "format_datetime(",
    "substring(",
    "make_set(",
    "countif(",
    "$left.a",
    "$right.b",
    "//c\n",
    "\n",
    "render",
];

fn opts() -> Options {
    Options { now: common::now() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,80}") {
        let _ = parse(&s);
        let _ = run(&s, &common::catalog(), &opts());
    }

    #[test]
    fn random_token_soup_never_panics(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..24)) {
        let q: Vec<&str> = parts.iter().map(|&i| FRAGMENTS[i]).collect();
        let q = q.join(" ");
        if let Err(e) = run(&q, &common::catalog(), &opts()) {
            let _ = e.render(&q);
            prop_assert!(e.offset <= q.len());
        }
    }

    #[test]
    fn valid_prefix_with_random_tail(tail in "[ -~]{0,40}") {
        let q = format!("AzureActivity | where Caller has 'x' {tail}");
        if let Err(e) = run(&q, &common::catalog(), &opts()) {
            let _ = e.render(&q);
        }
    }
}
