//! `manifest.json`: the evidence record of a collection, and `verify`, which re-checks it.
//!
//! The manifest is the last file written, atomically, so its presence means the run finished
//! (`complete` says whether every scope was collected). It names the tool and version, the
//! UTC start and end of every run, the cloud endpoints, the tenant, the principal (object id,
//! app id — never a token), the range and window, every scope's outcome, every request with all
//! its attempts (URL, filter, status, `x-ms-request-id`, records, new events, raw page file) and
//! the SHA-256 and size of every file in the directory except itself. `verify` recomputes the
//! hashes and reports every missing, changed and extra file; the manifest's own SHA-256 is
//! printed at the end of `collect` so it can be written into a chain-of-custody record.

use crate::auth::Principal;
use crate::checkpoint::{RequestRecord, Run};
use crate::cloud::Cloud;
use crate::error::CollectError;
use crate::plan::Source;
use crate::probe::ScopeStatus;
use crate::store::{FileRecord, MANIFEST, hash_file, walk};
use std::collections::BTreeMap;
use std::path::Path;

/// Version of the manifest format.
pub const FORMAT: u32 = 1;

/// The outcome of one scope.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScopeReport {
    /// Target name.
    pub target: String,
    /// The source.
    pub source: Source,
    /// complete, empty, forbidden, unlicensed or failed.
    pub status: ScopeStatus,
    /// Every window before this instant was collected.
    pub collected_until: String,
    /// Records received (duplicates included).
    pub records: u64,
    /// Records written to the events file.
    pub events: u64,
    /// Pages received.
    pub pages: u64,
    /// The events file, when one was written.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub events_file: Option<String>,
    /// Why it is not complete, or the caveat of an empty scope.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

/// The manifest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// `azhunt`.
    pub tool: String,
    /// azhunt version that wrote this manifest.
    pub tool_version: String,
    /// Format version.
    pub format: u32,
    /// UTC start of the first run.
    pub started: String,
    /// UTC end of the last run.
    pub finished: String,
    /// Every run (one, or more after `--resume`).
    pub runs: Vec<Run>,
    /// Whether every scope is complete or empty.
    pub complete: bool,
    /// Endpoints and scopes.
    pub cloud: Cloud,
    /// Tenant id (from the token, else `AZURE_TENANT_ID`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant: Option<String>,
    /// Who collected.
    pub principal: Principal,
    /// Start of the range (UTC, included).
    pub since: String,
    /// End of the range (UTC, excluded).
    pub until: String,
    /// Configured window length, seconds.
    pub window_seconds: i64,
    /// Activity Log `resourceProvider` filter.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource_provider: Option<String>,
    /// Per-scope outcome.
    pub scopes: Vec<ScopeReport>,
    /// Warnings (retention, empty-scope caveats, …).
    pub warnings: Vec<String>,
    /// Every request.
    pub requests: Vec<RequestRecord>,
    /// Every file but the manifest, sorted by path.
    pub files: Vec<FileRecord>,
}

impl Manifest {
    /// Reads `DIR/manifest.json`.
    pub fn load(dir: &Path) -> Result<Manifest, CollectError> {
        let path = dir.join(MANIFEST);
        let bytes = std::fs::read(&path).map_err(|e| CollectError::io("reading", &path, e))?;
        let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| CollectError::Corrupt {
            what: "manifest",
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if m.tool != "azhunt" {
            return Err(CollectError::Corrupt {
                what: "manifest",
                path,
                detail: format!("written by {:?}, not azhunt", m.tool),
            });
        }
        Ok(m)
    }
}

/// A file whose hash or size differs from the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    /// Relative path.
    pub path: String,
    /// SHA-256 in the manifest.
    pub expected: String,
    /// SHA-256 now.
    pub actual: String,
}

/// What `verify` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Files listed and found unchanged.
    pub ok: usize,
    /// Listed but absent.
    pub missing: Vec<String>,
    /// Listed, present, different.
    pub changed: Vec<Changed>,
    /// Present, not listed.
    pub extra: Vec<String>,
    /// Whether the manifest says the collection was complete.
    pub collection_complete: bool,
}

impl VerifyReport {
    /// No difference at all.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }
}

/// Re-checks every file of a collection directory against its manifest.
pub fn verify(dir: &Path) -> Result<VerifyReport, CollectError> {
    let m = Manifest::load(dir)?;
    let listed: BTreeMap<&str, &FileRecord> =
        m.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut report = VerifyReport {
        collection_complete: m.complete,
        ..VerifyReport::default()
    };
    for (rel, rec) in &listed {
        let p = dir.join(rel);
        match hash_file(&p) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => report.ok += 1,
            Ok((sha, _)) => report.changed.push(Changed {
                path: (*rel).to_string(),
                expected: rec.sha256.clone(),
                actual: sha,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                report.missing.push((*rel).to_string());
            }
            Err(e) => return Err(CollectError::io("reading", p, e)),
        }
    }
    for rel in walk(dir, dir)? {
        if rel != MANIFEST && !listed.contains_key(rel.as_str()) {
            report.extra.push(rel);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::CloudName;
    use crate::store::Store;

    fn manifest(files: Vec<FileRecord>) -> Manifest {
        Manifest {
            tool: "azhunt".into(),
            tool_version: "0".into(),
            format: FORMAT,
            started: "s".into(),
            finished: "f".into(),
            runs: vec![],
            complete: true,
            cloud: Cloud::named(CloudName::Public),
            tenant: None,
            principal: Principal::default(),
            since: "a".into(),
            until: "b".into(),
            window_seconds: 1,
            resource_provider: None,
            scopes: vec![],
            warnings: vec![],
            requests: vec![],
            files,
        }
    }

    #[test]
    fn verify_reports_missing_changed_and_extra() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.remove_partial_dir().unwrap();
        let a = s.write_atomic("events/a.jsonl", b"{}\n").unwrap();
        let b = s.write_atomic("events/b.jsonl", b"{}\n").unwrap();
        let c = s.write_atomic("raw/c.json.gz", b"x").unwrap();
        let m = manifest(vec![a, b, c]);
        s.write_atomic(MANIFEST, &serde_json::to_vec(&m).unwrap())
            .unwrap();
        s.remove_partial_dir().unwrap();
        let clean = verify(dir.path()).unwrap();
        assert!(clean.is_clean(), "{clean:?}");
        assert_eq!(clean.ok, 3);

        std::fs::write(dir.path().join("events/a.jsonl"), b"{}\n{}\n").unwrap();
        std::fs::remove_file(dir.path().join("events/b.jsonl")).unwrap();
        std::fs::write(dir.path().join("events/new.jsonl"), b"{}\n").unwrap();
        let r = verify(dir.path()).unwrap();
        assert_eq!(r.changed.len(), 1);
        assert_eq!(r.changed[0].path, "events/a.jsonl");
        assert_eq!(r.missing, vec!["events/b.jsonl"]);
        assert_eq!(r.extra, vec!["events/new.jsonl"]);
        assert_eq!(r.ok, 1);
        assert!(!r.is_clean());
    }

    #[test]
    fn verify_rejects_foreign_or_missing_manifests() {
        let dir = tempfile::tempdir().unwrap();
        assert!(verify(dir.path()).is_err());
        let mut m = manifest(vec![]);
        m.tool = "other".into();
        std::fs::write(dir.path().join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
        assert!(matches!(
            verify(dir.path()),
            Err(CollectError::Corrupt { .. })
        ));
    }
}
