//! What the evidence cannot show: per log source and scope the time covered, events per day
//! and gaps; changes to logging itself (tampering); and the investigation's blockers in plain
//! words, each with what to collect or enable next.
//!
//! Time is kept per source as a set of occupied minutes, so memory is bounded by the span of
//! the evidence, not its size, and gaps are exact to the minute.

use crate::intern::FastMap;
use crate::observe::{Observation, SigninKind, SourceKey, SourceKind, Tamper};
use crate::{Insight, fmt_ms};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
/// Activity Log retention in the platform (days).
pub const ACTIVITY_RETENTION_DAYS: i64 = 90;
/// Entra audit and sign-in retention with Entra ID P1/P2 (days); Free keeps 7.
pub const ENTRA_RETENTION_DAYS: i64 = 30;
pub const ENTRA_FREE_RETENTION_DAYS: i64 = 7;

/// What `coverage` is asked about.
#[derive(Debug, Clone)]
pub struct CoverageOptions {
    /// Gaps longer than this (ms) are reported.
    pub gap_ms: i64,
    /// The investigation period, when known (ms).
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// When the evidence was collected (ms); default: the latest event.
    pub collected_at: Option<i64>,
}

impl Default for CoverageOptions {
    fn default() -> CoverageOptions {
        CoverageOptions {
            gap_ms: 24 * HOUR,
            since: None,
            until: None,
            collected_at: None,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct SourceAcc {
    events: u64,
    first: i64,
    last: i64,
    minutes: FastMap<i64, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TamperEvent {
    pub time: String,
    pub what: &'static str,
    pub operation: String,
    /// The resource whose logging changed (lower case).
    pub target: String,
    /// The changed setting, workspace or rule itself (lower case).
    pub resource_id: String,
    /// Events recorded for this change (an operation logs Started and Succeeded).
    pub events: u32,
    pub caller: Option<String>,
    pub ip: Option<String>,
    #[serde(skip)]
    pub ms: i64,
    #[serde(skip)]
    pub kind: Option<Tamper>,
}

#[derive(Debug, Default)]
pub(crate) struct CoverageBook {
    sources: BTreeMap<SourceKey, SourceAcc>,
    /// AKS clusters and Key Vaults named in the Activity Log: first and last mention.
    watched: FastMap<Box<str>, (i64, i64)>,
    subscriptions: BTreeSet<Box<str>>,
    tampering: Vec<TamperEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: String,
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub from: String,
    pub to: String,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCoverage {
    pub source: &'static str,
    pub label: &'static str,
    pub scope: String,
    pub events: u64,
    pub first: String,
    pub last: String,
    pub days_covered: usize,
    pub events_per_day: f64,
    pub days: Vec<DayCount>,
    pub gaps: Vec<Gap>,
}

/// One thing the evidence cannot answer, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// logging_coverage_missing, audit_logging_not_enabled, retention_expired, tampering, gap.
    pub kind: &'static str,
    pub title: String,
    pub detail: String,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub collected_at: Option<String>,
    /// `given` or `latest event` (a lower bound: the evidence was collected after it).
    pub collected_at_basis: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    pub period: Period,
    pub gap_threshold_hours: f64,
    pub sources: Vec<SourceCoverage>,
    pub tampering: Vec<TamperEvent>,
    pub blockers: Vec<Blocker>,
}

/// Hourly event counts of one kind of source (all scopes), for charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    pub source: &'static str,
    pub label: &'static str,
    /// (hour start in unix ms, events).
    pub hours: Vec<(i64, u64)>,
}

fn day_text(ms: i64) -> String {
    fmt_ms(ms.div_euclid(DAY) * DAY)
        .get(..10)
        .unwrap_or("")
        .to_string()
}

fn hours(ms: i64) -> f64 {
    (ms as f64 / HOUR as f64 * 10.0).round() / 10.0
}

impl Insight {
    pub(crate) fn observe_coverage(&mut self, o: &Observation) {
        let book = &mut self.coverage;
        let acc = match book.sources.get_mut(&o.source) {
            Some(a) => a,
            None => book.sources.entry(o.source.clone()).or_default(),
        };
        if acc.events == 0 {
            (acc.first, acc.last) = (o.ms, o.ms);
        } else {
            acc.first = acc.first.min(o.ms);
            acc.last = acc.last.max(o.ms);
        }
        acc.events += 1;
        *acc.minutes.entry(o.ms.div_euclid(MINUTE)).or_default() += 1;
        if let Some(w) = &o.watched {
            match book.watched.get_mut(w) {
                Some((f, l)) => {
                    *f = (*f).min(o.ms);
                    *l = (*l).max(o.ms);
                }
                None => {
                    book.watched.insert(w.clone(), (o.ms, o.ms));
                }
            }
        }
        if let Some(s) = &o.subscription
            && !book.subscriptions.contains(s)
        {
            book.subscriptions.insert(s.clone());
        }
        if let Some((kind, target)) = &o.tamper {
            book.tampering.push(TamperEvent {
                time: fmt_ms(o.ms),
                what: kind.as_str(),
                operation: o.operation.to_string(),
                target: target.to_string(),
                resource_id: o.resource_id.as_deref().unwrap_or("").to_string(),
                events: 1,
                caller: o.who.as_ref().map(|w| w.display.to_string()),
                ip: o.ip.as_ref().map(|s| s.to_string()),
                ms: o.ms,
                kind: Some(*kind),
            });
        }
    }

    /// Hourly counts per kind of source.
    pub fn series(&self) -> Vec<Series> {
        let mut by_kind: BTreeMap<SourceKind, BTreeMap<i64, u64>> = BTreeMap::new();
        for (key, acc) in &self.coverage.sources {
            let h = by_kind.entry(key.kind).or_default();
            for (m, n) in &acc.minutes {
                *h.entry((m * MINUTE).div_euclid(HOUR) * HOUR).or_default() += u64::from(*n);
            }
        }
        by_kind
            .into_iter()
            .map(|(k, h)| Series {
                source: k.as_str(),
                label: k.label(),
                hours: h.into_iter().collect(),
            })
            .collect()
    }

    /// The coverage report.
    pub fn coverage(&self, opts: &CoverageOptions) -> CoverageReport {
        let book = &self.coverage;
        let mut first_all = i64::MAX;
        let mut last_all = i64::MIN;
        let mut sources = Vec::new();
        let mut gap_blockers = Vec::new();
        for (key, acc) in &book.sources {
            let mut minutes: Vec<(i64, u32)> = acc.minutes.iter().map(|(m, n)| (*m, *n)).collect();
            minutes.sort_unstable();
            if minutes.is_empty() {
                continue;
            }
            let (first, last) = (acc.first, acc.last);
            first_all = first_all.min(first);
            last_all = last_all.max(last);
            let mut days: BTreeMap<i64, u64> = BTreeMap::new();
            for (m, n) in &minutes {
                *days.entry((m * MINUTE).div_euclid(DAY)).or_default() += u64::from(*n);
            }
            let mut gaps = Vec::new();
            let mut edges: Vec<(i64, i64)> = minutes
                .windows(2)
                .filter_map(|w| {
                    let (a, b) = ((w[0].0 + 1) * MINUTE, w[1].0 * MINUTE);
                    (b - a > opts.gap_ms).then_some((a, b))
                })
                .collect();
            if let Some(s) = opts.since
                && first - s > opts.gap_ms
            {
                edges.insert(0, (s, first));
            }
            if let Some(u) = opts.until
                && u - last > opts.gap_ms
            {
                edges.push((last, u));
            }
            for (a, b) in edges {
                gaps.push(Gap {
                    from: fmt_ms(a),
                    to: fmt_ms(b),
                    hours: hours(b - a),
                });
            }
            let span_days = ((last - first) as f64 / DAY as f64).max(1.0);
            let cov = SourceCoverage {
                source: key.kind.as_str(),
                label: key.kind.label(),
                scope: key.scope.to_string(),
                events: acc.events,
                first: fmt_ms(first),
                last: fmt_ms(last),
                days_covered: days.len(),
                events_per_day: (acc.events as f64 / span_days * 10.0).round() / 10.0,
                days: days
                    .into_iter()
                    .map(|(d, n)| DayCount {
                        day: day_text(d * DAY),
                        events: n,
                    })
                    .collect(),
                gaps,
            };
            if !cov.gaps.is_empty() {
                let longest = cov.gaps.iter().map(|g| g.hours).fold(0.0, f64::max);
                gap_blockers.push(Blocker {
                    kind: "gap",
                    title: format!(
                        "{} gap(s) in {}{}",
                        cov.gaps.len(),
                        cov.label,
                        scope_words(&cov.scope)
                    ),
                    detail: format!(
                        "no events for longer than {} h ({}; longest {longest} h): logging was off, the export is partial, or nothing happened",
                        hours(opts.gap_ms),
                        cov.gaps
                            .iter()
                            .take(3)
                            .map(|g| format!("{} to {}", g.from, g.to))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    next: "check the export or collection for those windows (re-collect them with `azhunt collect --since/--until`)".into(),
                });
            }
            sources.push(cov);
        }
        let (collected, basis) = match opts.collected_at {
            Some(c) => (Some(c), "given"),
            None => ((last_all != i64::MIN).then_some(last_all), "latest event"),
        };
        let tampering = self.tampering();
        let mut blockers = self.blockers(opts, collected, &tampering);
        blockers.extend(gap_blockers);
        CoverageReport {
            period: Period {
                first_event: (first_all != i64::MAX).then(|| fmt_ms(first_all)),
                last_event: (last_all != i64::MIN).then(|| fmt_ms(last_all)),
                since: opts.since.map(fmt_ms),
                until: opts.until.map(fmt_ms),
                collected_at: collected.map(fmt_ms),
                collected_at_basis: basis,
            },
            gap_threshold_hours: hours(opts.gap_ms),
            sources,
            tampering,
            blockers,
        }
    }

    /// Changes to logging in time order, one per change: the events of one operation on one
    /// resource by one caller within ten minutes (Started, Succeeded) are one change, dated by
    /// the last.
    fn tampering(&self) -> Vec<TamperEvent> {
        let mut all = self.coverage.tampering.clone();
        all.sort_by_key(|t| t.ms);
        let mut out: Vec<TamperEvent> = Vec::new();
        for t in all {
            if let Some(prev) = out.iter_mut().rev().find(|p| {
                p.kind == t.kind && p.resource_id == t.resource_id && p.caller == t.caller
            }) && t.ms - prev.ms <= 10 * MINUTE
            {
                let events = prev.events + 1;
                *prev = TamperEvent { events, ..t };
                continue;
            }
            out.push(t);
        }
        out
    }

    fn span_of(&self, pred: impl Fn(&SourceKey) -> bool) -> Option<(i64, i64, u64)> {
        let mut out: Option<(i64, i64, u64)> = None;
        for (k, acc) in &self.coverage.sources {
            if !pred(k) {
                continue;
            }
            if acc.events > 0 {
                let (lo, hi) = (acc.first, acc.last);
                out = Some(match out {
                    Some((a, b, n)) => (a.min(lo), b.max(hi), n + acc.events),
                    None => (lo, hi, acc.events),
                });
            }
        }
        out
    }

    fn blockers(
        &self,
        opts: &CoverageOptions,
        collected: Option<i64>,
        tampering: &[TamperEvent],
    ) -> Vec<Blocker> {
        let book = &self.coverage;
        let mut out = Vec::new();
        let has = |pred: &dyn Fn(SourceKind) -> bool| book.sources.keys().any(|k| pred(k.kind));
        let activity = self.span_of(|k| {
            matches!(
                k.kind,
                SourceKind::ActivitySubscription
                    | SourceKind::ActivityManagementGroup
                    | SourceKind::ActivityTenant
                    | SourceKind::ActivityUnscoped
            )
        });
        if !has(&|k| k == SourceKind::ActivityTenant) {
            out.push(Blocker {
                kind: "logging_coverage_missing",
                title: "Cloud logging coverage missing: no tenant-scope Activity Log (Directory Activity)".into(),
                detail: "elevate access (Microsoft.Authorization/elevateAccess/action) and role assignments at the root scope are recorded only at tenant scope; without it they cannot be seen".into(),
                next: "collect it with `azhunt collect --tenant` (GET /providers/Microsoft.Insights/eventtypes/management/values; needs a role at root scope \"/\", e.g. Monitoring Reader)".into(),
            });
        }
        if activity.is_none() {
            out.push(Blocker {
                kind: "logging_coverage_missing",
                title: "Cloud logging coverage missing: no Activity Log at all".into(),
                detail: "no control-plane change of any subscription can be seen".into(),
                next: "collect it with `azhunt collect --subscription ID` (or without --subscription for every subscription the principal can read)".into(),
            });
        }
        let with_activity: BTreeSet<&str> = book
            .sources
            .keys()
            .filter(|k| k.kind == SourceKind::ActivitySubscription)
            .map(|k| &*k.scope)
            .collect();
        for sub in &book.subscriptions {
            if !with_activity.contains(&**sub) {
                out.push(Blocker {
                    kind: "logging_coverage_missing",
                    title: format!("Cloud logging coverage missing: subscription {sub} has no Activity Log in the evidence"),
                    detail: "its resources appear in other logs, but who changed them cannot be seen".into(),
                    next: format!("collect it with `azhunt collect --subscription {sub}`"),
                });
            }
        }
        let mut watched: Vec<(&Box<str>, &(i64, i64))> = book.watched.iter().collect();
        watched.sort();
        for (res, (first, last)) in watched {
            let (kind, words, category) =
                if res.contains("/microsoft.containerservice/managedclusters/") {
                    (
                        SourceKind::KubeAudit,
                        "container logging coverage missing: AKS cluster",
                        "kube-audit / kube-audit-admin",
                    )
                } else {
                    (
                        SourceKind::KeyVault,
                        "resource logging coverage missing: Key Vault",
                        "AuditEvent",
                    )
                };
            let logs = self.span_of(|k| k.kind == kind && *k.scope == **res);
            let name = res.rsplit('/').next().unwrap_or(res);
            match logs {
                None => out.push(Blocker {
                    kind: "logging_coverage_missing",
                    title: format!("{} {name} appears in the Activity Log but its {category} logs are not in the evidence", capitalize(words)),
                    detail: format!("{res} is named from {} to {}; what was done inside it cannot be seen", fmt_ms(*first), fmt_ms(*last)),
                    next: format!("collect its {category} logs (diagnostic setting to a storage account, Event Hub or Log Analytics workspace), or enable them if none exists"),
                }),
                Some((_, end, _)) if *last > end + opts.gap_ms => out.push(Blocker {
                    kind: "logging_coverage_missing",
                    title: format!("{} {name}: {category} logs end at {} but the Activity Log names it until {}", capitalize(words), fmt_ms(end), fmt_ms(*last)),
                    detail: format!("what was done inside {res} after {} cannot be seen", fmt_ms(end)),
                    next: "check whether its diagnostic setting was removed (see tampering) and collect the rest of its logs".into(),
                }),
                Some(_) => {}
            }
        }
        self.entra_blockers(&mut out, activity);
        if let (Some(since), Some(collected)) = (opts.since, collected) {
            let activity_floor = collected - ACTIVITY_RETENTION_DAYS * DAY;
            if since < activity_floor {
                out.push(Blocker {
                    kind: "retention_expired",
                    title: format!("Retention expired before collection: Activity Log before {} is gone", fmt_ms(activity_floor)),
                    detail: format!("the period starts {} but the Activity Log keeps {ACTIVITY_RETENTION_DAYS} days and the evidence was collected at {}", fmt_ms(since), fmt_ms(collected)),
                    next: "look for older copies: diagnostic-settings archives (storage insights-activity-logs), a Log Analytics workspace (AzureActivity keeps the workspace's retention), SIEM exports".into(),
                });
            }
            let entra_floor = collected - ENTRA_RETENTION_DAYS * DAY;
            if since < entra_floor {
                out.push(Blocker {
                    kind: "retention_expired",
                    title: format!("Retention expired before collection: Entra audit and sign-ins before {} are gone", fmt_ms(entra_floor)),
                    detail: format!("Entra keeps {ENTRA_RETENTION_DAYS} days with P1/P2 ({ENTRA_FREE_RETENTION_DAYS} with Free); the period starts {}", fmt_ms(since)),
                    next: "look for Entra diagnostic-settings archives (insights-logs-signinlogs, insights-logs-auditlogs) or a Log Analytics workspace with SigninLogs / AuditLogs".into(),
                });
            }
        }
        for t in tampering {
            out.push(Blocker {
                kind: "tampering",
                title: format!("Logging changed: {} on {}", t.what.replace('_', " "), t.target.rsplit('/').next().unwrap_or(&t.target)),
                detail: format!(
                    "{} at {} by {} from {}: {}",
                    t.operation,
                    t.time,
                    t.caller.as_deref().unwrap_or("unknown caller"),
                    t.ip.as_deref().unwrap_or("unknown IP"),
                    if t.kind.is_some_and(Tamper::stops_logging) {
                        format!("logs of {} after {} may be missing", t.target, t.time)
                    } else {
                        format!("logs of {} may have been redirected or reduced after {}", t.target, t.time)
                    }
                ),
                next: "restore the setting, and collect from any destination that still holds the logs (the storage account, Event Hub or workspace it pointed to)".into(),
            });
        }
        out
    }

    fn entra_blockers(&self, out: &mut Vec<Blocker>, activity: Option<(i64, i64, u64)>) {
        let signins = self.span_of(|k| matches!(k.kind, SourceKind::SignIn(_)));
        let audit = self.span_of(|k| k.kind == SourceKind::EntraAudit);
        match signins {
            None => out.push(Blocker {
                kind: "audit_logging_not_enabled",
                title: "Audit logging not enabled or not licensed: no Entra sign-in logs".into(),
                detail: "whether the identities behind control-plane changes signed in, from where and with MFA cannot be seen (sign-in logs need Entra ID P1/P2 for export and the Graph API)".into(),
                next: "collect them with `azhunt collect --entra signins`, or from a diagnostic setting (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs)".into(),
            }),
            Some((first, last, _)) => {
                let days = (last - first) as f64 / DAY as f64;
                let reference = activity.map(|(a, b, _)| (b - a) as f64 / DAY as f64).unwrap_or(0.0);
                if days <= ENTRA_FREE_RETENTION_DAYS as f64 && reference > days + 1.0 {
                    out.push(Blocker {
                        kind: "audit_logging_not_enabled",
                        title: format!("Audit logging limited: Entra sign-ins cover only {days:.1} days while the Activity Log covers {reference:.1}"),
                        detail: format!("a Free-tier tenant keeps {ENTRA_FREE_RETENTION_DAYS} days of sign-ins; earlier sign-ins may never be recoverable"),
                        next: "collect any Entra diagnostic-settings archive or workspace; license Entra ID P1/P2 and stream sign-ins to storage to keep them".into(),
                    });
                }
                for kind in SigninKind::ALL.iter().filter(|k| **k != SigninKind::Adfs) {
                    if !self.coverage.sources.keys().any(|k| k.kind == SourceKind::SignIn(*kind)) {
                        out.push(Blocker {
                            kind: "logging_coverage_missing",
                            title: format!("Identity logging coverage missing: no {} sign-ins ({})", kind.as_str().replace('_', "-"), kind.category()),
                            detail: "sign-ins of that kind cannot be correlated with control-plane changes".into(),
                            next: format!("collect them with `azhunt collect --entra signins --signin-kinds {}` or from the {} diagnostic category", kind.as_str().replace('_', "-"), kind.category()),
                        });
                    }
                }
            }
        }
        if audit.is_none() {
            out.push(Blocker {
                kind: "audit_logging_not_enabled",
                title: "Audit logging not collected: no Entra ID audit log".into(),
                detail: "role grants, Conditional Access changes, new users and app credentials in Entra cannot be seen".into(),
                next: "collect it with `azhunt collect --entra audit` or from the AuditLogs diagnostic category".into(),
            });
        }
    }
}

fn scope_words(scope: &str) -> String {
    if scope.is_empty() {
        String::new()
    } else {
        format!(" ({})", scope.rsplit('/').next().unwrap_or(scope))
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
