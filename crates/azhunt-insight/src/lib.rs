//! The investigation's context around detections: who did what from where, whether their
//! sign-ins explain it, and what the evidence cannot show.
//!
//! * [`observe`] extracts an [`Observation`] from each event on the worker threads;
//! * [`Insight`] is the consumer-side book every reporting command feeds: identities joined
//!   across logs by their aliases ([`identity`]), IPs, sign-ins kept compactly for detection
//!   context ([`signins`]), and per-source coverage with tampering and blockers ([`coverage`]).
//!
//! Memory is bounded by what is distinct — identities, IPs, operations, occupied minutes, and
//! one compact record per sign-in — never by the number of events.

pub mod coverage;
pub mod identity;
pub mod intern;
pub mod observe;
pub mod signins;

pub use coverage::{Blocker, CoverageOptions, CoverageReport, Series, SourceCoverage};
pub use identity::{DetectionBrief, IdentityProfile, IpProfile, LevelCounts};
pub use observe::{Observation, SigninKind, SourceKey, SourceKind, Tamper, Who};
pub use signins::{ContextRequest, Contexts, SigninBrief, SigninContext};

use identity::{IdAcc, IpAcc};
use intern::{Aliases, FastMap, Strings, fast_map};
use serde::Serialize;

/// A value and how often it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub value: String,
    pub count: u64,
}

/// RFC 3339 UTC text of unix milliseconds.
pub fn fmt_ms(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => azhunt_model::time::format_rfc3339(t),
        Err(_) => String::new(),
    }
}

/// What to keep: a `hunt` needs only sign-ins (for detection context); `whois`, `summary`,
/// `coverage` and `report` keep everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    SigninsOnly,
    Everything,
}

impl Keep {
    /// Whether an event of this kind must be observed at all (a sign-ins-only book ignores
    /// the rest, so `hunt` pays nothing for them). A method of the setting, not of the book,
    /// so the worker threads can ask while the consumer owns the book.
    pub fn wants(self, log: azhunt_model::LogKind) -> bool {
        self == Keep::Everything || log == azhunt_model::LogKind::EntraSignIn
    }
}

/// The consumer-side books.
pub struct Insight {
    keep: Keep,
    strings: Strings,
    aliases: Aliases,
    identities: FastMap<u32, IdAcc>,
    /// Every string id used as an identity key.
    identity_keys: std::collections::HashSet<u32>,
    ips: FastMap<u32, IpAcc>,
    signins: signins::SigninTable,
    coverage: coverage::CoverageBook,
    events: u64,
}

/// Identities and IPs, ranked (most suspicious first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profiles {
    pub identities: Vec<IdentityProfile>,
    pub ips: Vec<IpProfile>,
}

impl Insight {
    pub fn new(keep: Keep) -> Insight {
        Insight {
            keep,
            strings: Strings::new(),
            aliases: Aliases::default(),
            identities: fast_map(),
            identity_keys: Default::default(),
            ips: fast_map(),
            signins: Default::default(),
            coverage: Default::default(),
            events: 0,
        }
    }

    pub fn observe(&mut self, o: &Observation) {
        self.events += 1;
        self.observe_signin(o);
        if self.keep == Keep::Everything {
            self.observe_identity(o);
            self.observe_coverage(o);
        }
    }

    pub fn events(&self) -> u64 {
        self.events
    }

    /// Ranked identity and IP profiles. Identities rank by detections (weighted by level),
    /// then privileged operations, failures and events.
    pub fn profiles(&mut self) -> Profiles {
        self.seal_signins();
        let pairs = std::mem::take(&mut self.signins.pairs);
        let merged = self.merged_identities();
        let mut keys = self.keys_by_root();
        let mut names: FastMap<u32, String> = fast_map();
        let mut identities = Vec::with_capacity(merged.len());
        for (root, acc) in &merged {
            let k = keys.remove(root).unwrap_or_default();
            let p = self.profile(*root, acc, k, &pairs);
            names.insert(*root, p.identity.clone());
            identities.push(p);
        }
        self.signins.pairs = pairs;
        identities.sort_by(|a, b| {
            b.detections
                .weight()
                .cmp(&a.detections.weight())
                .then(b.privileged_count.cmp(&a.privileged_count))
                .then(b.failed.cmp(&a.failed))
                .then(b.events.cmp(&a.events))
                .then(a.identity.cmp(&b.identity))
        });
        let ips = self.ip_profiles(&names);
        Profiles { identities, ips }
    }
}

/// True when `query` names `p`: any of its keys or its display name, ignoring case.
pub fn names_identity(p: &IdentityProfile, query: &str) -> bool {
    let q = query.trim().to_ascii_lowercase();
    !q.is_empty() && (p.identity.eq_ignore_ascii_case(&q) || p.keys.contains(&q))
}
