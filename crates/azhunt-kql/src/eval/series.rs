//! `make-series`: per-group arrays of aggregates over fixed-width bins of an axis column.
//!
//! Implemented on top of `summarize`: rows inside `[from, to)` get a bin index, are summarized
//! by the keys plus that index, and the result is pivoted into arrays (missing bins take the
//! `default =` value, 0 unless given). The axis column becomes the array of bin starts.

use std::collections::HashMap;
use std::sync::Arc;

use super::ops::{derive_name, index_of};
use super::scalar::Row;
use super::{Ctx, Env};
use crate::ast::{Assign, Expr, MakeSeries};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Key, Type, Value};

const MAX_BINS: i64 = 100_000;

/// Integer axis (datetime, timespan, long) or real axis.
fn axis_num(v: &Value) -> Option<f64> {
    match v {
        Value::DateTime(n) | Value::TimeSpan(n) | Value::Int(n) => Some(*n as f64),
        Value::Real(r) => Some(*r),
        _ => None,
    }
}

fn int_axis(v: &Value) -> Option<i64> {
    match v {
        Value::DateTime(n) | Value::TimeSpan(n) | Value::Int(n) => Some(*n),
        _ => None,
    }
}

impl Ctx<'_> {
    pub(crate) fn make_series(
        &self,
        t: &Table,
        ms: &MakeSeries,
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let idx = index_of(t);
        let mut axis = Vec::with_capacity(t.rows.len());
        for r in &t.rows {
            axis.push(self.scalar(
                &ms.axis,
                env,
                Some(&Row {
                    index: &idx,
                    vals: r,
                }),
            )?);
        }
        let step = self.scalar(&ms.step, env, None)?;
        let bad = |m: &str| KqlError::new(ErrorKind::Eval, off, format!("make-series: {m}"));
        let from = match &ms.from {
            Some(e) => self.scalar(e, env, None)?,
            None => axis
                .iter()
                .filter(|v| axis_num(v).is_some())
                .min_by(|a, b| a.sort_cmp(b))
                .cloned()
                .unwrap_or_default(),
        };
        let sample = if from.is_null() {
            axis.iter()
                .find(|v| !v.is_null())
                .cloned()
                .unwrap_or_default()
        } else {
            from.clone()
        };
        let integer = int_axis(&sample).is_some() && int_axis(&step).is_some();
        let (Some(f), Some(s)) = (axis_num(&from), axis_num(&step)) else {
            if t.rows.is_empty() {
                return Ok(Table {
                    name: t.name.clone(),
                    columns: Vec::new(),
                    rows: Vec::new(),
                });
            }
            return Err(bad(
                "the axis, 'from' and 'step' must be numbers, datetimes or timespans",
            ));
        };
        if s <= 0.0 {
            return Err(bad("'step' must be positive"));
        }
        let to = match &ms.to {
            Some(e) => axis_num(&self.scalar(e, env, None)?)
                .ok_or_else(|| bad("'to' must match the axis type"))?,
            None => axis.iter().filter_map(axis_num).fold(f, f64::max) + s,
        };
        let nbins_f = ((to - f) / s).ceil().max(0.0);
        if nbins_f > MAX_BINS as f64 {
            return Err(bad(&format!("more than {MAX_BINS} bins")));
        }
        let nbins = nbins_f as i64;
        let bin_of = |v: &Value| -> Option<i64> {
            let b = if integer {
                let (v, f, s) = (int_axis(v)?, int_axis(&from)?, int_axis(&step)?);
                v.checked_sub(f)?.div_euclid(s)
            } else {
                ((axis_num(v)? - f) / s).floor() as i64
            };
            (0..nbins).contains(&b).then_some(b)
        };
        // Rows in range, with their bin.
        let mut temp = Table {
            name: t.name.clone(),
            columns: t.columns.clone(),
            rows: Vec::new(),
        };
        temp.columns.push(("__bin".into(), Type::Long));
        for (r, a) in t.rows.iter().zip(&axis) {
            if let Some(b) = bin_of(a) {
                let mut row = r.clone();
                row.push(Value::Int(b));
                temp.rows.push(row);
            }
        }
        let aggs: Vec<Assign> = ms.aggs.iter().map(|(a, _)| a.clone()).collect();
        let mut by = ms.by.clone();
        by.push(Assign {
            names: vec!["__bin".into()],
            expr: Expr::Name("__bin".into(), off),
        });
        let sum = self.summarize(&temp, &aggs, &by, env, off)?;
        let nk = ms.by.len();
        let nagg = sum.columns.len().saturating_sub(nk + 1);
        let mut defaults = Vec::with_capacity(nagg);
        for i in 0..nagg {
            defaults.push(match ms.aggs.get(i).and_then(|(_, d)| d.as_ref()) {
                Some(d) if ms.aggs.len() == nagg => self.scalar(d, env, None)?,
                _ => Value::Int(0),
            });
        }
        let mut groups: HashMap<Vec<Key>, usize> = HashMap::new();
        let mut out: Vec<(Vec<Value>, Vec<Vec<Value>>)> = Vec::new();
        for r in &sum.rows {
            let key: Vec<Value> = r[..nk].to_vec();
            let hk: Vec<Key> = key.iter().map(Value::key).collect();
            let g = *groups.entry(hk).or_insert_with(|| {
                out.push((
                    key,
                    defaults
                        .iter()
                        .map(|d| vec![d.clone(); nbins as usize])
                        .collect(),
                ));
                out.len() - 1
            });
            let Some(Value::Int(b)) = r.get(nk) else {
                continue;
            };
            for (k, series) in out[g].1.iter_mut().enumerate() {
                if let (Some(slot), Some(v)) = (series.get_mut(*b as usize), r.get(nk + 1 + k)) {
                    *slot = if v.is_null() {
                        defaults[k].clone()
                    } else {
                        v.clone()
                    };
                }
            }
        }
        let axis_values: Vec<Value> = (0..nbins)
            .map(|i| match (&from, integer) {
                (Value::DateTime(f), true) => Value::DateTime(f + i * int_axis(&step).unwrap_or(0)),
                (Value::TimeSpan(f), true) => Value::TimeSpan(f + i * int_axis(&step).unwrap_or(0)),
                (Value::Int(f), true) => Value::Int(f + i * int_axis(&step).unwrap_or(0)),
                _ => Value::Real(f + i as f64 * s),
            })
            .collect();
        let axis_values = Value::Array(Arc::new(axis_values));
        let mut columns: Vec<(String, Type)> = sum.columns[..nk].to_vec();
        columns.extend(
            sum.columns[nk + 1..]
                .iter()
                .map(|(n, _)| (n.clone(), Type::Dynamic)),
        );
        columns.push((
            derive_name(&ms.axis, false).unwrap_or_else(|| "axis".into()),
            Type::Dynamic,
        ));
        let rows = out
            .into_iter()
            .map(|(mut key, series)| {
                key.extend(series.into_iter().map(|s| Value::Array(Arc::new(s))));
                key.push(axis_values.clone());
                key
            })
            .collect();
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }
}
