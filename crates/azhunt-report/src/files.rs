//! The per-file accounting printed after every read, and the `--rejects` file.
//!
//! The table is the investigator's proof that nothing was silently dropped: for each file,
//! records read = normalized + duplicates + rejected, and files that are not logs are named with
//! the reason they were skipped.

use azhunt_ingest::{FileStatus, FileSummary, Reject, Summary};
use serde::Serialize;

/// The accounting table, ready to print.
pub fn summary_table(summary: &Summary) -> String {
    let mut out = String::new();
    let width = summary
        .files
        .iter()
        .map(|f| f.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 90);
    out.push_str(&format!(
        "{:<width$}  {:<6} {:>9} {:>10} {:>10} {:>9}  {}\n",
        "FILE", "FRAME", "READ", "NORMALIZED", "DUPLICATES", "REJECTED", "CONTENT / STATUS"
    ));
    for f in &summary.files {
        out.push_str(&file_line(f, width));
    }
    out.push_str(&format!(
        "{:<width$}  {:<6} {:>9} {:>10} {:>10} {:>9}  {}\n",
        "TOTAL",
        "",
        summary.read(),
        summary.normalized(),
        summary.duplicates(),
        summary.rejected(),
        if summary.reconciles() {
            "reconciled"
        } else {
            "DOES NOT RECONCILE"
        }
    ));
    out
}

fn file_line(f: &FileSummary, width: usize) -> String {
    let path = crate::cells::terminal_text(&f.path, width);
    let status = match &f.status {
        FileStatus::Read => f
            .kinds
            .iter()
            .map(|(k, n)| format!("{k}×{n}"))
            .collect::<Vec<_>>()
            .join(" "),
        FileStatus::Unrecognized(r) => format!("skipped, not a log export: {r}"),
        FileStatus::Failed(r) => format!("FAILED: {r}"),
    };
    let status = crate::cells::terminal_text(&status, 160);
    if matches!(f.status, FileStatus::Unrecognized(_))
        || (f.read == 0 && matches!(f.status, FileStatus::Failed(_)))
    {
        return format!(
            "{path:<width$}  {:<6} {:>9} {:>10} {:>10} {:>9}  {status}\n",
            f.framing, "-", "-", "-", "-"
        );
    }
    format!(
        "{path:<width$}  {:<6} {:>9} {:>10} {:>10} {:>9}  {status}\n",
        f.framing, f.read, f.normalized, f.duplicates, f.rejected
    )
}

#[derive(Serialize)]
struct RejectLine<'a> {
    path: &'a str,
    record: u64,
    line: Option<u64>,
    reason: &'a str,
    text: &'a str,
}

/// One JSON line describing a rejected record (for `--rejects FILE`).
pub fn reject_line(r: &Reject) -> Vec<u8> {
    let mut out = sonic_rs::to_vec(&RejectLine {
        path: &r.path,
        record: r.record,
        line: r.line,
        reason: &r.reason,
        text: &r.text,
    })
    .unwrap_or_default();
    out.push(b'\n');
    out
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    framing: &'a str,
    status: &'a str,
    reason: Option<&'a str>,
    read: u64,
    normalized: u64,
    duplicates: u64,
    rejected: u64,
    kinds: Vec<(&'a str, u64)>,
}

/// The accounting as JSON (for `--summary-json FILE`).
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    let files: Vec<FileJson> = summary
        .files
        .iter()
        .map(|f| {
            let (status, reason) = match &f.status {
                FileStatus::Read => ("read", None),
                FileStatus::Unrecognized(r) => ("unrecognized", Some(r.as_str())),
                FileStatus::Failed(r) => ("failed", Some(r.as_str())),
            };
            FileJson {
                path: &f.path,
                framing: f.framing,
                status,
                reason,
                read: f.read,
                normalized: f.normalized,
                duplicates: f.duplicates,
                rejected: f.rejected,
                kinds: f.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
            }
        })
        .collect();
    let mut out = sonic_rs::to_vec_pretty(&files).unwrap_or_default();
    out.push(b'\n');
    out
}
