//! Sigma string values: parsing wildcards/escapes/placeholders into parts, applying the
//! transformation modifiers (windash, base64, base64offset, utf16*, expand), and lowering the
//! result to the cheapest string pattern (exact/prefix/suffix/contains before any regex).
//!
//! Values are kept as byte parts until the end because encodings such as `wide` produce bytes
//! that only become text again after a following `base64`.

use crate::matcher::{StrKind, StrPattern};
use crate::text;
use std::collections::HashMap;

/// Upper bound on how many values one rule value may expand into (windash, expand).
const MAX_VARIANTS: usize = 4096;
/// Compiled-regex size limit for wildcard patterns and `re` values.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    Lit(Vec<u8>),
    /// `*`
    Many,
    /// `?`
    One,
    /// `%name%` under `expand`.
    Placeholder(String),
}

/// A parsed Sigma string: literal bytes and wildcards.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct SigmaStr(pub(crate) Vec<Part>);

impl SigmaStr {
    /// Parses wildcards and escapes per the specification; `%name%` is a placeholder only when
    /// `expand` is set (then `\%` is a plain percent sign).
    pub(crate) fn parse(s: &str, expand: bool) -> SigmaStr {
        let mut parts = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        let flush = |lit: &mut Vec<u8>, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit)));
            }
        };
        let mut chars = s.chars().peekable();
        let mut buf = [0u8; 4];
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&n) if n == '*' || n == '?' || n == '\\' || (expand && n == '%') => {
                        lit.extend_from_slice(n.encode_utf8(&mut buf).as_bytes());
                        chars.next();
                    }
                    _ => lit.push(b'\\'),
                },
                '*' => {
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Many);
                }
                '?' => {
                    flush(&mut lit, &mut parts);
                    parts.push(Part::One);
                }
                '%' if expand => {
                    let rest: String = chars.clone().collect();
                    if let Some(end) = rest.find('%') {
                        flush(&mut lit, &mut parts);
                        parts.push(Part::Placeholder(rest[..end].to_string()));
                        for _ in rest[..=end].chars() {
                            chars.next();
                        }
                    } else {
                        lit.push(b'%');
                    }
                }
                _ => lit.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            }
        }
        flush(&mut lit, &mut parts);
        SigmaStr(parts)
    }

    /// A literal string with no wildcard interpretation.
    pub(crate) fn literal(s: &str) -> SigmaStr {
        if s.is_empty() {
            SigmaStr(Vec::new())
        } else {
            SigmaStr(vec![Part::Lit(s.as_bytes().to_vec())])
        }
    }

    fn plain_bytes(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for p in &self.0 {
            match p {
                Part::Lit(b) => out.extend_from_slice(b),
                _ => return None,
            }
        }
        Some(out)
    }

    pub(crate) fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Part::Placeholder(n) => Some(n.as_str()),
            _ => None,
        })
    }
}

/// A transformation modifier, applied in the order written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transform {
    Windash,
    Base64,
    Base64Offset,
    Utf16Le,
    Utf16Be,
    Utf16Bom,
}

const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

fn windash(v: &SigmaStr) -> Result<Vec<SigmaStr>, String> {
    let mut out = vec![SigmaStr::default()];
    for p in &v.0 {
        match p {
            Part::Lit(bytes) => {
                let s = std::str::from_utf8(bytes)
                    .map_err(|_| "windash needs text, not encoded bytes".to_string())?;
                // Split the literal at dash characters; each dash expands into every variant.
                let mut pieces: Vec<Vec<String>> = Vec::new();
                let mut cur = String::new();
                for c in s.chars() {
                    if DASHES.contains(&c) {
                        pieces.push(vec![std::mem::take(&mut cur)]);
                        pieces.push(DASHES.iter().map(|d| d.to_string()).collect());
                    } else {
                        cur.push(c);
                    }
                }
                pieces.push(vec![cur]);
                for choices in pieces {
                    let mut next = Vec::with_capacity(out.len() * choices.len());
                    for prefix in &out {
                        for ch in &choices {
                            let mut s = prefix.clone();
                            if !ch.is_empty() {
                                push_lit(&mut s, ch.as_bytes());
                            }
                            next.push(s);
                        }
                    }
                    if next.len() > MAX_VARIANTS {
                        return Err(format!("expands into more than {MAX_VARIANTS} variants"));
                    }
                    out = next;
                }
            }
            other => {
                for s in &mut out {
                    s.0.push(other.clone());
                }
            }
        }
    }
    Ok(out)
}

fn push_lit(s: &mut SigmaStr, bytes: &[u8]) {
    if let Some(Part::Lit(last)) = s.0.last_mut() {
        last.extend_from_slice(bytes);
    } else {
        s.0.push(Part::Lit(bytes.to_vec()));
    }
}

fn encode_parts(v: &SigmaStr, f: fn(&str) -> Vec<u8>, bom: bool) -> Result<SigmaStr, String> {
    let mut out = SigmaStr::default();
    if bom {
        out.0.push(Part::Lit(vec![0xFF, 0xFE]));
    }
    for p in &v.0 {
        match p {
            Part::Lit(b) => {
                let s = std::str::from_utf8(b)
                    .map_err(|_| "value is already encoded bytes".to_string())?;
                push_lit(&mut out, &f(s));
            }
            other => out.0.push(other.clone()),
        }
    }
    Ok(out)
}

/// Applies one transformation to every value.
pub(crate) fn apply(t: Transform, values: Vec<SigmaStr>) -> Result<Vec<SigmaStr>, String> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        match t {
            Transform::Windash => out.extend(windash(&v)?),
            Transform::Base64 | Transform::Base64Offset => {
                let bytes = v
                    .plain_bytes()
                    .ok_or("cannot be applied to a value with wildcards or placeholders")?;
                if t == Transform::Base64 {
                    out.push(SigmaStr::literal(&text::base64(&bytes)));
                } else {
                    out.extend(
                        text::base64_offsets(&bytes)
                            .iter()
                            .map(|s| SigmaStr::literal(s)),
                    );
                }
            }
            Transform::Utf16Le => out.push(encode_parts(&v, text::utf16le, false)?),
            Transform::Utf16Be => out.push(encode_parts(&v, text::utf16be, false)?),
            Transform::Utf16Bom => out.push(encode_parts(&v, text::utf16le, true)?),
        }
        if out.len() > MAX_VARIANTS {
            return Err(format!("expands into more than {MAX_VARIANTS} values"));
        }
    }
    Ok(out)
}

/// Replaces placeholders by their values (each value parsed as a Sigma string with wildcards);
/// `wildcard` replaces unknown placeholders with `*`; otherwise the first unknown name is returned.
pub(crate) fn expand(
    values: Vec<SigmaStr>,
    map: &HashMap<String, Vec<String>>,
    wildcard: bool,
) -> Result<Vec<SigmaStr>, ExpandError> {
    let mut out = Vec::new();
    for v in values {
        let mut acc = vec![SigmaStr::default()];
        for p in v.0 {
            let choices: Vec<SigmaStr> = match p {
                Part::Placeholder(name) => match map.get(&name) {
                    Some(vals) => vals.iter().map(|s| SigmaStr::parse(s, false)).collect(),
                    None if wildcard => vec![SigmaStr(vec![Part::Many])],
                    None => return Err(ExpandError::Unknown(name)),
                },
                other => vec![SigmaStr(vec![other])],
            };
            let mut next = Vec::with_capacity(acc.len() * choices.len());
            for a in &acc {
                for c in &choices {
                    let mut s = a.clone();
                    for part in &c.0 {
                        match part {
                            Part::Lit(b) => push_lit(&mut s, b),
                            o => s.0.push(o.clone()),
                        }
                    }
                    next.push(s);
                }
            }
            if next.len() > MAX_VARIANTS {
                return Err(ExpandError::TooMany);
            }
            acc = next;
        }
        out.extend(acc);
    }
    Ok(out)
}

#[derive(Debug)]
pub(crate) enum ExpandError {
    Unknown(String),
    TooMany,
}

/// Where the value must appear in the field's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Whole,
    Start,
    End,
    Anywhere,
}

/// Lowers a (transformed) Sigma string to a pattern: plain comparisons whenever the wildcards
/// allow, a regex otherwise. Case-insensitive patterns are folded here, once.
pub(crate) fn to_pattern(v: &SigmaStr, anchor: Anchor, cased: bool) -> Result<StrPattern, String> {
    let mut parts: Vec<Part> = Vec::with_capacity(v.0.len() + 2);
    if matches!(anchor, Anchor::End | Anchor::Anywhere) {
        parts.push(Part::Many);
    }
    parts.extend(v.0.iter().cloned());
    if matches!(anchor, Anchor::Start | Anchor::Anywhere) {
        parts.push(Part::Many);
    }
    // Text parts, adjacent `*` merged.
    let mut toks: Vec<Tok> = Vec::with_capacity(parts.len());
    for p in parts {
        let t = match p {
            Part::Lit(b) => {
                let s = String::from_utf8(b).map_err(|_| {
                    "value is not valid text after encoding (add base64/base64offset after utf16 modifiers)".to_string()
                })?;
                Tok::Lit(if cased { s } else { text::fold(&s) })
            }
            Part::Many => Tok::Many,
            Part::One => Tok::One,
            Part::Placeholder(n) => return Err(format!("placeholder '%{n}%' left unexpanded")),
        };
        match (toks.last_mut(), t) {
            (Some(Tok::Many), Tok::Many) => {}
            (Some(Tok::Lit(a)), Tok::Lit(b)) => a.push_str(&b),
            (_, t) => toks.push(t),
        }
    }
    let kind = match toks.as_slice() {
        [] => StrKind::Exact(String::new()),
        [Tok::Many] => StrKind::Any,
        [Tok::Lit(s)] => StrKind::Exact(s.clone()),
        [Tok::Lit(s), Tok::Many] => StrKind::Prefix(s.clone()),
        [Tok::Many, Tok::Lit(s)] => StrKind::Suffix(s.clone()),
        [Tok::Many, Tok::Lit(s), Tok::Many] => StrKind::contains(s),
        _ => {
            let mut re = String::from("(?s)^");
            for t in &toks {
                match t {
                    Tok::Lit(s) => re.push_str(&regex::escape(s)),
                    Tok::Many => re.push_str(".*"),
                    Tok::One => re.push('.'),
                }
            }
            re.push('$');
            let r = regex::RegexBuilder::new(&re)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| e.to_string())?;
            StrKind::Regex(r)
        }
    };
    Ok(StrPattern { kind, cased })
}

#[derive(Debug)]
enum Tok {
    Lit(String),
    Many,
    One,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Part {
        Part::Lit(s.as_bytes().to_vec())
    }

    #[test]
    fn escapes_follow_the_spec() {
        assert_eq!(SigmaStr::parse(r"a\*b", false).0, vec![lit("a*b")]);
        assert_eq!(
            SigmaStr::parse(r"a\\*", false).0,
            vec![lit(r"a\"), Part::Many]
        );
        assert_eq!(SigmaStr::parse(r"a\\\*", false).0, vec![lit(r"a\*")]);
        assert_eq!(
            SigmaStr::parse(r"C:\Windows\x", false).0,
            vec![lit(r"C:\Windows\x")]
        );
        assert_eq!(SigmaStr::parse(r"\\\\", false).0, vec![lit(r"\\")]);
        assert_eq!(
            SigmaStr::parse("a?c", false).0,
            vec![lit("a"), Part::One, lit("c")]
        );
    }

    #[test]
    fn placeholders_only_under_expand() {
        assert_eq!(SigmaStr::parse("%x%", false).0, vec![lit("%x%")]);
        assert_eq!(
            SigmaStr::parse("%x%", true).0,
            vec![Part::Placeholder("x".into())]
        );
        assert_eq!(
            SigmaStr::parse(r"\%plain%name%", true).0,
            vec![lit("%plain"), Part::Placeholder("name".into())]
        );
    }

    #[test]
    fn windash_permutes_every_dash() {
        let v =
            apply(Transform::Windash, vec![SigmaStr::parse("-a -b", false)]).unwrap_or_default();
        assert_eq!(v.len(), 25);
        assert!(v.contains(&SigmaStr::literal("/a \u{2014}b")));
    }

    #[test]
    fn base64_rejects_wildcards() {
        assert!(apply(Transform::Base64, vec![SigmaStr::parse("a*", false)]).is_err());
    }

    #[test]
    fn simple_wildcards_avoid_regex() {
        let p =
            |s: &str| to_pattern(&SigmaStr::parse(s, false), Anchor::Whole, false).map(|p| p.kind);
        assert!(matches!(p("abc*"), Ok(StrKind::Prefix(s)) if s == "abc"));
        assert!(matches!(p("*abc"), Ok(StrKind::Suffix(_))));
        assert!(matches!(p("*AbC*"), Ok(StrKind::Contains(s, _)) if s == "abc"));
        assert!(matches!(p("**"), Ok(StrKind::Any)));
        assert!(matches!(p("a*b"), Ok(StrKind::Regex(_))));
    }
}
