//! Who did what, from where: per-identity and per-IP books and the profiles built from them.
//!
//! An identity is every key it is known by (object id, UPN, app id) joined through
//! [`Aliases`]: the Activity Log may name a user by UPN, the sign-in log by object id and UPN,
//! a managed identity's sign-ins by app id — all one row in `whois` and `summary`. Counts are
//! kept per key while reading and merged by alias root at the end, so arrival order does not
//! matter.

use crate::intern::FastMap;
use crate::observe::{Observation, Who};
use crate::{Counted, Insight, fmt_ms};
use azhunt_detect::Level;
use azhunt_model::CallerType;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Entries kept in each ranked list of a profile.
pub const LIST_LIMIT: usize = 25;
/// Detections listed per identity (all are counted).
const DETECTIONS_LISTED: usize = 200;

#[derive(Debug, Default, Clone)]
pub(crate) struct IpUse {
    events: u64,
    first: i64,
    last: i64,
    location: Option<u32>,
}

/// Counts for one identity key.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdAcc {
    pub(crate) first: i64,
    pub(crate) last: i64,
    events: u64,
    display: Option<u32>,
    kinds: [u64; 4],
    automation: bool,
    logs: BTreeMap<&'static str, u64>,
    ips: FastMap<u32, IpUse>,
    locations: FastMap<u32, u64>,
    operations: FastMap<u32, u64>,
    failed: u64,
    failed_operations: FastMap<u32, u64>,
    privileged: FastMap<u32, u64>,
    signins: u64,
    signins_failed: u64,
    signin_apps: FastMap<u32, u64>,
    signin_auth: FastMap<u32, u64>,
    risky_signins: u64,
    pub(crate) detections: Vec<DetectionBrief>,
    detection_count: u64,
    by_level: [u64; 5],
}

fn kind_slot(k: CallerType) -> usize {
    match k {
        CallerType::User => 0,
        CallerType::ServicePrincipal => 1,
        CallerType::ManagedIdentity => 2,
        CallerType::Unknown => 3,
    }
}

fn add_all(into: &mut FastMap<u32, u64>, from: &FastMap<u32, u64>) {
    for (k, v) in from {
        *into.entry(*k).or_default() += v;
    }
}

fn span(first: i64, last: i64, ms: i64, empty: bool) -> (i64, i64) {
    if empty {
        (ms, ms)
    } else {
        (first.min(ms), last.max(ms))
    }
}

impl IdAcc {
    fn merge(&mut self, o: &IdAcc) {
        let empty = self.events == 0 && self.detection_count == 0;
        if o.events > 0 || o.detection_count > 0 {
            (self.first, self.last) = if empty {
                (o.first, o.last)
            } else {
                (self.first.min(o.first), self.last.max(o.last))
            };
        }
        self.events += o.events;
        self.display = self.display.or(o.display);
        for i in 0..4 {
            self.kinds[i] += o.kinds[i];
        }
        self.automation |= o.automation;
        for (k, v) in &o.logs {
            *self.logs.entry(k).or_default() += v;
        }
        for (ip, u) in &o.ips {
            let e = self.ips.entry(*ip).or_default();
            let (f, l) = if e.events == 0 {
                (u.first, u.last)
            } else {
                (e.first.min(u.first), e.last.max(u.last))
            };
            e.events += u.events;
            e.first = f;
            e.last = l;
            e.location = e.location.or(u.location);
        }
        add_all(&mut self.locations, &o.locations);
        add_all(&mut self.operations, &o.operations);
        self.failed += o.failed;
        add_all(&mut self.failed_operations, &o.failed_operations);
        add_all(&mut self.privileged, &o.privileged);
        self.signins += o.signins;
        self.signins_failed += o.signins_failed;
        add_all(&mut self.signin_apps, &o.signin_apps);
        add_all(&mut self.signin_auth, &o.signin_auth);
        self.risky_signins += o.risky_signins;
        self.detections.extend(o.detections.iter().cloned());
        self.detection_count += o.detection_count;
        for i in 0..5 {
            self.by_level[i] += o.by_level[i];
        }
    }
}

/// Per-IP counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct IpAcc {
    events: u64,
    first: i64,
    last: i64,
    identities: HashSet<u32>,
    locations: FastMap<u32, u64>,
    logs: BTreeMap<&'static str, u64>,
    signins: u64,
    detection_count: u64,
    by_level: [u64; 5],
}

/// A detection as an identity page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetectionBrief {
    pub time: String,
    pub level: &'static str,
    pub rule_title: String,
    pub operation: String,
    pub ip: Option<String>,
}

/// Detections by level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    pub total: u64,
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub informational: u64,
}

impl LevelCounts {
    fn of(by_level: &[u64; 5]) -> LevelCounts {
        LevelCounts {
            total: by_level.iter().sum(),
            informational: by_level[0],
            low: by_level[1],
            medium: by_level[2],
            high: by_level[3],
            critical: by_level[4],
        }
    }

    /// The ranking weight: one critical outweighs any number of informational detections.
    pub fn weight(&self) -> u64 {
        self.critical * 1_000_000
            + self.high * 10_000
            + self.medium * 100
            + self.low * 10
            + self.informational
    }
}

fn level_slot(l: Level) -> usize {
    match l {
        Level::Informational => 0,
        Level::Low => 1,
        Level::Medium => 2,
        Level::High => 3,
        Level::Critical => 4,
    }
}

/// One IP an identity used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpUseProfile {
    pub ip: String,
    pub events: u64,
    pub first_seen: String,
    pub last_seen: String,
    pub location: Option<String>,
    /// The identity signed in from this IP (in the evidence).
    pub in_signins: bool,
}

/// Sign-in figures of an identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SigninSummary {
    pub total: u64,
    pub failed: u64,
    pub risky: u64,
    pub applications: Vec<Counted>,
    pub authentication: Vec<Counted>,
}

/// Everything the evidence says one identity did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityProfile {
    /// The name shown: UPN or display name, else an id.
    pub identity: String,
    /// Every key it is known by (object id, UPN, app id), lower case.
    pub keys: Vec<String>,
    /// user, service_principal, managed_identity, automation or unknown.
    pub kind: &'static str,
    pub first_seen: String,
    pub last_seen: String,
    pub events: u64,
    pub logs: BTreeMap<&'static str, u64>,
    pub ips: Vec<IpUseProfile>,
    pub ip_count: usize,
    pub locations: Vec<Counted>,
    pub operations: Vec<Counted>,
    pub operation_count: usize,
    pub failed: u64,
    pub failed_operations: Vec<Counted>,
    pub privileged: Vec<Counted>,
    pub privileged_count: u64,
    pub signins: SigninSummary,
    pub detections: LevelCounts,
    pub detection_list: Vec<DetectionBrief>,
}

/// Everything the evidence says about one IP address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpProfile {
    pub ip: String,
    pub events: u64,
    pub first_seen: String,
    pub last_seen: String,
    pub identity_count: usize,
    pub identities: Vec<String>,
    pub locations: Vec<Counted>,
    pub logs: BTreeMap<&'static str, u64>,
    pub signins: u64,
    pub private: bool,
    pub detections: LevelCounts,
}

fn is_private(ip: &str) -> bool {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => a.is_private() || a.is_loopback() || a.is_link_local(),
        Ok(std::net::IpAddr::V6(a)) => {
            a.is_loopback()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

impl Insight {
    /// The key id an observation's counts are filed under (its first key), joining its other
    /// keys to it.
    pub(crate) fn identity_of(&mut self, who: &Who) -> u32 {
        let mut primary = None;
        for k in &who.keys {
            let id = self.strings.id(k);
            self.identity_keys.insert(id);
            match primary {
                None => primary = Some(id),
                Some(p) => self.aliases.union(p, id),
            }
        }
        primary.unwrap_or(0)
    }

    pub(crate) fn observe_identity(&mut self, o: &Observation) {
        let ip = o.ip.as_deref().map(|s| self.strings.id(s));
        let loc = o.location.as_deref().map(|s| self.strings.id(s));
        let op = self.strings.id(&o.operation);
        let log = o.log.as_str();
        if let Some(who) = &o.who {
            let key = self.identity_of(who);
            let display = match self.identities.get(&key).and_then(|a| a.display) {
                Some(d) => d,
                None => self.strings.id(&who.display),
            };
            let app = o
                .signin
                .as_ref()
                .and_then(|s| s.app.as_deref())
                .map(|a| self.strings.id(a));
            let auth = o
                .signin
                .as_ref()
                .and_then(|s| s.authentication.as_deref())
                .map(|a| self.strings.id(a));
            let acc = self.identities.entry(key).or_default();
            (acc.first, acc.last) = span(
                acc.first,
                acc.last,
                o.ms,
                acc.events == 0 && acc.detection_count == 0,
            );
            acc.events += 1;
            acc.display.get_or_insert(display);
            acc.kinds[kind_slot(who.kind)] += 1;
            acc.automation |= who.automation;
            *acc.logs.entry(log).or_default() += 1;
            if let Some(ip) = ip {
                let u = acc.ips.entry(ip).or_default();
                (u.first, u.last) = span(u.first, u.last, o.ms, u.events == 0);
                u.events += 1;
                u.location = u.location.or(loc);
            }
            if let Some(l) = loc {
                *acc.locations.entry(l).or_default() += 1;
            }
            *acc.operations.entry(op).or_default() += 1;
            if o.failed {
                acc.failed += 1;
                *acc.failed_operations.entry(op).or_default() += 1;
            }
            if o.privileged {
                *acc.privileged.entry(op).or_default() += 1;
            }
            if let Some(s) = &o.signin {
                acc.signins += 1;
                acc.signins_failed += u64::from(!s.succeeded);
                acc.risky_signins += u64::from(s.risk.is_some());
                if let Some(a) = app {
                    *acc.signin_apps.entry(a).or_default() += 1;
                }
                if let Some(a) = auth {
                    *acc.signin_auth.entry(a).or_default() += 1;
                }
            }
            if let Some(ip) = ip {
                let acc = self.ips.entry(ip).or_default();
                acc.identities.insert(key);
            }
        }
        if let Some(ip) = ip {
            let acc = self.ips.entry(ip).or_default();
            (acc.first, acc.last) = span(acc.first, acc.last, o.ms, acc.events == 0);
            acc.events += 1;
            *acc.logs.entry(log).or_default() += 1;
            if let Some(l) = loc {
                *acc.locations.entry(l).or_default() += 1;
            }
            acc.signins += u64::from(o.signin.is_some());
        }
    }

    /// Files a detection under its identity (by keys, else by the name shown) and IP.
    pub fn note_detection(
        &mut self,
        who: Option<&Who>,
        caller: Option<&str>,
        ip: Option<&str>,
        brief: DetectionBrief,
        level: Level,
        ms: i64,
    ) {
        let slot = level_slot(level);
        let key = match who {
            Some(w) => Some(self.identity_of(w)),
            None => caller
                .map(|c| c.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty())
                .map(|c| self.strings.id(&c)),
        };
        if let Some(key) = key {
            let acc = self.identities.entry(key).or_default();
            if acc.events == 0 && acc.detection_count == 0 {
                (acc.first, acc.last) = (ms, ms);
            }
            acc.detection_count += 1;
            acc.by_level[slot] += 1;
            if acc.detections.len() < DETECTIONS_LISTED {
                acc.detections.push(brief);
            }
        }
        if let Some(ip) = ip.map(str::trim).filter(|s| !s.is_empty()) {
            let id = self.strings.id(ip);
            let acc = self.ips.entry(id).or_default();
            acc.detection_count += 1;
            acc.by_level[slot] += 1;
        }
    }

    /// Merged counts per identity root. Display names that are not keys (a detection cited
    /// by display name only) join the identity whose display they are.
    pub(crate) fn merged_identities(&mut self) -> Vec<(u32, IdAcc)> {
        let keys: Vec<u32> = self.identities.keys().copied().collect();
        // display-name id -> root of an identity that shows that name.
        let mut by_display: FastMap<u32, u32> = crate::intern::fast_map();
        for k in &keys {
            let root = self.aliases.root(*k);
            if let Some(d) = self.identities.get(k).and_then(|a| a.display) {
                by_display.entry(d).or_insert(root);
                let lowered = self.strings.get(d).to_ascii_lowercase();
                if let Some(l) = self.strings.find(&lowered) {
                    by_display.entry(l).or_insert(root);
                }
            }
        }
        let mut merged: BTreeMap<u32, IdAcc> = BTreeMap::new();
        for k in keys {
            let Some(acc) = self.identities.get(&k) else {
                continue;
            };
            let mut root = self.aliases.root(k);
            if acc.events == 0
                && let Some(r) = by_display.get(&k)
            {
                root = *r;
            }
            merged.entry(root).or_default().merge(acc);
        }
        merged.into_iter().collect()
    }

    fn top(&self, m: &FastMap<u32, u64>) -> Vec<Counted> {
        let mut v: Vec<(&str, u64)> = m.iter().map(|(k, n)| (self.strings.get(*k), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .take(LIST_LIMIT)
            .map(|(value, count)| Counted {
                value: value.to_string(),
                count,
            })
            .collect()
    }

    /// Every identity key by alias root.
    pub(crate) fn keys_by_root(&mut self) -> FastMap<u32, Vec<String>> {
        let mut out: FastMap<u32, Vec<String>> = crate::intern::fast_map();
        let ids: Vec<u32> = self.identity_keys.iter().copied().collect();
        for id in ids {
            let root = self.aliases.root(id);
            out.entry(root)
                .or_default()
                .push(self.strings.get(id).to_string());
        }
        for keys in out.values_mut() {
            keys.sort();
        }
        out
    }

    pub(crate) fn profile(
        &mut self,
        root: u32,
        acc: &IdAcc,
        keys: Vec<String>,
        signin_ips: &HashSet<(u32, u32)>,
    ) -> IdentityProfile {
        let kind = if acc.automation {
            "automation"
        } else {
            let best = (0..4).max_by_key(|i| (acc.kinds[*i], 3 - *i)).unwrap_or(3);
            match best {
                _ if acc.kinds.iter().sum::<u64>() == 0 => "unknown",
                0 => "user",
                1 => "service_principal",
                2 => "managed_identity",
                _ => "unknown",
            }
        };
        let mut ips: Vec<(u32, &IpUse)> = acc.ips.iter().map(|(k, v)| (*k, v)).collect();
        ips.sort_by(|a, b| {
            b.1.events
                .cmp(&a.1.events)
                .then(self.strings.get(a.0).cmp(self.strings.get(b.0)))
        });
        let ip_list = ips
            .iter()
            .take(LIST_LIMIT)
            .map(|(ip, u)| IpUseProfile {
                ip: self.strings.get(*ip).to_string(),
                events: u.events,
                first_seen: fmt_ms(u.first),
                last_seen: fmt_ms(u.last),
                location: u.location.map(|l| self.strings.get(l).to_string()),
                in_signins: signin_ips.contains(&(root, *ip)),
            })
            .collect();
        let mut detection_list = acc.detections.clone();
        detection_list.sort_by(|a, b| a.time.cmp(&b.time));
        IdentityProfile {
            identity: acc
                .display
                .map(|d| self.strings.get(d).to_string())
                .unwrap_or_else(|| self.strings.get(root).to_string()),
            keys,
            kind,
            first_seen: fmt_ms(acc.first),
            last_seen: fmt_ms(acc.last),
            events: acc.events,
            logs: acc.logs.clone(),
            ips: ip_list,
            ip_count: acc.ips.len(),
            locations: self.top(&acc.locations),
            operations: self.top(&acc.operations),
            operation_count: acc.operations.len(),
            failed: acc.failed,
            failed_operations: self.top(&acc.failed_operations),
            privileged: self.top(&acc.privileged),
            privileged_count: acc.privileged.values().sum(),
            signins: SigninSummary {
                total: acc.signins,
                failed: acc.signins_failed,
                risky: acc.risky_signins,
                applications: self.top(&acc.signin_apps),
                authentication: self.top(&acc.signin_auth),
            },
            detections: LevelCounts::of(&acc.by_level),
            detection_list,
        }
    }

    pub(crate) fn ip_profiles(&mut self, names: &FastMap<u32, String>) -> Vec<IpProfile> {
        let ips: Vec<(u32, IpAcc)> = self.ips.iter().map(|(k, v)| (*k, v.clone())).collect();
        let mut out: Vec<IpProfile> = ips
            .into_iter()
            .map(|(ip, acc)| {
                let mut roots: Vec<u32> = acc
                    .identities
                    .iter()
                    .map(|k| self.aliases.root(*k))
                    .collect();
                roots.sort_unstable();
                roots.dedup();
                let mut identities: Vec<String> =
                    roots.iter().filter_map(|r| names.get(r).cloned()).collect();
                identities.sort();
                let count = identities.len();
                identities.truncate(LIST_LIMIT);
                let text = self.strings.get(ip).to_string();
                IpProfile {
                    private: is_private(&text),
                    ip: text,
                    events: acc.events,
                    first_seen: fmt_ms(acc.first),
                    last_seen: fmt_ms(acc.last),
                    identity_count: count,
                    identities,
                    locations: self.top(&acc.locations),
                    logs: acc.logs.clone(),
                    signins: acc.signins,
                    detections: LevelCounts::of(&acc.by_level),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.detections
                .weight()
                .cmp(&a.detections.weight())
                .then(b.identity_count.cmp(&a.identity_count))
                .then(b.events.cmp(&a.events))
                .then(a.ip.cmp(&b.ip))
        });
        out
    }
}
