//! Content-based detection of a file's framing.
//!
//! Exports arrive with misleading or no extensions (`PT1H.json` is JSON Lines, Extractor Suite
//! `.json` is one array, a Log Analytics download is CSV), so the decision is made from the first
//! bytes only: JSON that is one complete record on its first line is JSON Lines (the fast,
//! parallel path); other JSON (arrays, pages, `records` wrappers, pretty-printed objects,
//! concatenated values) goes to the streaming scanner; text whose first line looks like a
//! comma-separated header is CSV. Anything else is reported as unrecognized with the reason.

use crate::framing::container::is_container;
use sonic_rs::Value;

/// How a file's records are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One JSON record per line.
    JsonLines,
    /// Any other JSON: arrays, `{"value":[…]}` / `{"records":[…]}` / `{"tables":[…]}` wrappers,
    /// pretty-printed or concatenated values.
    Json,
    Csv,
}

impl Framing {
    pub fn as_str(self) -> &'static str {
        match self {
            Framing::JsonLines => "jsonl",
            Framing::Json => "json",
            Framing::Csv => "csv",
        }
    }
}

/// Decides the framing from the head of a file (BOM already removed).
pub fn sniff(head: &[u8]) -> Result<Framing, String> {
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err("empty file".into());
    };
    let body = &head[start..];
    match body[0] {
        b'[' => Ok(Framing::Json),
        b'{' => {
            let line_end = memchr::memchr(b'\n', body);
            let Some(end) = line_end else {
                return Ok(Framing::Json);
            };
            match sonic_rs::from_slice::<Value>(trim_cr(&body[..end])) {
                Ok(v) if !is_container(&v) => Ok(Framing::JsonLines),
                _ => Ok(Framing::Json),
            }
        }
        _ => {
            let first = first_line(body);
            let first = if first.starts_with(b"#TYPE") {
                first_line(&body[first.len().saturating_add(1).min(body.len())..])
            } else {
                first
            };
            if looks_like_csv_header(first) {
                Ok(Framing::Csv)
            } else {
                Err(format!(
                    "not JSON or CSV (starts with {:?})",
                    String::from_utf8_lossy(&first[..first.len().min(40)])
                ))
            }
        }
    }
}

fn first_line(body: &[u8]) -> &[u8] {
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    trim_cr(&body[..end])
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A CSV header: at least two comma-separated fields, printable text, no JSON or markup start.
fn looks_like_csv_header(line: &[u8]) -> bool {
    if line.is_empty() || matches!(line[0], b'<' | b'#') {
        return false;
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    text.contains(',') && !text.chars().any(|c| c.is_control() && c != '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_framing() {
        assert_eq!(
            sniff(b"{\"time\":1}\n{\"time\":2}\n"),
            Ok(Framing::JsonLines)
        );
        assert_eq!(sniff(b"  [\n {}]"), Ok(Framing::Json));
        assert_eq!(sniff(b"{\n  \"value\": []\n}"), Ok(Framing::Json));
        assert_eq!(sniff(b"{\"value\":[{\"a\":1}]}\n"), Ok(Framing::Json));
        assert_eq!(sniff(b"{\"records\":[]}"), Ok(Framing::Json));
        assert_eq!(sniff(b"a,b,c\r\n1,2,3\r\n"), Ok(Framing::Csv));
        assert_eq!(
            sniff(
                b"#TYPE Microsoft.Azure.Commands.Insights.OutputClasses.PSEventData\n\"A\",\"B\"\n"
            ),
            Ok(Framing::Csv)
        );
        assert!(sniff(b"").is_err());
        assert!(sniff(b"# Title\nhello").is_err());
        assert!(sniff(b"<html>").is_err());
        assert!(sniff(b"hello world").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = sniff(&bytes);
        }
    }
}
