//! Collection against the emulator (`support/emulator.rs`): completeness under faults,
//! de-duplication across scopes, window splitting, late arrivals, resume after interruption,
//! token refresh, forbidden / unlicensed / empty scopes, manifest verification, no token leaks.

#![allow(clippy::unwrap_used)]

mod support;

use azhunt_collect::auth::{EnvTokens, Token, TokenProvider};
use azhunt_collect::checkpoint::RequestKind;
use azhunt_collect::cloud::{Audience, Cloud, CloudName, Overrides};
use azhunt_collect::graph::SignInKind;
use azhunt_collect::http::RetryPolicy;
use azhunt_collect::manifest::Manifest;
use azhunt_collect::plan::{Plan, Source};
use azhunt_collect::probe::ScopeStatus;
use azhunt_collect::{AuthError, CollectError, Options, collect, new_runtime, verify};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::data::{activity_event, standard};
use support::emulator::{Emulator, Fault, FaultKind, State};

const DAYS: i64 = 3;

fn since() -> Timestamp {
    "2026-03-01T00:00:00Z".parse().unwrap()
}

fn all_sources() -> Vec<Source> {
    let mut s = vec![
        Source::ActivitySubscription {
            subscription: "sub-a".into(),
        },
        Source::ActivitySubscription {
            subscription: "sub-b".into(),
        },
        Source::ActivitySubscription {
            subscription: "sub-empty".into(),
        },
        Source::ActivityManagementGroup {
            management_group: "mg-root".into(),
        },
        Source::ActivityTenant,
        Source::LogAnalytics {
            workspace: "ws-1".into(),
            query: "AzureActivity".into(),
        },
        Source::EntraAudit,
    ];
    s.extend(SignInKind::ALL.map(|kind| Source::EntraSignIns { kind }));
    s
}

fn plan(since: Timestamp, until: Timestamp, sources: Vec<Source>) -> Plan {
    Plan {
        since,
        until,
        window_secs: 86_400,
        min_window_secs: 60,
        resource_provider: None,
        all_subscriptions: false,
        sources,
    }
}

type Lines = Arc<Mutex<Vec<String>>>;

fn options(dir: &Path, plan: Plan, emu: &Emulator, lines: &Lines) -> Options {
    let o = Overrides {
        arm: Some(emu.base.clone()),
        graph: Some(emu.base.clone()),
        loganalytics: Some(emu.base.clone()),
        login: Some(emu.base.clone()),
    };
    let cloud = Cloud::with_overrides(CloudName::Public, &o).unwrap();
    let mut opts = Options::new(dir.to_path_buf(), plan, cloud);
    opts.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
    };
    let sink = Arc::clone(lines);
    opts.log = Some(Arc::new(move |s: &str| {
        sink.lock().unwrap().push(s.to_string())
    }));
    opts
}

fn env_token(t: &str) -> Box<dyn TokenProvider> {
    Box::new(EnvTokens::single(Token::new(t)))
}

fn run(
    opts: Options,
    tokens: Box<dyn TokenProvider>,
) -> Result<azhunt_collect::Summary, CollectError> {
    collect(opts, new_runtime().unwrap(), tokens)
}

/// Every id the emulator holds, per family, for sources of the plan.
fn expected(st: &State) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut m: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for (scope, events) in &st.activity {
        if scope == "sub:sub-empty" {
            continue;
        }
        for e in events {
            m.entry("activity")
                .or_default()
                .insert(e["eventDataId"].as_str().unwrap().into());
        }
    }
    for a in &st.audits {
        m.entry("audit")
            .or_default()
            .insert(a["id"].as_str().unwrap().into());
    }
    for list in st.signins.values() {
        for s in list {
            m.entry("signins")
                .or_default()
                .insert(s["id"].as_str().unwrap().into());
        }
    }
    for (_, rows) in st.workspaces.values() {
        for r in rows {
            m.entry("la")
                .or_default()
                .insert(r[8].as_str().unwrap().into());
        }
    }
    m
}

/// Ids in the events files, per family; panics on a doubled id.
fn collected(dir: &Path) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut m: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let events = dir.join("events");
    let Ok(entries) = std::fs::read_dir(&events) else {
        return m;
    };
    for e in entries {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let (family, field) = if name.starts_with("activity-") {
            ("activity", "eventDataId")
        } else if name.starts_with("entra-audit") {
            ("audit", "id")
        } else if name.starts_with("entra-signins") {
            ("signins", "id")
        } else {
            ("la", "EventDataId")
        };
        for line in std::fs::read_to_string(&p).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = v[field].as_str().unwrap().to_string();
            assert!(
                m.entry(family).or_default().insert(id.clone()),
                "{id} written twice ({name})"
            );
        }
    }
    m
}

fn no_secret_anywhere(dir: &Path, secret: &str, lines: &Lines) {
    for f in walk(dir) {
        let bytes = std::fs::read(&f).unwrap();
        let mut text = bytes.clone();
        if f.extension().is_some_and(|e| e == "gz") {
            use std::io::Read;
            text.clear();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut text)
                .unwrap();
        }
        assert!(
            !String::from_utf8_lossy(&text).contains(secret),
            "token found in {}",
            f.display()
        );
    }
    for l in lines.lock().unwrap().iter() {
        assert!(!l.contains(secret), "token in log line {l}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out
}

fn status_of(m: &Manifest, target: &str) -> ScopeStatus {
    m.scopes.iter().find(|s| s.target == target).unwrap().status
}

/// Three days of sub-a's Activity Log.
fn sub_a_plan() -> Plan {
    let sub_a = Source::ActivitySubscription {
        subscription: "sub-a".into(),
    };
    plan(
        since(),
        since() + SignedDuration::from_hours(24 * DAYS),
        vec![sub_a],
    )
}

fn assert_statuses(m: &Manifest, want: &[(&str, ScopeStatus)]) {
    for (target, status) in want {
        assert_eq!(status_of(m, target), *status, "{target}");
    }
}

#[test]
fn every_event_once_across_scopes_under_faults() {
    let st = standard(since(), DAYS);
    let want = expected(&st);
    let emu = Emulator::start(st);
    emu.with(|s| {
        s.faults = vec![
            Fault::new("/subscriptions/sub-a/providers", 2, FaultKind::Status(429, Some("0"))),
            Fault::new("managementGroups/mg-root/providers", 3, FaultKind::Status(500, None)),
            Fault::new("/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp%20ge%20%272026-03-02", 1, FaultKind::Reset),
            Fault::new("beta/auditLogs/signIns", 3, FaultKind::Truncate),
            Fault::new("directoryAudits", 2, FaultKind::InvalidBody),
            Fault::new("skipToken=US1", 2, FaultKind::Status(503, Some("1"))),
            Fault::new("/query", 2, FaultKind::Status(429, Some("0"))),
        ];
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case");
    let lines: Lines = Arc::default();
    let started = std::time::Instant::now();
    let s = run(
        options(
            &out,
            plan(
                since(),
                since() + SignedDuration::from_hours(24 * DAYS),
                all_sources(),
            ),
            &emu,
            &lines,
        ),
        env_token("good-token"),
    )
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(s.complete, "{:#?}", s.scopes);
    assert_eq!(collected(&out), want, "every event exactly once");

    let m = Manifest::load(&out).unwrap();
    assert_statuses(
        &m,
        &[
            ("activity-subscription-sub-empty", ScopeStatus::Empty),
            ("activity-subscription-sub-a", ScopeStatus::Complete),
        ],
    );
    // The management group's copies of sub-a's events were received but not written again.
    let mg = m
        .scopes
        .iter()
        .find(|s| s.target == "activity-managementgroup-mg-root")
        .unwrap();
    assert!(mg.records > mg.events, "{mg:?}");
    assert!(verify(&out).unwrap().is_clean());
    assert!(!out.join(".partial").exists());

    // Each fault was followed by the same request again.
    let log = emu.log();
    for (i, l) in log.iter().enumerate() {
        if l.status == 429 || l.status >= 500 {
            assert_eq!(
                log[i + 1].target,
                l.target,
                "retry of {} was not the same request",
                l.target
            );
        }
        assert!(
            !l.target.to_ascii_lowercase().contains("%24select"),
            "{}",
            l.target
        );
        assert_ne!(l.status, 400, "emulator refused {}", l.target);
        if l.target.contains("auditLogs") {
            assert_eq!(l.prefer.as_deref(), Some("include-unknown-enum-members"));
        }
    }
    // Retries are in the manifest: one request with several attempts, each with its request id.
    let retried = m.requests.iter().filter(|r| r.attempts.len() > 1).count();
    assert!(retried >= 5, "{retried} retried requests");
    assert!(m.requests.iter().all(|r| {
        r.attempts
            .iter()
            .all(|a| a.status.is_none() || a.request_id.is_some())
    }));
    // Log Analytics windows were split on PartialError, and boundary rows kept once.
    assert!(
        m.requests
            .iter()
            .any(|r| r.outcome.starts_with("split: partial result (PartialError"))
    );
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("querying 12h windows"))
    );
    for what in [
        "connection error",
        "body cut short",
        "incomplete or invalid body",
        "HTTP 429",
        "HTTP 500",
        "HTTP 503",
    ] {
        assert!(
            lines.lock().unwrap().iter().any(|l| l.contains(what)),
            "no retry after {what}"
        );
    }
    no_secret_anywhere(&out, "good-token", &lines);

    // verify catches a modified, a deleted and an added file.
    let events = out.join("events/activity-tenant.jsonl");
    let mut text = std::fs::read_to_string(&events).unwrap();
    text = text.replacen("elevateAccess", "elevateAccesz", 1);
    std::fs::write(&events, text).unwrap();
    let raw = m
        .files
        .iter()
        .find(|f| f.path.starts_with("raw/entra-audit/"))
        .unwrap();
    std::fs::remove_file(out.join(&raw.path)).unwrap();
    std::fs::write(out.join("events/planted.jsonl"), "{}\n").unwrap();
    let r = verify(&out).unwrap();
    assert_eq!(r.changed.len(), 1);
    assert_eq!(r.changed[0].path, "events/activity-tenant.jsonl");
    assert_eq!(r.missing, vec![raw.path.clone()]);
    assert_eq!(r.extra, vec!["events/planted.jsonl".to_string()]);
}

#[test]
fn raw_pages_are_the_bodies_as_received() {
    let emu = Emulator::start(standard(since(), 1));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let p = plan(
        since(),
        since() + SignedDuration::from_hours(24),
        vec![Source::ActivityTenant],
    );
    run(options(&out, p, &emu, &lines), env_token("good-token")).unwrap();
    let m = Manifest::load(&out).unwrap();
    let page = m
        .requests
        .iter()
        .find(|r| r.kind == RequestKind::Page)
        .unwrap();
    let rec = m
        .files
        .iter()
        .find(|f| Some(&f.path) == page.file.as_ref())
        .unwrap();
    let gz = std::fs::read(out.join(&rec.path)).unwrap();
    let mut body = Vec::new();
    use std::io::Read;
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut body)
        .unwrap();
    // The emulator pretty-prints: the stored page keeps its whitespace, the JSONL line does not.
    assert!(body.starts_with(b"{\n"));
    assert_eq!(
        azhunt_collect::store::sha256_hex(&body),
        rec.body_sha256.clone().unwrap()
    );
    assert_eq!(
        page.request_id.as_deref().map(|r| r.starts_with("req-")),
        Some(true)
    );
    assert!(page.filter.as_deref().unwrap().starts_with("eventTimestamp ge '2026-03-01T00:00:00.0000000Z' and eventTimestamp le '2026-03-01T23:59:59.9999999Z'"));
}

#[test]
fn resume_after_interruptions_is_lossless_and_doubles_nothing() {
    let st = standard(since(), DAYS);
    let want = expected(&st);
    let emu = Emulator::start(st);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case");
    let lines: Lines = Arc::default();
    let p = plan(
        since(),
        since() + SignedDuration::from_hours(24 * DAYS),
        all_sources(),
    );
    let mut runs = 0;
    loop {
        let mut o = options(&out, p.clone(), &emu, &lines);
        o.resume = runs > 0;
        o.stop_after_pages = Some(4);
        runs += 1;
        match run(o, env_token("good-token")) {
            Err(CollectError::Interrupted { .. }) => {
                assert!(
                    !out.join("manifest.json").exists(),
                    "no manifest after a crash"
                );
                assert!(
                    !out.join("events").exists()
                        || std::fs::read_dir(out.join("events"))
                            .unwrap()
                            .next()
                            .is_none()
                );
            }
            Ok(s) => {
                assert!(s.complete);
                break;
            }
            Err(e) => panic!("{e}"),
        }
        assert!(runs < 200, "never finished");
    }
    assert!(runs > 10, "only {runs} runs: the hook did not interrupt");
    assert_eq!(collected(&out), want);
    let v = verify(&out).unwrap();
    assert!(v.is_clean(), "{v:?}");
    let m = Manifest::load(&out).unwrap();
    assert_eq!(m.runs.len(), runs);
    // Resuming a complete collection changes nothing.
    let mut o = options(&out, p, &emu, &lines);
    o.resume = true;
    let again = run(o, env_token("good-token")).unwrap();
    assert!(again.already_complete);
    assert!(verify(&out).unwrap().is_clean());
}

#[test]
fn a_fresh_run_refuses_a_used_directory() {
    let emu = Emulator::start(standard(since(), 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("something"), "x").unwrap();
    let lines: Lines = Arc::default();
    let p = plan(
        since(),
        since() + SignedDuration::from_hours(24),
        vec![Source::ActivityTenant],
    );
    assert!(matches!(
        run(
            options(dir.path(), p.clone(), &emu, &lines),
            env_token("good-token")
        ),
        Err(CollectError::Config(_))
    ));
    let mut o = options(&dir.path().join("new"), p, &emu, &lines);
    o.resume = true;
    assert!(matches!(
        run(o, env_token("good-token")),
        Err(CollectError::Config(_))
    ));
}

#[test]
fn forbidden_unlicensed_empty_and_failed_are_told_apart() {
    let emu = Emulator::start(standard(since(), 1));
    emu.with(|s| {
        s.forbidden = vec!["/subscriptions/sub-b".into()];
        s.unlicensed = true;
        // More 500s in a row than the retry policy's four attempts.
        for n in 1..=5 {
            s.faults.push(Fault::new(
                "mg-root/providers",
                n,
                FaultKind::Status(500, None),
            ));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let sources = vec![
        Source::ActivitySubscription {
            subscription: "sub-b".into(),
        },
        Source::ActivitySubscription {
            subscription: "sub-empty".into(),
        },
        Source::ActivitySubscription {
            subscription: "sub-unknown".into(),
        },
        Source::ActivityManagementGroup {
            management_group: "mg-root".into(),
        },
        Source::EntraAudit,
        Source::EntraSignIns {
            kind: SignInKind::ManagedIdentity,
        },
    ];
    let p = plan(since(), since() + SignedDuration::from_hours(24), sources);
    let s = run(
        options(&out, p.clone(), &emu, &lines),
        env_token("good-token"),
    )
    .unwrap();
    assert!(!s.complete);
    let m = Manifest::load(&out).unwrap();
    assert!(!m.complete);
    assert_statuses(
        &m,
        &[
            ("activity-subscription-sub-b", ScopeStatus::Forbidden),
            ("activity-subscription-sub-unknown", ScopeStatus::Forbidden),
            ("activity-subscription-sub-empty", ScopeStatus::Empty),
            ("activity-managementgroup-mg-root", ScopeStatus::Failed),
            ("entra-audit", ScopeStatus::Unlicensed),
            ("entra-signins-managed-identity", ScopeStatus::Unlicensed),
        ],
    );
    assert!(
        m.scopes
            .iter()
            .find(|s| s.target == "activity-subscription-sub-empty")
            .unwrap()
            .message
            .as_deref()
            .unwrap()
            .contains("empty list")
    );
    assert!(verify(&out).unwrap().is_clean());

    // Once access is granted and the service recovers, --resume finishes the job.
    emu.with(|s| {
        s.forbidden.clear();
        s.unlicensed = false;
    });
    let mut o = options(&out, p, &emu, &lines);
    o.resume = true;
    let s = run(o, env_token("good-token")).unwrap();
    let m = Manifest::load(&out).unwrap();
    assert_statuses(
        &m,
        &[
            ("activity-subscription-sub-unknown", ScopeStatus::Forbidden),
            ("activity-subscription-sub-b", ScopeStatus::Complete),
            ("activity-managementgroup-mg-root", ScopeStatus::Complete),
            ("entra-audit", ScopeStatus::Complete),
        ],
    );
    assert!(!s.complete, "sub-unknown still not readable");
    assert!(verify(&out).unwrap().is_clean());
}

/// Issues `tok-1`, then `tok-2` when asked to refresh.
struct Rotating {
    refreshes: Arc<Mutex<u32>>,
}

impl TokenProvider for Rotating {
    fn method(&self) -> &'static str {
        "test"
    }
    fn token(&mut self, _a: Audience, refresh: bool) -> Result<Token, AuthError> {
        let mut n = self.refreshes.lock().unwrap();
        if refresh {
            *n += 1;
        }
        Ok(Token::new(format!("tok-{}", *n + 1)))
    }
}

#[test]
fn an_expired_token_is_refreshed_mid_run() {
    let emu = Emulator::start(standard(since(), DAYS));
    emu.with(|s| {
        s.valid_tokens = ["tok-1".to_string(), "tok-2".to_string()].into();
        s.expiring.insert("tok-1".into(), 4);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let refreshes = Arc::new(Mutex::new(0));
    let p = sub_a_plan();
    let s = run(
        options(&out, p, &emu, &lines),
        Box::new(Rotating {
            refreshes: Arc::clone(&refreshes),
        }),
    )
    .unwrap();
    assert!(s.complete);
    assert_eq!(*refreshes.lock().unwrap(), 1);
    let log = emu.log();
    let i = log.iter().position(|l| l.status == 401).unwrap();
    assert_eq!(log[i + 1].target, log[i].target);
    assert_eq!(log[i + 1].authorization.as_deref(), Some("Bearer tok-2"));
    assert_eq!(collected(&out)["activity"].len(), 7 * DAYS as usize);
    no_secret_anywhere(&out, "tok-1", &lines);
    no_secret_anywhere(&out, "tok-2", &lines);
}

#[test]
fn a_handed_over_token_that_expires_fails_the_scope_and_resume_continues() {
    let emu = Emulator::start(standard(since(), DAYS));
    emu.with(|s| {
        s.valid_tokens.insert("old-token".into());
        s.expiring.insert("old-token".into(), 3);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let p = sub_a_plan();
    let s = run(
        options(&out, p.clone(), &emu, &lines),
        env_token("old-token"),
    )
    .unwrap();
    assert!(!s.complete);
    assert!(
        s.scopes[0].message.as_deref().unwrap().contains("--resume"),
        "{:?}",
        s.scopes[0]
    );
    let mut o = options(&out, p, &emu, &lines);
    o.resume = true;
    assert!(run(o, env_token("good-token")).unwrap().complete);
    assert_eq!(collected(&out)["activity"].len(), 7 * DAYS as usize);
    assert!(verify(&out).unwrap().is_clean());
    no_secret_anywhere(&out, "old-token", &lines);
}

#[test]
fn the_newest_window_is_requeried_for_late_events() {
    let now = Timestamp::now();
    let since = now - SignedDuration::from_hours(30);
    let late_time = (now - SignedDuration::from_hours(2))
        .strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        .to_string();
    let early_time = (now - SignedDuration::from_hours(3))
        .strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        .to_string();
    let mut st = standard(since, 1);
    st.activity.insert(
        "tenant".into(),
        vec![activity_event(
            "on-time",
            &early_time,
            "",
            "Microsoft.Authorization",
            "x/write",
        )],
    );
    st.late_activity.insert(
        "tenant".into(),
        vec![activity_event(
            "late-1",
            &late_time,
            "",
            "Microsoft.Authorization",
            "x/write",
        )],
    );
    let emu = Emulator::start(st);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let s = run(
        options(
            &out,
            plan(since, now, vec![Source::ActivityTenant]),
            &emu,
            &lines,
        ),
        env_token("good-token"),
    )
    .unwrap();
    assert!(s.complete);
    let ids = &collected(&out)["activity"];
    assert_eq!(
        ids,
        &BTreeSet::from(["on-time".to_string(), "late-1".to_string()])
    );
    let m = Manifest::load(&out).unwrap();
    let rq: Vec<_> = m
        .requests
        .iter()
        .filter(|r| r.kind == RequestKind::Requery)
        .collect();
    assert_eq!(rq.len(), 1);
    assert_eq!(rq[0].records, 2, "the re-query returns the window again");
    assert_eq!(rq[0].new_events, 1, "only the late event is new");
}

#[test]
fn subscriptions_are_listed_when_none_are_named() {
    let emu = Emulator::start(standard(since(), 1));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let lines: Lines = Arc::default();
    let mut p = plan(since(), since() + SignedDuration::from_hours(24), vec![]);
    p.all_subscriptions = true;
    p.resource_provider = Some("Microsoft.ContainerService".into());
    let s = run(options(&out, p, &emu, &lines), env_token("good-token")).unwrap();
    assert!(s.complete);
    let names: Vec<_> = s.scopes.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(
        names,
        [
            "activity-subscription-sub-a",
            "activity-subscription-sub-b",
            "activity-subscription-sub-empty"
        ]
    );
    let m = Manifest::load(&out).unwrap();
    assert_eq!(
        m.requests
            .iter()
            .filter(|r| r.kind == RequestKind::ListSubscriptions)
            .count(),
        3,
        "paged by nextLink"
    );
    // resourceProvider filter applied server-side: only sub-a's AKS events.
    let ids = &collected(&out)["activity"];
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.iter().all(|i| i.starts_with("a-0-")));
}
