//! One read of the evidence for the commands that need the whole picture (`report`, `whois`,
//! `summary`, `coverage`): every event observed for the identity, IP and coverage books, and
//! (when rules are loaded) every detection kept with its identity.
//!
//! Detections are few next to events (about 6% of generated Activity Log events match a
//! built-in rule), so they are kept as values; the raw records behind them are kept only for
//! the `keep_raw` most severe, so memory stays bounded on any input.

use crate::cli::ReadArgs;
use crate::read_opts::{Reporter, read};
use anyhow::Result;
use azhunt_detect::{Detection, Hit, Hunter, Level};
use azhunt_ingest::Summary;
use azhunt_insight::{ContextRequest, DetectionBrief, Insight, Keep, Observation};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// What one read found.
pub struct Findings {
    pub insight: Insight,
    /// Every detection, in input order (multi-event detections last).
    pub detections: Vec<Detection>,
    /// Raw record (JSON text) by index into `detections`, for the most severe.
    pub raws: HashMap<usize, String>,
    /// The log source kind of each detection's event (`None` for multi-event detections).
    pub log_sources: Vec<Option<&'static str>>,
    /// The sign-in context request of each detection (callers that sign in).
    pub requests: Vec<Option<ContextRequest>>,
    pub summary: Summary,
}

/// What a worker hands the consumer for one event.
struct Seen {
    observation: Observation,
    hit: Option<Hit>,
    raw: Option<String>,
}

fn brief(d: &Detection) -> DetectionBrief {
    DetectionBrief {
        time: d.time.clone(),
        level: d.level.as_str(),
        rule_title: d.rule_title.clone(),
        operation: d.event.operation.clone(),
        ip: d.event.ip.clone(),
    }
}

/// Reads `args`' evidence once, observing every event and hunting with `hunter` when given.
pub fn investigate(
    args: &ReadArgs,
    reporter: &mut Reporter,
    hunter: Option<&Hunter>,
    keep_raw: usize,
) -> Result<Findings> {
    let mut insight = Insight::new(Keep::Everything);
    let mut session = hunter.map(Hunter::session);
    let mut detections: Vec<Detection> = Vec::new();
    let mut raws: HashMap<usize, String> = HashMap::new();
    let mut log_sources: Vec<Option<&'static str>> = Vec::new();
    let mut requests: Vec<Option<ContextRequest>> = Vec::new();
    // The kept raws' ranks, worst on top: (lower level, later time) is evicted first.
    let mut ranked: BinaryHeap<(Reverse<Level>, i128, usize)> = BinaryHeap::new();
    let map = |e: &azhunt_model::Event, json: Option<&[u8]>| {
        let observation = Observation::of(e);
        let hit = hunter.and_then(|h| h.evaluate(e, json));
        let reported = match (&hit, hunter) {
            (Some(hit), Some(h)) => h.reported(hit).next().is_some(),
            _ => false,
        };
        let raw = (reported && keep_raw > 0)
            .then(|| sonic_rs::to_string_pretty(&e.raw).ok())
            .flatten();
        Seen {
            observation,
            hit,
            raw,
        }
    };
    let accept = |seen: Seen| {
        let Seen {
            observation,
            hit,
            raw,
        } = seen;
        insight.observe(&observation);
        let (Some(hit), Some(h), Some(session)) = (hit, hunter, session.as_mut()) else {
            return;
        };
        if let Some(ev) = &hit.event {
            for (_, r) in h.reported(&hit) {
                let d = Detection::single(r, ev.clone());
                insight.note_detection(
                    observation.who.as_ref(),
                    None,
                    d.event.ip.as_deref(),
                    brief(&d),
                    d.level,
                    observation.ms,
                );
                let index = detections.len();
                if let Some(raw) = &raw {
                    ranked.push((Reverse(d.level), d.event.nanos, index));
                    raws.insert(index, raw.clone());
                    if ranked.len() > keep_raw
                        && let Some((_, _, worst)) = ranked.pop()
                    {
                        raws.remove(&worst);
                    }
                }
                detections.push(d);
                log_sources.push(Some(observation.source.kind.as_str()));
                requests.push(observation.who.as_ref().and_then(|w| {
                    ContextRequest::of_caller(w, observation.ip.as_deref(), observation.ms)
                }));
            }
        }
        session.accept(&hit);
    };
    let summary = read(args, reporter, map, accept)?;
    if let Some(session) = session {
        for d in session.finish() {
            let ms = i64::try_from(d.event.nanos.div_euclid(1_000_000)).unwrap_or(0);
            insight.note_detection(
                None,
                d.event.caller.as_deref(),
                d.event.ip.as_deref(),
                brief(&d),
                d.level,
                ms,
            );
            requests.push(ContextRequest::of_event(&d.event));
            detections.push(d);
            log_sources.push(None);
        }
    }
    Ok(Findings {
        insight,
        detections,
        raws,
        log_sources,
        requests,
        summary,
    })
}
