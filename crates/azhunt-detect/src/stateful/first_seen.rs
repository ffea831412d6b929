//! First-seen IP: a sensitive operation (Key Vault secret, key or certificate reads, credential
//! listing, role assignments) by an identity from an address that identity had not used before.
//!
//! "Before" means at least [`FirstSeenConfig::learning`] earlier, and only identities with that
//! much history are judged: a new account or an identity first seen in the data has no
//! baseline and is not flagged. History is every event with a caller and an IP (sign-ins
//! included), kept as one earliest-time per identity and per identity/IP pair (hashed), so
//! memory grows with distinct pairs, not events. The decision waits for the end of the input,
//! which makes it independent of the order files are read in.

use crate::detection::{Detection, EventRef};
use crate::stateful::meta;
use azhunt_model::field::ends_with_ci;
use azhunt_model::{Event, LogKind};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct FirstSeenConfig {
    /// How long an address must have been in use before a sensitive operation to count as known.
    pub learning_ns: i128,
    /// Events cited per identity/IP pair.
    pub cite: usize,
}

impl Default for FirstSeenConfig {
    fn default() -> FirstSeenConfig {
        FirstSeenConfig {
            learning_ns: 24 * 3_600 * 1_000_000_000,
            cite: 10,
        }
    }
}

/// Operations whose use from a new place is worth a look.
pub fn is_sensitive(e: &Event) -> bool {
    // Compared ignoring ASCII case in place: this runs on every event, and a lower-cased copy
    // was an allocation each.
    let op = e.operation.as_str();
    let is = |name: &str| op.eq_ignore_ascii_case(name);
    let ends = |suffix: &str| ends_with_ci(op, suffix);
    match e.log {
        LogKind::KeyVault => [
            "secretget",
            "secretlist",
            "secretlistversions",
            "keyget",
            "keylist",
            "certificateget",
            "certificatelist",
            "secretbackup",
            "keybackup",
            "certificatebackup",
        ]
        .iter()
        .any(|n| is(n)),
        LogKind::Activity => {
            let finished = e.status.as_deref().is_none_or(|s| s != "Failed");
            finished
                && (ends("/listclusteradmincredential/action")
                    || ends("/listclusterusercredential/action")
                    || ends("/accessprofiles/listcredential/action")
                    || ends("/listkeys/action")
                    || ends("/listaccountsas/action")
                    || ends("/listservicesas/action")
                    || is("microsoft.authorization/roleassignments/write")
                    || is("microsoft.authorization/elevateaccess/action")
                    || ends("/secrets/read"))
        }
        _ => false,
    }
}

#[derive(Debug, Default)]
struct Candidate {
    first_ns: i128,
    count: u64,
    events: Vec<EventRef>,
}

#[derive(Debug, Default)]
pub struct FirstSeen {
    cfg: FirstSeenConfig,
    // Looked up for every event with a caller and an IP: ahash, not SipHash (a third of the
    // per-event hashing cost; still keyed randomly per map).
    identity_since: HashMap<u64, i128, ahash::RandomState>,
    pair_since: HashMap<(u64, u64), i128, ahash::RandomState>,
    /// Per (identity, IP, log kind): Key Vault reads and control-plane operations are reported
    /// apart, so each kind of access from the new address is its own finding.
    candidates: HashMap<(u64, u64, u8), Candidate, ahash::RandomState>,
}

impl FirstSeen {
    pub fn new(cfg: FirstSeenConfig) -> FirstSeen {
        FirstSeen {
            cfg,
            ..Default::default()
        }
    }

    pub fn history(&mut self, identity: u64, ip: u64, t: i128) {
        let i = self.identity_since.entry(identity).or_insert(t);
        *i = (*i).min(t);
        let p = self.pair_since.entry((identity, ip)).or_insert(t);
        *p = (*p).min(t);
    }

    pub fn candidate(&mut self, identity: u64, ip: u64, kind: u8, e: &EventRef) {
        let c = self
            .candidates
            .entry((identity, ip, kind))
            .or_insert(Candidate {
                first_ns: e.nanos,
                ..Default::default()
            });
        c.first_ns = c.first_ns.min(e.nanos);
        c.count += 1;
        c.events.push(e.clone());
        if c.events.len() > self.cfg.cite {
            c.events.sort_by_key(|x| x.nanos);
            c.events.truncate(self.cfg.cite);
        }
    }

    pub fn finish(self) -> Vec<Detection> {
        let learning = self.cfg.learning_ns;
        let mut out = Vec::new();
        for (key, c) in self.candidates {
            let (Some(since), Some(pair)) = (
                self.identity_since.get(&key.0),
                self.pair_since.get(&(key.0, key.1)),
            ) else {
                continue;
            };
            let has_baseline = *since <= c.first_ns - learning;
            let ip_new = *pair > c.first_ns - learning;
            if !(has_baseline && ip_new) {
                continue;
            }
            let Some(first) = c.events.first() else {
                continue;
            };
            let summary = format!(
                "{} performed {} sensitive operation(s) from {} (first use of this address by this identity in the data: {})",
                first.caller.as_deref().unwrap_or("?"),
                c.count,
                first.ip.as_deref().unwrap_or("?"),
                jiff::Timestamp::from_nanosecond(*pair)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            );
            if let Some(d) = Detection::multi(&meta::first_seen(), c.events, summary) {
                out.push(d);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::test_event;

    const HOUR: i128 = 3_600 * 1_000_000_000;

    fn ev(id: &str, t: i128) -> EventRef {
        test_event(id, t, Some("203.0.113.66"), None)
    }

    #[test]
    fn new_address_of_an_established_identity_is_flagged() {
        let mut f = FirstSeen::new(FirstSeenConfig::default());
        f.history(1, 10, 0); // usual address, three days earlier
        f.history(1, 20, 72 * HOUR - HOUR); // new address seen an hour before (a sign-in)
        f.history(1, 20, 72 * HOUR);
        f.candidate(1, 20, 8, &ev("a", 72 * HOUR));
        let out = f.finish();
        assert_eq!(out.len(), 1);
        assert!(out[0].summary.as_deref().unwrap().contains("203.0.113.66"));
    }

    #[test]
    fn known_address_new_identity_and_order_do_not_flag() {
        let mut f = FirstSeen::new(FirstSeenConfig::default());
        // Candidate arrives before the history that makes the address known (input order).
        f.candidate(1, 10, 8, &ev("a", 72 * HOUR));
        f.history(1, 10, 72 * HOUR);
        f.history(1, 10, 0);
        // Identity 2 has no day of history: no baseline, never flagged.
        f.history(2, 30, 5 * HOUR);
        f.candidate(2, 30, 8, &ev("b", 5 * HOUR));
        assert!(f.finish().is_empty());
    }

    #[test]
    fn cited_events_are_capped_but_counted() {
        let mut f = FirstSeen::new(FirstSeenConfig {
            cite: 3,
            ..FirstSeenConfig::default()
        });
        f.history(1, 10, 0);
        for i in 0..7 {
            let t = 48 * HOUR + i;
            f.history(1, 20, t);
            f.candidate(1, 20, 8, &ev(&format!("e{i}"), t));
        }
        let out = f.finish();
        assert_eq!(out[0].events.as_ref().unwrap().len(), 3);
        assert!(out[0].summary.as_deref().unwrap().contains(" 7 sensitive"));
    }
}
