//! Compiles one search identifier of a rule's `detection` section: field items with their
//! modifier chains, value lists, keyword lists, `null`/`exists`, and every Sigma modifier.
//!
//! All validation happens here, at load: unknown or conflicting modifiers, values of the wrong
//! type, invalid regexes/CIDRs and unknown placeholders each become a precise [`ErrorKind`].

use crate::error::ErrorKind;
use crate::loader::{LoadOptions, PlaceholderPolicy};
use crate::matcher::{Cidr, FieldItem, FieldTest, NumOp, Search, StrKind, ValueMatcher};
use crate::value::{self, Anchor, ExpandError, REGEX_SIZE_LIMIT, SigmaStr, Transform};
use crate::{FieldKey, FieldResolver};
use aho_corasick::AhoCorasick;
use serde_yaml_ng::Value;

/// Contains-literal count from which one Aho-Corasick automaton replaces the individual scans.
const AC_MIN_PATTERNS: usize = 8;

pub(crate) struct Ctx<'a> {
    pub(crate) resolver: &'a mut dyn FieldResolver,
    pub(crate) opts: &'a LoadOptions,
}

#[derive(Default)]
struct Mods {
    transforms: Vec<Transform>,
    anchor: Option<(Anchor, &'static str)>,
    kind: Option<&'static str>,
    num: Option<NumOp>,
    re_flags: (bool, bool, bool),
    all: bool,
    cased: bool,
    neq: bool,
    expand: bool,
}

fn parse_mods(list: &[&str], sel: &str, field: &str) -> Result<Mods, ErrorKind> {
    let mut m = Mods::default();
    let bad = |modifier: &str, reason: &str| ErrorKind::BadModifier {
        modifier: modifier.to_string(),
        selection: sel.to_string(),
        field: field.to_string(),
        reason: reason.to_string(),
    };
    for &raw in list {
        let name = raw.trim();
        let lower = name.to_ascii_lowercase();
        let set_kind = |m: &mut Mods, k: &'static str| match m.kind {
            Some(prev) => Err(bad(name, &format!("cannot be combined with '{prev}'"))),
            None => {
                m.kind = Some(k);
                Ok(())
            }
        };
        match lower.as_str() {
            "contains" | "startswith" | "endswith" => {
                if let Some((_, prev)) = m.anchor {
                    return Err(bad(name, &format!("cannot be combined with '{prev}'")));
                }
                m.anchor = Some(match lower.as_str() {
                    "contains" => (Anchor::Anywhere, "contains"),
                    "startswith" => (Anchor::Start, "startswith"),
                    _ => (Anchor::End, "endswith"),
                });
            }
            "all" => m.all = true,
            "cased" => m.cased = true,
            "neq" => m.neq = true,
            "expand" => m.expand = true,
            "windash" => m.transforms.push(Transform::Windash),
            "base64" => m.transforms.push(Transform::Base64),
            "base64offset" => m.transforms.push(Transform::Base64Offset),
            "utf16le" | "wide" => m.transforms.push(Transform::Utf16Le),
            "utf16be" => m.transforms.push(Transform::Utf16Be),
            "utf16" => m.transforms.push(Transform::Utf16Bom),
            "re" => set_kind(&mut m, "re")?,
            "cidr" => set_kind(&mut m, "cidr")?,
            "exists" => set_kind(&mut m, "exists")?,
            "fieldref" => set_kind(&mut m, "fieldref")?,
            "lt" | "lte" | "gt" | "gte" => {
                set_kind(&mut m, "numeric comparison")?;
                m.num = Some(match lower.as_str() {
                    "lt" => NumOp::Lt,
                    "lte" => NumOp::Lte,
                    "gt" => NumOp::Gt,
                    _ => NumOp::Gte,
                });
            }
            "i" | "m" | "s" => {
                if m.kind != Some("re") {
                    return Err(bad(name, "regex flags are only valid after 're'"));
                }
                match lower.as_str() {
                    "i" => m.re_flags.0 = true,
                    "m" => m.re_flags.1 = true,
                    _ => m.re_flags.2 = true,
                }
            }
            "minute" | "hour" | "day" | "week" | "month" | "year" => {
                return Err(ErrorKind::Unsupported(format!(
                    "time modifier '{name}' in selection '{sel}' field '{field}'"
                )));
            }
            _ => {
                return Err(ErrorKind::UnknownModifier {
                    modifier: name.to_string(),
                    selection: sel.to_string(),
                    field: field.to_string(),
                });
            }
        }
    }
    if let Some(k) = m.kind
        && k != "fieldref"
    {
        if let Some((_, a)) = m.anchor {
            return Err(bad(a, &format!("cannot be combined with '{k}'")));
        }
        if let Some(t) = m.transforms.first() {
            return Err(bad(
                &format!("{t:?}").to_ascii_lowercase(),
                &format!("cannot be combined with '{k}'"),
            ));
        }
    }
    Ok(m)
}

/// Compiles the search identifier `name` with YAML body `v`.
pub(crate) fn compile_search(name: &str, v: &Value, cx: &mut Ctx<'_>) -> Result<Search, ErrorKind> {
    let invalid = |reason: &str| ErrorKind::InvalidSelection {
        selection: name.to_string(),
        reason: reason.to_string(),
    };
    let alternatives = match v {
        Value::Mapping(map) => vec![compile_map(name, map, cx)?],
        Value::Sequence(seq) if seq.is_empty() => return Err(invalid("empty list")),
        Value::Sequence(seq) if seq.iter().all(|x| matches!(x, Value::Mapping(_))) => {
            let mut alts = Vec::with_capacity(seq.len());
            for x in seq {
                if let Value::Mapping(map) = x {
                    alts.push(compile_map(name, map, cx)?);
                }
            }
            alts
        }
        Value::Sequence(seq) if seq.iter().all(is_scalar) => {
            vec![vec![compile_item(name, "", None, &[], v, cx)?]]
        }
        Value::Sequence(_) => {
            return Err(invalid(
                "a list must hold either only maps or only keywords",
            ));
        }
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            vec![vec![compile_item(name, "", None, &[], v, cx)?]]
        }
        Value::Null => return Err(invalid("empty search identifier")),
        Value::Tagged(_) => return Err(invalid("YAML tags are not supported")),
    };
    Ok(Search {
        name: name.to_string(),
        alternatives,
    })
}

fn is_scalar(v: &Value) -> bool {
    matches!(
        v,
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
    )
}

fn compile_map(
    sel: &str,
    map: &serde_yaml_ng::Mapping,
    cx: &mut Ctx<'_>,
) -> Result<Vec<FieldItem>, ErrorKind> {
    if map.is_empty() {
        return Err(ErrorKind::InvalidSelection {
            selection: sel.to_string(),
            reason: "empty map".into(),
        });
    }
    let mut items = Vec::with_capacity(map.len());
    for (k, v) in map {
        let key = match k {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(ErrorKind::InvalidSelection {
                    selection: sel.to_string(),
                    reason: "field names must be strings".into(),
                });
            }
        };
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or("").trim().to_string();
        let mods: Vec<&str> = parts.collect();
        let fkey = if field.is_empty() {
            None
        } else {
            Some(cx.resolver.resolve(&field))
        };
        items.push(compile_item(sel, &field, fkey, &mods, v, cx)?);
    }
    Ok(items)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn compile_item(
    sel: &str,
    field: &str,
    key: Option<FieldKey>,
    mods: &[&str],
    v: &Value,
    cx: &mut Ctx<'_>,
) -> Result<FieldItem, ErrorKind> {
    let shown = if field.is_empty() {
        "<keywords>"
    } else {
        field
    };
    let m = parse_mods(mods, sel, shown)?;
    let invalid = |reason: String| ErrorKind::InvalidValue {
        selection: sel.to_string(),
        field: shown.to_string(),
        reason,
    };
    let values: Vec<&Value> = match v {
        Value::Sequence(s) => s.iter().collect(),
        other => vec![other],
    };
    if values.is_empty() {
        return Err(invalid("empty value list".into()));
    }
    if let Some(x) = values.iter().find(|x| !is_scalar(x)) {
        return Err(invalid(format!(
            "values must be scalars, found {}",
            kind_name(x)
        )));
    }
    let name = field.to_string();
    if m.kind == Some("exists") {
        let want = match values.as_slice() {
            [Value::Bool(b)] => *b,
            [Value::String(s)] if s.eq_ignore_ascii_case("true") => true,
            [Value::String(s)] if s.eq_ignore_ascii_case("false") => false,
            _ => return Err(invalid("'exists' takes exactly one boolean".into())),
        };
        return Ok(FieldItem {
            name,
            key,
            test: FieldTest::Exists(want),
            keyword: None,
        });
    }
    let mut matchers = Vec::with_capacity(values.len());
    for x in &values {
        if matches!(x, Value::Null) {
            if m.kind.is_some() || !m.transforms.is_empty() || m.anchor.is_some() {
                return Err(invalid("null cannot be combined with modifiers".into()));
            }
            matchers.push(ValueMatcher::Null);
            continue;
        }
        let s = scalar_string(x).unwrap_or_default();
        match m.kind {
            Some("numeric comparison") => {
                let n = match x {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                }
                .filter(|f| f.is_finite())
                .ok_or_else(|| invalid(format!("'{s}' is not a number")))?;
                matchers.push(ValueMatcher::Num(m.num.unwrap_or(NumOp::Gte), n));
            }
            Some("cidr") => {
                let c = Cidr::parse(&s)
                    .ok_or_else(|| invalid(format!("'{s}' is not a CIDR network")))?;
                matchers.push(ValueMatcher::Cidr(c));
            }
            Some("re") => {
                let (i, ml, dot) = m.re_flags;
                let r = regex::RegexBuilder::new(&s)
                    .case_insensitive(i)
                    .multi_line(ml)
                    .dot_matches_new_line(dot)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| ErrorKind::Regex {
                        selection: sel.to_string(),
                        field: shown.to_string(),
                        reason: e.to_string(),
                    })?;
                matchers.push(ValueMatcher::Re(r));
            }
            Some("fieldref") => {
                if s.trim().is_empty() {
                    return Err(invalid("'fieldref' needs a field name".into()));
                }
                let other = cx.resolver.resolve(s.trim());
                let anchor = m.anchor.map_or(Anchor::Whole, |a| a.0);
                matchers.push(ValueMatcher::FieldRef {
                    key: other,
                    anchor,
                    cased: m.cased,
                });
            }
            _ => string_matchers(
                &m,
                x,
                &s,
                (sel, shown, key.is_none()),
                cx.opts,
                &mut matchers,
            )?,
        }
    }
    let mut ac = None;
    // Keyword lists stay as literals: a rule set answers them from one automaton of its own.
    if !m.all && !m.neq && key.is_some() {
        let lits: Vec<&str> = matchers
            .iter()
            .filter_map(|x| match x {
                ValueMatcher::Str(p) if !p.cased => match &p.kind {
                    StrKind::Contains(s, _) => Some(s.as_str()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if lits.len() >= AC_MIN_PATTERNS
            && let Ok(auto) = AhoCorasick::new(&lits)
        {
            ac = Some(auto);
            matchers.retain(|x| !matches!(x, ValueMatcher::Str(p) if !p.cased && matches!(p.kind, StrKind::Contains(..))));
        }
    }
    Ok(FieldItem {
        name,
        key,
        test: FieldTest::Values {
            matchers,
            ac,
            all: m.all,
            neq: m.neq,
        },
        keyword: None,
    })
}

fn string_matchers(
    m: &Mods,
    x: &Value,
    s: &str,
    (sel, field, keyword): (&str, &str, bool),
    opts: &LoadOptions,
    out: &mut Vec<ValueMatcher>,
) -> Result<(), ErrorKind> {
    let invalid = |reason: String| ErrorKind::InvalidValue {
        selection: sel.to_string(),
        field: field.to_string(),
        reason,
    };
    let base = match x {
        Value::String(_) => SigmaStr::parse(s, m.expand),
        _ => SigmaStr::literal(s),
    };
    let mut vals = vec![base];
    if m.expand {
        let wildcard = opts.unknown_placeholder == PlaceholderPolicy::Wildcard;
        vals = value::expand(vals, &opts.placeholders, wildcard).map_err(|e| match e {
            ExpandError::Unknown(name) => ErrorKind::UnknownPlaceholder {
                name,
                selection: sel.to_string(),
                field: field.to_string(),
            },
            ExpandError::TooMany => {
                invalid("placeholder expansion produces too many values".into())
            }
        })?;
    } else if let Some(p) = vals.iter().flat_map(|v| v.placeholders()).next() {
        return Err(invalid(format!("placeholder '%{p}%' without 'expand'")));
    }
    for t in &m.transforms {
        vals = value::apply(*t, vals).map_err(|reason| ErrorKind::BadModifier {
            modifier: format!("{t:?}").to_ascii_lowercase(),
            selection: sel.to_string(),
            field: field.to_string(),
            reason,
        })?;
    }
    let mut anchor = m.anchor.map_or(Anchor::Whole, |a| a.0);
    if keyword && m.anchor.is_none() {
        // Keywords match anywhere in the record's text.
        anchor = Anchor::Anywhere;
    }
    if anchor == Anchor::Whole && m.transforms.contains(&Transform::Base64Offset) {
        // The offset variants are fragments: only a containment test is meaningful.
        anchor = Anchor::Anywhere;
    }
    for v in &vals {
        let p = value::to_pattern(v, anchor, m.cased).map_err(|reason| ErrorKind::Regex {
            selection: sel.to_string(),
            field: field.to_string(),
            reason,
        })?;
        out.push(ValueMatcher::Str(p));
    }
    Ok(())
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Mapping(_) => "a map",
        Value::Sequence(_) => "a list",
        Value::Tagged(_) => "a tagged value",
        _ => "a scalar",
    }
}

#[cfg(test)]
#[path = "detection_tests.rs"]
mod tests;
