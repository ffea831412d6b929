//! The built-in detection pack: Sigma YAML under `crates/azhunt-detect/rules/`, embedded at
//! build time (see `build.rs`) and documented in `docs/RULES.md`.

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The display path of a built-in rule (`builtin:activity/elevate_access.yml`).
pub fn builtin_path(name: &str) -> String {
    format!("builtin:{name}")
}
