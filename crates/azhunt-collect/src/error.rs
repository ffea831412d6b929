//! Typed errors of a collection.
//!
//! Two levels, because a collection is many independent scopes: a [`CollectError`] stops the
//! whole run (bad configuration, the output directory cannot be written, no token at all), while
//! a failure of one scope is recorded in that scope's outcome and the run goes on with the next
//! (see `crate::plan::ScopeStatus`). Messages never contain a token: URLs are logged without
//! credentials and bodies of token endpoints are never quoted.

use std::path::PathBuf;

/// An error that ends a collection (or a verification).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The options do not describe a collection that can run.
    #[error("{0}")]
    Config(String),
    /// Reading or writing the output directory failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A file azhunt wrote earlier (checkpoint, manifest) cannot be read back.
    #[error("{} is not a valid {what}: {detail}", path.display())]
    Corrupt {
        /// Which control file.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// Why it does not parse.
        detail: String,
    },
    /// No token could be had for an audience.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// A run stopped on purpose before finishing (the test hook `stop_after_pages`).
    #[error(
        "collection interrupted after {pages} pages (nothing finalized; run again with --resume)"
    )]
    Interrupted {
        /// Pages fetched before the stop.
        pages: u64,
    },
    /// Building the HTTP client or its runtime failed.
    #[error("HTTP client: {0}")]
    Client(String),
}

impl CollectError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CollectError::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

/// Getting a token failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The selected method has nothing to work with (variable unset, file missing).
    #[error("{method}: {detail}")]
    Unavailable {
        /// The auth method.
        method: &'static str,
        /// What is missing.
        detail: String,
    },
    /// The credential was asked and refused or failed.
    #[error("{method}: {detail}")]
    Failed {
        /// The auth method.
        method: &'static str,
        /// The credential's message (redacted).
        detail: String,
    },
    /// The service rejected the token and the method cannot get a new one.
    #[error("{method}: the {audience} token was rejected (401) and cannot be refreshed{hint}")]
    CannotRefresh {
        /// The auth method.
        method: &'static str,
        /// The audience.
        audience: &'static str,
        /// What the user can do.
        hint: &'static str,
    },
}

/// Removes anything that looks like a credential from a message before it is shown or stored:
/// `Authorization` header values, `client_secret=…`, `access_token…` and JWT-shaped words.
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let hit = [
            "bearer ",
            "client_secret=",
            "client_assertion=",
            "access_token\":\"",
            "access_token=",
        ]
        .iter()
        .filter_map(|k| lower.find(k).map(|i| (i, k.len())))
        .min();
        let Some((i, klen)) = hit else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i + klen]);
        out.push_str("[REDACTED]");
        let after = &rest[i + klen..];
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '\'' | ',' | ';'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    // A bare JWT (three base64url parts, the first starting `eyJ`) anywhere else.
    out.split_inclusive(|c: char| c.is_whitespace() || c == '"')
        .map(|w| {
            let core = w.trim_end_matches(|c: char| c.is_whitespace() || c == '"');
            if core.starts_with("eyJ") && core.matches('.').count() == 2 && core.len() > 20 {
                w.replacen(core, "[REDACTED-JWT]", 1)
            } else {
                w.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_credentials() {
        let m = redact("Authorization: Bearer abc.def.ghi failed; body client_secret=s3cr3t&x=1");
        assert!(!m.contains("abc.def.ghi"), "{m}");
        assert!(!m.contains("s3cr3t"), "{m}");
        assert!(m.contains("x=1"));
        let j = redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl seen");
        assert!(!j.contains("eyJhbGci"), "{j}");
        assert!(j.ends_with(" seen"));
        assert_eq!(redact("plain message"), "plain message");
        let a = redact(r#"{"access_token":"xyz","x":1}"#);
        assert!(!a.contains("xyz"), "{a}");
    }
}
