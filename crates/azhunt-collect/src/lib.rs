//! Acquire Azure control-plane and Entra ID logs over the Azure REST APIs into an evidence
//! directory that other azhunt commands read and `verify` can prove unaltered.
//!
//! Why a crate of its own: acquisition is the only part of azhunt that talks to the network,
//! holds credentials and must survive throttling, expiring tokens and crashes over runs of
//! hours; everything else reads files. Keeping it apart keeps the HTTP and identity
//! dependencies out of the readers, and keeps the rules (retries, paging, de-duplication,
//! atomic files) in one place that the emulator tests exercise.
//!
//! Layout (each module says why it is shaped as it is):
//! - [`cloud`]: endpoint table of the public, US Government and China clouds, overrides;
//! - [`auth`]: tokens per audience from `AZHUNT_ACCESS_TOKEN` or `azure_identity`;
//! - [`http`]: the one request function (retries, `Retry-After`, backoff, 401 refresh);
//! - [`activity`], [`graph`], [`loganalytics`]: the three APIs' URLs, filters and limits;
//! - [`page`]: response pages cut into records byte for byte, de-duplication keys;
//! - [`window`]: time windows, the adaptive sizer, retention warnings;
//! - [`probe`]: forbidden / unlicensed / empty told apart;
//! - [`plan`]: sources, target names, de-duplication families;
//! - [`store`], [`checkpoint`], [`manifest`]: the output directory, resume state, evidence
//!   record and its verification;
//! - [`progress`]: terminal progress bars;
//! - `run` / `fetch`: the collection itself.

pub mod activity;
pub mod auth;
pub mod checkpoint;
pub mod cloud;
pub mod error;
mod fetch;
pub mod graph;
pub mod http;
pub mod loganalytics;
pub mod manifest;
pub mod page;
pub mod plan;
pub mod probe;
pub mod progress;
mod run;
pub mod store;
pub mod window;

pub use error::{AuthError, CollectError};
pub use manifest::{VerifyReport, verify};
pub use run::{Options, SharedRuntime, Summary, collect, new_runtime};
