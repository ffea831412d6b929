//! Text safety for outputs read by people and their tools.
//!
//! Everything in an event is attacker-controlled: a resource name, a user agent, a caller name.
//! In CSV a cell starting with `=`, `+`, `-`, `@` (or a tab / carriage return that hides one) is
//! a formula to Excel, LibreOffice and Google Sheets, so such cells get a leading `'` — the
//! mitigation OWASP documents for CSV injection — before normal RFC 4180 quoting. Terminal
//! output has control characters replaced so a log line cannot rewrite the screen.

/// Appends one CSV cell: formula-safe, quoted when needed.
pub fn push_csv_cell(out: &mut Vec<u8>, value: &str) {
    let risky = value
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    let needs_quotes = risky
        || value
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || value.starts_with(' ')
        || value.ends_with(' ');
    if !needs_quotes {
        out.extend_from_slice(value.as_bytes());
        return;
    }
    out.push(b'"');
    if risky {
        out.push(b'\'');
    }
    for b in value.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Appends a CSV row (cells joined by commas, CRLF-free `\n` terminator).
pub fn push_csv_row<'a>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'a str>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_csv_cell(out, c);
    }
    out.push(b'\n');
}

/// Text for a terminal: control characters (including ANSI escapes) shown as `?`, cut to
/// `width` characters with `…` when longer.
pub fn terminal_text(value: &str, width: usize) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let n = clean.chars().count();
    if n <= width {
        return clean;
    }
    let mut cut: String = clean.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(v: &str) -> String {
        let mut out = Vec::new();
        push_csv_cell(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formulas_cannot_execute() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("-2+3"), "\"'-2+3\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("\t=1"), "\"'\t=1\"");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn terminal_text_is_inert() {
        assert_eq!(terminal_text("a\u{1b}[31mred", 20), "a?[31mred");
        assert_eq!(terminal_text("abcdef", 4), "abc…");
    }

    proptest::proptest! {
        #[test]
        fn every_cell_is_safe_and_round_trips(v in "\\PC*") {
            let mut out = Vec::new();
            push_csv_cell(&mut out, &v);
            let text = String::from_utf8(out).unwrap();
            let inner = if text.starts_with('"') {
                text[1..text.len() - 1].replace("\"\"", "\"")
            } else {
                text.clone()
            };
            let first = inner.chars().next();
            proptest::prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')));
            let quoted = format!("'{}", v);
            proptest::prop_assert!(inner == v || inner == quoted);
        }
    }
}
