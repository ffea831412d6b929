//! azhunt-sigma: a compiled Sigma rule engine.
//!
//! Why this crate exists: azhunt hunts over Azure control-plane records, and the community writes
//! detections for those records as Sigma rules. This crate loads Sigma YAML (rules, multi-document
//! files, `action: global`, correlation rules), validates every part at load time (modifiers,
//! conditions, regexes, placeholders) and compiles it into matchers that evaluate against any
//! document type without allocating.
//!
//! The engine knows nothing about Azure events: the caller supplies a [`FieldResolver`] that turns
//! Sigma field names into opaque [`FieldKey`]s at compile time, and documents implementing
//! [`Document`] at evaluation time. [`JsonDocument`]/[`JsonResolver`] are a reference
//! implementation over `sonic_rs::Value` used by the tests and usable for plain JSON records.
//!
//! Flow: [`load_dir`]/[`load_file`]/[`load_str`] → [`Loaded`] (rules, correlations, per-file
//! errors) → [`RuleSet::new`] (route masks, primary-field index, correlation references resolved)
//! → [`RuleSet::matches`] per document, and [`Correlator::observe`] for streaming correlations.

mod condition;
mod correlation;
mod correlator;
mod detection;
#[cfg(test)]
mod engine_tests;
mod error;
mod json;
mod keywords;
mod loader;
mod matcher;
mod prefilter;
mod rule;
mod ruleset;
#[cfg(test)]
mod testutil;
mod text;
mod value;

pub use correlation::{CorrelationRule, CorrelationType, CountCondition};
pub use correlator::{CorrelationMatch, Correlator, MAX_EVENT_HANDLES};
pub use error::{ErrorKind, LoadError};
pub use json::{JsonDocument, JsonResolver};
pub use loader::{LoadOptions, Loaded, PlaceholderPolicy, load_dir, load_file, load_str};
pub use matcher::Scratch;
pub use rule::{Level, LogSource, Related, Rule, RuleMeta};
pub use ruleset::RuleSet;
pub use text::fold_into as fold_text;

/// Opaque compiled handle for a field name, issued by the resolver at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldKey(pub u32);

/// Turns Sigma field names into [`FieldKey`]s while rules are compiled.
///
/// The same name must always resolve to the same key; a resolver may map several names (e.g.
/// case variants or aliases) to one key.
pub trait FieldResolver {
    fn resolve(&mut self, sigma_field_name: &str) -> FieldKey;
}

/// A scalar value seen at a field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

/// A record that compiled rules are evaluated against.
pub trait Document {
    /// Calls `f` for every scalar value at `key` (arrays are flattened: a field with several values
    /// matches if any value matches; an object value may be passed as its JSON text via `Str`).
    /// Stops early when `f` returns true and returns whether it did.
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool;
    /// Whether the field is present at all (a present JSON `null` counts as present).
    fn has(&self, key: FieldKey) -> bool;
    /// For keyword (field-less) search: calls `f` for every string value of the record; stops
    /// early when `f` returns true and returns whether it did.
    fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool;
    /// Event time as unix milliseconds (used by correlations).
    fn time_ms(&self) -> i64;
    /// The JSON text the record's strings were parsed from, when the document has it: then the
    /// strings [`Document::any_text`] offers are those of [`Document::extra_text`] followed by
    /// every string value (not key) of this text. Keyword searches may then scan the text once
    /// instead of visiting every value.
    fn raw_json(&self) -> Option<&[u8]> {
        None
    }
    /// The strings `any_text` offers besides those of [`Document::raw_json`] (e.g. a
    /// normalized operation name); same early stop as `any_text`.
    fn extra_text(&self, _f: &mut dyn FnMut(&str) -> bool) -> bool {
        false
    }
}
