//! Modifier and value semantics, one test (with negative cases) per modifier.

use crate::testutil::{doc_matches, load_err, one};
use crate::{ErrorKind, LoadOptions, PlaceholderPolicy};

fn sel(body: &str) -> String {
    format!(
        "title: t\nlogsource: {{product: azure}}\ndetection:\n  sel:\n{body}\n  condition: sel\n"
    )
}

fn check(body: &str, yes: &[&str], no: &[&str]) {
    let (set, r) = one(&sel(body));
    for j in yes {
        assert!(doc_matches(&set, &r, j), "expected match: {body} on {j}");
    }
    for j in no {
        assert!(
            !doc_matches(&set, &r, j),
            "expected no match: {body} on {j}"
        );
    }
}

#[test]
fn plain_equality_is_case_insensitive_and_cased_is_not() {
    check(
        "    a: Hello",
        &[r#"{"a":"hello"}"#, r#"{"A":"HELLO"}"#],
        &[r#"{"a":"hello!"}"#, r#"{"b":"hello"}"#],
    );
    check(
        "    a|cased: Hello",
        &[r#"{"a":"Hello"}"#],
        &[r#"{"a":"hello"}"#],
    );
    check(
        "    a|contains|cased: ELL",
        &[r#"{"a":"hELLo"}"#],
        &[r#"{"a":"hello"}"#],
    );
    check(
        "    a: Ünïcode",
        &[r#"{"a":"üNÏCODE"}"#],
        &[r#"{"a":"unicode"}"#],
    );
}

#[test]
fn wildcards_and_escapes() {
    check(
        "    a: 'ab*z'",
        &[r#"{"a":"abz"}"#, r#"{"a":"ABxyZ"}"#],
        &[r#"{"a":"abzq"}"#],
    );
    check(
        "    a: 'a?c'",
        &[r#"{"a":"abc"}"#],
        &[r#"{"a":"ac"}"#, r#"{"a":"abbc"}"#],
    );
    check(r"    a: 'a\*c'", &[r#"{"a":"a*c"}"#], &[r#"{"a":"abc"}"#]);
    check(
        r"    a: 'C:\Windows\\*'",
        &[r#"{"a":"c:\\windows\\x.exe"}"#],
        &[r#"{"a":"c:\\win"}"#],
    );
    // `\*` is an escaped wildcard: a literal star.
    check(
        r"    a: 'C:\Windows\*'",
        &[r#"{"a":"c:\\windows*"}"#],
        &[r#"{"a":"c:\\windows\\x.exe"}"#],
    );
    check(
        "    a: 'pre*'",
        &[r#"{"a":"prefix"}"#],
        &[r#"{"a":"xpre"}"#],
    );
    check(
        "    a: '*'",
        &[r#"{"a":""}"#, r#"{"a":"x"}"#],
        &[r#"{"b":"x"}"#, r#"{"a":null}"#],
    );
}

#[test]
fn contains_startswith_endswith() {
    check(
        "    a|contains: mid",
        &[r#"{"a":"xxMIDxx"}"#],
        &[r#"{"a":"mi d"}"#],
    );
    check(
        "    a|startswith: pre",
        &[r#"{"a":"prefix"}"#],
        &[r#"{"a":"xpre"}"#],
    );
    check(
        "    a|endswith: fix",
        &[r#"{"a":"prefix"}"#],
        &[r#"{"a":"fixed"}"#],
    );
    check(
        "    a|contains: 'x*y'",
        &[r#"{"a":"..x..y.."}"#],
        &[r#"{"a":"y..x"}"#],
    );
    assert!(matches!(
        load_err(&sel("    a|contains|startswith: x")),
        ErrorKind::BadModifier { .. }
    ));
}

#[test]
fn value_lists_or_and_all() {
    check(
        "    a:\n      - one\n      - two",
        &[r#"{"a":"two"}"#],
        &[r#"{"a":"three"}"#],
    );
    check(
        "    a|contains|all:\n      - one\n      - two",
        &[r#"{"a":"two and one"}"#, r#"{"a":["one","two"]}"#],
        &[r#"{"a":"one"}"#],
    );
    let many: String = (0..12).map(|i| format!("      - lit{i}x\n")).collect();
    check(
        &format!("    a|contains:\n{many}"),
        &[r#"{"a":"zzLIT7Xzz"}"#],
        &[r#"{"a":"lit7"}"#],
    );
}

#[test]
fn regex_and_flags() {
    check(
        "    a|re: '^ab+c$'",
        &[r#"{"a":"abbbc"}"#],
        &[r#"{"a":"ABC"}"#, r#"{"a":"xabc"}"#],
    );
    check(
        "    a|re|i: '^ab+c$'",
        &[r#"{"a":"ABBC"}"#],
        &[r#"{"a":"ac"}"#],
    );
    check(
        "    a|re|m: '^two$'",
        &[r#"{"a":"one\ntwo\nthree"}"#],
        &[r#"{"a":"one two"}"#],
    );
    check(
        "    a|re|s: 'one.two'",
        &[r#"{"a":"one\ntwo"}"#],
        &[r#"{"a":"one\n\ntwo"}"#],
    );
    check(
        "    a|re: 'one.two'",
        &[r#"{"a":"one two"}"#],
        &[r#"{"a":"one\ntwo"}"#],
    );
    assert!(matches!(
        load_err(&sel("    a|re: '(unclosed'")),
        ErrorKind::Regex { .. }
    ));
    assert!(matches!(
        load_err(&sel("    a|re: 'x(?=y)'")),
        ErrorKind::Regex { .. }
    ));
    assert!(matches!(
        load_err(&sel("    a|i: x")),
        ErrorKind::BadModifier { .. }
    ));
    assert!(matches!(
        load_err(&sel("    a|re|contains: x")),
        ErrorKind::BadModifier { .. }
    ));
}

#[test]
fn base64_and_base64offset() {
    // base64("evil") = "ZXZpbA=="
    check(
        "    a|base64: evil",
        &[r#"{"a":"zxzpba=="}"#],
        &[r#"{"a":"xZXZpbA=="}"#],
    );
    check(
        "    a|base64|contains: evil",
        &[r#"{"a":"xxZXZpbA==xx"}"#],
        &[r#"{"a":"evil"}"#],
    );
    let hidden = crate::text::base64(b"prefix: http://evil.example/ suffix");
    let hidden1 = crate::text::base64(b"p http://evil.example/");
    check(
        "    a|base64offset|contains: 'http://'",
        &[
            &format!(r#"{{"a":"{hidden}"}}"#),
            &format!(r#"{{"a":"{hidden1}"}}"#),
        ],
        &[r#"{"a":"http://"}"#],
    );
    assert!(matches!(
        load_err(&sel("    a|base64: 'ev*l'")),
        ErrorKind::BadModifier { .. }
    ));
}

#[test]
fn utf16_encodings_and_wide() {
    let wide = crate::text::base64(&crate::text::utf16le("cmd /c whoami"));
    check(
        "    a|wide|base64offset|contains: whoami",
        &[&format!(r#"{{"a":"{wide}"}}"#)],
        &[r#"{"a":"whoami"}"#],
    );
    check(
        "    a|utf16le|base64offset|contains: whoami",
        &[&format!(r#"{{"a":"{wide}"}}"#)],
        &[r#"{"a":"d2hvYW1p"}"#],
    );
    let be = crate::text::base64(&crate::text::utf16be("whoami"));
    check(
        "    a|utf16be|base64: whoami",
        &[&format!(r#"{{"a":"{be}"}}"#)],
        &[&format!(r#"{{"a":"{wide}"}}"#)],
    );
    let mut bom = vec![0xFF, 0xFE];
    bom.extend(crate::text::utf16le("hi"));
    let bom = crate::text::base64(&bom);
    check(
        "    a|utf16|base64: hi",
        &[&format!(r#"{{"a":"{bom}"}}"#)],
        &[r#"{"a":"hi"}"#],
    );
    // utf16 alone leaves NUL-interleaved ASCII text, which can still be compared.
    check(
        "    a|wide: ab",
        &[r#"{"a":"a\u0000b\u0000"}"#],
        &[r#"{"a":"ab"}"#],
    );
    assert!(matches!(
        load_err(&sel("    a|wide: 'é'")),
        ErrorKind::Regex { .. } | ErrorKind::InvalidValue { .. }
    ));
}

#[test]
fn windash_permutations() {
    check(
        "    a|windash|contains: ' -enc '",
        &[
            r#"{"a":"powershell /enc x"}"#,
            r#"{"a":"powershell \u2013enc x"}"#,
            r#"{"a":"p -ENC x"}"#,
        ],
        &[r#"{"a":"powershell enc x"}"#],
    );
}

#[test]
fn cidr_networks() {
    check(
        "    ip|cidr:\n      - 10.0.0.0/8\n      - 'fd00::/8'",
        &[r#"{"ip":"10.2.3.4"}"#, r#"{"ip":"fd12::1"}"#],
        &[
            r#"{"ip":"192.168.1.1"}"#,
            r#"{"ip":"fe80::1"}"#,
            r#"{"ip":"not an ip"}"#,
        ],
    );
    assert!(matches!(
        load_err(&sel("    ip|cidr: 10.0.0.0/99")),
        ErrorKind::InvalidValue { .. }
    ));
}

#[test]
fn numeric_comparisons() {
    check(
        "    n|lt: 10",
        &[r#"{"n":9}"#, r#"{"n":"9.5"}"#],
        &[r#"{"n":10}"#, r#"{"n":"ten"}"#],
    );
    check("    n|lte: 10", &[r#"{"n":10}"#], &[r#"{"n":10.5}"#]);
    check(
        "    n|gt: 10",
        &[r#"{"n":11}"#, r#"{"n":" 11 "}"#],
        &[r#"{"n":10}"#, r#"{"n":true}"#],
    );
    check(
        "    n|gte: 10",
        &[r#"{"n":10.0}"#],
        &[r#"{"n":-3}"#, r#"{"m":100}"#],
    );
    assert!(matches!(
        load_err(&sel("    n|gt: abc")),
        ErrorKind::InvalidValue { .. }
    ));
    assert!(matches!(
        load_err(&sel("    n|gt|lt: 1")),
        ErrorKind::BadModifier { .. }
    ));
}

#[test]
fn numbers_and_booleans_compare_as_text() {
    check(
        "    code: 0",
        &[r#"{"code":0}"#, r#"{"code":"0"}"#],
        &[r#"{"code":1}"#, r#"{"code":null}"#],
    );
    check(
        "    ok: true",
        &[r#"{"ok":true}"#, r#"{"ok":"TRUE"}"#],
        &[r#"{"ok":false}"#],
    );
    check("    a: 1.5", &[r#"{"a":1.5}"#], &[r#"{"a":1}"#]);
}

#[test]
fn exists_true_and_false() {
    check(
        "    a|exists: true",
        &[r#"{"a":null}"#, r#"{"a":""}"#],
        &[r#"{"b":1}"#],
    );
    check("    a|exists: false", &[r#"{"b":1}"#], &[r#"{"a":"x"}"#]);
    assert!(matches!(
        load_err(&sel("    a|exists: maybe")),
        ErrorKind::InvalidValue { .. }
    ));
}

#[test]
fn null_and_empty_values() {
    check(
        "    a: null",
        &[r#"{"b":1}"#, r#"{"a":null}"#],
        &[r#"{"a":""}"#, r#"{"a":"x"}"#],
    );
    check(
        "    a: ''",
        &[r#"{"a":""}"#],
        &[r#"{"b":1}"#, r#"{"a":null}"#, r#"{"a":"x"}"#],
    );
    check(
        "    a:\n      - null\n      - ''",
        &[r#"{"a":""}"#, r#"{"b":1}"#],
        &[r#"{"a":"x"}"#],
    );
}

#[test]
fn fieldref_variants() {
    check(
        "    a|fieldref: b",
        &[r#"{"a":"Same","b":"same"}"#],
        &[r#"{"a":"x","b":"y"}"#, r#"{"a":"x"}"#],
    );
    check(
        "    a|fieldref|cased: b",
        &[r#"{"a":"Same","b":"Same"}"#],
        &[r#"{"a":"Same","b":"same"}"#],
    );
    check(
        "    a|fieldref|contains: b",
        &[r#"{"a":"xxABxx","b":"ab"}"#],
        &[r#"{"a":"xx","b":"ab"}"#],
    );
    check(
        "    a|fieldref|startswith: b",
        &[r#"{"a":"abc","b":"ab"}"#],
        &[r#"{"a":"cab","b":"ab"}"#],
    );
    check(
        "    a|fieldref|endswith: b",
        &[r#"{"a":"cab","b":"ab"}"#],
        &[r#"{"a":"abc","b":"ab"}"#],
    );
    check(
        "    a|fieldref: b",
        &[r#"{"a":5,"b":"5"}"#],
        &[r#"{"a":5,"b":6}"#],
    );
}

#[test]
fn neq_modifier() {
    check(
        "    a|neq: x",
        &[r#"{"a":"y"}"#],
        &[r#"{"a":"X"}"#, r#"{"b":"y"}"#],
    );
    check(
        "    a|neq:\n      - x\n      - y",
        &[r#"{"a":"z"}"#],
        &[r#"{"a":"y"}"#],
    );
}

#[test]
fn expand_placeholders() {
    let body = "    a|expand: '%Admins%'";
    let mut opts = LoadOptions::default();
    opts.placeholders
        .insert("Admins".into(), vec!["root".into(), "adm*".into()]);
    let (set, r) = crate::testutil::one_with(&sel(body), &opts);
    assert!(doc_matches(&set, &r, r#"{"a":"ROOT"}"#));
    assert!(doc_matches(&set, &r, r#"{"a":"admin1"}"#));
    assert!(!doc_matches(&set, &r, r#"{"a":"guest"}"#));
    match load_err(&sel(body)) {
        ErrorKind::UnknownPlaceholder { name, .. } => assert_eq!(name, "Admins"),
        other => panic!("{other:?}"),
    }
    let wild = LoadOptions {
        unknown_placeholder: PlaceholderPolicy::Wildcard,
        ..Default::default()
    };
    let (set, r) = crate::testutil::one_with(&sel(body), &wild);
    assert!(doc_matches(&set, &r, r#"{"a":"anyone"}"#));
    // Without expand, %x% is literal.
    check(
        "    a: '%Admins%'",
        &[r#"{"a":"%admins%"}"#],
        &[r#"{"a":"root"}"#],
    );
}

#[test]
fn keywords_and_keyword_all() {
    let y =
        "title: t\ndetection:\n  keywords:\n    - evil\n    - 'bad*thing'\n  condition: keywords\n";
    let (set, r) = one(y);
    assert!(doc_matches(&set, &r, r#"{"x":{"y":"an EVIL one"}}"#));
    assert!(doc_matches(&set, &r, r#"{"x":["a bad old thing"]}"#));
    assert!(!doc_matches(&set, &r, r#"{"x":"good","evil":1}"#));
    let y = "title: t\ndetection:\n  kw:\n    '|all':\n      - one\n      - two\n  condition: kw\n";
    let (set, r) = one(y);
    assert!(doc_matches(&set, &r, r#"{"x":"one","y":"two"}"#));
    assert!(!doc_matches(&set, &r, r#"{"x":"one"}"#));
}

#[test]
fn list_of_maps_is_or_and_map_is_and() {
    let y = "title: t\ndetection:\n  sel:\n    - a: 1\n      b: 2\n    - c: 3\n  condition: sel\n";
    let (set, r) = one(y);
    assert!(doc_matches(&set, &r, r#"{"a":1,"b":2}"#));
    assert!(doc_matches(&set, &r, r#"{"c":3}"#));
    assert!(!doc_matches(&set, &r, r#"{"a":1,"b":3}"#));
}

#[test]
fn dotted_paths_and_arrays() {
    check(
        "    properties.target.name: bob",
        &[r#"{"Properties":{"Target":[{"Name":"BOB"}]}}"#],
        &[r#"{"properties":{"name":"bob"}}"#],
    );
    check(
        "    properties.x: 1",
        &[r#"{"properties.x":1}"#],
        &[r#"{"properties":{"y":1}}"#],
    );
}

#[test]
fn unknown_and_unsupported_modifiers_are_named() {
    let e = load_err(&sel("    fld|foo: x"));
    assert_eq!(
        e,
        ErrorKind::UnknownModifier {
            modifier: "foo".into(),
            selection: "sel".into(),
            field: "fld".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "unknown modifier 'foo' in selection 'sel' field 'fld'"
    );
    assert!(matches!(
        load_err(&sel("    t|hour: 3")),
        ErrorKind::Unsupported(_)
    ));
    assert!(matches!(
        load_err(&sel("    a:\n      x: 1")),
        ErrorKind::InvalidValue { .. }
    ));
    assert!(matches!(
        load_err(&sel("    a: []")),
        ErrorKind::InvalidValue { .. }
    ));
}
