//! Everything `azhunt report` shows, as one serializable value: the HTML renderer
//! ([`crate::html`]) draws it, and `--format json` writes it as is, so the page and the data
//! behind it never disagree.

use azhunt_detect::Detection;
use azhunt_insight::{CoverageReport, IdentityProfile, IpProfile, Series, SigninContext};
use serde::Serialize;
use std::collections::BTreeMap;

/// One input file and its accounting (read = normalized + duplicates + rejected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRow {
    pub path: String,
    /// Record shapes met, e.g. `activity/rest 28`.
    pub kinds: Vec<String>,
    pub read: u64,
    pub normalized: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// `read`, or why the file could not be read.
    pub status: String,
}

/// Events of one log source and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    pub label: String,
    pub scope: String,
    pub events: u64,
    pub first: String,
    pub last: String,
}

/// The report's first section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub events: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub files: Vec<FileRow>,
    pub sources: Vec<SourceRow>,
    /// Tenants, management groups and subscriptions seen.
    pub scopes: Vec<String>,
    pub identities: usize,
    pub ips: usize,
}

/// One detection with its sign-in context and the raw record(s) behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDetection {
    #[serde(flatten)]
    pub detection: Detection,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<SigninContext>,
    /// The original record of the (first) event as JSON text, when kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// The log source of the (first) event, as [`Series::source`] names it (e.g.
    /// `activity_tenant`, `aks_kube_audit`): the activity chart of that source marks the
    /// detection. `None` (e.g. a correlation over events of several sources) marks it on the
    /// all-sources chart only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_source: Option<&'static str>,
}

/// One cell of the ATT&CK tactic × technique matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixCell {
    pub tactic: String,
    pub technique: String,
    pub detections: usize,
    /// The highest level among them.
    pub highest: String,
    /// Titles of the rules that found it (first few).
    pub rules: Vec<String>,
}

/// Detections counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DetectionTotals {
    pub total: usize,
    pub by_level: BTreeMap<String, usize>,
    pub by_tactic: BTreeMap<String, usize>,
    pub matrix: Vec<MatrixCell>,
    /// Detections not listed in full (the report keeps the first `listed` by level and time).
    pub not_listed: usize,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    pub title: String,
    /// RFC 3339 UTC time the report was made.
    pub generated_at: String,
    /// `azhunt <version>`.
    pub tool: String,
    pub overview: Overview,
    pub totals: DetectionTotals,
    /// Most severe first, then by time.
    pub detections: Vec<ReportDetection>,
    /// Hourly events per kind of log source.
    pub activity: Vec<Series>,
    /// Ranked, most suspicious first.
    pub identities: Vec<IdentityProfile>,
    pub ips: Vec<IpProfile>,
    pub coverage: CoverageReport,
}
