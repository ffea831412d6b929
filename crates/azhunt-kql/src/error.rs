//! Query errors with a byte offset, so a caller can point at the exact spot in the query.
//!
//! Every failure — lexing, parsing, name resolution, evaluation — is a [`KqlError`]; the engine
//! never panics on user input. [`KqlError::render`] prints the offending line with a caret.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad token (unterminated string, stray character).
    Lex,
    /// The query does not follow KQL grammar.
    Parse,
    /// A table name that neither the catalog nor a `let` provides.
    UnknownTable,
    /// A column or variable name that is not in scope.
    UnknownColumn,
    /// A function the engine does not know.
    UnknownFunction,
    /// A tabular operator or feature the engine parses but does not run.
    Unsupported,
    /// Wrong argument count or types, bad regex, and other evaluation failures.
    Eval,
}

/// An error at a byte offset of the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct KqlError {
    /// Category.
    pub kind: ErrorKind,
    /// Byte offset into the query text.
    pub offset: usize,
    /// Human-readable message (names the unknown table/column/function).
    pub message: String,
}

impl KqlError {
    /// A new error.
    pub fn new(kind: ErrorKind, offset: usize, message: impl Into<String>) -> KqlError {
        KqlError {
            kind,
            offset,
            message: message.into(),
        }
    }

    /// The line of `query` holding the error, a caret under the position and the message:
    ///
    /// ```text
    /// line 2, column 3: expected '|' or end of query, found 'foo'
    /// | foo
    ///   ^
    /// ```
    pub fn render(&self, query: &str) -> String {
        let off = self.offset.min(query.len());
        let mut off = off;
        while off > 0 && !query.is_char_boundary(off) {
            off -= 1;
        }
        let line_start = query[..off].rfind('\n').map_or(0, |i| i + 1);
        let line_end = query[off..].find('\n').map_or(query.len(), |i| off + i);
        let line_no = query[..line_start].matches('\n').count() + 1;
        let line = query[line_start..line_end].trim_end_matches('\r');
        let col = query[line_start..off].chars().count();
        format!(
            "line {line_no}, column {}: {}\n{line}\n{}^",
            col + 1,
            self.message,
            " ".repeat(col)
        )
    }
}

/// Shorthand result type.
pub type Result<T> = std::result::Result<T, KqlError>;
