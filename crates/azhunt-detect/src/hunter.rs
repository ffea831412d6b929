//! The hunt: compiled rules evaluated on worker threads, detections assembled on the consumer.
//!
//! [`Hunter::evaluate`] runs inside the read pipeline's `map` (all cores): it matches the event
//! against the routed, indexed rule set and extracts the few facts the stateful detectors need;
//! events nothing cares about cost one index probe and return `None`. [`Session`] runs on the
//! ordered consumer: it turns hits into [`Detection`]s, buffers the (few) matches of
//! correlation base rules with just the field values correlations read, and at the end replays
//! them in time order through the correlator and finishes the stateful detectors.

use crate::detection::{Detection, EventRef, RuleRef};
use crate::document::EventDoc;
use crate::fields::{EventResolver, FieldSpec};
use crate::pack::{BUILTIN_RULES, builtin_path};
use crate::routing::{kind_bit, route};
use crate::stateful::{Signals, Stateful, StatefulConfig, meta};
use azhunt_model::Event;
use azhunt_sigma::{
    Correlator, Document, FieldKey, FieldResolver, Level, LoadError, LoadOptions, Loaded, RuleSet,
    Scalar, load_dir, load_file, load_str,
};
use std::path::PathBuf;

/// What to load and run.
#[derive(Debug, Clone, Default)]
pub struct HuntOptions {
    /// Load the built-in pack.
    pub builtin: bool,
    /// Extra rule files or directories.
    pub rule_paths: Vec<PathBuf>,
    /// Run the stateful detectors (impossible travel, first-seen IP, deletion bursts).
    pub stateful: bool,
    pub stateful_config: StatefulConfig,
    /// Detections below this level are not reported.
    pub min_level: Option<Level>,
}

/// A loaded rule, for `rules list`.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub rule: RuleRef,
    pub logsource: String,
    /// Log kinds the rule is evaluated on (0: none — see the load report).
    pub route: u32,
    pub correlation: bool,
}

/// Everything that went wrong while loading, per file and rule, with the reason.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub files: usize,
    pub errors: Vec<LoadError>,
    /// Rules that loaded but whose logsource azhunt has no log for: (path, title, reason).
    pub unrouted: Vec<(String, String, String)>,
}

pub struct Hunter {
    set: RuleSet,
    specs: Vec<FieldSpec>,
    refs: Vec<RuleRef>,
    corr_refs: Vec<RuleRef>,
    /// Per rule: referenced by a correlation.
    in_correlation: Vec<bool>,
    /// Field keys any correlation reads.
    corr_keys: Vec<FieldKey>,
    options: HuntOptions,
}

fn rule_ref(meta: &azhunt_sigma::RuleMeta, origin: String) -> RuleRef {
    RuleRef {
        id: meta.id.clone().unwrap_or_default(),
        title: meta.title.clone(),
        level: meta.level.unwrap_or(Level::Medium),
        attack: meta.attack_techniques(),
        tactics: meta.attack_tactics(),
        origin,
    }
}

fn origin_of(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Hunter {
    /// Loads the rules `options` name. Rules that fail are in the report, never dropped
    /// silently; the hunter runs with the rest.
    pub fn load(options: HuntOptions) -> (Hunter, LoadReport) {
        let builtin: &[(&str, &str)] = if options.builtin { BUILTIN_RULES } else { &[] };
        Hunter::load_with(builtin, options)
    }

    /// [`Hunter::load`] with the rule texts given (name, YAML) in place of the built-in pack —
    /// for tests of single rules and for embedding.
    pub fn load_with(texts: &[(&str, &str)], options: HuntOptions) -> (Hunter, LoadReport) {
        let mut resolver = EventResolver::new();
        let op_key = resolver.resolve("operationName");
        let opts = LoadOptions::default();
        let mut loaded = Loaded::default();
        for (name, text) in texts {
            loaded.extend(load_str(text, builtin_path(name), &mut resolver, &opts));
        }
        for p in &options.rule_paths {
            if p.is_dir() {
                loaded.extend(load_dir(p, &mut resolver, &opts));
            } else {
                loaded.extend(load_file(p, &mut resolver, &opts));
            }
        }
        let mut report = LoadReport {
            files: loaded.files,
            errors: loaded.errors,
            unrouted: Vec::new(),
        };
        let (mut set, errors) = RuleSet::new(loaded.rules, loaded.correlations);
        report.errors.extend(errors);
        let mut refs = Vec::with_capacity(set.len());
        for i in 0..set.len() {
            let Some(rule) = set.rule(i) else { continue };
            let r = rule_ref(&rule.meta, origin_of(&rule.path));
            match route(rule.logsource()) {
                Ok(mask) => set.set_route(i, mask),
                Err(why) => {
                    report
                        .unrouted
                        .push((origin_of(&rule.path), rule.title().to_string(), why));
                    set.set_route(i, 0);
                }
            }
            refs.push(r);
        }
        set.index_on(op_key);
        let corr_refs = set
            .correlations()
            .iter()
            .map(|c| rule_ref(&c.meta, origin_of(&c.path)))
            .collect();
        let mut corr_keys: Vec<FieldKey> = set
            .correlations()
            .iter()
            .flat_map(|c| c.field_keys())
            .collect();
        corr_keys.sort();
        corr_keys.dedup();
        let in_correlation = (0..set.len())
            .map(|i| {
                set.rule(i).is_some_and(|r| {
                    set.correlations().iter().any(|c| {
                        c.rules.iter().any(|name| {
                            Some(name.as_str()) == r.meta.name.as_deref()
                                || Some(name.as_str()) == r.meta.id.as_deref()
                        })
                    })
                })
            })
            .collect();
        let hunter = Hunter {
            set,
            specs: resolver.specs().to_vec(),
            refs,
            corr_refs,
            in_correlation,
            corr_keys,
            options,
        };
        (hunter, report)
    }

    /// (rules found through the operation index, rules evaluated on every event of their log).
    pub fn index_stats(&self) -> (usize, usize) {
        self.set.index_stats().unwrap_or((0, self.set.len()))
    }

    /// Titles of the rules evaluated on every event of their log (not indexed by operation).
    pub fn unindexed(&self) -> Vec<&str> {
        self.set
            .unindexed()
            .filter_map(|i| self.refs.get(i).map(|r| r.title.as_str()))
            .collect()
    }

    pub fn rule_count(&self) -> usize {
        self.set.len() + self.set.correlations().len()
    }

    /// Every loaded rule (detection rules, correlations, and the stateful detectors).
    pub fn rules(&self) -> Vec<RuleInfo> {
        let mut out = Vec::new();
        for (i, r) in self.refs.iter().enumerate() {
            let ls = self
                .set
                .rule(i)
                .map(|x| x.logsource().clone())
                .unwrap_or_default();
            out.push(RuleInfo {
                rule: r.clone(),
                logsource: [ls.product, ls.service, ls.category]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("/"),
                route: self.set.route(i),
                correlation: false,
            });
        }
        for r in &self.corr_refs {
            out.push(RuleInfo {
                rule: r.clone(),
                logsource: "correlation".into(),
                route: 0,
                correlation: true,
            });
        }
        if self.options.stateful {
            for r in [meta::travel(), meta::first_seen(), meta::burst()] {
                out.push(RuleInfo {
                    rule: r,
                    logsource: "stateful".into(),
                    route: 0,
                    correlation: false,
                });
            }
        }
        out
    }

    /// Worker side: the rules `e` matches and what the stateful detectors need of it. `json` is the
    /// text `e.raw` was parsed from, when the reader had one (see [`EventDoc::with_json`]).
    pub fn evaluate(&self, e: &Event, json: Option<&[u8]>) -> Option<Hit> {
        let doc = EventDoc::new(e, &self.specs).with_json(json);
        let mut matched: Vec<u32> = Vec::new();
        self.set
            .matches(&doc, kind_bit(e.log), &mut |i| matched.push(i as u32));
        let signals = if self.options.stateful {
            Signals::of(e)
        } else {
            Signals::default()
        };
        if matched.is_empty() && signals.history.is_none() && !signals.needs_event() {
            return None;
        }
        let event = (!matched.is_empty() || signals.needs_event()).then(|| EventRef::of(e));
        let captured = matched
            .iter()
            .any(|i| {
                self.in_correlation
                    .get(*i as usize)
                    .copied()
                    .unwrap_or(false)
            })
            .then(|| Captured::of(&doc, &self.corr_keys));
        Some(Hit {
            matched,
            event,
            signals,
            captured,
        })
    }

    /// Drops the hit's [`EventRef`] when [`Session::accept`] will not read it (no correlation
    /// captured it, no stateful detector wants it): the worker that rendered the hit's rows
    /// frees it, instead of the consumer thread freeing memory another thread allocated.
    pub fn release_event(&self, hit: &mut Hit) {
        // `captured` is set exactly when a matched rule is part of a correlation.
        if hit.captured.is_none() && !hit.signals.needs_event() {
            hit.event = None;
        }
    }

    /// The rule behind index `i` of a [`Hit`].
    pub fn rule(&self, i: u32) -> Option<&RuleRef> {
        self.refs.get(i as usize)
    }

    /// The rules of `hit` that report on their own: not correlation-only base rules, and at or
    /// above the minimum level.
    pub fn reported<'a>(&'a self, hit: &'a Hit) -> impl Iterator<Item = (u32, &'a RuleRef)> + 'a {
        hit.matched.iter().filter_map(move |&i| {
            let r = self.refs.get(i as usize)?;
            let shown = !self.set.is_correlation_only(i as usize)
                && self.options.min_level.is_none_or(|m| r.level >= m);
            shown.then_some((i, r))
        })
    }

    /// A consumer-side session for one hunt.
    pub fn session(&self) -> Session<'_> {
        Session {
            hunter: self,
            replay: Vec::new(),
            stateful: Stateful::new(&self.options.stateful_config),
        }
    }
}

/// The values of the fields correlations read, captured on the worker so a match can be
/// replayed later, in time order, without the event.
#[derive(Debug, Clone)]
pub struct Captured {
    time_ms: i64,
    values: Vec<(FieldKey, Vec<String>)>,
}

impl Captured {
    fn of(doc: &EventDoc<'_>, keys: &[FieldKey]) -> Captured {
        let values = keys
            .iter()
            .map(|k| {
                let mut vals = Vec::new();
                doc.any_value(*k, &mut |s| {
                    match s {
                        Scalar::Str(t) => vals.push(t.to_string()),
                        Scalar::Int(i) => vals.push(i.to_string()),
                        Scalar::Float(f) => vals.push(f.to_string()),
                        Scalar::Bool(b) => vals.push(b.to_string()),
                        Scalar::Null => {}
                    }
                    false
                });
                (*k, vals)
            })
            .collect();
        Captured {
            time_ms: doc.time_ms(),
            values,
        }
    }
}

impl Document for Captured {
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        self.values
            .iter()
            .filter(|(k, _)| *k == key)
            .flat_map(|(_, v)| v.iter())
            .any(|s| f(Scalar::Str(s)))
    }
    fn has(&self, key: FieldKey) -> bool {
        self.values.iter().any(|(k, v)| *k == key && !v.is_empty())
    }
    fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        self.values.iter().flat_map(|(_, v)| v.iter()).any(|s| f(s))
    }
    fn time_ms(&self) -> i64 {
        self.time_ms
    }
}

/// What a worker found in one event.
#[derive(Debug)]
pub struct Hit {
    pub matched: Vec<u32>,
    pub event: Option<EventRef>,
    pub signals: Signals,
    captured: Option<Captured>,
}

/// An identity's use of an IP at an instant (hashes of both, nanoseconds): what the
/// first-seen detector learns from an event that nothing else wants.
pub type History = (u64, u64, i128);

impl Hit {
    /// When all the hit carries is the first-seen history (no rule matched, no detector wants
    /// the event), that history: it can travel to the consumer without the rest of the hit.
    pub fn history_only(&self) -> Option<History> {
        // With no match and no detector wanting the event, there is no event or capture either.
        let only = self.matched.is_empty() && !self.signals.needs_event();
        only.then_some(self.signals.history).flatten()
    }
}

/// Consumer side of a hunt: receives hits in input order (after de-duplication) and owns what
/// needs more than one event. Single-event detections are the caller's to render and order
/// ([`Hunter::reported`]), so they never accumulate here.
pub struct Session<'h> {
    hunter: &'h Hunter,
    replay: Vec<(Captured, u32, EventRef)>,
    stateful: Stateful,
}

impl Session<'_> {
    /// [`Session::accept`] of a hit that carried only its [`Hit::history_only`].
    pub fn accept_history(&mut self, (identity, ip, t): History) {
        self.stateful.first_seen.history(identity, ip, t);
    }

    /// Takes what the session needs of `hit` (borrowed: the hit was built on a worker thread
    /// and is read here field by field, not moved).
    pub fn accept(&mut self, hit: &Hit) {
        let h = self.hunter;
        if let Some(ev) = &hit.event {
            for &i in &hit.matched {
                let idx = i as usize;
                if h.in_correlation.get(idx).copied().unwrap_or(false)
                    && let Some(c) = &hit.captured
                {
                    self.replay.push((c.clone(), i, ev.clone()));
                }
            }
        }
        self.stateful.observe(&hit.signals, hit.event.as_ref());
    }

    /// The multi-event detections (correlations, stateful detectors), time-ordered, at or
    /// above the minimum level.
    pub fn finish(mut self) -> Vec<Detection> {
        let h = self.hunter;
        let mut detections = Vec::new();
        self.replay.sort_by_key(|(c, _, e)| (c.time_ms, e.nanos));
        let mut correlator = Correlator::new();
        let mut fired = Vec::new();
        for (handle, (captured, rule, _)) in self.replay.iter().enumerate() {
            correlator.observe(&h.set, captured, handle as u64, *rule as usize, &mut |m| {
                fired.push(m)
            });
        }
        for m in fired {
            let Some(r) = h.corr_refs.get(m.correlation) else {
                continue;
            };
            let events: Vec<EventRef> = m
                .events
                .iter()
                .filter_map(|i| self.replay.get(*i as usize).map(|(_, _, e)| e.clone()))
                .collect();
            let group = m
                .group
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let summary = format!(
                "{}: {} (value {}) over {} event(s){}",
                r.title,
                if group.is_empty() {
                    "all events".to_string()
                } else {
                    group
                },
                m.value,
                m.event_count,
                if m.events.len() < m.event_count as usize {
                    " (first cited)"
                } else {
                    ""
                }
            );
            if let Some(d) = Detection::multi(r, events, summary) {
                detections.push(d);
            }
        }
        if h.options.stateful {
            detections.extend(self.stateful.finish());
        }
        if let Some(min) = h.options.min_level {
            detections.retain(|d| d.level >= min);
        }
        detections.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        detections
    }
}
