//! What to collect: sources, their target names, and how each turns into requests.
//!
//! A *source* is one log at one scope (the Activity Log of a subscription, the sign-ins of one
//! kind, one query on one workspace). Each has a stable *target name* used for its raw-page
//! directory, its events file and its checkpoint entry, and a *de-duplication family*: the
//! three Activity Log scopes share one family (a management group's log repeats its
//! subscriptions' ARM events, research §4.9), so every Activity Log event is written once
//! across all scopes.

use crate::activity::{self, Scope};
use crate::cloud::{Audience, Cloud};
use crate::graph::{self, Log, SignInKind};
use crate::loganalytics;
use crate::page::KeyKind;
use crate::store::{safe_component, sha256_hex};
use crate::window::Window;
use jiff::Timestamp;

/// One log at one scope.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Source {
    /// Activity Log of a subscription.
    ActivitySubscription {
        /// Subscription id.
        subscription: String,
    },
    /// Activity Log of a management group.
    ActivityManagementGroup {
        /// Management group id (name).
        management_group: String,
    },
    /// Tenant-level Activity Log (Directory Activity).
    ActivityTenant,
    /// A KQL query on a Log Analytics workspace.
    LogAnalytics {
        /// Workspace (customer) id.
        workspace: String,
        /// The KQL query, sent unchanged.
        query: String,
    },
    /// Entra directory audit log.
    EntraAudit,
    /// Entra sign-ins of one kind.
    EntraSignIns {
        /// Which kind.
        kind: SignInKind,
    },
}

/// Which response shape a source's API has.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Api {
    /// ARM list pages (`value`, `nextLink`).
    Arm,
    /// Graph list pages (`value`, `@odata.nextLink`).
    Graph,
    /// Log Analytics query results.
    LogAnalytics,
}

/// The first request of a window (or a probe).
#[derive(Clone, Debug)]
pub struct Spec {
    /// URL of the first (or only) page.
    pub url: String,
    /// JSON body: Log Analytics only.
    pub body: Option<Vec<u8>>,
    /// Extra headers.
    pub headers: Vec<(&'static str, &'static str)>,
    /// The `$filter`, decoded, for the manifest.
    pub filter: Option<String>,
    /// The KQL query and `timespan`, for the manifest.
    pub query: Option<String>,
}

impl Source {
    /// The stable target name: `activity-subscription-<id>`, `entra-signins-non-interactive`, …
    pub fn target_name(&self) -> String {
        match self {
            Source::ActivitySubscription { subscription } => {
                format!("activity-subscription-{}", safe_component(subscription))
            }
            Source::ActivityManagementGroup { management_group } => {
                format!(
                    "activity-managementgroup-{}",
                    safe_component(management_group)
                )
            }
            Source::ActivityTenant => "activity-tenant".into(),
            Source::LogAnalytics { workspace, query } => format!(
                "loganalytics-{}-{}",
                safe_component(workspace),
                &sha256_hex(query.as_bytes())[..12]
            ),
            Source::EntraAudit => "entra-audit".into(),
            Source::EntraSignIns { kind } => format!("entra-signins-{}", kind.as_str()),
        }
    }

    /// The de-duplication family: records with equal keys in one family are one record.
    pub fn family(&self) -> String {
        match self {
            Source::ActivitySubscription { .. }
            | Source::ActivityManagementGroup { .. }
            | Source::ActivityTenant => "activity".into(),
            Source::LogAnalytics { .. } => self.target_name(),
            Source::EntraAudit => "entra-audit".into(),
            Source::EntraSignIns { .. } => "entra-signins".into(),
        }
    }

    /// How records are keyed.
    pub fn key_kind(&self) -> KeyKind {
        match self.api() {
            Api::Arm => KeyKind::Activity,
            Api::Graph => KeyKind::Graph,
            Api::LogAnalytics => KeyKind::Row,
        }
    }

    /// The API's response shape.
    pub fn api(&self) -> Api {
        match self {
            Source::ActivitySubscription { .. }
            | Source::ActivityManagementGroup { .. }
            | Source::ActivityTenant => Api::Arm,
            Source::LogAnalytics { .. } => Api::LogAnalytics,
            Source::EntraAudit | Source::EntraSignIns { .. } => Api::Graph,
        }
    }

    /// Which token it needs.
    pub fn audience(&self) -> Audience {
        match self.api() {
            Api::Arm => Audience::Arm,
            Api::Graph => Audience::Graph,
            Api::LogAnalytics => Audience::LogAnalytics,
        }
    }

    /// Whether it is an Entra log (for retention warnings).
    pub fn is_entra(&self) -> bool {
        self.api() == Api::Graph
    }

    fn scope(&self) -> Option<Scope<'_>> {
        match self {
            Source::ActivitySubscription { subscription } => {
                Some(Scope::Subscription(subscription))
            }
            Source::ActivityManagementGroup { management_group } => {
                Some(Scope::ManagementGroup(management_group))
            }
            Source::ActivityTenant => Some(Scope::Tenant),
            _ => None,
        }
    }

    fn log(&self) -> Option<Log> {
        match self {
            Source::EntraAudit => Some(Log::Audit),
            Source::EntraSignIns { kind } => Some(Log::SignIns(*kind)),
            _ => None,
        }
    }

    /// The first request of a window.
    pub fn spec(&self, cloud: &Cloud, window: &Window, resource_provider: Option<&str>) -> Spec {
        if let Some(scope) = self.scope() {
            let f = activity::filter(window, resource_provider);
            return Spec {
                url: activity::url(&cloud.arm, &scope, &f),
                body: None,
                headers: Vec::new(),
                filter: Some(f),
                query: None,
            };
        }
        if let Some(log) = self.log() {
            let f = graph::filter(log, window);
            return Spec {
                url: graph::url(&cloud.graph, log, &f, None),
                body: None,
                headers: vec![("prefer", graph::PREFER)],
                filter: Some(f),
                query: None,
            };
        }
        let (workspace, query) = match self {
            Source::LogAnalytics { workspace, query } => (workspace.as_str(), query.as_str()),
            _ => ("", ""),
        };
        Spec {
            url: loganalytics::url(&cloud.loganalytics, workspace),
            body: Some(loganalytics::body(query, window)),
            headers: vec![("prefer", loganalytics::PREFER)],
            filter: None,
            query: Some(format!(
                "{query} [timespan {}]",
                loganalytics::timespan(window)
            )),
        }
    }

    /// The probe request (see `probe.rs`); `until` places the one-minute probe windows.
    pub fn probe(&self, cloud: &Cloud, until: Timestamp) -> Spec {
        let minute = Window {
            start: until
                .checked_sub(jiff::SignedDuration::from_mins(1))
                .unwrap_or(until),
            end: until,
        };
        if let Some(url) = self
            .scope()
            .and_then(|s| activity::probe_url(&cloud.arm, &s))
        {
            return Spec {
                url,
                body: None,
                headers: Vec::new(),
                filter: None,
                query: None,
            };
        }
        if let Some(log) = self.log() {
            let f = graph::filter(log, &minute);
            return Spec {
                url: graph::url(&cloud.graph, log, &f, Some(1)),
                body: None,
                headers: vec![("prefer", graph::PREFER)],
                filter: Some(f),
                query: None,
            };
        }
        match self {
            Source::LogAnalytics { workspace, .. } => Spec {
                url: loganalytics::url(&cloud.loganalytics, workspace),
                body: Some(loganalytics::probe_body()),
                headers: Vec::new(),
                filter: None,
                query: Some("print azhunt_probe = 1".into()),
            },
            // The tenant log has no readable object: probe one minute of it.
            _ => self.spec(cloud, &minute, None),
        }
    }
}

/// The whole collection: range, window size and sources.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// Start of the range (included).
    pub since: Timestamp,
    /// End of the range (excluded).
    pub until: Timestamp,
    /// Configured window length, seconds.
    pub window_secs: i64,
    /// Smallest window the sizer may shrink to, seconds.
    pub min_window_secs: i64,
    /// Server-side `resourceProvider eq` filter of the Activity Log.
    pub resource_provider: Option<String>,
    /// Whether to add every subscription `GET /subscriptions` lists.
    pub all_subscriptions: bool,
    /// The sources, in collection order (listed subscriptions are added when listed).
    pub sources: Vec<Source>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::CloudName;

    #[test]
    fn names_families_and_specs() {
        let cloud = Cloud::named(CloudName::Public);
        let sub = Source::ActivitySubscription {
            subscription: "0000-1".into(),
        };
        let mg = Source::ActivityManagementGroup {
            management_group: "Root Group".into(),
        };
        assert_eq!(sub.target_name(), "activity-subscription-0000-1");
        assert_eq!(mg.target_name(), "activity-managementgroup-Root_Group");
        assert_eq!(sub.family(), mg.family());
        let la = Source::LogAnalytics {
            workspace: "ws".into(),
            query: "AzureActivity".into(),
        };
        assert!(la.target_name().starts_with("loganalytics-ws-"));
        assert_ne!(la.family(), sub.family());
        let w = Window {
            start: "2026-01-01T00:00:00Z".parse().unwrap(),
            end: "2026-01-02T00:00:00Z".parse().unwrap(),
        };
        let s = sub.spec(&cloud, &w, Some("Microsoft.Compute"));
        assert!(
            s.filter
                .unwrap()
                .contains("resourceProvider eq 'Microsoft.Compute'")
        );
        let ni = Source::EntraSignIns {
            kind: SignInKind::NonInteractive,
        };
        let g = ni.spec(&cloud, &w, None);
        assert!(g.url.contains("/beta/"));
        assert_eq!(g.headers, vec![("prefer", "include-unknown-enum-members")]);
        let p = sub.probe(&cloud, w.end);
        assert!(
            p.url
                .ends_with("/subscriptions/0000-1?api-version=2022-12-01")
        );
        let tp = Source::ActivityTenant.probe(&cloud, w.end);
        assert!(tp.url.contains("eventtypes/management/values"));
        assert!(la.probe(&cloud, w.end).body.is_some());
        assert!(
            Source::EntraAudit
                .probe(&cloud, w.end)
                .url
                .ends_with("&$top=1")
        );
    }
}
