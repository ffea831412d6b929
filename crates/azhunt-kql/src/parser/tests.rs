//! Parser tests: accepted syntax and error positions.
#![allow(clippy::unwrap_used)]

use super::parse;

fn err_at(q: &str) -> (usize, String, String) {
    match parse(q) {
        Ok(_) => panic!("expected a parse error for {q}"),
        Err(e) => (e.offset, e.message.clone(), e.render(q)),
    }
}

#[test]
fn accepts_common_syntax() {
    let ok = [
        "T",
        "T | where a == 1 and b != 'x' or not(c)",
        "let x = 5; let t = ago(1d); T | where TimeGenerated > t",
        "let f = (a:string, b:int = 3) { a }; T",
        "let g = () { T | take 1 }; g()",
        "let T2 = AzureActivity | where x in~ ('a', 'b');\nT2",
        "T | summarize count(), n = dcount(x) by bin(TimeGenerated, 1h), y",
        "T | summarize hint.shufflekey = x count() by x",
        "T | join kind=leftouter (U | where a) on $left.A == $right.B, C",
        "T | join hint.strategy=broadcast kind = inner U on A",
        "T | mv-expand x = y to typeof(string) limit 10",
        "T | mv-apply x = y on (where x > 1 | take 1)",
        "T | parse col with * \"a\" name:string \"b\" *",
        "datatable(a:int, b:string)[1, \"x\", 2, 'y']",
        "T | extend d = datetime(2026-11-12T09:00:00Z), t = time(1.00:00:00), s = 100ms",
        "T | where x matches regex @'^a\\d+' and y !has_cs 'Q' and z has_any ('a','b')",
        "T | project-away a*, b | project-rename c = d | project-reorder e asc",
        "T | top 10 by x desc nulls first",
        "T | sort by a asc, b desc | render timechart",
        "union withsource=Src isfuzzy=true T, (U | take 1), V*",
        "T | where a.b[0].c == 'x' and a['k'] == 1",
        "T | evaluate bag_unpack(x)",
        "T | make-series count() on TimeGenerated step 1h",
        "T | where ['Odd Name'] == 1 | project ['Odd Name']",
        "T | extend (a, b) = f(x)",
        "print x = 1, y = 'a'",
        "range x from 1 to 10 step 1",
        "T | lookup kind=inner (U) on a",
        "set query_now = datetime(2026-01-01);\nT",
        "T // trailing comment\n| take 1 // more\n",
        "T | where x between (1 .. 5) and y !between (ago(1d) .. now())",
        "let v = dynamic([\"a\", 1, {\"k\": null}]); T",
        "T | summarize arg_max(TimeGenerated, *) by Caller",
        "T | distinct *",
        "T | extend x = iff(a, 1, 2), y = case(a, 1, b, 2, 3)",
        "T | serialize | extend n = 1",
    ];
    for q in ok {
        if let Err(e) = parse(q) {
            panic!("{}", e.render(q));
        }
    }
}

#[test]
fn error_after_complete_pipeline() {
    let (off, msg, r) = err_at("T | take 1 foo");
    assert_eq!(off, 11);
    assert_eq!(msg, "expected '|' or end of query, found 'foo'");
    assert_eq!(
        r,
        "line 1, column 12: expected '|' or end of query, found 'foo'\nT | take 1 foo\n           ^"
    );
}

#[test]
fn error_unknown_operator() {
    let (off, msg, _) = err_at("T\n| frobnicate x");
    assert_eq!(off, 4);
    assert!(
        msg.contains("tabular operator") && msg.contains("'frobnicate'"),
        "{msg}"
    );
    let (_, _, r) = err_at("T\n| frobnicate x");
    assert!(r.starts_with("line 2, column 3:"), "{r}");
    assert!(r.ends_with("| frobnicate x\n  ^"), "{r}");
}

#[test]
fn error_missing_expression_and_paren() {
    let (off, msg, _) = err_at("T | where");
    assert_eq!(
        (off, msg.as_str()),
        (9, "expected an expression, found end of query")
    );
    let (off, msg, _) = err_at("T | where (a == 1");
    assert_eq!(
        (off, msg.as_str()),
        (17, "expected ')', found end of query")
    );
    let (off, msg, _) = err_at("T | summarize count() by");
    assert_eq!(off, 24);
    assert!(msg.contains("expression"));
    let (off, _, _) = err_at("let x = 1 T");
    assert_eq!(off, 10);
    let (off, msg, _) = err_at("T | join kind=sideways (U) on a");
    assert_eq!(off, 14);
    assert!(msg.contains("sideways"));
    let (off, _, _) = err_at("T | where x == 'abc");
    assert_eq!(off, 15);
    let (off, msg, _) = err_at("T | extend d = datetime(not a date)");
    assert_eq!(off, 24);
    assert!(msg.contains("invalid datetime"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let q = format!("T | where {}1{}", "(".repeat(5000), ")".repeat(5000));
    let (_, msg, _) = err_at(&q);
    assert!(msg.contains("nested too deeply"));
    let q = format!("print {}1", "-".repeat(5000));
    assert!(parse(&q).is_err());
}

#[test]
fn render_handles_multibyte_and_end() {
    let q = "T | where é ==";
    let e = parse(q).err().unwrap();
    let r = e.render(q);
    assert!(r.ends_with("^"), "{r}");
}
