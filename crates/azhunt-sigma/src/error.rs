//! Typed load errors: every rejected rule says which file, which YAML document, which rule and
//! exactly why, so a directory load can report each failing file instead of skipping it.

use std::fmt;
use std::path::PathBuf;

/// Why a rule (or a whole file) was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("YAML error{}: {message}", fmt_pos(*line, *column))]
    Yaml {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    #[error("missing required attribute '{0}'")]
    Missing(&'static str),
    #[error("attribute '{attr}' is invalid: {reason}")]
    InvalidAttribute { attr: String, reason: String },
    #[error("unknown modifier '{modifier}' in selection '{selection}' field '{field}'")]
    UnknownModifier {
        modifier: String,
        selection: String,
        field: String,
    },
    #[error("modifier '{modifier}' in selection '{selection}' field '{field}': {reason}")]
    BadModifier {
        modifier: String,
        selection: String,
        field: String,
        reason: String,
    },
    #[error("invalid value in selection '{selection}' field '{field}': {reason}")]
    InvalidValue {
        selection: String,
        field: String,
        reason: String,
    },
    #[error("invalid regular expression in selection '{selection}' field '{field}': {reason}")]
    Regex {
        selection: String,
        field: String,
        reason: String,
    },
    #[error(
        "unknown placeholder '%{name}%' in selection '{selection}' field '{field}' (no value given in the placeholder map)"
    )]
    UnknownPlaceholder {
        name: String,
        selection: String,
        field: String,
    },
    #[error("selection '{selection}' is invalid: {reason}")]
    InvalidSelection { selection: String, reason: String },
    #[error("condition references undefined '{0}'")]
    UndefinedIdentifier(String),
    #[error("condition pattern '{0}' matches no search identifier")]
    EmptyPattern(String),
    #[error("condition syntax error at offset {offset}: {reason} (condition: '{condition}')")]
    ConditionSyntax {
        condition: String,
        offset: usize,
        reason: String,
    },
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("correlation: {0}")]
    Correlation(String),
}

fn fmt_pos(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l} column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

/// A rejected rule or file: where it came from and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file (or the pseudo path given to [`crate::load_str`]).
    pub path: PathBuf,
    /// Index of the YAML document within the file (0-based), when the error concerns one.
    pub document: Option<usize>,
    /// The rule's title (or id) when it was known.
    pub rule: Option<String>,
    pub kind: ErrorKind,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(d) = self.document {
            write!(f, " [document {}]", d + 1)?;
        }
        if let Some(r) = &self.rule {
            write!(f, " rule '{r}'")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}
