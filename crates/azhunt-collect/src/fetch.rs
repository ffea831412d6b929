//! Fetching one window of one target, page by page, and the scope probe.
//!
//! A window's pages are stored and its new events appended as they arrive, but nothing is
//! *committed* (made part of the checkpoint) until the window ends: a crash in the middle costs
//! only that window. The `nextLink` of each page is followed exactly as given, and only to the
//! origin the first request went to, so a bearer token never leaves the configured endpoint.

use crate::checkpoint::{RequestKind, RequestRecord};
use crate::cloud::origin;
use crate::error::CollectError;
use crate::http::{Exchange, Request, RequestError};
use crate::loganalytics;
use crate::page::{Page, dedup_key, parse_list, parse_query};
use crate::plan::{Api, Spec};
use crate::probe::{Denial, ScopeStatus, classify};
use crate::run::Collector;
use crate::window::Window;

/// Why a window produced no committed result.
#[derive(Debug)]
pub(crate) enum WinError {
    /// Log Analytics: the result did not fit; the window must shrink.
    TooLarge(String),
    /// The service refused (403, licence, 400, …).
    Denied(Denial),
    /// Transport or auth failure after retries.
    Failed(String),
    /// The run must stop (I/O, the test interruption hook).
    Fatal(CollectError),
}

impl From<CollectError> for WinError {
    fn from(e: CollectError) -> Self {
        WinError::Fatal(e)
    }
}

/// What a fetched window was like, for the window sizer.
pub(crate) struct WinStats {
    pub pages: u64,
    pub throttled: bool,
}

fn accept_for(api: Api) -> fn(&[u8]) -> bool {
    match api {
        Api::Arm | Api::Graph => |b| parse_list(b).is_ok(),
        Api::LogAnalytics => |b| parse_query(b).is_ok(),
    }
}

fn request_error(e: RequestError) -> WinError {
    match e {
        RequestError::Unauthorized => WinError::Denied(Denial {
            status: ScopeStatus::Forbidden,
            message: "HTTP 401 even with a fresh token".into(),
        }),
        other => WinError::Failed(other.to_string()),
    }
}

impl Collector {
    /// Sends a probe; `Ok` when the scope may be read.
    pub(crate) fn probe(&mut self, ti: usize) -> Result<(), WinError> {
        let t = &self.cp.targets[ti];
        let source = t.source.clone();
        let name = t.name.clone();
        let spec = source.probe(&self.cloud, self.cp.plan.until);
        let audience = source.audience();
        let mut attempts = Vec::new();
        let headers: Vec<(&'static str, &str)> = spec.headers.to_vec();
        let req = Request {
            url: &spec.url,
            audience,
            json_body: spec.body.as_deref(),
            headers: &headers,
        };
        let accept = |b: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok();
        let result = self.http.send(&req, &accept, &mut attempts);
        let mut rec = record(&name, RequestKind::Probe, None, &spec, 0, attempts);
        let out = match result {
            Ok(r) if (200..300).contains(&r.status) => {
                rec.outcome = "ok".into();
                Ok(())
            }
            Ok(r) => {
                let d = classify(r.status, &r.body);
                rec.outcome = format!("{}: {}", d.status.as_str(), d.message);
                Err(WinError::Denied(d))
            }
            Err(e) => {
                rec.outcome = format!("failed: {e}");
                Err(request_error(e))
            }
        };
        self.pending_requests.push(rec);
        out
    }

    /// Fetches every page of `window` for target `ti`. `requery` marks the late-arrival pass.
    pub(crate) fn fetch_window(
        &mut self,
        ti: usize,
        window: Window,
        requery: bool,
    ) -> Result<WinStats, WinError> {
        let t = &self.cp.targets[ti];
        let (name, source, family) = (t.name.clone(), t.source.clone(), t.source.family());
        let api = source.api();
        let key_kind = source.key_kind();
        let spec = source.spec(
            &self.cloud,
            &window,
            self.cp.plan.resource_provider.as_deref(),
        );
        let first_origin = origin(&spec.url);
        let dir = self.raw_dir(&name, &window, requery);
        let kind = if requery {
            RequestKind::Requery
        } else {
            RequestKind::Page
        };
        let headers: Vec<(&'static str, &str)> = spec.headers.to_vec();
        let mut url = spec.url.clone();
        let body = spec.body.clone();
        let mut stats = WinStats {
            pages: 0,
            throttled: false,
        };
        loop {
            let page_no = stats.pages as u32 + 1;
            let mut attempts: Vec<Exchange> = Vec::new();
            let req = Request {
                url: &url,
                audience: source.audience(),
                json_body: body.as_deref(),
                headers: &headers,
            };
            let result = self.http.send(&req, &accept_for(api), &mut attempts);
            let mut rec = record(&name, kind, Some(window), &spec, page_no, attempts);
            rec.url = url.clone();
            let reply = match result {
                Ok(r) => r,
                Err(e) => {
                    rec.outcome = format!("failed: {e}");
                    self.pending_requests.push(rec);
                    return Err(request_error(e));
                }
            };
            stats.throttled |= reply.throttled;
            if !(200..300).contains(&reply.status) {
                let d = classify(reply.status, &reply.body);
                rec.outcome = format!("{}: {}", d.status.as_str(), d.message);
                self.pending_requests.push(rec);
                return Err(WinError::Denied(d));
            }
            let page = match api {
                Api::Arm | Api::Graph => parse_list(&reply.body).map_err(WinError::Failed)?,
                Api::LogAnalytics => {
                    let q = parse_query(&reply.body).map_err(WinError::Failed)?;
                    if let Some(why) =
                        loganalytics::incomplete(&q, reply.body.len(), self.opts.la_max_rows)
                    {
                        rec.outcome = format!("split: {why}");
                        rec.records = q.records.len() as u64;
                        self.pending_requests.push(rec);
                        return Err(WinError::TooLarge(why));
                    }
                    Page {
                        records: q.records,
                        next_link: None,
                    }
                }
            };
            let rel = format!("{dir}/page-{page_no:06}.json.gz");
            let file = self.store.write_raw_page(&rel, &reply.body)?;
            self.pending_files.push(file);
            let new = self.append_new(&name, &family, key_kind, &page.records)?;
            rec.records = page.records.len() as u64;
            rec.new_events = new;
            rec.file = Some(rel);
            rec.outcome = "ok".into();
            self.pending_requests.push(rec);
            self.pending_counts.0 += page.records.len() as u64;
            self.pending_counts.1 += new;
            stats.pages += 1;
            self.pages_this_run += 1;
            if self
                .opts
                .stop_after_pages
                .is_some_and(|n| self.pages_this_run >= n)
            {
                return Err(WinError::Fatal(CollectError::Interrupted {
                    pages: self.pages_this_run,
                }));
            }
            match page.next_link {
                None => return Ok(stats),
                Some(next) if origin(&next).is_some() && origin(&next) == first_origin => {
                    url = next;
                }
                Some(next) => {
                    return Err(WinError::Failed(format!(
                        "a nextLink points to another origin than the first request ({}); not followed",
                        origin(&next).unwrap_or_else(|| "not a URL".into())
                    )));
                }
            }
        }
    }

    /// Writes the records not seen before in their family; returns how many.
    fn append_new(
        &mut self,
        target: &str,
        family: &str,
        key_kind: crate::page::KeyKind,
        records: &[String],
    ) -> Result<u64, CollectError> {
        let file = crate::run::events_file(&mut self.events, &self.store, &self.cp, target)?;
        let seen = self.seen.entry(family.to_string()).or_default();
        let mut new = 0;
        for line in records {
            if seen.insert(dedup_key(key_kind, line)) {
                file.append(line)?;
                new += 1;
            }
        }
        Ok(new)
    }
}

fn record(
    target: &str,
    kind: RequestKind,
    window: Option<Window>,
    spec: &Spec,
    page: u32,
    attempts: Vec<Exchange>,
) -> RequestRecord {
    let last = attempts.last();
    RequestRecord {
        target: target.to_string(),
        kind,
        window,
        url: spec.url.clone(),
        filter: spec.filter.clone(),
        query: spec.query.clone(),
        page,
        status: last.and_then(|a| a.status),
        request_id: last.and_then(|a| a.request_id.clone()),
        records: 0,
        new_events: 0,
        file: None,
        outcome: String::new(),
        attempts,
    }
}
