//! Row-shaping tabular operators: where, project*, extend, sort, top, take, distinct, count,
//! parse, getschema, evaluate bag_unpack. (`summarize`, `join` and `mv-expand` have their own
//! modules.) Operators take the input as `Arc<Table>` and copy only what they keep.

use std::collections::HashSet;
use std::sync::Arc;

use super::funcs::convert;
use super::scalar::ColumnIndex;
use super::scalar::Row;
use super::{Ctx, Env};
use crate::ast::{Assign, Expr, Op, OpKind, ParsePart, SortKey};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Type, Value};

pub(crate) fn index_of(t: &Table) -> ColumnIndex {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.clone(), i))
        .collect()
}

/// `*` wildcard match.
pub(crate) fn wildcard(pat: &str, name: &str) -> bool {
    let parts: Vec<&str> = pat.split('*').collect();
    if parts.len() == 1 {
        return pat == name;
    }
    let mut rest = name;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(k) => rest = &rest[k + p.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The column name KQL gives an unnamed expression (`a.b` → `a_b`; in `by`, `bin(T, 1h)` → `T`).
pub(crate) fn derive_name(e: &Expr, key: bool) -> Option<String> {
    match e {
        Expr::Name(n, _) => Some(n.clone()),
        Expr::Member(b, n, _) => Some(format!("{}_{n}", derive_name(b, key)?)),
        Expr::Index(b, i, _) => match &**i {
            Expr::Lit(Value::String(s)) => Some(format!("{}_{s}", derive_name(b, key)?)),
            Expr::Lit(Value::Int(k)) => Some(format!("{}_{k}", derive_name(b, key)?)),
            _ => None,
        },
        Expr::Call(_, args, _) if key => args.first().and_then(|a| derive_name(a, key)),
        _ => None,
    }
}

/// Type of a computed column: first non-null value, else the fallback.
pub(crate) fn infer_type(rows: &[Vec<Value>], col: usize, fallback: Type) -> Type {
    rows.iter()
        .filter_map(|r| r.get(col))
        .find(|v| !v.is_null())
        .map_or(fallback, Value::type_of)
}

fn static_type(e: &Expr, t: &Table) -> Type {
    match e {
        Expr::Name(n, _) => t.column_index(n).map_or(Type::Dynamic, |i| t.columns[i].1),
        _ => Type::Dynamic,
    }
}

pub(crate) fn unknown_col(n: &str, off: usize) -> KqlError {
    KqlError::new(
        ErrorKind::UnknownColumn,
        off,
        format!("unknown column '{n}'"),
    )
}

impl Ctx<'_> {
    pub fn apply_op(&self, op: &Op, t: Arc<Table>, env: &Env) -> Result<Table> {
        let off = op.offset;
        match &op.kind {
            OpKind::Where(pred) => {
                let idx = index_of(&t);
                let mut rows = Vec::new();
                for r in &t.rows {
                    if self
                        .scalar(
                            pred,
                            env,
                            Some(&Row {
                                index: &idx,
                                vals: r,
                            }),
                        )?
                        .truthy()
                    {
                        rows.push(r.clone());
                    }
                }
                Ok(Table {
                    name: t.name.clone(),
                    columns: t.columns.clone(),
                    rows,
                })
            }
            OpKind::Project(items) => self.with_window(&t, || self.extend(&t, items, env, true)),
            OpKind::Extend(items) => self.with_window(&t, || self.extend(&t, items, env, false)),
            OpKind::ProjectAway(pats) | OpKind::ProjectKeep(pats) => {
                let keep_mode = matches!(op.kind, OpKind::ProjectKeep(_));
                for p in pats {
                    if !p.contains('*') && t.column_index(p).is_none() {
                        return Err(unknown_col(p, off));
                    }
                }
                let keep: Vec<usize> = (0..t.columns.len())
                    .filter(|&i| pats.iter().any(|p| wildcard(p, &t.columns[i].0)) == keep_mode)
                    .collect();
                Ok(select(&t, &keep))
            }
            OpKind::ProjectRename(pairs) => {
                let mut out = (*t).clone();
                for (new, old) in pairs {
                    let i = out.column_index(old).ok_or_else(|| unknown_col(old, off))?;
                    out.columns[i].0 = new.clone();
                }
                Ok(out)
            }
            OpKind::ProjectReorder(pats) => {
                let mut order: Vec<usize> = Vec::new();
                for p in pats {
                    let mut hit = false;
                    for i in 0..t.columns.len() {
                        if wildcard(p, &t.columns[i].0) && !order.contains(&i) {
                            order.push(i);
                            hit = true;
                        }
                    }
                    if !hit && !p.contains('*') {
                        return Err(unknown_col(p, off));
                    }
                }
                for i in 0..t.columns.len() {
                    if !order.contains(&i) {
                        order.push(i);
                    }
                }
                Ok(select(&t, &order))
            }
            OpKind::Summarize(aggs, by) => self.summarize(&t, aggs, by, env, off),
            OpKind::Sort(keys) => self.sort(&t, keys, env, None),
            OpKind::Top(n, key) => {
                let n = self.count_arg(n, env, off)?;
                self.sort(&t, std::slice::from_ref(key), env, Some(n))
            }
            OpKind::Take(n) => {
                let n = self.count_arg(n, env, off)?;
                Ok(Table {
                    name: t.name.clone(),
                    columns: t.columns.clone(),
                    rows: t.rows.iter().take(n).cloned().collect(),
                })
            }
            OpKind::Distinct(items) => {
                let base = if items.is_empty() {
                    (*t).clone()
                } else {
                    self.extend(&t, items, env, true)?
                };
                let mut seen = HashSet::new();
                let rows = base
                    .rows
                    .into_iter()
                    .filter(|r| seen.insert(r.iter().map(Value::key).collect::<Vec<_>>()))
                    .collect();
                Ok(Table {
                    name: base.name,
                    columns: base.columns,
                    rows,
                })
            }
            OpKind::Count => Ok(Table {
                name: t.name.clone(),
                columns: vec![("Count".into(), Type::Long)],
                rows: vec![vec![Value::Int(t.rows.len() as i64)]],
            }),
            OpKind::Join(kind, right, keys) => {
                let r = self.tabular(right, env)?;
                super::join::join(&t, &r, *kind, keys, off)
            }
            OpKind::Lookup(outer, right, keys) => {
                let r = self.tabular(right, env)?;
                super::join::lookup(&t, &r, *outer, keys, off)
            }
            OpKind::Union(u) => self.union(Some(t), u, env, off),
            OpKind::MvExpand(items, limit) => self.mv_expand(&t, items, *limit, env, off),
            OpKind::MvApply(items, ops) => self.mv_apply(&t, items, ops, env, off),
            OpKind::Parse(regex, e, parts) => self.parse_op(&t, *regex, e, parts, env, off, false),
            OpKind::ParseWhere(regex, e, parts) => {
                self.parse_op(&t, *regex, e, parts, env, off, true)
            }
            OpKind::MakeSeries(ms) => self.make_series(&t, ms, env, off),
            OpKind::PassThrough => Ok((*t).clone()),
            OpKind::GetSchema => Ok(Table {
                name: "getschema".into(),
                columns: vec![
                    ("ColumnName".into(), Type::String),
                    ("ColumnOrdinal".into(), Type::Int),
                    ("DataType".into(), Type::String),
                    ("ColumnType".into(), Type::String),
                ],
                rows: t
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (n, ty))| {
                        vec![
                            Value::from(n.as_str()),
                            Value::Int(i as i64),
                            Value::str(ty.clr_name()),
                            Value::str(ty.name()),
                        ]
                    })
                    .collect(),
            }),
            OpKind::Evaluate(name, args) if name == "bag_unpack" => {
                self.bag_unpack(&t, args, env, off)
            }
            OpKind::Evaluate(name, args) if name == "ipv4_lookup" => {
                self.ipv4_lookup(&t, args, env, off)
            }
            OpKind::Evaluate(name, _) => Err(KqlError::new(
                ErrorKind::Unsupported,
                off,
                format!("evaluate plugin '{name}' is not supported"),
            )),
            OpKind::Invoke(name, args) => self.invoke(name, args, t, env, off),
            OpKind::Unsupported(name) => Err(KqlError::new(
                ErrorKind::Unsupported,
                off,
                format!("operator '{name}' is not supported"),
            )),
        }
    }

    fn count_arg(&self, n: &Expr, env: &Env, off: usize) -> Result<usize> {
        match self.scalar(n, env, None)? {
            Value::Int(i) => Ok(usize::try_from(i).unwrap_or(0)),
            Value::Real(r) if r >= 0.0 => Ok(r as usize),
            _ => Err(KqlError::new(ErrorKind::Eval, off, "expected a row count")),
        }
    }

    /// `extend` (keep input columns) or `project` (only the listed ones).
    pub(crate) fn extend(
        &self,
        t: &Table,
        items: &[Assign],
        env: &Env,
        project: bool,
    ) -> Result<Table> {
        let mut columns: Vec<(String, Type)> = if project {
            Vec::new()
        } else {
            t.columns.clone()
        };
        // (target column, expression, declared type, tuple position)
        let mut targets: Vec<(usize, &Expr, Type, Option<usize>)> = Vec::new();
        let mut auto = 0;
        for a in items {
            let names: Vec<String> = if a.names.is_empty() {
                match derive_name(&a.expr, false) {
                    Some(n) => vec![n],
                    None => loop {
                        auto += 1;
                        let n = format!("Column{auto}");
                        if !columns.iter().any(|(c, _)| *c == n) {
                            break vec![n];
                        }
                    },
                }
            } else {
                a.names.clone()
            };
            let multi = names.len() > 1;
            for (k, n) in names.into_iter().enumerate() {
                let ty = static_type(&a.expr, t);
                let pos = match columns.iter().position(|(c, _)| *c == n) {
                    Some(p) => p,
                    None => {
                        columns.push((n, ty));
                        columns.len() - 1
                    }
                };
                targets.push((pos, &a.expr, ty, multi.then_some(k)));
            }
        }
        let in_idx = index_of(t);
        // Each extend expression sees the input columns plus the new columns assigned before it.
        let mut idx_at: Vec<ColumnIndex> = Vec::with_capacity(targets.len());
        let mut visible: ColumnIndex = if project {
            ColumnIndex::default()
        } else {
            index_of(t)
        };
        for (pos, _, _, _) in &targets {
            idx_at.push(visible.clone());
            visible.insert(columns[*pos].0.clone(), *pos);
        }
        let mut rows = Vec::with_capacity(t.rows.len());
        for (ri, r) in t.rows.iter().enumerate() {
            self.window_at(t, ri);
            let mut out = if project {
                vec![Value::Null; columns.len()]
            } else {
                r.clone()
            };
            out.resize(columns.len(), Value::Null);
            for (j, (pos, e, _, k)) in targets.iter().enumerate() {
                let v = if project {
                    self.scalar(
                        e,
                        env,
                        Some(&Row {
                            index: &in_idx,
                            vals: r,
                        }),
                    )?
                } else {
                    self.scalar(
                        e,
                        env,
                        Some(&Row {
                            index: &idx_at[j],
                            vals: &out,
                        }),
                    )?
                };
                out[*pos] = match k {
                    Some(k) => super::scalar::index(&v, &Value::Int(*k as i64)),
                    None => v,
                };
            }
            rows.push(out);
        }
        for (pos, _, ty, _) in &targets {
            columns[*pos].1 = infer_type(&rows, *pos, *ty);
        }
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }

    fn sort(&self, t: &Table, keys: &[SortKey], env: &Env, limit: Option<usize>) -> Result<Table> {
        let idx = index_of(t);
        let mut keyed: Vec<(Vec<Value>, usize)> = Vec::with_capacity(t.rows.len());
        for (i, r) in t.rows.iter().enumerate() {
            let mut k = Vec::with_capacity(keys.len());
            for key in keys {
                k.push(self.scalar(
                    &key.expr,
                    env,
                    Some(&Row {
                        index: &idx,
                        vals: r,
                    }),
                )?);
            }
            keyed.push((k, i));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for (i, key) in keys.iter().enumerate() {
                let (x, y) = (&a[i], &b[i]);
                let o = match (x.is_null(), y.is_null()) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => {
                        if key.nulls_first {
                            std::cmp::Ordering::Less
                        } else {
                            std::cmp::Ordering::Greater
                        }
                    }
                    (false, true) => {
                        if key.nulls_first {
                            std::cmp::Ordering::Greater
                        } else {
                            std::cmp::Ordering::Less
                        }
                    }
                    (false, false) => {
                        let o = x.sort_cmp(y);
                        if key.asc { o } else { o.reverse() }
                    }
                };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        let n = limit.unwrap_or(keyed.len());
        Ok(Table {
            name: t.name.clone(),
            columns: t.columns.clone(),
            rows: keyed
                .into_iter()
                .take(n)
                .map(|(_, i)| t.rows[i].clone())
                .collect(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn parse_op(
        &self,
        t: &Table,
        regex: bool,
        e: &Expr,
        parts: &[ParsePart],
        env: &Env,
        off: usize,
        filter: bool,
    ) -> Result<Table> {
        let mut pat = String::from("^");
        let mut cols: Vec<(String, Type)> = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            match p {
                ParsePart::Lit(s) => {
                    pat.push_str(&if regex { s.clone() } else { regex::escape(s) })
                }
                ParsePart::Star => pat.push_str(if last { ".*" } else { ".*?" }),
                ParsePart::Col(n, ty) => {
                    pat.push_str(match ty {
                        Type::Int | Type::Long => r"(-?\d+)",
                        Type::Real => r"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)",
                        _ if last => "(.*)",
                        _ => "(.*?)",
                    });
                    cols.push((n.clone(), *ty));
                }
            }
        }
        let re = self.regex(&pat, off)?;
        let mut columns = t.columns.clone();
        let positions: Vec<usize> = cols
            .iter()
            .map(|(n, ty)| match columns.iter().position(|(c, _)| c == n) {
                Some(p) => p,
                None => {
                    columns.push((n.clone(), *ty));
                    columns.len() - 1
                }
            })
            .collect();
        let idx = index_of(t);
        let mut rows = Vec::with_capacity(t.rows.len());
        for r in &t.rows {
            let text = self
                .scalar(
                    e,
                    env,
                    Some(&Row {
                        index: &idx,
                        vals: r,
                    }),
                )?
                .to_kql_string();
            let caps = re.captures(&text);
            if filter && caps.is_none() {
                continue;
            }
            let mut out = r.clone();
            out.resize(columns.len(), Value::Null);
            for (k, ((_, ty), pos)) in cols.iter().zip(&positions).enumerate() {
                out[*pos] = match caps.as_ref().and_then(|c| c.get(k + 1)) {
                    Some(m) => convert(&Value::str(m.as_str()), *ty),
                    None if *ty == Type::String => Value::str(""),
                    None => Value::Null,
                };
            }
            rows.push(out);
        }
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }
}

fn select(t: &Table, keep: &[usize]) -> Table {
    Table {
        name: t.name.clone(),
        columns: keep.iter().map(|&i| t.columns[i].clone()).collect(),
        rows: t
            .rows
            .iter()
            .map(|r| {
                keep.iter()
                    .map(|&i| r.get(i).cloned().unwrap_or_default())
                    .collect()
            })
            .collect(),
    }
}
