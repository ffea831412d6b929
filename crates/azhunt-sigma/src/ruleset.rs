//! A set of compiled rules evaluated together: per-rule route masks (the caller maps
//! `logsource` onto its own log kinds), an index on one primary field so a document is only
//! tested against rules that could match it, and the resolved wiring of correlation rules.

use crate::correlation::CorrelationRule;
use crate::error::{ErrorKind, LoadError};
use crate::matcher::Scratch;
use crate::prefilter::ValueTests;
use crate::rule::Rule;
use crate::text::{NumBuf, fold_into, scalar_text};
use crate::{Document, FieldKey, Scalar};
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch (a fresh one if it is already in use, e.g. re-entrantly).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

#[derive(Debug)]
struct Index {
    key: FieldKey,
    /// Looked up per event (ahash: SipHash of the operation was a measurable share of
    /// matching; ahash is still keyed randomly, so crafted names cannot force collisions).
    by_literal: HashMap<String, Vec<u32>, ahash::RandomState>,
    /// Rules that need a value passing a test of `key` (`startswith`, `endswith`, …).
    tests: ValueTests,
    always: Vec<u32>,
}

/// Per correlation: member rule indices (in `rules:` order) and, per member, the group-by keys.
#[derive(Debug)]
pub(crate) struct CorrWiring {
    pub(crate) members: Vec<usize>,
    pub(crate) group_keys: Vec<Vec<FieldKey>>,
}

/// Compiled rules plus routing, index and correlation wiring.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    routes: Vec<u32>,
    correlations: Vec<CorrelationRule>,
    pub(crate) wiring: Vec<CorrWiring>,
    /// rule index → (correlation index, member position)
    pub(crate) by_rule: Vec<Vec<(u32, u32)>>,
    correlation_only: Vec<bool>,
    index: Option<Index>,
}

impl RuleSet {
    /// Builds a set; correlations whose references cannot be resolved are returned as errors
    /// (and left out). Every rule starts with route mask `u32::MAX` and no index.
    pub fn new(
        mut rules: Vec<Rule>,
        correlations: Vec<CorrelationRule>,
    ) -> (RuleSet, Vec<LoadError>) {
        let mut errors = Vec::new();
        let find = |r: &str| {
            rules
                .iter()
                .position(|x| x.meta.name.as_deref() == Some(r) || x.meta.id.as_deref() == Some(r))
        };
        let mut kept = Vec::new();
        let mut wiring = Vec::new();
        let mut by_rule = vec![Vec::new(); rules.len()];
        let mut correlation_only = vec![false; rules.len()];
        'corr: for c in correlations {
            let fail = |reason: String| LoadError {
                path: c.path.clone(),
                document: None,
                rule: Some(c.meta.title.clone()),
                kind: ErrorKind::Correlation(reason),
            };
            let mut members = Vec::new();
            for r in &c.rules {
                match find(r) {
                    Some(i) => members.push(i),
                    None => {
                        errors.push(fail(format!(
                            "references rule '{r}', which is not a loaded detection rule (by name or id); chaining correlations is not supported"
                        )));
                        continue 'corr;
                    }
                }
            }
            let group_keys = members
                .iter()
                .map(|&m| {
                    let r = &rules[m];
                    c.group_fields
                        .iter()
                        .map(|g| {
                            g.per_rule
                                .iter()
                                .find(|(name, _)| {
                                    r.meta.name.as_deref() == Some(name)
                                        || r.meta.id.as_deref() == Some(name)
                                })
                                .map_or(g.default, |(_, k)| *k)
                        })
                        .collect()
                })
                .collect();
            let ci = kept.len() as u32;
            for (pos, &m) in members.iter().enumerate() {
                by_rule[m].push((ci, pos as u32));
                if !c.generate {
                    correlation_only[m] = true;
                }
            }
            wiring.push(CorrWiring {
                members,
                group_keys,
            });
            kept.push(c);
        }
        crate::keywords::index_keywords(&mut rules);
        let routes = vec![u32::MAX; rules.len()];
        (
            RuleSet {
                rules,
                routes,
                correlations: kept,
                wiring,
                by_rule,
                correlation_only,
                index: None,
            },
            errors,
        )
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, i: usize) -> Option<&Rule> {
        self.rules.get(i)
    }

    pub fn correlations(&self) -> &[CorrelationRule] {
        &self.correlations
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// True when the rule is referenced by a correlation with `generate: false` (the default):
    /// per the specification it should then not alert on its own.
    pub fn is_correlation_only(&self, i: usize) -> bool {
        self.correlation_only.get(i).copied().unwrap_or(false)
    }

    /// Sets the route mask of rule `i`; [`RuleSet::matches`] skips a rule unless
    /// `route & kind_mask != 0`. A mask of 0 disables the rule.
    pub fn set_route(&mut self, i: usize, mask: u32) {
        if let Some(r) = self.routes.get_mut(i) {
            *r = mask;
        }
    }

    pub fn route(&self, i: usize) -> u32 {
        self.routes.get(i).copied().unwrap_or(0)
    }

    /// Indexes the rules on `key` (e.g. the operation-name field): a rule whose condition
    /// requires `key` to equal one of a set of literals, or to pass a test of its value alone
    /// (`startswith`, `endswith`, `contains`, `re`, …; answered once per distinct value, see
    /// [`crate::prefilter`]), is only evaluated for documents with such a value; the rest are
    /// always evaluated.
    pub fn index_on(&mut self, key: FieldKey) {
        let mut by_literal: HashMap<String, Vec<u32>, ahash::RandomState> = HashMap::default();
        let mut tests = ValueTests::new();
        let mut always = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            match r.needs(key) {
                Some(needs) => {
                    for l in needs.literals {
                        by_literal.entry(l).or_default().push(i as u32);
                    }
                    for at in needs.tests {
                        tests.tests.push((i as u32, at));
                    }
                }
                None => always.push(i as u32),
            }
        }
        self.index = Some(Index {
            key,
            by_literal,
            tests,
            always,
        });
    }

    /// Rules evaluated for every document of their route (all rules before
    /// [`RuleSet::index_on`]).
    pub fn unindexed(&self) -> impl Iterator<Item = usize> + '_ {
        let always: Vec<usize> = match &self.index {
            Some(ix) => ix.always.iter().map(|i| *i as usize).collect(),
            None => (0..self.rules.len()).collect(),
        };
        always.into_iter()
    }

    /// (indexed rules, always-checked rules) once [`RuleSet::index_on`] ran.
    pub fn index_stats(&self) -> Option<(usize, usize)> {
        self.index
            .as_ref()
            .map(|ix| (self.rules.len() - ix.always.len(), ix.always.len()))
    }

    /// Calls `f(rule_index)` for every rule routed to `kind_mask` that matches `doc`, in
    /// ascending rule order.
    pub fn matches(&self, doc: &dyn Document, kind_mask: u32, f: &mut dyn FnMut(usize)) {
        with_scratch(|s| self.matches_with(s, doc, kind_mask, f));
    }

    /// [`RuleSet::matches`] with a caller-kept scratch.
    pub fn matches_with(
        &self,
        s: &mut Scratch,
        doc: &dyn Document,
        kind_mask: u32,
        f: &mut dyn FnMut(usize),
    ) {
        s.keywords.begin();
        self.matches_indexed(s, doc, kind_mask, f);
        s.keywords.end();
    }

    fn matches_indexed(
        &self,
        s: &mut Scratch,
        doc: &dyn Document,
        kind_mask: u32,
        f: &mut dyn FnMut(usize),
    ) {
        let Some(ix) = &self.index else {
            for (i, r) in self.rules.iter().enumerate() {
                if self.routes[i] & kind_mask != 0 && r.is_match_with(doc, s) {
                    f(i);
                }
            }
            return;
        };
        let mut cands = std::mem::take(&mut s.cands);
        cands.clear();
        {
            let mut fold = std::mem::take(&mut s.fold);
            let mut memo = std::mem::take(&mut s.values);
            doc.any_value(ix.key, &mut |v: Scalar<'_>| {
                let mut nb: NumBuf = [0; 64];
                if let Some(t) = scalar_text(&v, &mut nb) {
                    fold_into(t, &mut fold);
                    if let Some(list) = ix.by_literal.get(fold.as_str()) {
                        cands.extend_from_slice(list);
                    }
                }
                ix.tests
                    .candidates(ix.key, v, &self.rules, &mut memo, s, &mut cands);
                false
            });
            s.fold = fold;
            s.values = memo;
        }
        cands.sort_unstable();
        cands.dedup();
        let (mut a, mut b) = (0, 0);
        while a < cands.len() || b < ix.always.len() {
            let i = match (cands.get(a), ix.always.get(b)) {
                (Some(&x), Some(&y)) if x < y => {
                    a += 1;
                    x
                }
                (Some(&x), Some(&y)) if x == y => {
                    a += 1;
                    b += 1;
                    x
                }
                (_, Some(&y)) => {
                    b += 1;
                    y
                }
                (Some(&x), None) => {
                    a += 1;
                    x
                }
                (None, None) => break,
            } as usize;
            if self.routes[i] & kind_mask != 0 && self.rules[i].is_match_with(doc, s) {
                f(i);
            }
        }
        s.cands = cands;
    }
}
