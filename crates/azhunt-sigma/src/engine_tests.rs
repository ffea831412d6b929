//! Tests across modules: multi-document files and `action: global`, condition lists, error
//! reporting, the ruleset index and routes, correlations, and property tests that no input
//! panics the loader or the matcher.

use crate::testutil::{doc_matches, load_err, one};
use crate::{
    CorrelationMatch, Correlator, ErrorKind, FieldResolver, JsonDocument, JsonResolver,
    LoadOptions, RuleSet, load_str,
};
use proptest::prelude::*;

#[test]
fn global_action_merges_into_following_documents() {
    let y = "action: global\ntitle: base\nlogsource: {product: azure}\ndetection:\n  sel:\n    a: 1\n  condition: sel\n---\ntitle: one\ndetection:\n  sel2:\n    b: 2\n  condition: sel and sel2\n---\ntitle: two\n";
    let mut r = JsonResolver::new();
    let l = load_str(y, "g.yml", &mut r, &LoadOptions::default());
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.rules.len(), 2);
    assert_eq!(l.rules[0].meta.title, "one");
    assert_eq!(l.rules[1].logsource().product.as_deref(), Some("azure"));
    let (set, _) = RuleSet::new(l.rules, l.correlations);
    let v: sonic_rs::Value = sonic_rs::from_str(r#"{"a":1}"#).unwrap_or_default();
    let mut hits = Vec::new();
    set.matches(&JsonDocument::new(&v, &r), u32::MAX, &mut |i| hits.push(i));
    assert_eq!(hits, vec![1]);
}

#[test]
fn condition_list_is_or_and_metadata_is_kept() {
    let y = "title: t\nid: 1234\nname: my_rule\nstatus: test\ndescription: d\nreferences: [https://x]\nauthor: me\ndate: 2024-01-02\nmodified: 2024-02-03\ntags: [attack.persistence, attack.t1098.003, attack.privilege_escalation, attack.g0016]\nlevel: high\nfalsepositives: [none]\nfields: [a]\nrelated:\n  - id: abc\n    type: derived\nlogsource: {product: azure, service: activitylogs, category: x}\ndetection:\n  s1: {a: 1}\n  s2: {b: 2}\n  condition:\n    - s1\n    - s2\n";
    let (set, r) = one(y);
    assert!(doc_matches(&set, &r, r#"{"b":2}"#) && doc_matches(&set, &r, r#"{"a":1}"#));
    let m = &set.rules()[0].meta;
    assert_eq!(m.attack_techniques(), vec!["T1098.003"]);
    assert_eq!(
        m.attack_tactics(),
        vec!["persistence", "privilege-escalation"]
    );
    assert_eq!(m.level, Some(crate::Level::High));
    assert_eq!(m.related[0].kind, "derived");
    assert_eq!(m.date.as_deref(), Some("2024-01-02"));
    assert_eq!(
        set.rules()[0].logsource().service.as_deref(),
        Some("activitylogs")
    );
}

#[test]
fn errors_name_file_rule_and_reason() {
    let mut r = JsonResolver::new();
    let y = "title: ok\ndetection:\n  sel: {a: 1}\n  condition: sel\n---\ntitle: bad\ndetection:\n  sel: {a: 1}\n  condition: sel and sel2\n";
    let l = load_str(y, "dir/x.yml", &mut r, &LoadOptions::default());
    assert_eq!(l.rules.len(), 1);
    let e = l.errors[0].to_string();
    assert_eq!(
        e,
        "dir/x.yml [document 2] rule 'bad': condition references undefined 'sel2'"
    );
    let l = load_str(
        "title: [unclosed\n",
        "y.yml",
        &mut r,
        &LoadOptions::default(),
    );
    assert!(
        matches!(&l.errors[0].kind, ErrorKind::Yaml { line: Some(_), .. }),
        "{:?}",
        l.errors
    );
    assert_eq!(
        load_err("detection:\n  s: {a: 1}\n  condition: s\n"),
        ErrorKind::Missing("title")
    );
    assert_eq!(load_err("title: t\n"), ErrorKind::Missing("detection"));
    assert!(matches!(
        load_err("title: t\nlevel: huge\ndetection:\n  s: {a: 1}\n  condition: s\n"),
        ErrorKind::InvalidAttribute { .. }
    ));
}

const MANY: &str = "title: r0\ndetection:\n  s: {op: Write}\n  condition: s\n---\ntitle: r1\ndetection:\n  s: {op: [Delete, Purge], x: 1}\n  condition: s\n---\ntitle: r2\ndetection:\n  s: {x: 1}\n  condition: s\n---\ntitle: r3\ndetection:\n  s: {op: Write}\n  f: {x: 2}\n  condition: s and not f\n---\ntitle: r4\ndetection:\n  s: {op: Write}\n  t: {op: Purge}\n  condition: s or t\n---\ntitle: r5\ndetection:\n  s: {op: Write}\n  condition: not s\n";

fn hits(set: &RuleSet, r: &JsonResolver, json: &str, mask: u32) -> Vec<usize> {
    let v: sonic_rs::Value = sonic_rs::from_str(json).unwrap_or_default();
    let mut out = Vec::new();
    set.matches(&JsonDocument::new(&v, r), mask, &mut |i| out.push(i));
    out
}

#[test]
fn index_gives_the_same_answers_as_a_full_scan() {
    let (plain, r) = one(MANY);
    let (mut indexed, mut r2) = one(MANY);
    let op = r2.resolve("OP");
    indexed.index_on(op);
    assert_eq!(indexed.index_stats(), Some((4, 2)));
    for j in [
        r#"{"op":"write"}"#,
        r#"{"op":"PURGE","x":1}"#,
        r#"{"op":["delete","write"],"x":2}"#,
        r#"{"x":1}"#,
        "{}",
    ] {
        assert_eq!(
            hits(&plain, &r, j, u32::MAX),
            hits(&indexed, &r2, j, u32::MAX),
            "{j}"
        );
    }
    assert_eq!(
        hits(&indexed, &r2, r#"{"op":"write"}"#, u32::MAX),
        vec![0, 3, 4]
    );
}

#[test]
fn route_masks_filter_rules() {
    let (mut set, r) = one(MANY);
    set.set_route(0, 0b01);
    set.set_route(3, 0b10);
    set.set_route(4, 0);
    assert_eq!(hits(&set, &r, r#"{"op":"write"}"#, 0b01), vec![0]);
    assert_eq!(hits(&set, &r, r#"{"op":"write"}"#, 0b10), vec![3]);
}

const CORR: &str = "title: failed\nname: failed\ndetection:\n  s: {ev: fail}\n  condition: s\n---\ntitle: ok\nname: ok\ndetection:\n  s: {ev: ok}\n  condition: s\n---\ntitle: many failures\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [user]\n  timespan: 1m\n  condition: {gte: 3}\n---\ntitle: many ips\ncorrelation:\n  type: value_count\n  rules: [failed]\n  group-by: [user]\n  timespan: 1m\n  condition: {field: ip, gte: 2}\n---\ntitle: fail then ok\ncorrelation:\n  type: temporal_ordered\n  rules: [failed, ok]\n  group-by: [user]\n  timespan: 1m\n---\ntitle: both any order\ncorrelation:\n  type: temporal\n  rules: [ok, failed]\n  group-by: [account]\n  timespan: 1m\n  aliases:\n    account:\n      failed: user\n      ok: target\n";

fn feed(
    set: &RuleSet,
    r: &JsonResolver,
    c: &mut Correlator,
    events: &[(i64, &str)],
) -> Vec<(String, CorrelationMatch)> {
    let mut out = Vec::new();
    for (h, (t, j)) in events.iter().enumerate() {
        let v: sonic_rs::Value = sonic_rs::from_str(j).unwrap_or_default();
        let doc = JsonDocument::new(&v, r).with_time_ms(*t);
        let mut matched = Vec::new();
        set.matches(&doc, u32::MAX, &mut |i| matched.push(i));
        for i in matched {
            c.observe(set, &doc, h as u64, i, &mut |m| {
                out.push((set.correlations()[m.correlation].meta.title.clone(), m))
            });
        }
    }
    out
}

#[test]
fn event_count_respects_timespan_edges_and_group_by() {
    let (set, r) = one(CORR);
    assert!(set.is_correlation_only(0));
    let f = |u: &str| format!(r#"{{"ev":"fail","user":"{u}","ip":"1.1.1.1"}}"#);
    let (a, b) = (f("alice"), f("bob"));
    let mut c = Correlator::new();
    // Three in exactly 60 s (window is inclusive), interleaved with another user.
    let got = feed(
        &set,
        &r,
        &mut c,
        &[(0, &a), (10_000, &b), (30_000, &a), (60_000, &a)],
    );
    let counts: Vec<_> = got.iter().filter(|(t, _)| t == "many failures").collect();
    assert_eq!(counts.len(), 1);
    let m = &counts[0].1;
    assert_eq!(m.group, vec![("user".to_string(), "alice".to_string())]);
    assert_eq!(
        (m.value, m.event_count, m.first_ms, m.last_ms),
        (3, 3, 0, 60_000)
    );
    assert_eq!(m.events, vec![0, 2, 3]);
    // One millisecond too late: the first event has left the window.
    let mut c = Correlator::new();
    let got = feed(&set, &r, &mut c, &[(0, &a), (30_000, &a), (60_001, &a)]);
    assert!(got.iter().all(|(t, _)| t != "many failures"));
}

#[test]
fn value_count_counts_distinct_values() {
    let (set, r) = one(CORR);
    let e = |ip: &str| format!(r#"{{"ev":"fail","user":"u","ip":"{ip}"}}"#);
    let mut c = Correlator::new();
    let got = feed(
        &set,
        &r,
        &mut c,
        &[(0, &e("1.1.1.1")), (1, &e("1.1.1.1")), (2, &e("2.2.2.2"))],
    );
    let v: Vec<_> = got.iter().filter(|(t, _)| t == "many ips").collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].1.value, 2);
}

#[test]
fn temporal_and_ordered_temporal() {
    let (set, r) = one(CORR);
    let fail = r#"{"ev":"fail","user":"u"}"#;
    let ok = r#"{"ev":"ok","user":"u","target":"u"}"#;
    let mut c = Correlator::new();
    let got = feed(&set, &r, &mut c, &[(0, ok), (1_000, fail)]);
    assert!(
        got.iter().all(|(t, _)| t != "fail then ok"),
        "wrong order must not fire"
    );
    assert!(
        got.iter()
            .any(|(t, m)| t == "both any order" && m.group[0].1 == "u"),
        "alias maps target/user"
    );
    let mut c = Correlator::new();
    let got = feed(&set, &r, &mut c, &[(0, fail), (1_000, ok)]);
    assert!(
        got.iter()
            .any(|(t, m)| t == "fail then ok" && m.events == vec![0, 1])
    );
    let mut c = Correlator::new();
    let got = feed(&set, &r, &mut c, &[(0, fail), (61_000, ok)]);
    assert!(
        got.iter().all(|(t, _)| t != "fail then ok"),
        "outside the timespan"
    );
}

#[test]
fn handles_are_capped() {
    let y = "title: a\nname: a\ndetection:\n  s: {ev: x}\n  condition: s\n---\ntitle: c\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 150}\n";
    let (set, r) = one(y);
    let evs: Vec<(i64, &str)> = (0..150).map(|i| (i, r#"{"ev":"x"}"#)).collect();
    let mut c = Correlator::new();
    let got = feed(&set, &r, &mut c, &evs);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1.events.len(), crate::MAX_EVENT_HANDLES);
    assert_eq!(got[0].1.event_count, 150);
}

#[test]
fn correlation_errors() {
    let mut r = JsonResolver::new();
    let y = "title: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 1h\n  condition: {gte: 1}\n";
    let l = load_str(y, "c.yml", &mut r, &LoadOptions::default());
    let (_, errs) = RuleSet::new(l.rules, l.correlations);
    assert!(
        errs[0].to_string().contains("references rule 'nope'"),
        "{}",
        errs[0]
    );
    for bad in [
        "correlation:\n  type: nope\n  rules: [a]\n  timespan: 1h\n",
        "correlation:\n  type: event_count\n  rules: [a]\n  timespan: 1h\n",
        "correlation:\n  type: value_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 1}\n",
        "correlation:\n  type: temporal\n  rules: [a]\n  timespan: soon\n",
    ] {
        assert!(
            matches!(
                load_err(&format!("title: c\n{bad}")),
                ErrorKind::Correlation(_)
            ),
            "{bad}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loader_never_panics_on_arbitrary_text(s in "\\PC{0,300}") {
        let mut r = JsonResolver::new();
        let _ = load_str(&s, "p.yml", &mut r, &LoadOptions::default());
    }

    #[test]
    fn loader_never_panics_on_rule_shaped_text(
        field in "[a-zA-Z.|]{0,20}", val in "[ -~]{0,20}", cond in "[a-z0-9 ()*|]{0,30}"
    ) {
        let y = format!("title: t\ndetection:\n  sel:\n    '{}': '{}'\n  condition: '{}'\n", field.replace('\'', ""), val.replace('\'', "''"), cond);
        let mut r = JsonResolver::new();
        let _ = load_str(&y, "p.yml", &mut r, &LoadOptions::default());
    }

    #[test]
    fn matcher_never_panics_on_arbitrary_documents(
        keys in proptest::collection::vec("[a-z]{1,3}", 0..6), vals in proptest::collection::vec("\\PC{0,12}", 0..6), n in any::<i64>()
    ) {
        let mut obj = String::from("{");
        for (k, v) in keys.iter().zip(vals.iter()) {
            obj.push_str(&format!("{}:{},", sonic_rs::to_string(k).unwrap_or_default(), sonic_rs::to_string(v).unwrap_or_default()));
        }
        obj.push_str(&format!("\"n\":{n},\"arr\":[{n},null,true,{{\"o\":1}}]}}"));
        let (set, r) = one(RICH);
        let _ = doc_matches(&set, &r, &obj);
    }
}

const RICH: &str = "title: rich\ndetection:\n  a: {a|contains: x, b|re: '^[a-z]+$', n|gt: 5}\n  b: {c|cidr: 10.0.0.0/8, d|fieldref: a, e|windash|contains: ' -x'}\n  c: {f: null, g|exists: true, h|base64offset|contains: hi, i|startswith: '?a*b'}\n  k: [foo, 'b?r']\n  condition: 1 of them or all of them or not a\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Keyword lists answered by the rule set's shared automaton agree with the per-value
    /// search a rule does on its own (overlapping literals, non-ASCII folding, several rules).
    #[test]
    fn keyword_index_agrees_with_per_value_keywords(
        vals in proptest::collection::vec("[a-zA-ZÄÖéßİK/ .-]{0,10}", 0..5),
        kws in proptest::collection::vec(proptest::collection::vec("[a-zA-Zäé/.-]{1,4}", 1..4), 1..4),
        star in any::<bool>(),
    ) {
        let mut docs = Vec::new();
        for (i, list) in kws.iter().enumerate() {
            let list: Vec<String> = list
                .iter()
                .map(|k| if star { format!("'*{k}'") } else { format!("'{k}'") })
                .collect();
            docs.push(format!(
                "title: t{i}\nlogsource: {{product: azure}}\ndetection:\n  keywords: [{}]\n  condition: keywords\n",
                list.join(", ")
            ));
        }
        let (set, r) = one(&docs.join("---\n"));
        let mut obj = sonic_rs::Object::new();
        for (i, v) in vals.iter().enumerate() {
            obj.insert(&format!("k{i}"), sonic_rs::Value::from(v.as_str()));
        }
        let v = sonic_rs::Value::from(obj);
        let doc = JsonDocument::new(&v, &r);
        let mut indexed = Vec::new();
        set.matches(&doc, u32::MAX, &mut |i| indexed.push(i));
        let alone: Vec<usize> = (0..set.len())
            .filter(|&i| set.rule(i).is_some_and(|rule| rule.is_match(&doc)))
            .collect();
        prop_assert_eq!(indexed, alone);
    }
}
