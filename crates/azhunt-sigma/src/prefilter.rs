//! What a rule needs of the indexed field (the operation name) before it can match.
//!
//! A [`crate::RuleSet`] indexed on a field evaluates a rule only for documents whose value of
//! that field could satisfy it. Most rules compare the operation with literals
//! (`operationName: MICROSOFT.KEYVAULT/VAULTS/DELETE`), found with one hash lookup. Others test
//! it with `startswith`, `endswith`, `contains` or `re` (SigmaHQ's virtual-network, DNS and
//! Kubernetes rules). Their test depends on the operation value alone, so its answer is the
//! same for every event with that operation: it is computed once per distinct value and kept
//! in a small per-thread memo, and such rules are no longer evaluated on every event.
//!
//! A rule's needs are derived from its condition: a search needs, in each alternative, one of
//! its tests of the field; `and` needs what its most selective member needs; `or` the union of
//! its members' needs; `not` and `N of` give nothing (the rule is evaluated on every event).

use crate::condition::Cond;
use crate::matcher::{FieldTest, Scratch, Search, StrKind, ValueMatcher};
use crate::rule::Rule;
use crate::{Document, FieldKey, Scalar};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

/// One test of the indexed field inside a rule: search, alternative and item indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ItemRef {
    pub(crate) search: u32,
    pub(crate) alt: u32,
    pub(crate) item: u32,
}

/// A rule can match only if the field has a value equal (folded) to one of `literals`, or a
/// value that passes one of `tests`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Needs {
    pub(crate) literals: BTreeSet<String>,
    pub(crate) tests: BTreeSet<ItemRef>,
}

impl Needs {
    /// Lower is more selective: literals only before tests, then fewer.
    fn cost(&self) -> (bool, usize) {
        (
            !self.tests.is_empty(),
            self.literals.len() + self.tests.len(),
        )
    }

    fn is_empty(&self) -> bool {
        self.literals.is_empty() && self.tests.is_empty()
    }
}

/// The needs of condition `c` on `key`, or `None` when the condition does not constrain it.
pub(crate) fn needs(c: &Cond, searches: &[Search], key: FieldKey) -> Option<Needs> {
    match c {
        Cond::Search(i) => {
            let s = searches.get(*i as usize)?;
            let mut out = Needs::default();
            for (a, alt) in s.alternatives.iter().enumerate() {
                let need = alternative_needs(*i, a as u32, alt, key)?;
                out.literals.extend(need.literals);
                out.tests.extend(need.tests);
            }
            (!out.is_empty()).then_some(out)
        }
        Cond::And(cs) => cs
            .iter()
            .filter_map(|c| needs(c, searches, key))
            .min_by_key(Needs::cost),
        Cond::Or(cs) => {
            let mut out = Needs::default();
            for c in cs {
                let n = needs(c, searches, key)?;
                out.literals.extend(n.literals);
                out.tests.extend(n.tests);
            }
            Some(out)
        }
        Cond::Not(_) | Cond::AtLeast(..) => None,
    }
}

/// What one alternative (an AND of items) needs: the smallest literal set among its items on
/// `key`, else one test of `key` whose answer depends on the value alone (a prefix or exact
/// test preferred: `endswith: /WRITE` lets most operations through).
fn alternative_needs(
    search: u32,
    alt: u32,
    items: &[crate::matcher::FieldItem],
    key: FieldKey,
) -> Option<Needs> {
    let mut best: Option<BTreeSet<String>> = None;
    let mut test: Option<(u8, ItemRef)> = None;
    for (i, item) in items.iter().enumerate() {
        if item.key != Some(key) {
            continue;
        }
        let FieldTest::Values {
            matchers,
            ac,
            all: false,
            neq: false,
        } = &item.test
        else {
            continue;
        };
        let lits: Option<BTreeSet<String>> = matchers
            .iter()
            .map(|m| match m {
                ValueMatcher::Str(p) => p.exact_literal().map(str::to_string),
                _ => None,
            })
            .collect();
        match lits {
            Some(l) if !l.is_empty() && ac.is_none() => {
                if best.as_ref().is_none_or(|b| l.len() < b.len()) {
                    best = Some(l);
                }
            }
            _ => {
                if let Some(rank) = value_only_rank(matchers)
                    && test.is_none_or(|(r, _)| rank < r)
                {
                    let at = ItemRef {
                        search,
                        alt,
                        item: i as u32,
                    };
                    test = Some((rank, at));
                }
            }
        }
    }
    match (best, test) {
        (Some(literals), _) => Some(Needs {
            literals,
            ..Needs::default()
        }),
        (None, Some((_, at))) => Some(Needs {
            tests: BTreeSet::from([at]),
            ..Needs::default()
        }),
        (None, None) => None,
    }
}

/// How selective a test made of `matchers` is (lower is better), or `None` when its answer
/// does not depend on the tested value alone (`fieldref`, `null`) or it matches anything.
fn value_only_rank(matchers: &[ValueMatcher]) -> Option<u8> {
    let mut rank = 0;
    for m in matchers {
        let r = match m {
            ValueMatcher::Str(p) => match &p.kind {
                StrKind::Exact(_) | StrKind::Prefix(_) => 0,
                StrKind::Contains(..) | StrKind::Regex(_) => 1,
                StrKind::Suffix(_) => 2,
                StrKind::Any => return None,
            },
            ValueMatcher::Re(_) | ValueMatcher::Num(..) | ValueMatcher::Cidr(_) => 1,
            ValueMatcher::FieldRef { .. } | ValueMatcher::Null => return None,
        };
        rank = rank.max(r);
    }
    (!matchers.is_empty()).then_some(rank)
}

/// A document holding one value of one field: a test of that field alone, asked of it, answers
/// what it answers for that value in any document.
struct OneValue<'a> {
    key: FieldKey,
    value: Scalar<'a>,
}

impl Document for OneValue<'_> {
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        key == self.key && f(self.value)
    }

    fn has(&self, key: FieldKey) -> bool {
        key == self.key
    }

    fn any_text(&self, _f: &mut dyn FnMut(&str) -> bool) -> bool {
        false
    }

    fn time_ms(&self) -> i64 {
        0
    }
}

/// The value tests of an index, each with the rule it belongs to.
#[derive(Debug)]
pub(crate) struct ValueTests {
    pub(crate) tests: Vec<(u32, ItemRef)>,
    /// Tells memos of different rule sets apart.
    id: u64,
}

/// Distinct values remembered per thread before the memo starts over (a bound on memory
/// whatever the input: an attacker can make every operation name distinct).
const MEMO_LIMIT: usize = 4096;

/// Per-thread answers of one rule set's value tests, by field value.
#[derive(Debug, Default)]
pub struct ValueMemo {
    owner: u64,
    by_value: HashMap<Box<str>, Box<[u32]>, ahash::RandomState>,
}

impl ValueTests {
    /// No tests yet, with an id no other rule set's tests have.
    pub(crate) fn new() -> ValueTests {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        ValueTests {
            tests: Vec::new(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Appends to `out` the rules (of `rules`, the indexed set's) whose test `value` passes.
    /// String values are answered from `memo` after the first time.
    pub(crate) fn candidates(
        &self,
        key: FieldKey,
        value: Scalar<'_>,
        rules: &[Rule],
        memo: &mut ValueMemo,
        s: &mut Scratch,
        out: &mut Vec<u32>,
    ) {
        if self.tests.is_empty() {
            return;
        }
        if memo.owner != self.id {
            memo.by_value.clear();
            memo.owner = self.id;
        }
        if let Scalar::Str(t) = value
            && let Some(hit) = memo.by_value.get(t)
        {
            out.extend_from_slice(hit);
            return;
        }
        let doc = OneValue { key, value };
        let start = out.len();
        for (rule, at) in &self.tests {
            let item = rules
                .get(*rule as usize)
                .and_then(|r| r.searches.get(at.search as usize))
                .and_then(|s| s.alternatives.get(at.alt as usize))
                .and_then(|a| a.get(at.item as usize));
            if item.is_some_and(|item| item.eval(&doc, s)) {
                out.push(*rule);
            }
        }
        if let Scalar::Str(t) = value {
            if memo.by_value.len() >= MEMO_LIMIT {
                memo.by_value.clear();
            }
            let hit: Box<[u32]> = out.get(start..).unwrap_or_default().into();
            memo.by_value.insert(t.into(), hit);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::one;
    use crate::{FieldResolver, JsonDocument, JsonResolver, RuleSet};

    /// Rules testing the indexed field `op` every way a value test can, with and without
    /// literals beside them, and tests the index must not use (`all`, `fieldref`, `null`,
    /// negation, `N of`).
    const TESTS: &str = "title: prefix\ndetection:\n  s:\n    op|startswith: [MICROSOFT.NETWORK/VIRTUALNETWORKS/, ms.dns/]\n    op|endswith: [/WRITE, /DELETE]\n  condition: s\n---\ntitle: suffix only\ndetection:\n  s: {op|endswith: /listCredential/action}\n  condition: s\n---\ntitle: contains and status\ndetection:\n  s: {op|contains: accessProfiles/, status: Succeeded}\n  condition: s\n---\ntitle: regex\ndetection:\n  s: {op|re: '^ms\\.(dns|net)/[a-z]+/write$'}\n  condition: s\n---\ntitle: cased\ndetection:\n  s: {op|cased|startswith: ms.}\n  condition: s\n---\ntitle: literal or prefix\ndetection:\n  a: {op: ms.kv/delete}\n  b: {op|startswith: ms.net/}\n  condition: a or b\n---\ntitle: all\ndetection:\n  s: {op|contains|all: [ms., write]}\n  condition: s\n---\ntitle: fieldref\ndetection:\n  s: {op|fieldref: other}\n  condition: s\n---\ntitle: is null\ndetection:\n  s: {op: null}\n  condition: s\n---\ntitle: not prefix\ndetection:\n  s: {op|startswith: ms.}\n  condition: not s\n---\ntitle: one of\ndetection:\n  s1: {op|startswith: ms.net/}\n  s2: {status: Failed}\n  condition: 1 of s*\n---\ntitle: and picks literals\ndetection:\n  a: {op|endswith: /write}\n  b: {op: [ms.net/a/write, ms.dns/b/write]}\n  condition: a and b\n";

    const OTHER: &str =
        "title: other prefix\ndetection:\n  s: {op|startswith: ms.kv/}\n  condition: s\n";

    fn hits(set: &RuleSet, r: &JsonResolver, json: &str) -> Vec<usize> {
        let v: sonic_rs::Value = sonic_rs::from_str(json).unwrap_or_default();
        let mut out = Vec::new();
        set.matches(&JsonDocument::new(&v, r), u32::MAX, &mut |i| out.push(i));
        out
    }

    fn indexed(yaml: &str) -> (RuleSet, JsonResolver) {
        let (mut set, mut r) = one(yaml);
        let op = r.resolve("op");
        set.index_on(op);
        (set, r)
    }

    #[test]
    fn value_tests_are_indexed_and_the_rest_always_checked() {
        let (set, _) = indexed(TESTS);
        // always: all, fieldref, null, not, 1 of (its other member does not need op).
        assert_eq!(set.index_stats(), Some((7, 5)));
    }

    fn record(ops: &[String], as_array: bool, status: &str, number: bool) -> String {
        let op = if number {
            "7".to_string()
        } else if as_array {
            sonic_rs::to_string(ops).unwrap_or_default()
        } else {
            sonic_rs::to_string(&ops.first().cloned().unwrap_or_default()).unwrap_or_default()
        };
        format!(r#"{{"op":{op},"status":"{status}","other":"ms.net/a/write"}}"#)
    }

    proptest::proptest! {
        /// Indexed (value tests memoized per thread, answers reused when operations repeat,
        /// two rule sets taking turns) or not, every record matches the same rules.
        #[test]
        fn index_gives_the_same_answers_as_a_full_scan(
            records in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        "(MICROSOFT\\.NETWORK/VIRTUALNETWORKS/|ms\\.dns/|ms\\.net/|MS\\.NET/|ms\\.kv/|x)(a|b|accessProfiles/)?(/WRITE|/write|/delete|/listCredential/action|)",
                        0..4,
                    ),
                    proptest::bool::ANY,
                    "(Succeeded|Failed|)",
                    proptest::bool::weighted(0.1),
                ),
                1..12,
            ),
        ) {
            let (plain, r) = one(TESTS);
            let (ix, r2) = indexed(TESTS);
            let (other_plain, r3) = one(OTHER);
            let (other_ix, r4) = indexed(OTHER);
            for (n, (ops, as_array, status, number)) in records.iter().enumerate() {
                let json = record(ops, *as_array, status, *number);
                for _ in 0..2 {
                    proptest::prop_assert_eq!(hits(&plain, &r, &json), hits(&ix, &r2, &json), "{}", json);
                }
                if n % 4 == 3 {
                    proptest::prop_assert_eq!(
                        hits(&other_plain, &r3, &json),
                        hits(&other_ix, &r4, &json),
                        "{}",
                        json
                    );
                }
            }
        }
    }
}
