//! Tokeniser.
//!
//! KQL has a few lexical quirks handled here so the parser sees clean tokens: hyphenated
//! operator names (`project-away`, `mv-expand`), negated word operators glued to `!` (`!has`,
//! `!in~`), `in~`, verbatim strings (`@"..."`), obfuscated strings (`h"..."`), timespan
//! literals (`1d`, `100ms`), and the raw bodies of `datetime(...)`/`time(...)` literals, which
//! are not ordinary tokens (`datetime(2026-11-12T09:00:00Z)`).

use crate::error::{ErrorKind, KqlError, Result};
use crate::value::timespan_unit;

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Identifier or keyword (also `!has`, `in~`, `project-away`, `$left`).
    Ident(String),
    /// String literal (already unescaped).
    Str(String),
    /// Integer literal.
    Int(i64),
    /// Real literal.
    Real(f64),
    /// Timespan literal, nanoseconds.
    TimeSpan(i64),
    /// Raw text inside `datetime(...)` / `time(...)` / `timespan(...)`.
    Raw(String),
    /// Punctuation.
    Punct(&'static str),
    /// End of input.
    Eof,
}

/// A token with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Kind and payload.
    pub tok: Tok,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
}

const HYPHENATED: &[&str] = &[
    "project-away",
    "project-rename",
    "project-reorder",
    "project-keep",
    "mv-expand",
    "mv-apply",
    "make-series",
    "top-nested",
    "top-hitters",
    "parse-where",
    "parse-kv",
];

const NEGATABLE: &[&str] = &[
    "has",
    "has_cs",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "in",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "between",
    "has_any",
    "has_all",
    "matches",
];

const PUNCTS: &[&str] = &[
    "..", "==", "!=", "<>", "<=", ">=", "=~", "!~", "=>", "|", "(", ")", "[", "]", "{", "}", ",",
    ";", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%", "!", "?",
];

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Splits `src` into tokens (ending with `Eof`).
pub fn lex(src: &str) -> Result<Vec<Token>> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out: Vec<Token> = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        // Raw datetime/timespan literal body.
        if c == b'('
            && matches!(out.last(), Some(Token { tok: Tok::Ident(w), .. }) if w == "datetime" || w == "time" || w == "timespan")
        {
            let close = src[i..].find(')').map(|k| i + k).ok_or_else(|| {
                KqlError::new(ErrorKind::Lex, i, "expected ')' to close the literal")
            })?;
            out.push(Token {
                tok: Tok::Punct("("),
                start: i,
                end: i + 1,
            });
            out.push(Token {
                tok: Tok::Raw(src[i + 1..close].trim().to_string()),
                start: i + 1,
                end: close,
            });
            out.push(Token {
                tok: Tok::Punct(")"),
                start: close,
                end: close + 1,
            });
            i = close + 1;
            continue;
        }
        // Strings.
        if c == b'"' || c == b'\'' {
            let (s, end) = lex_string(src, i)?;
            out.push(Token {
                tok: Tok::Str(s),
                start,
                end,
            });
            i = end;
            continue;
        }
        if (c == b'@' || c == b'h' || c == b'H') && matches!(b.get(i + 1), Some(b'"') | Some(b'\''))
        {
            let (s, end) = if c == b'@' {
                lex_verbatim(src, i + 1)?
            } else {
                lex_string(src, i + 1)?
            };
            out.push(Token {
                tok: Tok::Str(s),
                start,
                end,
            });
            i = end;
            continue;
        }
        if c == b'h'
            && b.get(i + 1) == Some(&b'@')
            && matches!(b.get(i + 2), Some(b'"') | Some(b'\''))
        {
            let (s, end) = lex_verbatim(src, i + 2)?;
            out.push(Token {
                tok: Tok::Str(s),
                start,
                end,
            });
            i = end;
            continue;
        }
        if src[i..].starts_with("```") {
            let body = i + 3;
            let close = src[body..].find("```").map(|k| body + k).ok_or_else(|| {
                KqlError::new(ErrorKind::Lex, i, "unterminated multi-line string literal")
            })?;
            out.push(Token {
                tok: Tok::Str(src[body..close].to_string()),
                start,
                end: close + 3,
            });
            i = close + 3;
            continue;
        }
        // Numbers.
        if c.is_ascii_digit() {
            let (tok, end) = lex_number(src, i)?;
            out.push(Token { tok, start, end });
            i = end;
            continue;
        }
        // Identifiers.
        if is_ident_start(c)
            || (c == b'!' && b.get(i + 1).is_some_and(|&d| d.is_ascii_alphabetic()))
        {
            let neg = c == b'!';
            let mut j = if neg { i + 1 } else { i };
            if let Some(h) = HYPHENATED.iter().find(|h| {
                src[j..].starts_with(**h)
                    && !src
                        .as_bytes()
                        .get(j + h.len())
                        .is_some_and(|&d| is_ident_char(d))
            }) {
                j += h.len();
            } else {
                j += 1;
                while j < b.len() && is_ident_char(b[j]) {
                    j += 1;
                }
            }
            let mut word = src[if neg { i + 1 } else { i }..j].to_string();
            if word == "in" && b.get(j) == Some(&b'~') {
                word.push('~');
                j += 1;
            }
            if neg {
                let base = word.trim_end_matches('~');
                if !NEGATABLE.contains(&base) {
                    out.push(Token {
                        tok: Tok::Punct("!"),
                        start,
                        end: start + 1,
                    });
                    i += 1;
                    continue;
                }
                word.insert(0, '!');
            }
            out.push(Token {
                tok: Tok::Ident(word),
                start,
                end: j,
            });
            i = j;
            continue;
        }
        if let Some(p) = PUNCTS.iter().find(|p| src[i..].starts_with(**p)) {
            out.push(Token {
                tok: Tok::Punct(p),
                start,
                end: i + p.len(),
            });
            i += p.len();
            continue;
        }
        let ch = src[i..].chars().next().unwrap_or('?');
        return Err(KqlError::new(
            ErrorKind::Lex,
            i,
            format!("unexpected character '{ch}'"),
        ));
    }
    out.push(Token {
        tok: Tok::Eof,
        start: src.len(),
        end: src.len(),
    });
    Ok(out)
}

fn unterminated(start: usize) -> KqlError {
    KqlError::new(ErrorKind::Lex, start, "unterminated string literal")
}

fn lex_string(src: &str, start: usize) -> Result<(String, usize)> {
    let b = src.as_bytes();
    let q = b[start];
    let mut i = start + 1;
    let mut s = String::new();
    loop {
        let Some(ch) = src[i..].chars().next() else {
            return Err(unterminated(start));
        };
        if ch as u32 == u32::from(q) {
            return Ok((s, i + 1));
        }
        if ch == '\n' {
            return Err(unterminated(start));
        }
        if ch == '\\' {
            let Some(e) = src[i + 1..].chars().next() else {
                return Err(unterminated(start));
            };
            match e {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                '0' => s.push('\0'),
                other => s.push(other),
            }
            i += 1 + e.len_utf8();
            continue;
        }
        s.push(ch);
        i += ch.len_utf8();
    }
}

fn lex_verbatim(src: &str, start: usize) -> Result<(String, usize)> {
    let b = src.as_bytes();
    let q = b[start];
    let mut i = start + 1;
    let mut s = String::new();
    loop {
        let Some(ch) = src[i..].chars().next() else {
            return Err(unterminated(start));
        };
        if ch as u32 == u32::from(q) {
            if b.get(i + 1) == Some(&q) {
                s.push(ch);
                i += 2;
                continue;
            }
            return Ok((s, i + 1));
        }
        s.push(ch);
        i += ch.len_utf8();
    }
}

fn lex_number(src: &str, start: usize) -> Result<(Tok, usize)> {
    let b = src.as_bytes();
    let mut i = start;
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x') | Some(b'X')) {
        let mut j = i + 2;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            j += 1;
        }
        let v = i64::from_str_radix(&src[i + 2..j], 16)
            .map_err(|_| KqlError::new(ErrorKind::Lex, start, "invalid hexadecimal literal"))?;
        return Ok((Tok::Int(v), j));
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut real = false;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
        real = true;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+') | Some(b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(|d| d.is_ascii_digit()) {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            real = true;
            i = j;
        }
    }
    let num = &src[start..i];
    // Unit suffix?
    let mut j = i;
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    if j > i
        && !b.get(j).is_some_and(|&d| is_ident_char(d))
        && let Some(mult) = timespan_unit(&src[i..j])
    {
        {
            let v: f64 = num
                .parse()
                .map_err(|_| KqlError::new(ErrorKind::Lex, start, "invalid number"))?;
            let ns = v * mult as f64;
            if !ns.is_finite() || ns.abs() > 9.2e18 {
                return Err(KqlError::new(
                    ErrorKind::Lex,
                    start,
                    "timespan literal out of range",
                ));
            }
            return Ok((Tok::TimeSpan(ns as i64), j));
        }
    }
    if real {
        let v: f64 = num
            .parse()
            .map_err(|_| KqlError::new(ErrorKind::Lex, start, "invalid number"))?;
        Ok((Tok::Real(v), i))
    } else {
        match num.parse::<i64>() {
            Ok(v) => Ok((Tok::Int(v), i)),
            Err(_) => num
                .parse::<f64>()
                .map(|v| (Tok::Real(v), i))
                .map_err(|_| KqlError::new(ErrorKind::Lex, start, "invalid number")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        lex(s)
            .map(|v| v.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn quirks() {
        assert_eq!(
            kinds("T | project-away x | where a !has 'b' and c in~ (1)"),
            vec![
                Tok::Ident("T".into()),
                Tok::Punct("|"),
                Tok::Ident("project-away".into()),
                Tok::Ident("x".into()),
                Tok::Punct("|"),
                Tok::Ident("where".into()),
                Tok::Ident("a".into()),
                Tok::Ident("!has".into()),
                Tok::Str("b".into()),
                Tok::Ident("and".into()),
                Tok::Ident("c".into()),
                Tok::Ident("in~".into()),
                Tok::Punct("("),
                Tok::Int(1),
                Tok::Punct(")"),
                Tok::Eof
            ]
        );
        assert_eq!(
            kinds("1d 100ms 1.5h")[..3],
            [
                Tok::TimeSpan(86_400_000_000_000),
                Tok::TimeSpan(100_000_000),
                Tok::TimeSpan(5_400_000_000_000)
            ]
        );
        assert_eq!(
            kinds("datetime(2026-11-12T09:00:00Z)")[2],
            Tok::Raw("2026-11-12T09:00:00Z".into())
        );
        assert_eq!(kinds(r#"@"c:\x""y""#)[0], Tok::Str(r#"c:\x"y"#.into()));
        assert_eq!(kinds("a - b")[1], Tok::Punct("-"));
        assert_eq!(kinds("!isempty(x)")[0], Tok::Punct("!"));
    }

    #[test]
    fn errors_have_offsets() {
        let e = lex("T | where x == \"abc").err();
        assert_eq!(e.map(|e| e.offset), Some(15));
        let e = lex("T # x").err();
        assert_eq!(e.map(|e| e.offset), Some(2));
    }
}
