//! Scalar expression evaluation over one row.
//!
//! Null semantics follow the KQL docs: `null == x` is false, `null != x` is true, both are null
//! when both sides are null; ordering comparisons and arithmetic with null yield null; `where`
//! keeps only rows whose predicate is exactly `true`. String operators treat null as "".

use std::collections::HashMap;
use std::rc::Rc;

use super::{Binding, Ctx, Datum, Env, strops};
use crate::ast::{BinOp, Expr, ListOp, StrOp};
use crate::error::{ErrorKind, KqlError, Result};
use crate::value::Value;

/// Column lookup for a row.
/// Column name → position in a row. aHash: a column reference is looked up once per row it is
/// evaluated on, and SipHash was most of such a lookup.
pub(crate) type ColumnIndex = HashMap<String, usize, ahash::RandomState>;

pub(crate) struct Row<'a> {
    pub index: &'a ColumnIndex,
    pub vals: &'a [Value],
}

impl Row<'_> {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.index.get(name).and_then(|&i| self.vals.get(i))
    }
}

impl Ctx<'_> {
    /// Evaluates a scalar expression in an optional row context.
    pub fn scalar(&self, e: &Expr, env: &Env, row: Option<&Row>) -> Result<Value> {
        match e {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Name(n, off) => {
                if let Some(v) = row.and_then(|r| r.get(n)) {
                    return Ok(v.clone());
                }
                match env.get(n) {
                    Some(Binding::Scalar(v)) => Ok(v.clone()),
                    Some(Binding::Tab(_)) => Err(KqlError::new(
                        ErrorKind::Eval,
                        *off,
                        format!("'{n}' is a table; use toscalar() to read one value from it"),
                    )),
                    Some(Binding::Func(..)) => Err(KqlError::new(
                        ErrorKind::Eval,
                        *off,
                        format!("'{n}' is a function; call it as {n}()"),
                    )),
                    None => Err(KqlError::new(
                        ErrorKind::UnknownColumn,
                        *off,
                        format!("unknown column or variable '{n}'"),
                    )),
                }
            }
            Expr::Star(off) => Err(KqlError::new(
                ErrorKind::Eval,
                *off,
                "'*' is only valid inside arg_max/arg_min/count",
            )),
            Expr::Member(b, name, _) => Ok(member(&self.scalar(b, env, row)?, name)),
            Expr::Index(b, i, _) => {
                let base = self.scalar(b, env, row)?;
                let idx = self.scalar(i, env, row)?;
                Ok(index(&base, &idx))
            }
            Expr::Neg(x, off) => match self.scalar(x, env, row)? {
                Value::Null => Ok(Value::Null),
                Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
                Value::Real(r) => Ok(Value::Real(-r)),
                Value::TimeSpan(t) => Ok(Value::TimeSpan(t.wrapping_neg())),
                _ => Err(KqlError::new(
                    ErrorKind::Eval,
                    *off,
                    "unary '-' needs a number or timespan",
                )),
            },
            Expr::Not(x, _) => Ok(not(&self.scalar(x, env, row)?)),
            Expr::Bin(op, l, r, off) => self.binary(*op, l, r, env, row, *off),
            Expr::StrCmp(op, neg, l, r, off) if matches!(**l, Expr::Star(_)) => {
                // `* has "x"`: true when any column matches.
                let rv = self.scalar(r, env, row)?.to_kql_string();
                let mut any = false;
                for v in row.map_or(&[][..], |r| r.vals) {
                    let text = v.to_kql_string();
                    let hit = if *op == StrOp::Regex {
                        self.regex(&rv, *off)?.is_match(&text)
                    } else {
                        strops::str_op(*op, &text, &rv)
                    };
                    if hit {
                        any = true;
                        break;
                    }
                }
                Ok(Value::Bool(any != *neg))
            }
            Expr::StrCmp(op, neg, l, r, off) => {
                let lv = self.scalar(l, env, row)?;
                let rv = self.scalar(r, env, row)?;
                let res = if *op == StrOp::Regex {
                    let re = self.regex(&rv.to_kql_string(), *off)?;
                    re.is_match(&lv.to_kql_string())
                } else {
                    strops::str_op(*op, &lv.to_kql_string(), &rv.to_kql_string())
                };
                Ok(Value::Bool(res != *neg))
            }
            Expr::List(op, neg, x, list, _) => {
                let v = self.scalar(x, env, row)?;
                let items = self.list_values(list, env, row)?;
                let res = match op {
                    ListOp::In => items.iter().any(|i| eq3(&v, i) == Some(true)),
                    ListOp::InCi => {
                        let s = v.to_kql_string();
                        items.iter().any(|i| match i {
                            Value::String(t) => strops::eq_ci(t, &s),
                            other => eq3(&v, other) == Some(true),
                        })
                    }
                    ListOp::HasAny | ListOp::HasAll => {
                        // Fold the haystack once, then match case-sensitively on folded text.
                        let s = strops::fold(&v.to_kql_string());
                        let hit =
                            |i: &Value| strops::has(&s, &strops::fold(&i.to_kql_string()), true);
                        if *op == ListOp::HasAny {
                            items.iter().any(hit)
                        } else {
                            items.iter().all(hit)
                        }
                    }
                };
                Ok(Value::Bool(res != *neg))
            }
            Expr::Between(neg, x, lo, hi, _) => {
                let v = self.scalar(x, env, row)?;
                let lo = self.scalar(lo, env, row)?;
                let mut hi = self.scalar(hi, env, row)?;
                if let (Value::DateTime(a), Value::TimeSpan(s)) = (&lo, &hi) {
                    hi = Value::DateTime(a.saturating_add(*s));
                }
                if v.is_null() || lo.is_null() || hi.is_null() {
                    return Ok(Value::Bool(false));
                }
                let inside = matches!(v.kql_cmp(&lo), Some(o) if o.is_ge())
                    && matches!(v.kql_cmp(&hi), Some(o) if o.is_le());
                Ok(Value::Bool(inside != *neg))
            }
            Expr::Call(n, args, off) => {
                if let Some(Binding::Func(f, fenv)) = env.get(n) {
                    let (f, fenv) = (f.clone(), fenv.clone());
                    return match self.call_user(&f, &fenv, args, env, row, *off, n)? {
                        Datum::Scalar(v) => Ok(v),
                        Datum::Tab(_) => Err(KqlError::new(
                            ErrorKind::Eval,
                            *off,
                            format!("function '{n}' returns a table where a scalar is needed"),
                        )),
                    };
                }
                self.builtin(n, args, env, row, *off)
            }
            Expr::Pipe(..) | Expr::DataTable(..) | Expr::Union(..) | Expr::Unsupported(..) => {
                Err(KqlError::new(
                    ErrorKind::Eval,
                    e.offset(),
                    "a tabular expression is used where a scalar is needed (use toscalar())",
                ))
            }
        }
    }

    /// Values of an `in (...)` list: scalars, dynamic arrays (flattened), tables (first column).
    fn list_values(&self, list: &[Expr], env: &Env, row: Option<&Row>) -> Result<Rc<Vec<Value>>> {
        let key = (list.as_ptr() as usize, env.id());
        let constant = list
            .iter()
            .all(|e| matches!(e, Expr::Lit(_)) || self.is_tabular(e, env));
        let cacheable = constant || list.iter().all(|e| !refs_row(e, row));
        if cacheable && let Some((_, v)) = self.list_cache.borrow().get(&key) {
            return Ok(v.clone());
        }
        let mut out = Vec::new();
        for e in list {
            if self.is_tabular(e, env) {
                let t = self.tabular(e, env)?;
                out.extend(
                    t.rows
                        .iter()
                        .map(|r| r.first().cloned().unwrap_or_default()),
                );
            } else {
                match self.scalar(e, env, row)? {
                    Value::Array(a) => out.extend(a.iter().cloned()),
                    v => out.push(v),
                }
            }
        }
        let out = Rc::new(out);
        if cacheable {
            self.list_cache
                .borrow_mut()
                .insert(key, (env.clone(), out.clone()));
        }
        Ok(out)
    }

    fn binary(
        &self,
        op: BinOp,
        l: &Expr,
        r: &Expr,
        env: &Env,
        row: Option<&Row>,
        off: usize,
    ) -> Result<Value> {
        match op {
            BinOp::And => {
                let a = self.scalar(l, env, row)?;
                if matches!(a, Value::Bool(false)) {
                    return Ok(Value::Bool(false));
                }
                let b = self.scalar(r, env, row)?;
                Ok(match (as_bool(&a), as_bool(&b)) {
                    (_, Some(false)) => Value::Bool(false),
                    (Some(true), Some(true)) => Value::Bool(true),
                    _ => Value::Null,
                })
            }
            BinOp::Or => {
                let a = self.scalar(l, env, row)?;
                if matches!(a, Value::Bool(true)) {
                    return Ok(Value::Bool(true));
                }
                let b = self.scalar(r, env, row)?;
                Ok(match (as_bool(&a), as_bool(&b)) {
                    (_, Some(true)) => Value::Bool(true),
                    (Some(false), Some(false)) => Value::Bool(false),
                    _ => Value::Null,
                })
            }
            _ => {
                let a = self.scalar(l, env, row)?;
                let b = self.scalar(r, env, row)?;
                binop(op, &a, &b, off)
            }
        }
    }
}

/// Does the expression (possibly) read the current row?
fn refs_row(e: &Expr, row: Option<&Row>) -> bool {
    let Some(row) = row else { return false };
    match e {
        Expr::Name(n, _) => row.index.contains_key(n),
        Expr::Lit(_) | Expr::Star(_) => false,
        _ => true,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn not(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        _ => Value::Null,
    }
}

/// Three-valued equality per the KQL null rules.
pub(crate) fn eq3(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Null, Value::Null) => None,
        (Value::Null, _) | (_, Value::Null) => Some(false),
        _ => Some(a.kql_eq(b) || a.kql_cmp(b).is_some_and(|o| o.is_eq())),
    }
}

/// Binary arithmetic and comparison.
pub(crate) fn binop(op: BinOp, a: &Value, b: &Value, off: usize) -> Result<Value> {
    use Value::*;
    let cmp = |f: fn(std::cmp::Ordering) -> bool| -> Value {
        match a.kql_cmp(b) {
            Some(o) => Bool(f(o)),
            None => Null,
        }
    };
    Ok(match op {
        BinOp::Eq => eq3(a, b).map_or(Null, Bool),
        BinOp::Ne => eq3(a, b).map_or(Null, |x| Bool(!x)),
        BinOp::Lt => cmp(|o| o.is_lt()),
        BinOp::Le => cmp(|o| o.is_le()),
        BinOp::Gt => cmp(|o| o.is_gt()),
        BinOp::Ge => cmp(|o| o.is_ge()),
        BinOp::And | BinOp::Or | BinOp::Str(_) => Null,
        _ if a.is_null() || b.is_null() => Null,
        BinOp::Add => match (a, b) {
            (Int(x), Int(y)) => Int(x.wrapping_add(*y)),
            (DateTime(d), TimeSpan(t)) | (TimeSpan(t), DateTime(d)) => {
                DateTime(d.saturating_add(*t))
            }
            (TimeSpan(x), TimeSpan(y)) => TimeSpan(x.saturating_add(*y)),
            _ => num(a, b, off, "+", |x, y| x + y)?,
        },
        BinOp::Sub => match (a, b) {
            (Int(x), Int(y)) => Int(x.wrapping_sub(*y)),
            (DateTime(d), TimeSpan(t)) => DateTime(d.saturating_sub(*t)),
            (DateTime(x), DateTime(y)) => TimeSpan(x.saturating_sub(*y)),
            (TimeSpan(x), TimeSpan(y)) => TimeSpan(x.saturating_sub(*y)),
            _ => num(a, b, off, "-", |x, y| x - y)?,
        },
        BinOp::Mul => match (a, b) {
            (Int(x), Int(y)) => Int(x.wrapping_mul(*y)),
            (TimeSpan(t), n) | (n, TimeSpan(t)) if n.as_f64().is_some() => {
                TimeSpan((*t as f64 * n.as_f64().unwrap_or(0.0)) as i64)
            }
            _ => num(a, b, off, "*", |x, y| x * y)?,
        },
        BinOp::Div => match (a, b) {
            (Int(_), Int(0)) => Null,
            (Int(x), Int(y)) => Int(x.wrapping_div(*y)),
            (TimeSpan(x), TimeSpan(y)) => {
                if *y == 0 {
                    Null
                } else {
                    Real(*x as f64 / *y as f64)
                }
            }
            (TimeSpan(t), n) if n.as_f64().is_some() => {
                let d = n.as_f64().unwrap_or(0.0);
                if d == 0.0 {
                    Null
                } else {
                    TimeSpan((*t as f64 / d) as i64)
                }
            }
            _ => num(a, b, off, "/", |x, y| x / y)?,
        },
        BinOp::Mod => match (a, b) {
            (Int(_), Int(0)) => Null,
            (Int(x), Int(y)) => Int(x.wrapping_rem(*y)),
            _ => num(a, b, off, "%", |x, y| x % y)?,
        },
    })
}

fn num(a: &Value, b: &Value, off: usize, op: &str, f: fn(f64, f64) -> f64) -> Result<Value> {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => Ok(Value::Real(f(x, y))),
        _ => Err(KqlError::new(
            ErrorKind::Eval,
            off,
            format!(
                "operator '{op}' cannot combine {} and {}",
                a.type_of().name(),
                b.type_of().name()
            ),
        )),
    }
}

/// `v.name`; strings holding JSON objects are parsed on the fly (lenient: Log Analytics
/// exports often keep JSON in string columns).
pub(crate) fn member(v: &Value, name: &str) -> Value {
    match v {
        Value::Bag(b) => b.get(name).cloned().unwrap_or_default(),
        Value::String(s) if s.trim_start().starts_with('{') => crate::json::parse(s)
            .map(|j| member(&j, name))
            .unwrap_or_default(),
        _ => Value::Null,
    }
}

/// `v[i]` (negative indexes count from the end) or `v["key"]`.
pub(crate) fn index(v: &Value, idx: &Value) -> Value {
    match (v, idx) {
        (Value::Array(a), Value::Int(i)) => {
            let i = if *i < 0 { a.len() as i64 + *i } else { *i };
            if i < 0 {
                Value::Null
            } else {
                a.get(i as usize).cloned().unwrap_or_default()
            }
        }
        (Value::Bag(_), Value::String(k)) => member(v, k),
        (Value::String(s), _) if s.trim_start().starts_with(['{', '[']) => crate::json::parse(s)
            .map(|j| index(&j, idx))
            .unwrap_or_default(),
        _ => Value::Null,
    }
}
