//! Per-file accounting: proof that no record was dropped.
//!
//! Every record a reader meets ends up in exactly one bucket — normalized, duplicate or rejected —
//! so the totals reconcile for each file and overall. Files that are not logs at all are listed
//! as unrecognized with the reason, never guessed into events.

use azhunt_model::{LogKind, RecordFormat};
use std::sync::Arc;

/// What happened to a file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// Read to the end.
    Read,
    /// Not a log export azhunt knows; the reason says why.
    Unrecognized(String),
    /// Reading stopped early (I/O error, corrupt archive); records before the error count.
    Failed(String),
}

/// Counts for one input file (an archive member counts as a file).
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub path: Arc<str>,
    /// How the file was framed: `jsonl`, `json`, `csv`.
    pub framing: &'static str,
    /// Record shapes met, e.g. `activity/rest`, `entra_signin/graph`, with counts.
    pub kinds: Vec<(String, u64)>,
    pub read: u64,
    pub normalized: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub status: FileStatus,
}

impl FileSummary {
    pub fn new(path: Arc<str>, framing: &'static str) -> FileSummary {
        FileSummary {
            path,
            framing,
            kinds: Vec::new(),
            read: 0,
            normalized: 0,
            duplicates: 0,
            rejected: 0,
            status: FileStatus::Read,
        }
    }

    /// `read = normalized + duplicates + rejected`.
    pub fn reconciles(&self) -> bool {
        self.read == self.normalized + self.duplicates + self.rejected
    }

    /// Adds counts per record kind (kept by the consumer as enum pairs, named here once).
    pub(crate) fn add_kinds(&mut self, counts: &[((LogKind, RecordFormat), u64)]) {
        for ((log, format), n) in counts {
            let name = format!("{}/{}", log.as_str(), format.as_str());
            match self.kinds.iter_mut().find(|(k, _)| *k == name) {
                Some((_, total)) => *total += n,
                None => self.kinds.push((name, *n)),
            }
        }
    }
}

/// One rejected record, with where it was and why.
#[derive(Debug, Clone)]
pub struct Reject {
    pub path: Arc<str>,
    /// 1-based record number within the file (for JSON Lines: the line number).
    pub record: u64,
    /// 1-based line the record starts on, when known.
    pub line: Option<u64>,
    pub reason: String,
    /// The record's text (lossily decoded, cut to [`Reject::MAX_TEXT`] bytes).
    pub text: String,
}

impl Reject {
    pub const MAX_TEXT: usize = 64 * 1024;

    pub fn new(
        path: Arc<str>,
        record: u64,
        line: Option<u64>,
        reason: impl Into<String>,
        bytes: &[u8],
    ) -> Reject {
        let cut = &bytes[..bytes.len().min(Self::MAX_TEXT)];
        Reject {
            path,
            record,
            line,
            reason: reason.into(),
            text: String::from_utf8_lossy(cut).into_owned(),
        }
    }

    /// `file:line` (or `file: record N`) for messages.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{}", self.path, l),
            None => format!("{}: record {}", self.path, self.record),
        }
    }
}

/// Totals over all inputs, plus each file.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: Vec<FileSummary>,
}

impl Summary {
    pub fn total(&self, f: impl Fn(&FileSummary) -> u64) -> u64 {
        self.files.iter().map(f).sum()
    }
    pub fn read(&self) -> u64 {
        self.total(|f| f.read)
    }
    pub fn normalized(&self) -> u64 {
        self.total(|f| f.normalized)
    }
    pub fn duplicates(&self) -> u64 {
        self.total(|f| f.duplicates)
    }
    pub fn rejected(&self) -> u64 {
        self.total(|f| f.rejected)
    }
    pub fn reconciles(&self) -> bool {
        self.files.iter().all(FileSummary::reconciles)
    }
}
