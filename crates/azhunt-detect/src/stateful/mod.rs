//! Detections that need more than one event: impossible travel, first-seen IP on sensitive
//! operations, and bursts of deletions.
//!
//! The consumer thread sees events in input order, not time order, and memory must stay
//! bounded whatever the input size. Each detector therefore keeps small per-identity state
//! (a handful of recent sign-ins, one timestamp per identity/IP pair, a capped list of
//! deletions) that gives the same answer whatever order the events arrive in, and decides what
//! it can only decide at the end in [`Stateful::finish`].

mod burst;
mod first_seen;
mod travel;

pub use burst::{BurstConfig, Deletions};
pub use first_seen::{FirstSeen, FirstSeenConfig, is_sensitive};
pub use travel::{GeoPoint, Travel, TravelConfig, geo_point};

use crate::detection::{Detection, EventRef};
use azhunt_model::Event;

/// Settings of every stateful detector.
#[derive(Debug, Clone, Default)]
pub struct StatefulConfig {
    pub travel: TravelConfig,
    pub first_seen: FirstSeenConfig,
    pub burst: BurstConfig,
}

/// The stable identity key of an event's caller: object id, else UPN, else app id (folded).
pub fn identity_key(e: &Event) -> Option<String> {
    let c = &e.caller;
    c.object_id
        .as_deref()
        .or(c.upn.as_deref())
        .or(c.app_id.as_deref())
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
}

/// What a worker extracts from an event for the stateful detectors (no event is kept).
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Identity hash, IP hash and time (ns) of any event with both: the history of IPs.
    pub history: Option<(u64, u64, i128)>,
    /// A successful sign-in with coordinates.
    pub sign_in: Option<(String, GeoPoint)>,
    /// A sensitive operation (Key Vault reads, credential listing, role assignment).
    pub sensitive: bool,
    /// The log kind of the event, as its route bit.
    pub kind: u8,
    /// A successful deletion, by caller.
    pub deletion: Option<String>,
}

impl Signals {
    pub fn of(e: &Event) -> Signals {
        let ident = identity_key(e);
        let mut s = Signals::default();
        if let (Some(id), Some(ip)) = (ident.as_deref(), e.ip.as_deref().map(str::trim))
            && !ip.is_empty()
        {
            s.history = Some((hash(id), hash(ip), e.time.as_nanosecond()));
            s.sensitive = is_sensitive(e);
            s.kind = crate::routing::kind_bit(e.log) as u8;
        }
        if let Some(id) = ident.as_deref() {
            s.sign_in = geo_point(e).map(|p| (id.to_string(), p));
            if burst::is_deletion(e) {
                s.deletion = Some(id.to_string());
            }
        }
        s
    }

    /// Whether the event must reach the consumer with an [`EventRef`].
    pub fn needs_event(&self) -> bool {
        self.sign_in.is_some() || self.sensitive || self.deletion.is_some()
    }
}

fn hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// All stateful detectors together.
#[derive(Debug, Default)]
pub struct Stateful {
    pub travel: Travel,
    pub first_seen: FirstSeen,
    pub deletions: Deletions,
}

impl Stateful {
    pub fn new(cfg: &StatefulConfig) -> Stateful {
        Stateful {
            travel: Travel::new(cfg.travel.clone()),
            first_seen: FirstSeen::new(cfg.first_seen.clone()),
            deletions: Deletions::new(cfg.burst.clone()),
        }
    }

    pub fn observe(&mut self, signals: &Signals, event: Option<&EventRef>) {
        if let Some((ident, ip, t)) = signals.history {
            self.first_seen.history(ident, ip, t);
            if signals.sensitive
                && let Some(e) = event
            {
                self.first_seen.candidate(ident, ip, signals.kind, e);
            }
        }
        if let (Some((id, point)), Some(e)) = (&signals.sign_in, event) {
            self.travel.observe(id, *point, e);
        }
        if let (Some(caller), Some(e)) = (&signals.deletion, event) {
            self.deletions.observe(caller, e);
        }
    }

    pub fn finish(self) -> Vec<Detection> {
        let mut out = self.travel.finish();
        out.extend(self.first_seen.finish());
        out.extend(self.deletions.finish());
        out
    }
}

/// Metadata of the stateful detectors, so they list, filter and report like rules.
pub mod meta {
    use crate::detection::RuleRef;
    use azhunt_sigma::Level;

    fn rule(id: &str, title: &str, level: Level, attack: &[&str], tactics: &[&str]) -> RuleRef {
        RuleRef {
            id: id.to_string(),
            title: title.to_string(),
            level,
            attack: attack.iter().map(|s| s.to_string()).collect(),
            tactics: tactics.iter().map(|s| s.to_string()).collect(),
            origin: "builtin:stateful".to_string(),
        }
    }

    pub fn travel() -> RuleRef {
        rule(
            "5d1b7c2e-6a43-4f0e-9a63-2b8f0c7e9d11",
            "Impossible travel between sign-ins of one identity",
            Level::High,
            &["T1078.004"],
            &["initial-access", "defense-evasion"],
        )
    }

    pub fn first_seen() -> RuleRef {
        rule(
            "8e0c4f5a-3b7d-4c21-8f4e-6d2a9b1c7e35",
            "Sensitive operation from an IP never seen for this identity",
            Level::High,
            &["T1078.004", "T1555.006"],
            &["initial-access", "credential-access"],
        )
    }

    pub fn burst() -> RuleRef {
        rule(
            "b3f9a1d4-7c2e-4e8b-a5d6-0f1e2c3b4a59",
            "Burst of resource deletions by one caller",
            Level::High,
            &["T1485"],
            &["impact"],
        )
    }
}
