//! Built-in string functions. Null arguments are treated as the empty string, as KQL's string
//! type has no null. Positions and lengths count characters, not bytes.

use std::sync::Arc;

use super::Ctx;
use super::funcs::{arity, convert};
use crate::error::{ErrorKind, KqlError, Result};
use crate::value::{Type, Value};

fn s(a: &[Value], i: usize) -> String {
    a.get(i).map(Value::to_kql_string).unwrap_or_default()
}

fn int(a: &[Value], i: usize) -> Option<i64> {
    match a.get(i) {
        Some(Value::Int(x)) => Some(*x),
        Some(Value::Real(r)) => Some(*r as i64),
        _ => None,
    }
}

/// Rewrites `\1` group references to the regex crate's `${1}`.
fn rewrite(r: &str) -> String {
    let mut out = String::new();
    let mut it = r.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' && it.peek().is_some_and(char::is_ascii_digit) {
            let mut d = String::new();
            while let Some(x) = it.peek().copied().filter(char::is_ascii_digit) {
                d.push(x);
                it.next();
            }
            out.push_str(&format!("${{{d}}}"));
        } else if c == '$' {
            out.push_str("$$");
        } else {
            out.push(c);
        }
    }
    out
}

/// Returns `Ok(None)` when `name` is not a string function.
pub(crate) fn call(ctx: &Ctx, name: &str, a: &[Value], off: usize) -> Result<Option<Value>> {
    let ar = |min, max| arity(name, a, min, max, off);
    let v = match name {
        "strlen" => {
            ar(1, 1)?;
            Value::Int(s(a, 0).chars().count() as i64)
        }
        "tolower" => {
            ar(1, 1)?;
            Value::from(s(a, 0).to_lowercase())
        }
        "toupper" => {
            ar(1, 1)?;
            Value::from(s(a, 0).to_uppercase())
        }
        "reverse" => {
            ar(1, 1)?;
            Value::from(s(a, 0).chars().rev().collect::<String>())
        }
        "substring" => {
            ar(2, 3)?;
            let chars: Vec<char> = s(a, 0).chars().collect();
            let n = chars.len() as i64;
            let start = int(a, 1).unwrap_or(0).clamp(0, n);
            let len = int(a, 2).unwrap_or(n).max(0);
            let end = start.saturating_add(len).min(n);
            Value::from(
                chars[start as usize..end as usize]
                    .iter()
                    .collect::<String>(),
            )
        }
        "strcat" => Value::from(a.iter().map(Value::to_kql_string).collect::<String>()),
        "strcat_delim" => {
            let d = s(a, 0);
            Value::from(
                a.iter()
                    .skip(1)
                    .map(Value::to_kql_string)
                    .collect::<Vec<_>>()
                    .join(&d),
            )
        }
        "strcat_array" => {
            ar(2, 2)?;
            match &a[0] {
                Value::Array(x) => Value::from(
                    x.iter()
                        .map(Value::to_kql_string)
                        .collect::<Vec<_>>()
                        .join(&s(a, 1)),
                ),
                _ => Value::str(""),
            }
        }
        "split" => {
            ar(2, 3)?;
            let text = s(a, 0);
            let delim = s(a, 1);
            let parts: Vec<Value> = if delim.is_empty() {
                vec![Value::from(text.clone())]
            } else {
                text.split(delim.as_str()).map(Value::from).collect()
            };
            match int(a, 2) {
                Some(i) => Value::Array(Arc::new(
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| parts.get(i).cloned())
                        .into_iter()
                        .collect(),
                )),
                None => Value::Array(Arc::new(parts)),
            }
        }
        "replace_string" => {
            ar(3, 3)?;
            let (text, lookup) = (s(a, 0), s(a, 1));
            if lookup.is_empty() {
                Value::from(text)
            } else {
                Value::from(text.replace(&lookup, &s(a, 2)))
            }
        }
        "replace_regex" | "replace" => {
            ar(3, 3)?;
            let (text, re, rw) = if name == "replace" {
                (s(a, 2), s(a, 0), s(a, 1))
            } else {
                (s(a, 0), s(a, 1), s(a, 2))
            };
            let re = ctx.regex(&re, off)?;
            Value::from(re.replace_all(&text, rewrite(&rw).as_str()).into_owned())
        }
        "trim" | "trim_start" | "trim_end" => {
            ar(2, 2)?;
            let re = s(a, 0);
            let mut text = s(a, 1);
            if name != "trim_end" {
                let r = ctx.regex(&format!("^(?:{re})+"), off)?;
                text = r.replace(&text, "").into_owned();
            }
            if name != "trim_start" {
                let r = ctx.regex(&format!("(?:{re})+$"), off)?;
                text = r.replace(&text, "").into_owned();
            }
            Value::from(text)
        }
        "extract" => {
            ar(3, 4)?;
            let re = ctx.regex(&s(a, 0), off)?;
            let g = usize::try_from(int(a, 1).unwrap_or(0)).unwrap_or(0);
            let text = s(a, 2);
            let m = re
                .captures(&text)
                .and_then(|c| c.get(g))
                .map(|m| m.as_str().to_string());
            match (m, a.get(3)) {
                (Some(m), Some(t)) => convert(&Value::from(m), type_from(t)),
                (Some(m), None) => Value::from(m),
                (None, Some(_)) => Value::Null,
                (None, None) => Value::str(""),
            }
        }
        "extract_all" => {
            ar(2, 3)?;
            let re = ctx.regex(&s(a, 0), off)?;
            let text = s(a, a.len() - 1);
            let groups: Option<Vec<usize>> = if a.len() == 3 {
                match &a[1] {
                    Value::Array(x) => Some(
                        x.iter()
                            .filter_map(|v| int(std::slice::from_ref(v), 0))
                            .map(|g| g.max(0) as usize)
                            .collect(),
                    ),
                    _ => None,
                }
            } else {
                None
            };
            let mut out = Vec::new();
            for c in re.captures_iter(&text) {
                let get = |g: usize| c.get(g).map_or(Value::str(""), |m| Value::str(m.as_str()));
                let item = match &groups {
                    Some(gs) => Value::Array(Arc::new(gs.iter().map(|g| get(*g)).collect())),
                    None if c.len() <= 1 => get(0),
                    None if c.len() == 2 => get(1),
                    None => Value::Array(Arc::new((1..c.len()).map(get).collect())),
                };
                out.push(item);
            }
            if out.is_empty() {
                Value::Null
            } else {
                Value::Array(Arc::new(out))
            }
        }
        "countof" => {
            ar(2, 3)?;
            let (text, what) = (s(a, 0), s(a, 1));
            if s(a, 2) == "regex" {
                Value::Int(ctx.regex(&what, off)?.find_iter(&text).count() as i64)
            } else if what.is_empty() {
                Value::Int(0)
            } else {
                Value::Int(text.matches(what.as_str()).count() as i64)
            }
        }
        "indexof" => {
            ar(2, 5)?;
            let text: Vec<char> = s(a, 0).chars().collect();
            let what: Vec<char> = s(a, 1).chars().collect();
            let start = int(a, 2).unwrap_or(0).max(0) as usize;
            let occurrence = int(a, 4).unwrap_or(1).max(1);
            let limit = int(a, 3).filter(|l| *l >= 0).map_or(text.len(), |l| {
                start
                    .saturating_add(l as usize)
                    .saturating_add(what.len())
                    .min(text.len())
            });
            let mut found = 0;
            let mut res = -1i64;
            let mut i = start;
            while i + what.len() <= limit {
                if text[i..i + what.len()] == what[..] {
                    found += 1;
                    if found == occurrence {
                        res = i as i64;
                        break;
                    }
                }
                i += 1;
            }
            Value::Int(res)
        }
        "base64_decode_tostring" => {
            ar(1, 1)?;
            match base64_decode(&s(a, 0)) {
                Some(b) => Value::from(String::from_utf8_lossy(&b).into_owned()),
                None => Value::str(""),
            }
        }
        "url_decode" => {
            ar(1, 1)?;
            Value::from(url_decode(&s(a, 0)))
        }
        "typeof" => {
            return Err(KqlError::new(
                ErrorKind::Eval,
                off,
                "typeof() is only valid in 'to typeof(...)'",
            ));
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn type_from(v: &Value) -> Type {
    Type::parse(&v.to_kql_string()).unwrap_or(Type::String)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
