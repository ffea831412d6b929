//! Reading Azure log exports into normalized events.
//!
//! An investigator's evidence folder mixes every export shape Azure and its tools produce. This
//! crate turns any of them into a stream of [`azhunt_model::Event`]s:
//!
//! * [`source`] walks inputs (files, directories, `.gz`, `.zip`, `-` for stdin) and removes byte
//!   order marks / transcodes UTF-16;
//! * [`sniff`] decides a file's framing from its content (JSON Lines, structured JSON, CSV) — the
//!   file name is never consulted;
//! * [`framing`] splits each framing into records without loading whole files;
//! * [`classify`] recognizes which log and schema a record is, and [`normalize`] maps it onto the
//!   event model;
//! * [`pipeline`] runs parsing and normalization on all cores, keeps the input order, removes
//!   duplicates and counts every record, so that for each file
//!   `read = normalized + duplicates + rejected` holds.

pub mod classify;
pub mod dedup;
pub mod framing;
pub mod normalize;
pub mod pipeline;
pub mod sniff;
pub mod source;
pub mod summary;

pub use classify::Family;
pub use pipeline::{ReadOptions, Sink, read_events, thread_count};
pub use summary::{FileStatus, FileSummary, Reject, Summary};

/// Errors that stop reading altogether. Problems with one file or record never do: they are
/// reported in the [`Summary`] and the rest is read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("no such file or directory: {0}")]
    NotFound(String),
    #[error("reading was stopped: {0}")]
    Stopped(String),
}
