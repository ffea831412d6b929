//! Helpers shared by the unit tests: compile YAML with a [`JsonResolver`] and run JSON records.

use crate::{ErrorKind, JsonDocument, JsonResolver, LoadOptions, RuleSet, load_str};

pub(crate) fn one_with(yaml: &str, opts: &LoadOptions) -> (RuleSet, JsonResolver) {
    let mut r = JsonResolver::new();
    let l = load_str(yaml, "test.yml", &mut r, opts);
    assert!(
        l.errors.is_empty(),
        "{:?}",
        l.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
    );
    let (set, errs) = RuleSet::new(l.rules, l.correlations);
    assert!(errs.is_empty(), "{errs:?}");
    (set, r)
}

pub(crate) fn one(yaml: &str) -> (RuleSet, JsonResolver) {
    one_with(yaml, &LoadOptions::default())
}

pub(crate) fn load_err(yaml: &str) -> ErrorKind {
    let mut r = JsonResolver::new();
    let l = load_str(yaml, "test.yml", &mut r, &LoadOptions::default());
    match l.errors.into_iter().next() {
        Some(e) => e.kind,
        None => panic!("expected a load error for:\n{yaml}"),
    }
}

pub(crate) fn doc_matches(set: &RuleSet, r: &JsonResolver, json: &str) -> bool {
    let v: sonic_rs::Value = match sonic_rs::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("bad test JSON {json}: {e}"),
    };
    let doc = JsonDocument::new(&v, r);
    let mut hit = false;
    set.matches(&doc, u32::MAX, &mut |_| hit = true);
    hit
}
