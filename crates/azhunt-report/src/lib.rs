//! azhunt's outputs.
//!
//! * [`timeline`] renders normalized events as rows — JSON Lines (Timesketch-compatible), CSV
//!   that spreadsheets cannot execute, and an aligned table for terminals;
//! * [`sort`] puts rows in time order with a fixed memory budget, spilling sorted runs to
//!   temporary files and merging them, so evidence of any size can be ordered;
//! * [`cells`] holds the text-safety rules every output shares;
//! * [`detections`] renders `hunt` results (table grouped by level, JSONL, JSON, CSV) and their
//!   summary by level and ATT&CK tactic;
//! * [`query`] renders KQL results (table, JSON Lines, JSON, CSV);
//! * [`navigator`] turns a hunt's techniques into an ATT&CK Navigator layer;
//! * [`report_data`] is everything `azhunt report` shows, as one serializable value;
//! * [`html`] draws it as one self-contained HTML page (no network access when opened);
//! * [`profiles`] and [`coverage_text`] print `whois`, `summary` and `coverage`;
//! * [`files`] prints the per-file accounting that proves nothing was dropped.

pub mod cells;
pub mod coverage_text;
mod detection_json;
pub mod detections;
pub mod files;
pub mod html;
pub mod in_order;
pub mod navigator;
pub mod profiles;
pub mod query;
pub mod report_data;
pub mod sort;
pub mod timeline;

/// Errors while writing output.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing output: {0}")]
    Io(#[from] std::io::Error),
}
