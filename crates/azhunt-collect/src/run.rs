//! The collection run: open or resume the directory, probe and collect every scope window by
//! window, re-query the newest windows, and finalize the manifest.
//!
//! Order of work, and why:
//! 1. the directory is opened fresh (it must be empty) or resumed from `checkpoint.json`
//!    (uncommitted pages deleted, events cut back, de-duplication sets rebuilt);
//! 2. subscriptions are listed when the plan asks for all of them;
//! 3. each scope is probed, then collected window by window; each window is committed
//!    (events fsynced, checkpoint replaced) before the next starts;
//! 4. once every scope is through, each scope's newest window is fetched again when the range
//!    ends near now, because events arrive minutes to hours late (research §4.5) and a long run
//!    gives them that time; only events not seen before are added;
//! 5. events files move into `events/`, and `manifest.json` is written last.

use crate::activity;
use crate::auth::{Principal, TokenProvider};
use crate::checkpoint::{Checkpoint, RequestKind, RequestRecord, Run};
use crate::cloud::{Audience, Cloud};
use crate::error::CollectError;
use crate::fetch::WinError;
use crate::http::{Http, Request, RetryPolicy};
use crate::manifest::{Manifest, ScopeReport};
use crate::page::{dedup_key, parse_list};
use crate::plan::{Plan, Source};
use crate::probe::{ScopeStatus, classify};
use crate::progress::{LogFn, Progress};
use crate::store::{CHECKPOINT, EventsFile, FileRecord, MANIFEST, Store, hash_file, sha256_hex};
use crate::window::{Window, human, iso_ticks, retention_warnings};
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Windows with more pages than this are "slow": the next window is halved.
pub const SLOW_PAGES: u64 = 100;

/// How a collection runs.
pub struct Options {
    /// The output directory.
    pub dir: PathBuf,
    /// Continue the collection in `dir` (its checkpoint's plan is used, not `plan`).
    pub resume: bool,
    /// What to collect (ignored on resume).
    pub plan: Plan,
    /// Endpoints (used on resume too: a proxy may have changed).
    pub cloud: Cloud,
    /// Retry and backoff.
    pub retry: RetryPolicy,
    /// Draw progress bars.
    pub progress: bool,
    /// Rows at which a Log Analytics result counts as truncated.
    pub la_max_rows: usize,
    /// The newest window is re-queried when the range ends less than this before now.
    pub requery_horizon: SignedDuration,
    /// Test hook: stop (as a crash would) after this many pages, without committing.
    pub stop_after_pages: Option<u64>,
    /// Where messages go (default: stderr, above the bars).
    pub log: Option<LogFn>,
}

impl Options {
    /// Defaults for a plan, cloud and directory.
    pub fn new(dir: PathBuf, plan: Plan, cloud: Cloud) -> Options {
        Options {
            dir,
            resume: false,
            plan,
            cloud,
            retry: RetryPolicy::default(),
            progress: false,
            la_max_rows: crate::loganalytics::MAX_ROWS,
            requery_horizon: SignedDuration::from_hours(24),
            stop_after_pages: None,
            log: None,
        }
    }
}

/// What a finished run reports.
#[derive(Debug)]
pub struct Summary {
    /// The output directory.
    pub dir: PathBuf,
    /// Every scope complete or empty, subscriptions listed.
    pub complete: bool,
    /// `--resume` found a finished, complete collection and changed nothing.
    pub already_complete: bool,
    /// Per-scope outcome.
    pub scopes: Vec<ScopeReport>,
    /// Warnings.
    pub warnings: Vec<String>,
    /// SHA-256 of `manifest.json`.
    pub manifest_sha256: String,
    /// Events written, all scopes.
    pub events: u64,
    /// Requests recorded.
    pub requests: usize,
}

/// The state of a run; the fetch methods live in `fetch.rs`.
pub struct Collector {
    pub(crate) store: Store,
    pub(crate) cp: Checkpoint,
    pub(crate) cloud: Cloud,
    pub(crate) http: Http,
    pub(crate) opts: Options,
    pub(crate) seen: HashMap<String, HashSet<u128>>,
    pub(crate) events: HashMap<String, EventsFile>,
    pub(crate) pages_this_run: u64,
    pub(crate) pending_requests: Vec<RequestRecord>,
    pub(crate) pending_files: Vec<FileRecord>,
    /// Records and new events of the window in flight.
    pub(crate) pending_counts: (u64, u64),
    used_dirs: HashSet<String>,
    progress: Progress,
    bars: Vec<usize>,
    log: LogFn,
}

/// The runtime shared by the HTTP client and the token provider.
pub type SharedRuntime = Arc<tokio::runtime::Runtime>;

/// A Tokio runtime for the HTTP client and `azure_identity` (one thread: requests are
/// sequential, because the services throttle per principal anyway).
pub fn new_runtime() -> Result<SharedRuntime, CollectError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| CollectError::Client(format!("starting the async runtime: {e}")))
}

/// Runs (or resumes) a collection.
pub fn collect(
    opts: Options,
    runtime: Arc<tokio::runtime::Runtime>,
    tokens: Box<dyn TokenProvider>,
) -> Result<Summary, CollectError> {
    let progress = Progress::new(opts.progress);
    let log = opts.log.clone().unwrap_or_else(|| progress.printer());
    let (store, cp) = match open(&opts)? {
        Opened::Fresh(s, c) | Opened::Resumed(s, c) => (s, c),
        Opened::Complete(summary) => return Ok(*summary),
    };
    let http = Http::new(runtime, tokens, opts.retry.clone(), Arc::clone(&log))?;
    let used_dirs = cp
        .files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d.to_string()))
        .collect();
    let mut c = Collector {
        store,
        cloud: opts.cloud.clone(),
        cp,
        http,
        opts,
        seen: HashMap::new(),
        events: HashMap::new(),
        pages_this_run: 0,
        pending_requests: Vec::new(),
        pending_files: Vec::new(),
        pending_counts: (0, 0),
        used_dirs,
        progress,
        bars: Vec::new(),
        log,
    };
    c.run()
}

enum Opened {
    Fresh(Store, Checkpoint),
    Resumed(Store, Checkpoint),
    Complete(Box<Summary>),
}

fn open(opts: &Options) -> Result<Opened, CollectError> {
    let dir = &opts.dir;
    if !opts.resume {
        if let Ok(mut entries) = std::fs::read_dir(dir)
            && entries.next().is_some()
        {
            return Err(CollectError::Config(format!(
                "{} is not empty: choose a new directory, or add --resume to continue the collection in it",
                dir.display()
            )));
        }
        let store = Store::open(dir)?;
        let cp = Checkpoint::new(opts.plan.clone(), opts.cloud.clone());
        cp.save(&store)?;
        return Ok(Opened::Fresh(store, cp));
    }
    if !dir.join(CHECKPOINT).exists() {
        return Err(CollectError::Config(format!(
            "--resume: {} has no {CHECKPOINT}, so there is no collection to continue",
            dir.display()
        )));
    }
    let store = Store::open(dir)?;
    let mut cp = Checkpoint::load(&store)?;
    if dir.join(MANIFEST).exists() {
        let m = Manifest::load(dir)?;
        if m.complete {
            store.remove_partial_dir()?;
            let bytes = std::fs::read(dir.join(MANIFEST))
                .map_err(|e| CollectError::io("reading", dir.join(MANIFEST), e))?;
            return Ok(Opened::Complete(Box::new(Summary {
                dir: dir.clone(),
                complete: true,
                already_complete: true,
                events: m.scopes.iter().map(|s| s.events).sum(),
                requests: m.requests.len(),
                scopes: m.scopes,
                warnings: m.warnings,
                manifest_sha256: sha256_hex(&bytes),
            })));
        }
        // A finished but incomplete collection: take it back into work.
        let p = dir.join(MANIFEST);
        std::fs::remove_file(&p).map_err(|e| CollectError::io("removing", &p, e))?;
        for t in &cp.targets {
            store.unpublish_events(&t.name)?;
        }
    }
    let keep: HashSet<String> = cp.files.iter().map(|f| f.path.clone()).collect();
    store.prune_raw(&keep)?;
    store.clean_temporaries()?;
    for t in &mut cp.targets {
        if !t.status.is_complete() {
            t.status = ScopeStatus::Pending;
            t.message = None;
        }
    }
    if cp.subscriptions_error.take().is_some() {
        cp.subscriptions_listed = false;
    }
    cp.cloud = opts.cloud.clone();
    Ok(Opened::Resumed(store, cp))
}

/// The target's open events file (opened at its committed length on first use).
pub(crate) fn events_file<'a>(
    files: &'a mut HashMap<String, EventsFile>,
    store: &Store,
    cp: &Checkpoint,
    target: &str,
) -> Result<&'a mut EventsFile, CollectError> {
    if !files.contains_key(target) {
        let committed = cp
            .targets
            .iter()
            .find(|t| t.name == target)
            .map_or(0, |t| t.events_len);
        let f = store.open_events(target, committed)?;
        files.insert(target.to_string(), f);
    }
    files
        .get_mut(target)
        .ok_or_else(|| CollectError::Config(format!("no events file for {target}")))
}

impl Collector {
    fn say(&self, msg: &str) {
        (self.log)(msg);
    }

    fn run(&mut self) -> Result<Summary, CollectError> {
        self.cp.runs.push(Run {
            started: Timestamp::now().to_string(),
            finished: None,
            auth_method: self.http.auth_method().to_string(),
        });
        self.rebuild_seen()?;
        self.identify()?;
        if self.cp.plan.all_subscriptions && !self.cp.subscriptions_listed {
            self.list_subscriptions()?;
        }
        self.warn_retention();
        self.cp.save(&self.store)?;
        for ti in 0..self.cp.targets.len() {
            let t = &self.cp.targets[ti];
            let total = self
                .cp
                .plan
                .until
                .duration_since(self.cp.plan.since)
                .as_secs();
            let done = t.cursor.duration_since(self.cp.plan.since).as_secs();
            let bar = self
                .progress
                .add(&t.name, total.max(0) as u64, done.max(0) as u64);
            self.bars.push(bar);
        }
        for ti in 0..self.cp.targets.len() {
            self.collect_target(ti)?;
        }
        self.requery_newest()?;
        for ti in 0..self.cp.targets.len() {
            self.settle(ti);
        }
        self.finalize()
    }

    /// Every committed event goes back into its family's de-duplication set.
    fn rebuild_seen(&mut self) -> Result<(), CollectError> {
        for t in &self.cp.targets {
            if t.events_len == 0 {
                continue;
            }
            let lines = EventsFile::read_lines(&self.store.partial_events(&t.name), t.events_len)?;
            let set = self.seen.entry(t.source.family()).or_default();
            for l in lines {
                set.insert(dedup_key(t.source.key_kind(), &l));
            }
        }
        Ok(())
    }

    /// Reads the principal from the first token the plan needs (a missing token stops here).
    fn identify(&mut self) -> Result<(), CollectError> {
        let audience = if self.cp.plan.all_subscriptions {
            Audience::Arm
        } else {
            self.cp
                .targets
                .first()
                .map_or(Audience::Arm, |t| t.source.audience())
        };
        let token = self.http.token(audience)?;
        let p = Principal::from_token(self.http.auth_method(), &token);
        if self.cp.principal.auth_method.is_empty() || self.cp.principal.object_id.is_none() {
            self.cp.principal = p;
        }
        Ok(())
    }

    fn warn_retention(&mut self) {
        let activity = self
            .cp
            .targets
            .iter()
            .any(|t| t.source.audience() == Audience::Arm)
            || self.cp.plan.all_subscriptions;
        let entra = self.cp.targets.iter().any(|t| t.source.is_entra());
        for w in retention_warnings(self.cp.plan.since, Timestamp::now(), activity, entra) {
            if !self.cp.warnings.contains(&w) {
                self.say(&format!("warning: {w}"));
                self.cp.warnings.push(w);
            }
        }
    }

    fn list_subscriptions(&mut self) -> Result<(), CollectError> {
        let first = activity::list_subscriptions_url(&self.cloud.arm);
        let mut url = first.clone();
        let mut ids = Vec::new();
        let dir = self.unique_dir("raw/subscriptions/list".into());
        let mut page_no = 0u32;
        let error = loop {
            page_no += 1;
            let mut attempts = Vec::new();
            let req = Request {
                url: &url,
                audience: Audience::Arm,
                json_body: None,
                headers: &[],
            };
            let res = self
                .http
                .send(&req, &|b| parse_list(b).is_ok(), &mut attempts);
            let last = attempts.last().cloned();
            let mut rec = RequestRecord {
                target: "subscriptions".into(),
                kind: RequestKind::ListSubscriptions,
                window: None,
                url: url.clone(),
                filter: None,
                query: None,
                page: page_no,
                status: last.as_ref().and_then(|a| a.status),
                request_id: last.and_then(|a| a.request_id),
                records: 0,
                new_events: 0,
                file: None,
                outcome: "ok".into(),
                attempts,
            };
            let reply = match res {
                Ok(r) if (200..300).contains(&r.status) => r,
                Ok(r) => {
                    let d = classify(r.status, &r.body);
                    rec.outcome = format!("{}: {}", d.status.as_str(), d.message);
                    self.pending_requests.push(rec);
                    break Some(d.message);
                }
                Err(e) => {
                    rec.outcome = format!("failed: {e}");
                    self.pending_requests.push(rec);
                    break Some(e.to_string());
                }
            };
            let page = parse_list(&reply.body).map_err(CollectError::Config)?;
            let rel = format!("{dir}/page-{page_no:06}.json.gz");
            self.pending_files
                .push(self.store.write_raw_page(&rel, &reply.body)?);
            rec.records = page.records.len() as u64;
            rec.file = Some(rel);
            self.pending_requests.push(rec);
            ids.extend(activity::subscription_ids(&page.records));
            match page.next_link {
                Some(n) if crate::cloud::origin(&n) == crate::cloud::origin(&first) => url = n,
                Some(_) => break Some("a nextLink points to another origin; not followed".into()),
                None => break None,
            }
        };
        self.cp.requests.append(&mut self.pending_requests);
        self.cp.files.append(&mut self.pending_files);
        match error {
            Some(e) => {
                self.say(&format!("error: listing subscriptions failed: {e}"));
                self.cp.subscriptions_error = Some(e);
            }
            None => {
                self.say(&format!("{} subscriptions listed", ids.len()));
                for id in ids {
                    self.cp
                        .add_target(Source::ActivitySubscription { subscription: id });
                }
                self.cp.subscriptions_listed = true;
            }
        }
        self.cp.save(&self.store)
    }

    fn collect_target(&mut self, ti: usize) -> Result<(), CollectError> {
        if self.cp.targets[ti].status.is_complete() {
            return Ok(());
        }
        if self.cp.targets[ti].status == ScopeStatus::Pending {
            let probed = self.probe(ti);
            self.cp.requests.append(&mut self.pending_requests);
            match probed {
                Ok(()) => self.cp.targets[ti].status = ScopeStatus::Collecting,
                Err(e) => {
                    self.stop_target(ti, e)?;
                    return self.cp.save(&self.store);
                }
            }
        }
        let until = self.cp.plan.until;
        while self.cp.targets[ti].cursor < until {
            let t = &self.cp.targets[ti];
            let w = t.sizer.next(t.cursor, until);
            self.show(ti, &w);
            match self.fetch_window(ti, w, false) {
                Ok(stats) => {
                    self.commit(ti, Some(w))?;
                    let sizer = &mut self.cp.targets[ti].sizer;
                    if stats.throttled || stats.pages > SLOW_PAGES {
                        if sizer.shrink() {
                            let now = sizer.current();
                            self.say(&format!(
                                "{}: window was {}; next windows {}",
                                self.cp.targets[ti].name,
                                if stats.throttled { "throttled" } else { "slow" },
                                human(now)
                            ));
                        }
                    } else {
                        sizer.grow();
                    }
                }
                Err(WinError::TooLarge(why)) => {
                    self.commit(ti, None)?;
                    if self.cp.targets[ti].sizer.shrink() {
                        let now = self.cp.targets[ti].sizer.current();
                        self.say(&format!(
                            "{}: {why}; querying {} windows",
                            self.cp.targets[ti].name,
                            human(now)
                        ));
                    } else {
                        self.stop_target(
                            ti,
                            WinError::Failed(format!(
                                "result too large even for a {} window at {}: {why}",
                                human(w.len()),
                                iso_ticks(w.start)
                            )),
                        )?;
                        break;
                    }
                }
                Err(e) => {
                    self.commit(ti, None)?;
                    self.stop_target(ti, e)?;
                    break;
                }
            }
        }
        self.cp.save(&self.store)
    }

    /// Records why a target stops; `Fatal` propagates.
    fn stop_target(&mut self, ti: usize, e: WinError) -> Result<(), CollectError> {
        let (status, message) = match e {
            WinError::Denied(d) => (d.status, d.message),
            WinError::Failed(m) | WinError::TooLarge(m) => (ScopeStatus::Failed, m),
            WinError::Fatal(e) => return Err(e),
        };
        let t = &mut self.cp.targets[ti];
        t.status = status;
        let msg = format!("{} at {}: {message}", status.as_str(), iso_ticks(t.cursor));
        self.progress.finish(self.bars[ti], msg.clone());
        (self.log)(&format!("{}: {msg}", t.name));
        t.message = Some(message);
        Ok(())
    }

    fn show(&self, ti: usize, w: &Window) {
        let t = &self.cp.targets[ti];
        let done = t.cursor.duration_since(self.cp.plan.since).as_secs().max(0) as u64;
        self.progress.update(
            self.bars[ti],
            done,
            format!(
                "{} +{} · {} events",
                iso_ticks(w.start),
                human(w.len()),
                t.events
            ),
        );
    }

    /// Commits the window in flight: events fsynced, requests and pages into the checkpoint,
    /// the cursor advanced past `advance` when given, checkpoint replaced.
    fn commit(&mut self, ti: usize, advance: Option<Window>) -> Result<(), CollectError> {
        let name = self.cp.targets[ti].name.clone();
        let len = match self.events.get_mut(&name) {
            Some(f) => f.commit()?,
            None => self.cp.targets[ti].events_len,
        };
        let t = &mut self.cp.targets[ti];
        t.events_len = len;
        t.records += self.pending_counts.0;
        t.events += self.pending_counts.1;
        t.pages += self.pending_files.len() as u64;
        self.pending_counts = (0, 0);
        if let Some(w) = advance {
            t.cursor = w.end;
            t.last_window = Some(w);
        }
        self.cp.requests.append(&mut self.pending_requests);
        self.cp.files.append(&mut self.pending_files);
        self.cp.save(&self.store)
    }

    fn requery_newest(&mut self) -> Result<(), CollectError> {
        let horizon = Timestamp::now()
            .checked_sub(self.opts.requery_horizon)
            .unwrap_or(Timestamp::MIN);
        if self.cp.plan.until < horizon {
            return Ok(());
        }
        for ti in 0..self.cp.targets.len() {
            let t = &self.cp.targets[ti];
            let Some(w) = t.last_window else { continue };
            if t.status != ScopeStatus::Collecting || t.requeried || t.cursor < self.cp.plan.until {
                continue;
            }
            let before = t.events;
            let outcome = self.fetch_window(ti, w, true);
            match outcome {
                Ok(_) => self.commit(ti, None)?,
                Err(WinError::Fatal(e)) => return Err(e),
                Err(other) => {
                    self.commit(ti, None)?;
                    let w = format!(
                        "{}: re-querying the newest window for late events failed: {other:?}",
                        self.cp.targets[ti].name
                    );
                    self.say(&format!("warning: {w}"));
                    self.cp.warnings.push(w);
                }
            }
            let t = &mut self.cp.targets[ti];
            t.requeried = true;
            if t.events > before {
                let n = t.events - before;
                (self.log)(&format!("{}: {n} late events in the newest window", t.name));
            }
            self.cp.save(&self.store)?;
        }
        Ok(())
    }

    /// Final status of a target that went through.
    fn settle(&mut self, ti: usize) {
        let t = &mut self.cp.targets[ti];
        if t.status != ScopeStatus::Collecting {
            return;
        }
        if t.records == 0 {
            t.status = ScopeStatus::Empty;
            if matches!(t.source, Source::ActivitySubscription { .. }) {
                t.message = Some(
                    "no events; the subscription is readable (probe), but the Activity Log API also \
answers an empty list to a principal without Microsoft.Insights/eventtypes/* read"
                        .into(),
                );
            }
        } else {
            t.status = ScopeStatus::Complete;
        }
        let word = format!("{} · {} events", t.status.as_str(), t.events);
        self.progress.finish(self.bars[ti], word);
    }

    fn unique_dir(&mut self, base: String) -> String {
        let mut d = base.clone();
        let mut n = 2;
        while self.used_dirs.contains(&d) {
            d = format!("{base}-{n}");
            n += 1;
        }
        self.used_dirs.insert(d.clone());
        d
    }

    /// The raw-page directory of a window (a fresh one if an earlier attempt left pages).
    pub(crate) fn raw_dir(&mut self, target: &str, w: &Window, requery: bool) -> String {
        let suffix = if requery { "-requery" } else { "" };
        self.unique_dir(format!("raw/{target}/{}{suffix}", w.dir_name()))
    }

    fn finalize(&mut self) -> Result<Summary, CollectError> {
        for f in self.events.values_mut() {
            f.commit()?;
        }
        self.events.clear();
        let mut files: Vec<FileRecord> = self.cp.files.clone();
        let mut scopes = Vec::new();
        for t in &self.cp.targets {
            let has_file = self.store.partial_events(&t.name).exists();
            let events_file = if has_file || t.status.is_complete() {
                let rel = self.store.publish_events(&t.name)?;
                let p = self.store.path(&rel);
                let (sha256, bytes) =
                    hash_file(&p).map_err(|e| CollectError::io("reading", &p, e))?;
                files.push(FileRecord {
                    path: rel.clone(),
                    sha256,
                    bytes,
                    body_sha256: None,
                });
                Some(rel)
            } else {
                None
            };
            scopes.push(ScopeReport {
                target: t.name.clone(),
                source: t.source.clone(),
                status: t.status,
                collected_until: iso_ticks(t.cursor),
                records: t.records,
                events: t.events,
                pages: t.pages,
                events_file,
                message: t.message.clone(),
            });
        }
        let finished = Timestamp::now().to_string();
        if let Some(r) = self.cp.runs.last_mut() {
            r.finished = Some(finished.clone());
        }
        self.cp.save(&self.store)?;
        let p = self.store.path(CHECKPOINT);
        let (sha256, bytes) = hash_file(&p).map_err(|e| CollectError::io("reading", &p, e))?;
        files.push(FileRecord {
            path: CHECKPOINT.into(),
            sha256,
            bytes,
            body_sha256: None,
        });
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let complete =
            self.cp.subscriptions_error.is_none() && scopes.iter().all(|s| s.status.is_complete());
        let mut warnings = self.cp.warnings.clone();
        if let Some(e) = &self.cp.subscriptions_error {
            warnings.push(format!("subscriptions could not be listed: {e}"));
        }
        let m = Manifest {
            tool: "azhunt".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            format: crate::manifest::FORMAT,
            started: self
                .cp
                .runs
                .first()
                .map(|r| r.started.clone())
                .unwrap_or_default(),
            finished,
            runs: self.cp.runs.clone(),
            complete,
            cloud: self.cp.cloud.clone(),
            tenant: self.cp.principal.tenant_id.clone().or_else(|| {
                std::env::var("AZURE_TENANT_ID")
                    .ok()
                    .filter(|t| !t.is_empty())
            }),
            principal: self.cp.principal.clone(),
            since: iso_ticks(self.cp.plan.since),
            until: iso_ticks(self.cp.plan.until),
            window_seconds: self.cp.plan.window_secs,
            resource_provider: self.cp.plan.resource_provider.clone(),
            scopes: scopes.clone(),
            warnings: warnings.clone(),
            requests: self.cp.requests.clone(),
            files,
        };
        let bytes = serde_json::to_vec_pretty(&m).map_err(|e| CollectError::Corrupt {
            what: "manifest",
            path: self.store.path(MANIFEST),
            detail: e.to_string(),
        })?;
        self.store.write_atomic(MANIFEST, &bytes)?;
        self.store.remove_partial_dir()?;
        Ok(Summary {
            dir: self.store.root().to_path_buf(),
            complete,
            already_complete: false,
            events: scopes.iter().map(|s| s.events).sum(),
            requests: m.requests.len(),
            scopes,
            warnings,
            manifest_sha256: sha256_hex(&bytes),
        })
    }
}
