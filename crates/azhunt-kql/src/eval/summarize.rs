//! `summarize`: hash aggregation.
//!
//! Rows are grouped by a hash of their key values (one pass, O(n)); each group keeps one
//! small state per aggregate. Aggregates nested in a scalar expression
//! (`round(avg(x), 2)`, `count() * 2`) are lifted into hidden aggregates and the expression is
//! evaluated per group afterwards. Nulls are ignored by aggregates as the docs specify.
//! `dcount` is exact (a hash set), not HyperLogLog.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use super::funcs::AGGREGATES;
use super::ops::{derive_name, index_of, infer_type};
use super::scalar::ColumnIndex;
use super::scalar::{Row, binop};
use super::{Ctx, Env};
use crate::ast::{Assign, BinOp, Expr};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Key, Type, Value};

/// One aggregate to compute.
struct Spec {
    name: String,
    args: Vec<Expr>,
    /// For arg_max/arg_min: the extra output columns (input column index or expression).
    extra: Vec<Extra>,
    off: usize,
}

enum Extra {
    Col(usize),
    Expr(Expr),
}

enum St {
    N(i64),
    Set(HashSet<Key>, Vec<Value>, usize),
    List(Vec<Value>, usize),
    Acc(Option<Value>),
    Avg(f64, i64),
    Best(Option<Value>),
    Arg(Option<Value>, Vec<Value>),
    Any(Option<Vec<Value>>),
    Bag(BTreeMap<String, Value>),
    Nums(Vec<f64>),
}

/// An output column: either a direct aggregate output or a post-expression over hidden ones.
enum Out {
    Direct(usize, usize),
    Post(Expr),
}

/// What a summarize computes, worked out once from its clauses and input columns.
pub(crate) struct Plan {
    /// The group key expressions.
    by: Vec<Assign>,
    /// Output columns: the group keys, then the aggregates' outputs.
    columns: Vec<(String, Type)>,
    specs: Vec<Spec>,
    outs: Vec<(String, Out)>,
    /// Input column name → position.
    index: ColumnIndex,
    name: String,
}

/// One input row's group key values and its aggregates' argument values, evaluated before the
/// row is folded into its group. Arguments are kept as results: an error counts only if the
/// aggregate uses that argument for this row (`sumif`'s value when the predicate is false is
/// never looked at), as when arguments are evaluated on demand.
pub(crate) struct Evaluated {
    keys: Vec<Value>,
    /// Every aggregate's arguments, one after the other (`count()` has none: no allocation).
    args: Vec<Result<Value>>,
}

/// Groups folded so far: key → group number, and per group its key values and states.
pub(crate) struct Groups {
    /// Group numbers by the hash of their key values, looked up with a row's values as they
    /// are (no key copy per row).
    table: hashbrown::HashTable<usize>,
    /// aHash: fast on short keys through the `Hasher` interface (xxh3's streaming state
    /// costs a thousand instructions a key there) and randomly seeded, so key values from the
    /// evidence cannot be chosen to collide.
    hasher: ahash::RandomState,
    keys: Vec<Vec<Value>>,
    states: Vec<Vec<St>>,
}

impl Groups {
    pub(crate) fn new() -> Groups {
        Groups {
            table: hashbrown::HashTable::new(),
            hasher: ahash::RandomState::new(),
            keys: Vec::new(),
            states: Vec::new(),
        }
    }
}

/// The hash of a group key, consistent with [`same_key`].
fn hash_keys(hasher: &ahash::RandomState, keys: &[Value]) -> u64 {
    let mut h = hasher.build_hasher();
    for v in keys {
        match v {
            // Only strings make `Key::Str`; hashing the text spares the key copy.
            Value::String(s) => {
                h.write_u8(0xff);
                s.hash(&mut h);
            }
            other => other.key().hash(&mut h),
        }
    }
    h.finish()
}

/// Whether two group keys are one group: [`Value::key`] equality, strings compared in place.
fn same_key(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::String(p), Value::String(q)) => p == q,
            (Value::String(_), _) | (_, Value::String(_)) => false,
            _ => x.key() == y.key(),
        })
}

impl Plan {
    /// Whether folding reads the input row beyond the evaluated arguments (`arg_max` and
    /// `arg_min` keep other columns of the winning row).
    pub(crate) fn needs_row(&self) -> bool {
        self.specs.iter().any(|s| !s.extra.is_empty())
    }

    /// `vals` (a row of the input columns) as a row expressions can read.
    pub(crate) fn row<'a>(&'a self, vals: &'a [Value]) -> Row<'a> {
        Row {
            index: &self.index,
            vals,
        }
    }
}

impl Ctx<'_> {
    pub(crate) fn summarize(
        &self,
        t: &Table,
        aggs: &[Assign],
        by: &[Assign],
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let plan = self.summarize_plan(&t.name, &t.columns, aggs, by, off)?;
        let mut groups = Groups::new();
        for r in &t.rows {
            let row = plan.row(r);
            let ev = self.evaluate(&plan, &row, env)?;
            self.fold(&plan, &mut groups, ev, &row, env)?;
        }
        self.finish_groups(&plan, groups, env)
    }

    /// The plan of `summarize aggs by by` over a table called `name` with `columns`.
    pub(crate) fn summarize_plan(
        &self,
        name: &str,
        input: &[(String, Type)],
        aggs: &[Assign],
        by: &[Assign],
        off: usize,
    ) -> Result<Plan> {
        let t = Table {
            name: name.to_string(),
            columns: input.to_vec(),
            rows: Vec::new(),
        };
        // Output columns: keys first.
        let mut columns: Vec<(String, Type)> = Vec::new();
        let mut auto = 0;
        for b in by {
            let n = b
                .names
                .first()
                .cloned()
                .or_else(|| derive_name(&b.expr, true))
                .unwrap_or_else(|| {
                    auto += 1;
                    format!("Column{auto}")
                });
            columns.push((unique(&columns, n), Type::Dynamic));
        }
        let mut specs: Vec<Spec> = Vec::new();
        let mut outs: Vec<(String, Out)> = Vec::new();
        for a in aggs {
            if let Expr::Call(fname, args, coff) = &a.expr
                && AGGREGATES.contains(&fname.as_str())
            {
                let spec = self.spec(fname, args, *coff, &t, &columns)?;
                let mut names = spec_names(&spec, &t);
                for (i, n) in a.names.iter().enumerate() {
                    if let Some(slot) = names.get_mut(i) {
                        *slot = n.clone();
                    }
                }
                let si = specs.len();
                specs.push(spec);
                for (k, n) in names.into_iter().enumerate() {
                    let n = unique(&columns, n);
                    columns.push((n.clone(), Type::Dynamic));
                    outs.push((n, Out::Direct(si, k)));
                }
                continue;
            }
            let mut lifted = a.expr.clone();
            let before = specs.len();
            self.lift(&mut lifted, &mut specs, &t, &columns)?;
            if specs.len() == before {
                return Err(KqlError::new(
                    ErrorKind::Eval,
                    a.expr.offset().max(off),
                    "summarize needs an aggregate function (count(), sum(), ...)",
                ));
            }
            auto += 1;
            let n = a
                .names
                .first()
                .cloned()
                .unwrap_or_else(|| format!("Column{auto}"));
            let n = unique(&columns, n);
            columns.push((n.clone(), Type::Dynamic));
            outs.push((n, Out::Post(lifted)));
        }
        Ok(Plan {
            by: by.to_vec(),
            columns,
            specs,
            outs,
            index: index_of(&t),
            name: name.to_string(),
        })
    }

    /// Evaluates `row`'s group key and every aggregate argument.
    pub(crate) fn evaluate(&self, plan: &Plan, row: &Row, env: &Env) -> Result<Evaluated> {
        let mut keys = Vec::with_capacity(plan.by.len());
        for b in &plan.by {
            keys.push(self.scalar(&b.expr, env, Some(row))?);
        }
        let args = plan
            .specs
            .iter()
            .flat_map(|s| s.args.iter())
            .map(|a| match a {
                Expr::Star(_) => Ok(Value::Bool(true)),
                e => self.scalar(e, env, Some(row)),
            })
            .collect();
        Ok(Evaluated { keys, args })
    }

    /// Adds one evaluated row to its group (`row` is the input row, for `arg_max`'s extra
    /// columns).
    pub(crate) fn fold(
        &self,
        plan: &Plan,
        groups: &mut Groups,
        ev: Evaluated,
        row: &Row,
        env: &Env,
    ) -> Result<()> {
        let hash = hash_keys(&groups.hasher, &ev.keys);
        let found = {
            let Groups { table, keys, .. } = &*groups;
            table.find(hash, |&g| same_key(&keys[g], &ev.keys)).copied()
        };
        let g = match found {
            Some(g) => g,
            None => {
                let g = groups.keys.len();
                let Groups {
                    table,
                    keys,
                    hasher,
                    ..
                } = &mut *groups;
                table.insert_unique(hash, g, |&i| hash_keys(hasher, &keys[i]));
                groups.keys.push(ev.keys);
                groups.states.push(plan.specs.iter().map(init).collect());
                g
            }
        };
        let mut args = ev.args.as_slice();
        for (s, st) in plan.specs.iter().zip(groups.states[g].iter_mut()) {
            let (mine, rest) = args.split_at(s.args.len().min(args.len()));
            self.update(s, st, mine, row, env)?;
            args = rest;
        }
        Ok(())
    }

    /// The result table of the folded groups.
    pub(crate) fn finish_groups(&self, plan: &Plan, groups: Groups, env: &Env) -> Result<Table> {
        let Groups {
            mut keys,
            mut states,
            ..
        } = groups;
        let (specs, outs, mut columns) = (&plan.specs, &plan.outs, plan.columns.clone());
        if plan.by.is_empty() && keys.is_empty() {
            keys.push(Vec::new());
            states.push(specs.iter().map(init).collect());
        }

        // Finish.
        let mut rows = Vec::with_capacity(keys.len());
        for (kv, sts) in keys.into_iter().zip(states) {
            let finals: Vec<Vec<Value>> =
                specs.iter().zip(sts).map(|(s, st)| finish(s, st)).collect();
            let mut row = kv;
            // Post-expressions see the group keys and the hidden aggregates.
            let nk = row.len();
            let mut hidden: ColumnIndex = columns
                .iter()
                .take(nk)
                .enumerate()
                .map(|(i, (n, _))| (n.clone(), i))
                .collect();
            hidden.extend((0..specs.len()).map(|i| (format!("__agg{i}"), nk + i)));
            let mut hidden_vals: Vec<Value> = row.clone();
            hidden_vals.extend(
                finals
                    .iter()
                    .map(|f| f.first().cloned().unwrap_or_default()),
            );
            for (_, o) in outs {
                row.push(match o {
                    Out::Direct(si, k) => finals[*si].get(*k).cloned().unwrap_or_default(),
                    Out::Post(e) => self.scalar(
                        e,
                        env,
                        Some(&Row {
                            index: &hidden,
                            vals: &hidden_vals,
                        }),
                    )?,
                });
            }
            rows.push(row);
        }
        for (i, c) in columns.iter_mut().enumerate() {
            c.1 = infer_type(&rows, i, Type::Dynamic);
        }
        Ok(Table {
            name: plan.name.clone(),
            columns,
            rows,
        })
    }

    fn spec(
        &self,
        name: &str,
        args: &[Expr],
        off: usize,
        t: &Table,
        keys: &[(String, Type)],
    ) -> Result<Spec> {
        let name = match name {
            "count_distinct" => "dcount",
            "makeset" => "make_set",
            "makelist" => "make_list",
            "any" => "take_any",
            other => other,
        };
        let (min, max) = match name {
            "count" => (0, 1),
            "countif" | "take_anyif" => (1, 1),
            "dcountif" | "sumif" | "avgif" | "minif" | "maxif" | "make_set_if" | "make_list_if"
            | "make_bag_if" => (2, 3),
            "make_set" | "makeset" | "make_list" | "makelist" | "dcount" | "make_bag" => (1, 2),
            "percentile" => (2, 2),
            "arg_max" | "arg_min" | "take_any" | "any" => (1, usize::MAX),
            _ => (1, 1),
        };
        if args.len() < min || args.len() > max {
            return Err(KqlError::new(
                ErrorKind::Eval,
                off,
                format!("aggregate '{name}' got {} arguments", args.len()),
            ));
        }
        let mut extra = Vec::new();
        if matches!(name, "arg_max" | "arg_min") {
            let first = derive_name(&args[0], false);
            for a in &args[1..] {
                if matches!(a, Expr::Star(_)) {
                    for (i, (c, _)) in t.columns.iter().enumerate() {
                        let dup = Some(c) == first.as_ref() || keys.iter().any(|(k, _)| k == c);
                        if !dup {
                            extra.push(Extra::Col(i));
                        }
                    }
                } else {
                    extra.push(Extra::Expr(a.clone()));
                }
            }
        }
        Ok(Spec {
            name: name.to_string(),
            args: args.to_vec(),
            extra,
            off,
        })
    }

    /// Replaces aggregate calls inside `e` by hidden columns `__aggN`.
    fn lift(
        &self,
        e: &mut Expr,
        specs: &mut Vec<Spec>,
        t: &Table,
        keys: &[(String, Type)],
    ) -> Result<()> {
        match e {
            Expr::Call(n, args, off) if AGGREGATES.contains(&n.as_str()) => {
                let spec = self.spec(n, args, *off, t, keys)?;
                let o = *off;
                *e = Expr::Name(format!("__agg{}", specs.len()), o);
                specs.push(spec);
            }
            Expr::Call(_, args, _) => {
                for a in args {
                    self.lift(a, specs, t, keys)?;
                }
            }
            Expr::Bin(_, l, r, _) | Expr::StrCmp(_, _, l, r, _) | Expr::Index(l, r, _) => {
                self.lift(l, specs, t, keys)?;
                self.lift(r, specs, t, keys)?;
            }
            Expr::Member(b, _, _) | Expr::Neg(b, _) | Expr::Not(b, _) => {
                self.lift(b, specs, t, keys)?
            }
            _ => {}
        }
        Ok(())
    }

    fn update(
        &self,
        s: &Spec,
        st: &mut St,
        args: &[Result<Value>],
        row: &Row,
        env: &Env,
    ) -> Result<()> {
        let arg =
            |i: usize| -> Result<Value> { args.get(i).cloned().unwrap_or(Ok(Value::Bool(true))) };
        let pred_ok = |i: usize| -> Result<bool> { Ok(arg(i)?.truthy()) };
        match (s.name.as_str(), st) {
            ("count", St::N(n)) => {
                if s.args.is_empty() || !arg(0)?.is_null() {
                    *n += 1;
                }
            }
            ("countif", St::N(n)) => {
                if pred_ok(0)? {
                    *n += 1;
                }
            }
            (
                "dcount" | "dcountif" | "make_set" | "makeset" | "make_set_if",
                St::Set(seen, vals, limit),
            ) => {
                if s.name.ends_with("if") && !pred_ok(1)? {
                    return Ok(());
                }
                let v = arg(0)?;
                if !v.is_null() && vals.len() < *limit && seen.insert(v.key()) {
                    vals.push(v);
                }
            }
            ("make_list" | "makelist" | "make_list_if", St::List(vals, limit)) => {
                if s.name.ends_with("if") && !pred_ok(1)? {
                    return Ok(());
                }
                let v = arg(0)?;
                if !v.is_null() && vals.len() < *limit {
                    vals.push(v);
                }
            }
            ("make_bag" | "make_bag_if", St::Bag(m)) => {
                if s.name.ends_with("if") && !pred_ok(1)? {
                    return Ok(());
                }
                if let Value::Bag(b) = arg(0)? {
                    for (k, v) in b.iter() {
                        m.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            ("sum" | "sumif", St::Acc(acc)) => {
                if s.name == "sumif" && !pred_ok(1)? {
                    return Ok(());
                }
                let v = arg(0)?;
                if !v.is_null() {
                    *acc = Some(match acc.take() {
                        None => v,
                        Some(a) => binop(BinOp::Add, &a, &v, s.off)?,
                    });
                }
            }
            ("avg" | "avgif", St::Avg(sum, n)) => {
                if s.name == "avgif" && !pred_ok(1)? {
                    return Ok(());
                }
                if let Some(x) = arg(0)?.as_f64() {
                    *sum += x;
                    *n += 1;
                }
            }
            ("min" | "max" | "minif" | "maxif", St::Best(best)) => {
                if s.name.ends_with("if") && !pred_ok(1)? {
                    return Ok(());
                }
                let v = arg(0)?;
                if v.is_null() {
                    return Ok(());
                }
                let better = improves(&v, best.as_ref(), s.name.starts_with("max"));
                if better {
                    *best = Some(v);
                }
            }
            ("arg_max" | "arg_min", St::Arg(best, vals)) => {
                let v = arg(0)?;
                if v.is_null() {
                    return Ok(());
                }
                let better = improves(&v, best.as_ref(), s.name == "arg_max");
                if better {
                    vals.clear();
                    for x in &s.extra {
                        vals.push(match x {
                            Extra::Col(i) => row.vals.get(*i).cloned().unwrap_or_default(),
                            Extra::Expr(e) => self.scalar(e, env, Some(row))?,
                        });
                    }
                    *best = Some(v);
                }
            }
            ("take_any" | "any" | "take_anyif", St::Any(slot)) => {
                if slot.is_none() {
                    if s.name == "take_anyif" {
                        if pred_ok(0)? {
                            *slot = Some(vec![Value::Bool(true)]);
                        }
                        return Ok(());
                    }
                    let mut vals = Vec::new();
                    for i in 0..s.args.len() {
                        vals.push(arg(i)?);
                    }
                    *slot = Some(vals);
                }
            }
            ("stdev" | "variance" | "percentile", St::Nums(v)) => {
                if let Some(x) = arg(0)?.as_f64() {
                    v.push(x);
                }
            }
            (other, _) => {
                return Err(KqlError::new(
                    ErrorKind::UnknownFunction,
                    s.off,
                    format!("unsupported aggregate '{other}'"),
                ));
            }
        }
        Ok(())
    }
}

fn unique(cols: &[(String, Type)], n: String) -> String {
    if !cols.iter().any(|(c, _)| *c == n) {
        return n;
    }
    let mut k = 1;
    loop {
        let cand = format!("{n}{k}");
        if !cols.iter().any(|(c, _)| *c == cand) {
            return cand;
        }
        k += 1;
    }
}

fn limit_arg(s: &Spec, i: usize) -> usize {
    match s.args.get(i) {
        Some(Expr::Lit(Value::Int(n))) if *n > 0 => usize::try_from(*n).unwrap_or(usize::MAX),
        _ => 1_048_576,
    }
}

fn init(s: &Spec) -> St {
    match s.name.as_str() {
        "count" | "countif" => St::N(0),
        "dcount" | "make_set" | "makeset" => St::Set(
            HashSet::new(),
            Vec::new(),
            if s.name == "dcount" {
                usize::MAX
            } else {
                limit_arg(s, 1)
            },
        ),
        "dcountif" => St::Set(HashSet::new(), Vec::new(), usize::MAX),
        "make_set_if" => St::Set(HashSet::new(), Vec::new(), limit_arg(s, 2)),
        "make_list" | "makelist" => St::List(Vec::new(), limit_arg(s, 1)),
        "make_list_if" => St::List(Vec::new(), limit_arg(s, 2)),
        "make_bag" | "make_bag_if" => St::Bag(BTreeMap::new()),
        "sum" | "sumif" => St::Acc(None),
        "avg" | "avgif" => St::Avg(0.0, 0),
        "arg_max" | "arg_min" => St::Arg(None, Vec::new()),
        "take_any" | "any" | "take_anyif" => St::Any(None),
        "stdev" | "variance" | "percentile" => St::Nums(Vec::new()),
        _ => St::Best(None),
    }
}

fn finish(s: &Spec, st: St) -> Vec<Value> {
    match st {
        St::N(n) => vec![Value::Int(n)],
        St::Set(_, vals, _) if s.name.starts_with("dcount") => vec![Value::Int(vals.len() as i64)],
        St::Set(_, vals, _) | St::List(vals, _) => vec![Value::Array(Arc::new(vals))],
        St::Bag(m) => vec![Value::Bag(Arc::new(m))],
        St::Acc(a) => vec![a.unwrap_or(Value::Int(0))],
        St::Avg(sum, n) => vec![if n == 0 {
            Value::Null
        } else {
            Value::Real(sum / n as f64)
        }],
        St::Best(b) => vec![b.unwrap_or_default()],
        St::Arg(b, mut vals) => {
            vals.resize(s.extra.len(), Value::Null);
            let mut out = vec![b.unwrap_or_default()];
            out.extend(vals);
            out
        }
        St::Any(v) if s.name == "take_anyif" => vec![Value::Bool(v.is_some())],
        St::Any(v) => {
            let mut v = v.unwrap_or_default();
            v.resize(s.args.len().max(1), Value::Null);
            v
        }
        St::Nums(mut v) => {
            if v.is_empty() {
                return vec![Value::Null];
            }
            if s.name == "percentile" {
                v.sort_by(f64::total_cmp);
                let p = match s.args.get(1) {
                    Some(Expr::Lit(x)) => x.as_f64().unwrap_or(50.0),
                    _ => 50.0,
                };
                let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
                return vec![Value::Real(v[rank.clamp(1, v.len()) - 1])];
            }
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = if v.len() < 2 {
                0.0
            } else {
                v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
            };
            vec![Value::Real(if s.name == "stdev" {
                var.sqrt()
            } else {
                var
            })]
        }
    }
}

/// Default output names: `count_`, `sum_X`, `dcount_X`, `set_X` (make_set), `list_X`
/// (make_list), `any_X`; arg_max/arg_min keep the column names.
fn spec_names(s: &Spec, t: &Table) -> Vec<String> {
    let arg_name = s
        .args
        .first()
        .and_then(|a| derive_name(a, false))
        .unwrap_or_default();
    let prefix = match s.name.as_str() {
        "count" => return vec!["count_".into()],
        "countif" => return vec!["countif_".into()],
        "make_set" | "makeset" | "make_set_if" => "set",
        "make_list" | "makelist" | "make_list_if" => "list",
        "make_bag" | "make_bag_if" => "bag",
        "take_any" | "any" => "any",
        "arg_max" | "arg_min" => {
            let mut v = vec![if arg_name.is_empty() {
                format!("{}_", s.name.trim_start_matches("arg_"))
            } else {
                arg_name
            }];
            for x in &s.extra {
                v.push(match x {
                    Extra::Col(i) => t.columns[*i].0.clone(),
                    Extra::Expr(e) => derive_name(e, false).unwrap_or_else(|| "Column".into()),
                });
            }
            return v;
        }
        "percentile" => {
            let p = match s.args.get(1) {
                Some(Expr::Lit(v)) => v.to_kql_string(),
                _ => String::new(),
            };
            return vec![format!("percentile_{arg_name}_{p}")];
        }
        other => other,
    };
    if s.name.starts_with("take_any") || s.name == "any" {
        let mut v = vec![format!("{prefix}_{arg_name}")];
        for a in s.args.iter().skip(1) {
            v.push(format!(
                "{prefix}_{}",
                derive_name(a, false).unwrap_or_default()
            ));
        }
        return v;
    }
    vec![format!("{prefix}_{arg_name}")]
}

/// Whether `v` beats the best value so far (`max`: greater, else smaller; the first value always).
fn improves(v: &Value, best: Option<&Value>, max: bool) -> bool {
    best.is_none_or(|b| {
        let o = v.sort_cmp(b);
        if max { o.is_gt() } else { o.is_lt() }
    })
}
