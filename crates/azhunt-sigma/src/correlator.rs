//! Streaming evaluation of correlation rules. The caller feeds, in time order, each base-rule
//! match with an opaque event handle; state is kept per (correlation, group key) as a sliding
//! window of at most `timespan`, evicted as time advances, and a group is reset after it fires.
//!
//! Semantics: the window ending at the current event is `[t - timespan, t]`; the condition is
//! checked after every event that enters a group, so thresholds (`gt`/`gte`, ranges reached from
//! below) fire as soon as they are reached. Upper-bound-only conditions (`lt`/`lte`) are therefore
//! met by the first event of a group and fire at once; use them only in ranges.

use crate::correlation::CorrelationType;
use crate::ruleset::RuleSet;
use crate::text::{NumBuf, scalar_text};
use crate::{Document, Scalar};
use std::collections::{HashMap, VecDeque};

/// Contributing event handles carried by one match (the full count is in `event_count`).
pub const MAX_EVENT_HANDLES: usize = 100;
/// Every this many observations, groups idle for longer than their timespan are dropped.
const SWEEP_EVERY: u64 = 4096;

/// A fired correlation.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationMatch {
    /// Index into [`RuleSet::correlations`].
    pub correlation: usize,
    /// (group-by field, value) pairs of the group that fired.
    pub group: Vec<(String, String)>,
    /// The measured quantity: events, distinct values, or distinct (ordered) rules.
    pub value: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Up to [`MAX_EVENT_HANDLES`] handles of contributing events, oldest first.
    pub events: Vec<u64>,
    /// How many events contributed.
    pub event_count: u64,
}

#[derive(Debug)]
struct Ev {
    t: i64,
    handle: u64,
    tag: u32,
}

#[derive(Debug, Default)]
struct Group {
    events: VecDeque<Ev>,
    tag_counts: HashMap<u32, u32>,
    values: HashMap<String, u32>,
    last_ms: i64,
}

/// Streaming correlation state; one per event stream.
#[derive(Debug, Default)]
pub struct Correlator {
    groups: HashMap<(u32, String), Group>,
    observed: u64,
}

fn first_text(doc: &dyn Document, key: crate::FieldKey, out: &mut String) -> bool {
    out.clear();
    doc.any_value(key, &mut |v: Scalar<'_>| {
        let mut nb: NumBuf = [0; 64];
        match scalar_text(&v, &mut nb) {
            Some(t) => {
                out.push_str(t);
                true
            }
            None => false,
        }
    })
}

impl Correlator {
    pub fn new() -> Correlator {
        Correlator::default()
    }

    /// Live (correlation, group) states.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Records that rule `rule_index` of `set` matched `doc` (identified by `handle`), calling
    /// `out` for every correlation that fires.
    pub fn observe(
        &mut self,
        set: &RuleSet,
        doc: &dyn Document,
        handle: u64,
        rule_index: usize,
        out: &mut dyn FnMut(CorrelationMatch),
    ) {
        let Some(links) = set.by_rule.get(rule_index) else {
            return;
        };
        let now = doc.time_ms();
        self.observed += 1;
        if self.observed.is_multiple_of(SWEEP_EVERY) {
            self.sweep(set, now);
        }
        let mut val = String::new();
        for &(ci, pos) in links {
            let (Some(c), Some(w)) = (
                set.correlations().get(ci as usize),
                set.wiring.get(ci as usize),
            ) else {
                continue;
            };
            let keys = &w.group_keys[pos as usize];
            let mut gkey = String::new();
            let mut group = Vec::with_capacity(keys.len());
            for (gi, k) in keys.iter().enumerate() {
                first_text(doc, *k, &mut val);
                if gi > 0 {
                    gkey.push('\u{1f}');
                }
                gkey.push_str(&val);
                group.push((c.group_by.get(gi).cloned().unwrap_or_default(), val.clone()));
            }
            let tag = match c.kind {
                CorrelationType::EventCount => 0,
                CorrelationType::Temporal | CorrelationType::TemporalOrdered => pos,
                CorrelationType::ValueCount => {
                    let Some(fk) = c.field_key else { continue };
                    if !first_text(doc, fk, &mut val) {
                        continue; // no value: nothing to count
                    }
                    u32::MAX // resolved below, inside the group
                }
            };
            let g = self.groups.entry((ci, gkey)).or_default();
            let tag = if tag == u32::MAX {
                let next = g.values.len() as u32;
                *g.values.entry(val.clone()).or_insert(next)
            } else {
                tag
            };
            // Evict everything older than the window ending now.
            let floor = now.saturating_sub(c.timespan_ms);
            while g.events.front().is_some_and(|e| e.t < floor) {
                if let Some(e) = g.events.pop_front()
                    && let Some(n) = g.tag_counts.get_mut(&e.tag)
                {
                    *n -= 1;
                    if *n == 0 {
                        g.tag_counts.remove(&e.tag);
                    }
                }
            }
            g.events.push_back(Ev {
                t: now,
                handle,
                tag,
            });
            *g.tag_counts.entry(tag).or_insert(0) += 1;
            g.last_ms = now;
            let measured = match c.kind {
                CorrelationType::EventCount => g.events.len() as u64,
                CorrelationType::ValueCount | CorrelationType::Temporal => {
                    g.tag_counts.len() as u64
                }
                CorrelationType::TemporalOrdered => {
                    // Longest in-order prefix of the rule list found as a subsequence (greedy).
                    let mut next = 0u32;
                    for e in &g.events {
                        if e.tag == next {
                            next += 1;
                        }
                    }
                    u64::from(next)
                }
            };
            let complete =
                c.kind != CorrelationType::TemporalOrdered || measured as usize >= w.members.len();
            if complete && c.condition.holds(measured) {
                let events: Vec<u64> = g
                    .events
                    .iter()
                    .take(MAX_EVENT_HANDLES)
                    .map(|e| e.handle)
                    .collect();
                out(CorrelationMatch {
                    correlation: ci as usize,
                    group,
                    value: measured,
                    first_ms: g.events.front().map_or(now, |e| e.t),
                    last_ms: now,
                    events,
                    event_count: g.events.len() as u64,
                });
                g.events.clear();
                g.tag_counts.clear();
                g.values.clear();
            }
        }
    }

    /// Drops groups whose newest event is older than their correlation's timespan.
    fn sweep(&mut self, set: &RuleSet, now: i64) {
        self.groups.retain(|(ci, _), g| {
            let span = set
                .correlations()
                .get(*ci as usize)
                .map_or(0, |c| c.timespan_ms);
            !g.events.is_empty() && g.last_ms >= now.saturating_sub(span)
        });
    }
}
