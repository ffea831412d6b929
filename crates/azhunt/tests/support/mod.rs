//! What the CLI integration tests share: running the built `azhunt` and reading its JSON Lines.
// Each test binary uses only part of this module.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (where `examples/evidence` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `azhunt ARGS…` in `cwd`.
pub fn azhunt(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_azhunt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Standard output parsed as JSON Lines.
pub fn json_lines(out: &Output) -> Vec<sonic_rs::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| sonic_rs::from_str(l).unwrap())
        .collect()
}
