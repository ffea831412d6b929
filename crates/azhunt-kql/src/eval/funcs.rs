//! Built-in scalar functions: dispatch, conversions, logic, math and dynamic values.
//!
//! String functions live in `funcs_str`, datetime and IPv4 ones in `funcs_time`. Functions take evaluated arguments except the few
//! that need the row or a table (`column_ifexists`, `toscalar`). Unknown names are reported
//! with the name and offset; aggregate names used outside `summarize` get their own message.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::scalar::{Row, index};
use super::{Ctx, Env, funcs_str, funcs_time};
use crate::ast::Expr;
use crate::error::{ErrorKind, KqlError, Result};
use crate::value::{Type, Value, parse_datetime, parse_timespan};

pub(crate) use funcs_time::range_table;

pub(crate) const AGGREGATES: &[&str] = &[
    "count",
    "countif",
    "dcount",
    "dcountif",
    "sum",
    "sumif",
    "avg",
    "avgif",
    "min",
    "max",
    "minif",
    "maxif",
    "make_set",
    "makeset",
    "make_set_if",
    "make_list",
    "makelist",
    "make_list_if",
    "make_bag",
    "make_bag_if",
    "arg_max",
    "arg_min",
    "take_any",
    "any",
    "take_anyif",
    "count_distinct",
    "stdev",
    "variance",
    "percentile",
];

pub(crate) fn arity(name: &str, args: &[Value], min: usize, max: usize, off: usize) -> Result<()> {
    if args.len() < min || args.len() > max {
        let want = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(KqlError::new(
            ErrorKind::Eval,
            off,
            format!(
                "function '{name}' expects {want} arguments, got {}",
                args.len()
            ),
        ));
    }
    Ok(())
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

impl Ctx<'_> {
    /// Calls a built-in function.
    pub fn builtin(
        &self,
        name: &str,
        exprs: &[Expr],
        env: &Env,
        row: Option<&Row>,
        off: usize,
    ) -> Result<Value> {
        // Functions that need unevaluated arguments.
        match name {
            "toscalar" => {
                let Some(e) = exprs.first() else {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        "toscalar() expects an argument",
                    ));
                };
                if self.is_tabular(e, env) {
                    let t = self.tabular(e, env)?;
                    return Ok(t
                        .rows
                        .first()
                        .and_then(|r| r.first())
                        .cloned()
                        .unwrap_or_default());
                }
                return self.scalar(e, env, row);
            }
            "column_ifexists" => {
                let n = match exprs.first() {
                    Some(e) => self.scalar(e, env, None)?.to_kql_string(),
                    None => String::new(),
                };
                if let Some(v) = row.and_then(|r| r.get(&n)) {
                    return Ok(v.clone());
                }
                return match exprs.get(1) {
                    Some(d) => self.scalar(d, env, row),
                    None => Ok(Value::Null),
                };
            }
            n if super::window::WINDOW_FUNCTIONS.contains(&n) => {
                return self.window_fn(n, exprs, env, row, off);
            }
            "iff" | "iif" if exprs.len() == 3 => {
                let c = self.scalar(&exprs[0], env, row)?;
                return self.scalar(&exprs[if c.truthy() { 1 } else { 2 }], env, row);
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(exprs.len());
        for e in exprs {
            args.push(self.scalar(e, env, row)?);
        }
        if let Some(v) = funcs_str::call(self, name, &args, off)? {
            return Ok(v);
        }
        if let Some(v) = funcs_time::call(self.now, name, &args, off)? {
            return Ok(v);
        }
        self.call_general(name, &args, off)
    }

    fn call_general(&self, name: &str, a: &[Value], off: usize) -> Result<Value> {
        let ar = |min, max| arity(name, a, min, max, off);
        Ok(match name {
            "iff" | "iif" => {
                ar(3, 3)?;
                if a[0].truthy() {
                    a[1].clone()
                } else {
                    a[2].clone()
                }
            }
            "case" => {
                if a.len() < 3 || a.len().is_multiple_of(2) {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        "case() expects predicate/value pairs and an else value",
                    ));
                }
                let mut i = 0;
                while i + 1 < a.len() {
                    if a[i].truthy() {
                        return Ok(a[i + 1].clone());
                    }
                    i += 2;
                }
                a[a.len() - 1].clone()
            }
            "not" => {
                ar(1, 1)?;
                match &a[0] {
                    Value::Bool(b) => Value::Bool(!b),
                    _ => Value::Null,
                }
            }
            "isnull" => {
                ar(1, 1)?;
                Value::Bool(a[0].is_null())
            }
            "isnotnull" => {
                ar(1, 1)?;
                Value::Bool(!a[0].is_null())
            }
            "isempty" => {
                ar(1, 1)?;
                Value::Bool(a[0].is_empty())
            }
            "isnotempty" | "notempty" => {
                ar(1, 1)?;
                Value::Bool(!a[0].is_empty())
            }
            "coalesce" => a
                .iter()
                .find(|v| !v.is_empty())
                .cloned()
                .unwrap_or_default(),
            "tostring" => {
                ar(1, 1)?;
                Value::from(a[0].to_kql_string())
            }
            "toint" | "tolong" | "int" | "long" => {
                ar(1, 1)?;
                convert(&a[0], Type::Long)
            }
            "todouble" | "toreal" | "real" | "double" | "todecimal" | "decimal" => {
                ar(1, 1)?;
                convert(&a[0], Type::Real)
            }
            "tobool" | "toboolean" | "bool" => {
                ar(1, 1)?;
                convert(&a[0], Type::Bool)
            }
            "todatetime" => {
                ar(1, 1)?;
                convert(&a[0], Type::DateTime)
            }
            "totimespan" => {
                ar(1, 1)?;
                convert(&a[0], Type::TimeSpan)
            }
            "toguid" => {
                ar(1, 1)?;
                convert(&a[0], Type::Guid)
            }
            "parse_json" | "parsejson" | "todynamic" | "todynamic_" => {
                ar(1, 1)?;
                convert(&a[0], Type::Dynamic)
            }
            "gettype" => {
                ar(1, 1)?;
                Value::str(match &a[0] {
                    Value::Null => "null",
                    Value::Array(_) => "array",
                    Value::Bag(_) => "dictionary",
                    Value::Int(_) => "long",
                    v => v.type_of().name(),
                })
            }
            "array_length" | "arraylength" => {
                ar(1, 1)?;
                match &a[0] {
                    Value::Array(x) => Value::Int(x.len() as i64),
                    _ => Value::Null,
                }
            }
            "set_has_element" => {
                ar(2, 2)?;
                match &a[0] {
                    Value::Array(x) => Value::Bool(x.iter().any(|v| v.kql_eq(&a[1]))),
                    _ => Value::Null,
                }
            }
            "array_index_of" => {
                ar(2, 2)?;
                match &a[0] {
                    Value::Array(x) => Value::Int(
                        x.iter()
                            .position(|v| v.kql_eq(&a[1]))
                            .map_or(-1, |p| p as i64),
                    ),
                    _ => Value::Null,
                }
            }
            "array_concat" => {
                let mut out = Vec::new();
                for v in a {
                    if let Value::Array(x) = v {
                        out.extend(x.iter().cloned());
                    }
                }
                Value::Array(Arc::new(out))
            }
            "array_slice" => {
                ar(3, 3)?;
                match (&a[0], &a[1], &a[2]) {
                    (Value::Array(x), Value::Int(s), Value::Int(e)) => {
                        let n = x.len() as i64;
                        let fix = |i: i64| if i < 0 { (n + i).max(0) } else { i.min(n) };
                        let (s, e) = (fix(*s), fix(*e) + 1);
                        let e = e.min(n);
                        Value::Array(Arc::new(if s < e {
                            x[s as usize..e as usize].to_vec()
                        } else {
                            Vec::new()
                        }))
                    }
                    _ => Value::Null,
                }
            }
            "set_union" | "set_intersect" | "set_difference" => set_op(name, a),
            "array_split" => {
                ar(2, 2)?;
                array_split(&a[0], &a[1])
            }
            "pack_array" => Value::Array(Arc::new(a.to_vec())),
            "pack" | "bag_pack" => {
                if !a.len().is_multiple_of(2) {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        format!("{name}() expects key/value pairs"),
                    ));
                }
                let mut m = BTreeMap::new();
                for kv in a.chunks(2) {
                    m.insert(kv[0].to_kql_string(), kv[1].clone());
                }
                Value::Bag(Arc::new(m))
            }
            "bag_keys" => {
                ar(1, 1)?;
                match &a[0] {
                    Value::Bag(b) => Value::Array(Arc::new(
                        b.keys().map(|k| Value::from(k.as_str())).collect(),
                    )),
                    _ => Value::Null,
                }
            }
            "bag_has_key" => {
                ar(2, 2)?;
                match &a[0] {
                    Value::Bag(b) => Value::Bool(b.contains_key(&*a[1].to_kql_string())),
                    _ => Value::Null,
                }
            }
            "bag_merge" => {
                let mut m = BTreeMap::new();
                for v in a {
                    if let Value::Bag(b) = v {
                        for (k, x) in b.iter() {
                            m.entry(k.clone()).or_insert_with(|| x.clone());
                        }
                    }
                }
                Value::Bag(Arc::new(m))
            }
            "array_sort_asc" | "array_sort_desc" => match arg(a, 0) {
                Value::Array(x) => {
                    let mut v = x.to_vec();
                    v.sort_by(|p, q| p.sort_cmp(q));
                    if name == "array_sort_desc" {
                        v.reverse();
                    }
                    Value::Array(Arc::new(v))
                }
                _ => Value::Null,
            },
            "abs" => {
                ar(1, 1)?;
                match &a[0] {
                    Value::Int(i) => Value::Int(i.wrapping_abs()),
                    Value::Real(r) => Value::Real(r.abs()),
                    Value::TimeSpan(t) => Value::TimeSpan(t.wrapping_abs()),
                    _ => Value::Null,
                }
            }
            "round" => {
                ar(1, 2)?;
                let p = match arg(a, 1) {
                    Value::Int(p) => p.clamp(-15, 15) as i32,
                    _ => 0,
                };
                match &a[0] {
                    Value::Int(i) if p >= 0 => Value::Int(*i),
                    v => v.as_f64().map_or(Value::Null, |x| {
                        let m = 10f64.powi(p);
                        Value::Real((x * m).round() / m)
                    }),
                }
            }
            "ceiling" | "sqrt" | "log" | "log10" | "log2" | "exp" => {
                ar(1, 1)?;
                a[0].as_f64().map_or(Value::Null, |x| {
                    Value::Real(match name {
                        "ceiling" => x.ceil(),
                        "sqrt" => x.sqrt(),
                        "log" => x.ln(),
                        "log10" => x.log10(),
                        "log2" => x.log2(),
                        _ => x.exp(),
                    })
                })
            }
            "pow" => {
                ar(2, 2)?;
                match (a[0].as_f64(), a[1].as_f64()) {
                    (Some(x), Some(y)) => Value::Real(x.powf(y)),
                    _ => Value::Null,
                }
            }
            "max_of" | "min_of" => {
                let mut best: Option<&Value> = None;
                for v in a.iter().filter(|v| !v.is_null()) {
                    let better = match best {
                        None => true,
                        Some(b) => {
                            let o = v.sort_cmp(b);
                            if name == "max_of" {
                                o.is_gt()
                            } else {
                                o.is_lt()
                            }
                        }
                    };
                    if better {
                        best = Some(v);
                    }
                }
                best.cloned().unwrap_or_default()
            }
            "series_fit_line" | "series_fit_line_dynamic" => {
                ar(1, 1)?;
                fit_line(name == "series_fit_line_dynamic", &a[0])
            }
            "array_get" | "get" => index(&arg(a, 0), &arg(a, 1)),
            _ => {
                let kind = if AGGREGATES.contains(&name) {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        format!("aggregate function '{name}' can only be used in summarize"),
                    ));
                } else {
                    ErrorKind::UnknownFunction
                };
                return Err(KqlError::new(
                    kind,
                    off,
                    format!("unknown function '{name}'"),
                ));
            }
        })
    }
}

fn set_op(name: &str, a: &[Value]) -> Value {
    let arrays: Vec<&Vec<Value>> = a
        .iter()
        .filter_map(|v| match v {
            Value::Array(x) => Some(x.as_ref()),
            _ => None,
        })
        .collect();
    let mut out: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let Some(first) = arrays.first() else {
        return Value::Null;
    };
    let candidates: Vec<&Value> = if name == "set_union" {
        arrays.iter().flat_map(|x| x.iter()).collect()
    } else {
        first.iter().collect()
    };
    for v in candidates {
        let keep = match name {
            "set_intersect" => arrays[1..].iter().all(|x| x.iter().any(|y| y.kql_eq(v))),
            "set_difference" => !arrays[1..].iter().any(|x| x.iter().any(|y| y.kql_eq(v))),
            _ => true,
        };
        if keep && seen.insert(v.key()) {
            out.push(v.clone());
        }
    }
    Value::Array(Arc::new(out))
}

/// Converts a value to a column type (used by `datatable`, `to typeof()`, parse, `toX()`).
pub(crate) fn convert(v: &Value, t: Type) -> Value {
    match (t, v) {
        (_, Value::Null) => Value::Null,
        (Type::Dynamic, Value::String(s)) => crate::json::parse(s).unwrap_or_else(|| v.clone()),
        (Type::Dynamic, _) => v.clone(),
        (Type::String | Type::Guid, _) => Value::from(v.to_kql_string()),
        (Type::Int | Type::Long, Value::Int(_)) => v.clone(),
        (Type::Int | Type::Long, Value::Real(r)) if r.is_finite() => Value::Int(r.trunc() as i64),
        (Type::Int | Type::Long, Value::Bool(b)) => Value::Int(i64::from(*b)),
        (Type::Int | Type::Long, Value::String(s)) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|r| r.is_finite())
                        .map(|r| r.trunc() as i64)
                })
                .map_or(Value::Null, Value::Int)
        }
        (Type::Int | Type::Long, Value::DateTime(n) | Value::TimeSpan(n)) => Value::Int(*n / 100),
        (Type::Real, Value::Int(i)) => Value::Real(*i as f64),
        (Type::Real, Value::Real(_)) => v.clone(),
        (Type::Real, Value::Bool(b)) => Value::Real(if *b { 1.0 } else { 0.0 }),
        (Type::Real, Value::String(s)) => s.trim().parse::<f64>().map_or(Value::Null, Value::Real),
        (Type::Bool, Value::Bool(_)) => v.clone(),
        (Type::Bool, Value::Int(i)) => Value::Bool(*i != 0),
        (Type::Bool, Value::Real(r)) => Value::Bool(*r != 0.0),
        (Type::Bool, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::Null,
        },
        (Type::DateTime, Value::DateTime(_)) => v.clone(),
        (Type::DateTime, Value::String(s)) => {
            parse_datetime(s).map_or(Value::Null, Value::DateTime)
        }
        (Type::TimeSpan, Value::TimeSpan(_)) => v.clone(),
        (Type::TimeSpan, Value::String(s)) => {
            parse_timespan(s).map_or(Value::Null, Value::TimeSpan)
        }
        (Type::TimeSpan, Value::Int(i)) => Value::TimeSpan(i.saturating_mul(100)),
        _ => Value::Null,
    }
}

/// `series_fit_line`: least squares over x = 1..n. Returns
/// `[rsquare, slope, variance, rvariance, interception, line_fit]` (variances are sample
/// variances, as in the Kusto docs example), or a bag for `series_fit_line_dynamic`.
fn fit_line(as_bag: bool, v: &Value) -> Value {
    let Value::Array(items) = v else {
        return Value::Null;
    };
    let y: Vec<f64> = items.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect();
    let n = y.len() as f64;
    if y.is_empty() {
        return Value::Null;
    }
    let mx = (n + 1.0) / 2.0;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut sst) = (0.0, 0.0, 0.0);
    for (i, yi) in y.iter().enumerate() {
        let dx = (i + 1) as f64 - mx;
        sxy += dx * (yi - my);
        sxx += dx * dx;
        sst += (yi - my) * (yi - my);
    }
    let slope = if sxx == 0.0 { 0.0 } else { sxy / sxx };
    let icept = my - slope * mx;
    let fit: Vec<f64> = (1..=y.len()).map(|x| slope * x as f64 + icept).collect();
    let ssr: f64 = y.iter().zip(&fit).map(|(a, b)| (a - b) * (a - b)).sum();
    let denom = if y.len() > 1 { n - 1.0 } else { 1.0 };
    let rsquare = if sst == 0.0 { 1.0 } else { 1.0 - ssr / sst };
    let line = Value::Array(Arc::new(fit.into_iter().map(Value::Real).collect()));
    let vals = [rsquare, slope, sst / denom, ssr / denom, icept].map(Value::Real);
    if as_bag {
        let keys = ["rsquare", "slope", "variance", "rvariance", "interception"];
        let mut m: BTreeMap<String, Value> = keys.iter().map(|k| k.to_string()).zip(vals).collect();
        m.insert("line_fit".into(), line);
        Value::Bag(Arc::new(m))
    } else {
        let mut out = vals.to_vec();
        out.push(line);
        Value::Array(Arc::new(out))
    }
}

/// `array_split(arr, index | [indexes])`: sub-arrays cut at the given (possibly negative) indexes.
fn array_split(arr: &Value, at: &Value) -> Value {
    let Value::Array(x) = arr else {
        return Value::Null;
    };
    let n = x.len() as i64;
    let mut cuts: Vec<i64> = match at {
        Value::Array(ix) => ix
            .iter()
            .filter_map(|v| match v {
                Value::Int(i) => Some(*i),
                _ => None,
            })
            .collect(),
        Value::Int(i) => vec![*i],
        _ => return Value::Null,
    };
    for c in &mut cuts {
        *c = if *c < 0 { (n + *c).max(0) } else { (*c).min(n) };
    }
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut start = 0usize;
    for c in cuts.into_iter().chain(std::iter::once(n)) {
        let c = c as usize;
        if c >= start {
            parts.push(Value::Array(Arc::new(x[start..c].to_vec())));
            start = c;
        }
    }
    Value::Array(Arc::new(parts))
}
