//! azhunt's detections over normalized events.
//!
//! * [`fields`] and [`document`] adapt [`azhunt_model::Event`] to the Sigma engine
//!   (`azhunt-sigma`): one alias table maps SigmaHQ's mixed field vocabularies onto the
//!   normalized event, so a rule hits the same fact whatever export shape the event came in;
//! * [`routing`] maps Sigma `logsource` onto azhunt's log kinds;
//! * [`pack`] embeds the built-in, ATT&CK-mapped rule pack;
//! * [`stateful`] holds the detectors that need several events (impossible travel, first-seen
//!   IP, deletion bursts);
//! * [`hunter`] ties them together: rules are evaluated on worker threads, the ordered
//!   consumer turns hits into [`Detection`]s and finishes correlations and stateful state.

pub mod detection;
pub mod document;
pub mod fields;
pub mod hunter;
pub mod pack;
pub mod routing;
pub mod stateful;

pub use azhunt_sigma::Level;
pub use detection::{Detection, DetectionView, EventRef, RuleRef, SourceRef};
pub use hunter::{History, Hit, HuntOptions, Hunter, LoadReport, RuleInfo, Session};
