//! `azhunt-gen`: a seeded generator of large, realistic Azure log corpora (Activity Log in
//! REST, diagnostic, array and paged shapes; Graph sign-ins) and a parse-only baseline pass.
//!
//! It exists so azhunt's ingestion and timeline code can be benchmarked and tested on
//! gigabyte-scale inputs that look like real exports without shipping any real tenant data.
//! The library half is what the binary and the tests drive.

pub mod activity;
pub mod catalog;
pub mod generate;
pub mod jsonw;
pub mod parse_only;
pub mod population;
pub mod rng;
pub mod signin;
pub mod timefmt;

pub use generate::{GenOptions, GenStats, Shape, generate};
