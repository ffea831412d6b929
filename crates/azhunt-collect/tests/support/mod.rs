//! Test support shared by the azhunt-collect tests and the `azhunt collect` CLI tests (which
//! include this directory with `#[path]`): the Azure endpoint emulator and its data.

pub mod data;
pub mod emulator;
