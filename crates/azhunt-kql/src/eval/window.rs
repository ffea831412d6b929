//! Window functions over serialized rows: `row_number`, `prev`, `next`, `row_cumsum`,
//! `row_rank_dense` (`row_rank`), `row_rank_min`.
//!
//! They are valid in `extend`/`project`, which publish the input table and the current row
//! position here while they run. Running state (cumulative sums, ranks) is kept per call site.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::scalar::ColumnIndex;
use super::scalar::{Row, binop};
use super::{Ctx, Env};
use crate::ast::{BinOp, Expr};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::Value;

pub(crate) const WINDOW_FUNCTIONS: &[&str] = &[
    "row_number",
    "prev",
    "next",
    "row_cumsum",
    "row_rank_dense",
    "row_rank",
    "row_rank_min",
];

/// The rows an `extend`/`project` is working through.
pub(crate) struct Window {
    pub table: Arc<Table>,
    pub index: Rc<ColumnIndex>,
    pub pos: usize,
    /// Per call site (expression address): (previous value, running value).
    pub state: HashMap<usize, (Value, Value)>,
}

impl Ctx<'_> {
    /// Runs `f` with `t` published as the window (restoring any outer window afterwards).
    pub(crate) fn with_window<T>(
        &self,
        t: &Arc<Table>,
        f: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let index = Rc::new(super::ops::index_of(t));
        let w = Window {
            table: t.clone(),
            index,
            pos: 0,
            state: HashMap::new(),
        };
        let outer = self.window.replace(Some(w));
        let r = f();
        self.window.replace(outer);
        r
    }

    /// Moves the window to row `pos` if `t` is the window's table.
    pub(crate) fn window_at(&self, t: &Table, pos: usize) {
        if let Some(w) = self.window.borrow_mut().as_mut()
            && std::ptr::eq(Arc::as_ptr(&w.table), t)
        {
            w.pos = pos;
        }
    }

    pub(crate) fn window_fn(
        &self,
        name: &str,
        args: &[Expr],
        env: &Env,
        row: Option<&Row>,
        off: usize,
    ) -> Result<Value> {
        let (table, index, pos) = match self.window.borrow().as_ref() {
            Some(w) => (w.table.clone(), w.index.clone(), w.pos),
            None => {
                return Err(KqlError::new(
                    ErrorKind::Eval,
                    off,
                    format!(
                        "window function '{name}' needs serialized rows (use it in extend or project)"
                    ),
                ));
            }
        };
        let arg = |i: usize, r: Option<&Row>| -> Result<Value> {
            match args.get(i) {
                Some(e) => self.scalar(e, env, r),
                None => Ok(Value::Null),
            }
        };
        let key = args.as_ptr() as usize;
        match name {
            "row_number" => {
                let start = match arg(0, row)? {
                    Value::Int(s) => s,
                    _ => 1,
                };
                Ok(Value::Int(start.saturating_add(pos as i64)))
            }
            "prev" | "next" => {
                if args.is_empty() {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        format!("{name}() expects a column"),
                    ));
                }
                let k = match arg(1, row)? {
                    Value::Int(k) => k,
                    _ => 1,
                };
                let target = if name == "prev" {
                    pos as i64 - k
                } else {
                    pos as i64 + k
                };
                match usize::try_from(target).ok().and_then(|t| table.rows.get(t)) {
                    Some(r) => self.scalar(
                        &args[0],
                        env,
                        Some(&Row {
                            index: &index,
                            vals: r,
                        }),
                    ),
                    None => arg(2, row),
                }
            }
            "row_cumsum" => {
                let v = arg(0, row)?;
                let restart = arg(1, row)?.truthy();
                let prev = self
                    .window
                    .borrow()
                    .as_ref()
                    .and_then(|w| w.state.get(&key).cloned());
                let acc = match prev {
                    Some((_, acc)) if pos > 0 && !restart => {
                        if v.is_null() {
                            acc
                        } else {
                            binop(BinOp::Add, &acc, &v, off)?
                        }
                    }
                    _ => {
                        if v.is_null() {
                            Value::Int(0)
                        } else {
                            v.clone()
                        }
                    }
                };
                self.set_state(key, v, acc.clone());
                Ok(acc)
            }
            "row_rank_dense" | "row_rank" | "row_rank_min" => {
                let v = arg(0, row)?;
                let prev = self
                    .window
                    .borrow()
                    .as_ref()
                    .and_then(|w| w.state.get(&key).cloned());
                let rank = match prev {
                    Some((last, Value::Int(r))) if pos > 0 => {
                        if last.kql_eq(&v) {
                            r
                        } else if name == "row_rank_min" {
                            pos as i64 + 1
                        } else {
                            r + 1
                        }
                    }
                    _ => 1,
                };
                self.set_state(key, v, Value::Int(rank));
                Ok(Value::Int(rank))
            }
            _ => Err(KqlError::new(
                ErrorKind::UnknownFunction,
                off,
                format!("unknown function '{name}'"),
            )),
        }
    }

    fn set_state(&self, key: usize, last: Value, acc: Value) {
        if let Some(w) = self.window.borrow_mut().as_mut() {
            w.state.insert(key, (last, acc));
        }
    }
}
