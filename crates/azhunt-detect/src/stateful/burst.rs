//! Bursts of deletions: one caller deleting many distinct resources in a short window — the
//! shape of destruction or cover-up (T1485), not of routine clean-up.
//!
//! Successful deletions are kept per caller (capped), then judged at the end in time order
//! with a sliding window over distinct resources, so file order does not matter.

use crate::detection::{Detection, EventRef};
use crate::stateful::meta;
use azhunt_model::{Event, LogKind};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct BurstConfig {
    /// Distinct resources deleted within [`BurstConfig::window_ns`] that make a burst.
    pub threshold: usize,
    pub window_ns: i128,
    /// Deletions kept per caller; later ones are counted but not kept.
    pub keep: usize,
}

impl Default for BurstConfig {
    fn default() -> BurstConfig {
        BurstConfig {
            threshold: 10,
            window_ns: 10 * 60 * 1_000_000_000,
            keep: 2_000,
        }
    }
}

/// A successful (or accepted) Activity Log deletion.
pub fn is_deletion(e: &Event) -> bool {
    e.log == LogKind::Activity
        && e.operation.len() > 7
        && e.operation[e.operation.len() - 7..].eq_ignore_ascii_case("/delete")
        && matches!(e.status.as_deref(), Some("Succeeded") | Some("Accepted"))
}

#[derive(Debug, Default)]
pub struct Deletions {
    cfg: BurstConfig,
    by_caller: HashMap<String, Vec<EventRef>>,
}

impl Deletions {
    pub fn new(cfg: BurstConfig) -> Deletions {
        Deletions {
            cfg,
            ..Default::default()
        }
    }

    pub fn observe(&mut self, caller: &str, e: &EventRef) {
        let v = self.by_caller.entry(caller.to_string()).or_default();
        if v.len() < self.cfg.keep {
            v.push(e.clone());
        }
    }

    pub fn finish(self) -> Vec<Detection> {
        let mut callers: Vec<_> = self.by_caller.into_iter().collect();
        callers.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for (caller, mut events) in callers {
            events.sort_by_key(|e| e.nanos);
            bursts(&self.cfg, &caller, &events, &mut out);
        }
        out
    }
}

/// Distinct resources (case-folded ids) among `events`.
fn distinct_resources(events: &[EventRef]) -> usize {
    events
        .iter()
        .map(|e| e.resource_id.as_deref().unwrap_or("").to_ascii_lowercase())
        .collect::<BTreeSet<String>>()
        .len()
}

/// The bursts in one caller's time-ordered deletions: a window holding `threshold` distinct
/// resources starts one, and it extends while deletions keep coming within the window.
fn bursts(cfg: &BurstConfig, caller: &str, events: &[EventRef], out: &mut Vec<Detection>) {
    let (mut start, mut end) = (0, 0);
    while end < events.len() {
        while events[end].nanos - events[start].nanos > cfg.window_ns {
            start += 1;
        }
        if distinct_resources(&events[start..=end]) < cfg.threshold {
            end += 1;
            continue;
        }
        let mut last = end;
        while last + 1 < events.len()
            && events[last + 1].nanos - events[last].nanos <= cfg.window_ns
        {
            last += 1;
        }
        let burst = &events[start..=last];
        let summary = format!(
            "{caller} deleted {} distinct resources between {} and {}",
            distinct_resources(burst),
            burst.first().map(|e| e.time.as_str()).unwrap_or(""),
            burst.last().map(|e| e.time.as_str()).unwrap_or("")
        );
        if let Some(d) = Detection::multi(&meta::burst(), burst.to_vec(), summary) {
            out.push(d);
        }
        start = last + 1;
        end = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::test_event;

    fn ev(i: usize, minute: i128, resource: &str) -> EventRef {
        test_event(
            &format!("e{i}"),
            minute * 60_000_000_000,
            None,
            Some(resource),
        )
    }

    #[test]
    fn many_distinct_deletions_in_the_window_are_one_burst() {
        let mut d = Deletions::new(BurstConfig::default());
        // Reverse time order, as REST exports come (newest first).
        for i in (0..12).rev() {
            d.observe("x", &ev(i, i as i128, &format!("/r/{i}")));
        }
        let out = d.finish();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].events.as_ref().unwrap().len(), 12);
        assert!(out[0].summary.as_deref().unwrap().contains("12 distinct"));
    }

    #[test]
    fn spread_out_or_repeated_deletions_are_not_a_burst() {
        let mut d = Deletions::new(BurstConfig::default());
        for i in 0..12 {
            d.observe("x", &ev(i, i as i128 * 5, &format!("/r/{i}"))); // every 5 minutes
            d.observe("y", &ev(i, i as i128, "/same")); // one resource over and over
        }
        assert!(d.finish().is_empty());
    }
}
