//! azhunt's normalized event model.
//!
//! Every export shape azhunt reads (REST, diagnostic archives, Log Analytics, Graph, CSV) becomes
//! one [`Event`]: the facts an investigator asks about (when, who, from where, what, on which
//! resource, with what result) under one set of names, next to the untouched original record.
//! Every later stage — timeline, hunt, query, report — reads `Event`s and nothing else, so a field
//! is found the same way everywhere. This crate does no I/O.

pub mod caller;
pub mod event;
pub mod field;
pub mod resource;
pub mod roles;
pub mod swar;
pub mod time;

pub use caller::{Caller, CallerType};
pub use event::{
    Authorization, Event, EventId, IdOrigin, LogKind, RecordFormat, RoleAssignment, Source,
    result_word,
};
pub use field::{Fields, Lookup, get_ci, get_path, get_str, string_of};
pub use resource::{ResourceId, ScopeLevel};
pub use sonic_rs::Value;
