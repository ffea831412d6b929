//! Scalar function, string operator and null-semantics tests (mostly via `print`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use azhunt_kql::{Value, parse_datetime};
use common::*;

fn p(expr: &str) -> Value {
    one(&format!("print {expr}"))
}

fn b(expr: &str) -> bool {
    match p(expr) {
        Value::Bool(b) => b,
        other => panic!("{expr} gave {other:?}"),
    }
}

fn s(expr: &str) -> String {
    p(expr).to_kql_string()
}

#[test]
fn string_operators_case_rules() {
    assert!(b("'Hello World' has 'world'"));
    assert!(!b("'Hello World' has 'wor'"));
    assert!(b("'Hello World' !has 'wor'"));
    assert!(b("'Hello World' has_cs 'World'"));
    assert!(!b("'Hello World' has_cs 'world'"));
    assert!(b("'Hello World' !has_cs 'world'"));
    assert!(b("'Hello World' contains 'LO W'"));
    assert!(!b("'Hello World' contains_cs 'LO W'"));
    assert!(b("'Hello World' !contains 'xyz'"));
    assert!(b("'Hello World' startswith 'hello'"));
    assert!(!b("'Hello World' startswith_cs 'hello'"));
    assert!(b("'Hello World' !startswith 'world'"));
    assert!(b("'Hello World' endswith 'WORLD'"));
    assert!(!b("'Hello World' endswith_cs 'WORLD'"));
    assert!(b("'Hello World' !endswith 'hello'"));
    assert!(b("'Hello World' hasprefix 'wor'"));
    assert!(b("'Hello World' hassuffix 'rld'"));
    assert!(!b("'Hello World' hassuffix 'wor'"));
    assert!(b(
        "'abc' == 'abc' and 'abc' != 'ABC' and 'abc' =~ 'ABC' and 'abc' !~ 'abd'"
    ));
    assert!(b(
        "'Microsoft.Storage/storageAccounts/listKeys/action' hassuffix 'listkeys/action'"
    ));
    assert!(b(
        "'Microsoft.Storage/storageAccounts/listKeys/action' has 'storageaccounts/listkeys'"
    ));
    assert!(b("'a1b2' matches regex '^[a-z]\\\\d'"));
    assert!(b("'ab' !matches regex '^\\\\d'"));
}

#[test]
fn list_operators() {
    assert!(b("'b' in ('a', 'b')"));
    assert!(!b("'B' in ('a', 'b')"));
    assert!(b("'B' in~ ('a', 'b')"));
    assert!(b("'B' !in ('a', 'b')"));
    assert!(!b("'B' !in~ ('a', 'b')"));
    assert!(b("2 in (1, 2, 3)"));
    assert!(b("'x' in (dynamic(['x', 'y']))"));
    assert!(b("'Hello World' has_any ('nope', 'WORLD')"));
    assert!(!b("'Hello World' has_all ('hello', 'nope')"));
    assert!(b("'Hello World' has_all ('hello', 'world')"));
    assert!(b("'a b' has_any (dynamic(['b']))"));
}

#[test]
fn null_semantics() {
    assert_eq!(p("int(null) == 1"), Value::Bool(false));
    assert_eq!(p("int(null) != 1"), Value::Bool(true));
    assert_eq!(p("int(null) == int(null)"), Value::Null);
    assert_eq!(p("int(null) > 1"), Value::Null);
    assert_eq!(p("int(null) + 1"), Value::Null);
    assert_eq!(p("isnull(int(null))"), Value::Bool(true));
    assert_eq!(p("isnotnull(1)"), Value::Bool(true));
    assert_eq!(p("isempty('')"), Value::Bool(true));
    assert_eq!(p("isempty(int(null))"), Value::Bool(true));
    assert_eq!(p("isnotempty(' ')"), Value::Bool(true));
    assert_eq!(p("strlen(tostring(int(null)))"), Value::Int(0));
    assert_eq!(p("coalesce(int(null), '', 'x')"), Value::from("x"));
    assert_eq!(p("true and int(null) == int(null)"), Value::Null);
    assert_eq!(p("false and int(null) == int(null)"), Value::Bool(false));
    assert_eq!(p("true or int(null) == int(null)"), Value::Bool(true));
    // Aggregates ignore nulls.
    assert_eq!(
        one("AzureActivity | summarize c = count(Count)"),
        Value::Int(5)
    );
    assert_eq!(
        one("AzureActivity | summarize dcount(Count)"),
        Value::Int(5)
    );
}

#[test]
fn arithmetic_and_time() {
    assert_eq!(p("7 / 2"), Value::Int(3));
    assert_eq!(p("7 / 2.0"), Value::Real(3.5));
    assert_eq!(p("7 % 3"), Value::Int(1));
    assert_eq!(p("1 / 0"), Value::Null);
    assert_eq!(p("-(3) * 2"), Value::Int(-6));
    assert_eq!(p("1d / 1h"), Value::Real(24.0));
    assert_eq!(p("2h * 3"), Value::TimeSpan(6 * 3_600_000_000_000));
    assert_eq!(p("datetime(2026-11-12) + 1d"), dt("2026-11-13T00:00:00Z"));
    assert_eq!(
        p("datetime(2026-11-12) - datetime(2026-11-11)"),
        Value::TimeSpan(86_400_000_000_000)
    );
    assert_eq!(
        p("now()"),
        Value::DateTime(parse_datetime("2026-11-12T12:00:00Z").unwrap())
    );
    assert_eq!(p("ago(2h)"), dt("2026-11-12T10:00:00Z"));
    assert_eq!(p("time(1.00:00:00)"), Value::TimeSpan(86_400_000_000_000));
    assert_eq!(p("timespan(00:30:00)"), Value::TimeSpan(1_800_000_000_000));
    assert_eq!(p("10s + 100ms + 30m"), Value::TimeSpan(1_810_100_000_000));
    assert_eq!(
        p("bin(datetime(2026-11-12 09:47:00), 1h)"),
        dt("2026-11-12T09:00:00Z")
    );
    assert_eq!(p("bin(17, 5)"), Value::Int(15));
    assert_eq!(p("floor(4.7, 1)"), Value::Real(4.0));
    assert_eq!(
        p("startofday(datetime(2026-11-12 09:47:00))"),
        dt("2026-11-12T00:00:00Z")
    );
    assert_eq!(
        p("startofday(datetime(2026-11-12), -1)"),
        dt("2026-11-11T00:00:00Z")
    );
    assert_eq!(
        p("startofmonth(datetime(2026-11-12))"),
        dt("2026-11-01T00:00:00Z")
    );
    assert_eq!(
        p("datetime_diff('day', datetime(2026-11-12), datetime(2026-11-01 23:00))"),
        Value::Int(11)
    );
    assert_eq!(
        p("datetime_diff('hour', datetime(2026-11-12 10:00), datetime(2026-11-12 09:59))"),
        Value::Int(1)
    );
    assert_eq!(
        s("format_datetime(datetime(2026-03-04 05:06:07.891), 'yyyy-MM-dd HH:mm:ss.fff')"),
        "2026-03-04 05:06:07.891"
    );
    assert_eq!(
        s("format_datetime(datetime(2026-03-04 15:06:07), 'M/d/yyyy h:mm tt')"),
        "3/4/2026 3:06 PM"
    );
    assert_eq!(
        s("tostring(datetime(2026-11-12T09:00:00Z))"),
        "2026-11-12T09:00:00.0000000Z"
    );
    assert_eq!(s("tostring(1d + 2h)"), "1.02:00:00");
    assert_eq!(
        p("todatetime('2026-11-12T09:00:00Z')"),
        dt("2026-11-12T09:00:00Z")
    );
    assert_eq!(p("todatetime('garbage')"), Value::Null);
    assert_eq!(
        p("totimespan('01:00:00')"),
        Value::TimeSpan(3_600_000_000_000)
    );
    assert_eq!(
        p("dayofweek(datetime(2026-11-12))"),
        Value::TimeSpan(4 * 86_400_000_000_000)
    );
    assert_eq!(p("getmonth(datetime(2026-11-12))"), Value::Int(11));
    assert_eq!(p("hourofday(datetime(2026-11-12 13:00))"), Value::Int(13));
    assert!(b(
        "datetime(2026-11-12 10:00) between (datetime(2026-11-12) .. datetime(2026-11-13))"
    ));
    assert!(b("5 between (1 .. 5)"));
    assert!(b("6 !between (1 .. 5)"));
}

#[test]
fn conversions() {
    assert_eq!(p("toint('42')"), Value::Int(42));
    assert_eq!(p("toint('4.9')"), Value::Int(4));
    assert_eq!(p("tolong('x')"), Value::Null);
    assert_eq!(p("todouble('2.5')"), Value::Real(2.5));
    assert_eq!(p("toreal(3)"), Value::Real(3.0));
    assert_eq!(p("tobool('TRUE')"), Value::Bool(true));
    assert_eq!(p("tobool(0)"), Value::Bool(false));
    assert_eq!(
        s("tostring(dynamic({'b':1,'a':[true,null]}))"),
        r#"{"a":[true,null],"b":1}"#
    );
    assert_eq!(s("tostring(2.5)"), "2.5");
    assert_eq!(p("parse_json('[1,2]')[1]"), Value::Int(2));
    assert_eq!(
        p("todynamic('{\"a\":{\"b\":\"c\"}}').a.b"),
        Value::from("c")
    );
    assert_eq!(p("parse_json('not json')"), Value::from("not json"));
    assert_eq!(s("gettype(dynamic([]))"), "array");
}

#[test]
fn string_functions() {
    assert_eq!(s("strcat('a', 1, 'b')"), "a1b");
    assert_eq!(s("strcat_delim('-', 'a', 'b')"), "a-b");
    assert_eq!(p("strlen('héllo')"), Value::Int(5));
    assert_eq!(s("substring('abcdef', 2, 3)"), "cde");
    assert_eq!(s("substring('abcdef', 4)"), "ef");
    assert_eq!(s("substring('abc', 10, 2)"), "");
    assert_eq!(s("tolower('AbC')"), "abc");
    assert_eq!(s("toupper('AbC')"), "ABC");
    assert_eq!(s("trim(' ', '  ab  ')"), "ab");
    assert_eq!(s("trim_start('x', 'xxabx')"), "abx");
    assert_eq!(s("trim_end('[x ]', 'abx x')"), "ab");
    assert_eq!(s("replace_string('a.b.c', '.', '/')"), "a/b/c");
    assert_eq!(
        s("replace_regex('ab12cd3', @'(\\d+)', @'<\\1>')"),
        "ab<12>cd<3>"
    );
    assert_eq!(s("extract(@'user=(\\w+)', 1, 'id=1 user=bob x')"), "bob");
    assert_eq!(s("extract(@'nope(\\d)', 1, 'abc')"), "");
    assert_eq!(
        p("extract(@'n=(\\d+)', 1, 'n=42', typeof(long))"),
        Value::Int(42)
    );
    assert_eq!(
        s("tostring(extract_all(@'(\\d+)', 'a1b22c333'))"),
        r#"["1","22","333"]"#
    );
    assert_eq!(
        s("tostring(extract_all(@'(\\w)=(\\d)', 'a=1 b=2'))"),
        r#"[["a","1"],["b","2"]]"#
    );
    assert_eq!(s("tostring(split('a@b.com', '@'))"), r#"["a","b.com"]"#);
    assert_eq!(s("tostring(split('a@b.com', '@', 1))"), r#"["b.com"]"#);
    assert_eq!(s("tostring(split('alice@contoso.com','@',0)[0])"), "alice");
    assert_eq!(p("countof('aaa', 'a')"), Value::Int(3));
    assert_eq!(p("countof('a1b22', @'\\d+', 'regex')"), Value::Int(2));
    assert_eq!(p("indexof('hello', 'l')"), Value::Int(2));
    assert_eq!(p("indexof('hello', 'l', 0, -1, 2)"), Value::Int(3));
    assert_eq!(p("indexof('hello', 'z')"), Value::Int(-1));
    assert_eq!(s("strcat_array(dynamic(['a','b']), ',')"), "a,b");
    assert_eq!(s("base64_decode_tostring('aGVsbG8=')"), "hello");
    assert_eq!(s("url_decode('a%20b+c')"), "a b c");
}

#[test]
fn logic_and_dynamic_functions() {
    assert_eq!(p("iff(1 > 2, 'a', 'b')"), Value::from("b"));
    assert_eq!(p("iif(true, 1, 2)"), Value::Int(1));
    assert_eq!(p("case(1 > 2, 'a', 2 > 1, 'b', 'c')"), Value::from("b"));
    assert_eq!(p("case(false, 'a', 'c')"), Value::from("c"));
    assert_eq!(p("not(1 == 1)"), Value::Bool(false));
    assert_eq!(p("array_length(dynamic([1,2,3]))"), Value::Int(3));
    assert_eq!(p("array_length('x')"), Value::Null);
    assert!(b("set_has_element(dynamic(['a','b']), 'b')"));
    assert_eq!(p("array_index_of(dynamic(['a','b']), 'b')"), Value::Int(1));
    assert_eq!(
        s("tostring(bag_keys(dynamic({'b':1,'a':2})))"),
        r#"["a","b"]"#
    );
    assert_eq!(s("tostring(pack('k', 1, 'j', 'x'))"), r#"{"j":"x","k":1}"#);
    assert_eq!(s("tostring(bag_pack('k', 1))"), r#"{"k":1}"#);
    assert_eq!(s("tostring(pack_array(1, 'a'))"), r#"[1,"a"]"#);
    assert_eq!(
        s("tostring(set_union(dynamic([1,2]), dynamic([2,3])))"),
        "[1,2,3]"
    );
    assert_eq!(
        s("tostring(set_difference(dynamic([1,2]), dynamic([2])))"),
        "[1]"
    );
    assert!(b("ipv4_is_private('10.1.2.3')"));
    assert!(b("ipv4_is_private('172.20.0.1')"));
    assert!(!b("ipv4_is_private('52.1.2.3')"));
    assert!(b("ipv4_is_in_range('192.168.1.7', '192.168.1.0/24')"));
    assert!(!b("ipv4_is_in_range('192.168.2.7', '192.168.1.0/24')"));
    assert_eq!(p("ipv4_is_private('nope')"), Value::Null);
    assert_eq!(s("format_ipv4_mask('10.1.2.3', 16)"), "10.1.0.0/16");
    assert_eq!(p("round(2.345, 2)"), Value::Real(2.35));
    assert_eq!(p("max_of(1, 5, 3)"), Value::Int(5));
    assert_eq!(p("column_ifexists('nope', 'dflt')"), Value::from("dflt"));
    let t = q("AzureActivity | take 1 | project x = column_ifexists('Caller', '')");
    assert_eq!(t.rows[0][0], Value::from("alice@contoso.com"));
}

#[test]
fn eval_errors() {
    let e = err("print substring()");
    assert!(
        e.message
            .contains("'substring' expects 2 to 3 arguments, got 0"),
        "{}",
        e.message
    );
    let e = err("print extract('(', 1, 'x')");
    assert!(e.message.contains("invalid regex"), "{}", e.message);
    let e = err("print 'a' + 1");
    assert!(e.message.contains("'+'"), "{}", e.message);
}

#[test]
fn series_fit_line_matches_docs_example() {
    let t = q(
        "print y = dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]) | extend (RSquare, Slope, Variance, RVariance, Interception, LineFit) = series_fit_line(y)",
    );
    let f = |i: usize| t.rows[0][i].as_f64().unwrap();
    assert!((f(1) - 0.982).abs() < 1e-3);
    assert!((f(2) - 2.730).abs() < 1e-3);
    assert!((f(3) - 98.628).abs() < 1e-3);
    assert!((f(4) - 1.686).abs() < 1e-3);
    assert!((f(5) + 1.666).abs() < 1e-3);
    let Value::Array(fit) = &t.rows[0][6] else {
        panic!("line_fit not an array")
    };
    assert!((fit[0].as_f64().unwrap() - 1.064).abs() < 1e-3);
    let v = p("series_fit_line_dynamic(dynamic([1, 2, 3])).slope");
    assert_eq!(v, Value::Real(1.0));
}

#[test]
fn unknown_functions_fail_before_running() {
    // The table is empty after the filter, yet the unknown function is still reported.
    let e = err("AzureActivity | where false | extend z = series_decompose_anomalies(Count)");
    assert_eq!(e.kind, azhunt_kql::ErrorKind::UnknownFunction);
    assert!(e.message.contains("'series_decompose_anomalies'"));
    assert_eq!(e.offset, 41);
    // User functions and their parameters are known.
    assert_eq!(one("let f = (g:int) { g * 2 }; print f(2)"), Value::Int(4));
}

#[test]
fn array_split_and_aliases() {
    assert_eq!(
        s("tostring(array_split(dynamic([1,2,3,4,5]), 2))"),
        "[[1,2],[3,4,5]]"
    );
    assert_eq!(
        s("tostring(array_split(dynamic([1,2,3,4,5]), dynamic([1,3])))"),
        "[[1],[2,3],[4,5]]"
    );
    assert_eq!(p("arraylength(dynamic([1]))"), Value::Int(1));
    let t = q("print a = '[1,2]' | mv-expand todynamic(a)");
    assert_eq!(t.rows.len(), 2);
}
