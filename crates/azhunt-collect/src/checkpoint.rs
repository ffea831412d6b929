//! The resume state, `checkpoint.json`.
//!
//! Written atomically after every committed window, it holds everything needed to continue
//! after a crash with nothing lost or doubled: the plan (so a resumed run covers exactly the
//! same range and scopes, even if `--until` was relative), each target's cursor (every window
//! before it is committed), the committed length of its work-in-progress events file, every
//! request record and every committed raw page with its hash. A crash between two checkpoints
//! loses only the window in flight: its pages are deleted and its events cut off on resume, and
//! the window is fetched again; de-duplication by id (rebuilt from the committed events) keeps
//! what a retried page repeats from being written twice.

use crate::auth::Principal;
use crate::cloud::Cloud;
use crate::error::CollectError;
use crate::http::Exchange;
use crate::plan::{Plan, Source};
use crate::probe::ScopeStatus;
use crate::store::{CHECKPOINT, FileRecord, Store};
use crate::window::{Sizer, Window};
use jiff::Timestamp;

/// Version of the checkpoint format.
pub const FORMAT: u32 = 1;

/// What kind of request a record is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// The permission probe of a scope.
    Probe,
    /// A page of a window.
    Page,
    /// A page of the newest window, re-queried for late arrivals.
    Requery,
    /// A page of `GET /subscriptions`.
    ListSubscriptions,
}

/// One logical request (a page), with every attempt it took.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequestRecord {
    /// Target name (or `subscriptions`).
    pub target: String,
    /// What it was for.
    pub kind: RequestKind,
    /// The window, when it is a page of one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub window: Option<Window>,
    /// The URL of the final attempt.
    pub url: String,
    /// The `$filter`, decoded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub filter: Option<String>,
    /// The KQL query and timespan (Log Analytics).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub query: Option<String>,
    /// Page number within the window, from 1.
    pub page: u32,
    /// HTTP status of the final attempt.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<u16>,
    /// `x-ms-request-id` of the final attempt.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_id: Option<String>,
    /// Records in the response.
    pub records: u64,
    /// Records written to the events file (not seen before).
    pub new_events: u64,
    /// The raw page file, when stored.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub file: Option<String>,
    /// `ok`, or why the response was not used (`split: …`, `forbidden: …`, `failed: …`).
    pub outcome: String,
    /// Every attempt.
    pub attempts: Vec<Exchange>,
}

/// Progress of one target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TargetState {
    /// Target name.
    pub name: String,
    /// The source.
    pub source: Source,
    /// Where it stands.
    pub status: ScopeStatus,
    /// Every window before this instant is committed.
    pub cursor: Timestamp,
    /// The last committed window (re-queried for late arrivals).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_window: Option<Window>,
    /// Whether the newest window was re-queried.
    pub requeried: bool,
    /// Records received in committed pages (duplicates included).
    pub records: u64,
    /// Records written.
    pub events: u64,
    /// Pages committed.
    pub pages: u64,
    /// Committed bytes of the work-in-progress events file.
    pub events_len: u64,
    /// The window sizer.
    pub sizer: Sizer,
    /// Why the scope is not complete, or the caveat of an empty one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

/// One run of `collect` on the directory (a resumed collection has several).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Run {
    /// UTC start.
    pub started: String,
    /// UTC end, once finished.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub finished: Option<String>,
    /// Auth method of the run.
    pub auth_method: String,
}

/// The checkpoint file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// Format version.
    pub format: u32,
    /// `azhunt`.
    pub tool: String,
    /// Version of the azhunt that started the collection.
    pub tool_version: String,
    /// Endpoints used.
    pub cloud: Cloud,
    /// The principal (from token claims).
    pub principal: Principal,
    /// What to collect.
    pub plan: Plan,
    /// Whether `GET /subscriptions` has been listed (when the plan asks for it).
    pub subscriptions_listed: bool,
    /// Why listing subscriptions failed (the collection is then incomplete).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub subscriptions_error: Option<String>,
    /// Per-target progress, in plan order.
    pub targets: Vec<TargetState>,
    /// Every committed request.
    pub requests: Vec<RequestRecord>,
    /// Every committed raw page.
    pub files: Vec<FileRecord>,
    /// Warnings for the report.
    pub warnings: Vec<String>,
    /// The runs so far.
    pub runs: Vec<Run>,
}

impl Checkpoint {
    /// A fresh checkpoint for a plan.
    pub fn new(plan: Plan, cloud: Cloud) -> Checkpoint {
        let mut c = Checkpoint {
            format: FORMAT,
            tool: "azhunt".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            cloud,
            principal: Principal::default(),
            plan: plan.clone(),
            subscriptions_listed: false,
            subscriptions_error: None,
            targets: Vec::new(),
            requests: Vec::new(),
            files: Vec::new(),
            warnings: Vec::new(),
            runs: Vec::new(),
        };
        for s in plan.sources {
            c.add_target(s);
        }
        c
    }

    /// Adds a target (once per name).
    pub fn add_target(&mut self, source: Source) {
        let name = source.target_name();
        if self.targets.iter().any(|t| t.name == name) {
            return;
        }
        let p = &self.plan;
        self.targets.push(TargetState {
            name,
            source,
            status: ScopeStatus::Pending,
            cursor: p.since,
            last_window: None,
            requeried: false,
            records: 0,
            events: 0,
            pages: 0,
            events_len: 0,
            sizer: Sizer::new(
                jiff::SignedDuration::from_secs(p.window_secs),
                jiff::SignedDuration::from_secs(p.min_window_secs),
            ),
            message: None,
        });
    }

    /// Writes it atomically.
    pub fn save(&self, store: &Store) -> Result<(), CollectError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| CollectError::Corrupt {
            what: "checkpoint",
            path: store.path(CHECKPOINT),
            detail: e.to_string(),
        })?;
        store.write_atomic(CHECKPOINT, &bytes).map(drop)
    }

    /// Reads it back.
    pub fn load(store: &Store) -> Result<Checkpoint, CollectError> {
        let path = store.path(CHECKPOINT);
        let bytes = std::fs::read(&path).map_err(|e| CollectError::io("reading", &path, e))?;
        let c: Checkpoint = serde_json::from_slice(&bytes).map_err(|e| CollectError::Corrupt {
            what: "checkpoint",
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if c.format != FORMAT || c.tool != "azhunt" {
            return Err(CollectError::Corrupt {
                what: "checkpoint",
                path,
                detail: format!(
                    "format {} of {:?} is not one this azhunt reads",
                    c.format, c.tool
                ),
            });
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::CloudName;

    #[test]
    fn roundtrip() {
        let plan = Plan {
            since: "2026-01-01T00:00:00Z".parse().unwrap(),
            until: "2026-01-03T00:00:00Z".parse().unwrap(),
            window_secs: 86_400,
            min_window_secs: 60,
            resource_provider: None,
            all_subscriptions: true,
            sources: vec![
                Source::ActivityTenant,
                Source::EntraAudit,
                Source::ActivityTenant,
            ],
        };
        let mut c = Checkpoint::new(plan, Cloud::named(CloudName::China));
        assert_eq!(c.targets.len(), 2, "duplicate sources are one target");
        c.targets[0].cursor = "2026-01-02T00:00:00Z".parse().unwrap();
        c.targets[0].status = ScopeStatus::Collecting;
        c.requests.push(RequestRecord {
            target: "activity-tenant".into(),
            kind: RequestKind::Page,
            window: None,
            url: "https://x".into(),
            filter: Some("f".into()),
            query: None,
            page: 1,
            status: Some(200),
            request_id: Some("r".into()),
            records: 3,
            new_events: 2,
            file: None,
            outcome: "ok".into(),
            attempts: vec![],
        });
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        c.save(&store).unwrap();
        assert_eq!(Checkpoint::load(&store).unwrap(), c);
        std::fs::write(store.path(CHECKPOINT), b"{\"format\":1").unwrap();
        assert!(matches!(
            Checkpoint::load(&store),
            Err(CollectError::Corrupt { .. })
        ));
    }
}
