//! `mv-expand` and `mv-apply`: one output row per element of a dynamic array (or per
//! property of a bag), with parallel expansion of several columns padded with nulls.

use std::sync::Arc;

use super::funcs::convert;
use super::ops::{derive_name, index_of};
use super::scalar::Row;
use super::{Ctx, Env};
use crate::ast::{MvItem, Op};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Type, Value};

impl Ctx<'_> {
    pub(crate) fn mv_expand(
        &self,
        t: &Table,
        items: &[MvItem],
        limit: Option<i64>,
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let mut columns = t.columns.clone();
        let mut targets = Vec::new();
        for (name, e, ty) in items {
            let n = name
                .clone()
                .or_else(|| derive_name(e, true))
                .ok_or_else(|| {
                    KqlError::new(
                        ErrorKind::Eval,
                        off,
                        "mv-expand of an expression needs a name (name = expr)",
                    )
                })?;
            let pos = match columns.iter().position(|(c, _)| *c == n) {
                Some(p) => p,
                None => {
                    columns.push((n, Type::Dynamic));
                    columns.len() - 1
                }
            };
            columns[pos].1 = ty.unwrap_or(Type::Dynamic);
            targets.push((pos, e, *ty));
        }
        let idx = index_of(t);
        let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(0));
        let mut rows = Vec::new();
        for r in &t.rows {
            let mut lists = Vec::with_capacity(targets.len());
            for (_, e, _) in &targets {
                let v = self.scalar(
                    e,
                    env,
                    Some(&Row {
                        index: &idx,
                        vals: r,
                    }),
                )?;
                lists.push(expand_items(v));
            }
            let n = lists.iter().map(Vec::len).max().unwrap_or(0).min(limit);
            for k in 0..n.max(usize::from(lists.iter().all(Vec::is_empty))) {
                let mut out = r.clone();
                out.resize(columns.len(), Value::Null);
                for ((pos, _, ty), list) in targets.iter().zip(&lists) {
                    let v = list.get(k).cloned().unwrap_or_default();
                    out[*pos] = match ty {
                        Some(ty) => cast(&v, *ty),
                        None => v,
                    };
                }
                rows.push(out);
            }
        }
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }

    pub(crate) fn mv_apply(
        &self,
        t: &Table,
        items: &[MvItem],
        ops: &[Op],
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let mut out_cols: Option<Vec<(String, Type)>> = None;
        let mut rows = Vec::new();
        let single = |r: &Vec<Value>| Table {
            name: t.name.clone(),
            columns: t.columns.clone(),
            rows: vec![r.clone()],
        };
        for r in &t.rows {
            let expanded = self.mv_expand(&single(r), items, None, env, off)?;
            let base_cols = t.columns.clone();
            let mut sub = Arc::new(expanded);
            for op in ops {
                sub = Arc::new(self.apply_op(op, sub, env)?);
            }
            let cols = out_cols.get_or_insert_with(|| {
                let mut c: Vec<(String, Type)> = base_cols
                    .iter()
                    .filter(|(n, _)| sub.column_index(n).is_none())
                    .cloned()
                    .collect();
                c.extend(sub.columns.iter().cloned());
                c
            });
            for sr in &sub.rows {
                rows.push(
                    cols.iter()
                        .map(|(n, _)| match sub.column_index(n) {
                            Some(i) => sr.get(i).cloned().unwrap_or_default(),
                            None => base_cols
                                .iter()
                                .position(|(c, _)| c == n)
                                .and_then(|i| r.get(i))
                                .cloned()
                                .unwrap_or_default(),
                        })
                        .collect(),
                );
            }
        }
        Ok(Table {
            name: t.name.clone(),
            columns: out_cols.unwrap_or_else(|| t.columns.clone()),
            rows,
        })
    }
}

/// Elements `mv-expand` produces for one value. Strings holding a JSON array are expanded too
/// (lenient; Log Analytics sometimes types JSON columns as string).
fn expand_items(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.to_vec(),
        Value::Bag(b) => b
            .iter()
            .map(|(k, x)| Value::Bag(Arc::new(std::iter::once((k.clone(), x.clone())).collect())))
            .collect(),
        Value::String(ref s) if s.trim_start().starts_with('[') => match crate::json::parse(s) {
            Some(Value::Array(a)) => a.to_vec(),
            _ => vec![v],
        },
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// `to typeof(t)` cast: values of another type become null (strings are converted).
fn cast(v: &Value, ty: Type) -> Value {
    match (ty, v) {
        (Type::Dynamic, _) => v.clone(),
        (Type::String | Type::Guid, Value::String(_)) => v.clone(),
        (Type::String | Type::Guid, Value::Null) => Value::str(""),
        (Type::String | Type::Guid, other) => Value::from(other.to_kql_string()),
        _ => convert(v, ty),
    }
}
