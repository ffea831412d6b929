//! Evaluator: statements, name scopes, tabular sources.
//!
//! Scopes are a persistent linked list so a `let` function can capture its defining scope
//! cheaply. Tabular `let`s are lazy and evaluated at most once (a `let T = ...;` that is never
//! used — e.g. one reading `externaldata` — cannot fail the query). Scalar `let`s are evaluated
//! when bound.

mod funcs;
mod funcs_str;
mod funcs_time;
mod join;
mod mvexpand;
mod ops;
mod plugins;
mod rowfilter;
mod rowsummarize;
mod scalar;
mod series;
mod strops;
mod summarize;
mod time;
mod validate;
mod window;

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use regex::Regex;

use crate::ast::{Expr, Func, LetValue, Stmt, Union};
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::{Catalog, Table};
use crate::value::{Type, Value};

thread_local! {
    /// Compiled regexes by pattern, shared by every evaluation on the thread: row-at-a-time
    /// evaluators (a pushed-down `where` or `summarize`) make a context per row, and compiling
    /// a pattern per row cost more than the rest of such a query.
    static REGEXES: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// Patterns built from row values could grow the cache without bound; it starts over instead.
const MAX_CACHED_REGEXES: usize = 256;

/// `now()` as the evaluator holds it: nanoseconds since the epoch (saturating).
pub(crate) fn nanos(now: jiff::Timestamp) -> i64 {
    i64::try_from(now.as_nanosecond()).unwrap_or(i64::MAX)
}

pub use rowfilter::RowFilter;
pub use rowsummarize::{Grouping, Prepared, RowSummarize};
use scalar::Row;

/// A value bound to a name.
#[derive(Clone)]
pub(crate) enum Binding {
    Scalar(Value),
    Tab(Rc<LazyTab>),
    Func(Rc<Func>, Env),
}

pub(crate) struct LazyTab {
    expr: Option<Expr>,
    env: Env,
    cell: OnceCell<Result<Arc<Table>>>,
}

impl LazyTab {
    /// A binding to a table that is already computed.
    fn ready(t: Arc<Table>) -> Rc<LazyTab> {
        let cell = OnceCell::new();
        let _ = cell.set(Ok(t));
        Rc::new(LazyTab {
            expr: None,
            env: Env::default(),
            cell,
        })
    }
}

/// A scope chain.
#[derive(Clone, Default)]
pub(crate) struct Env(Option<Rc<Scope>>);

pub(crate) struct Scope {
    name: String,
    binding: Binding,
    parent: Env,
}

impl Env {
    fn bind(&self, name: String, binding: Binding) -> Env {
        Env(Some(Rc::new(Scope {
            name,
            binding,
            parent: self.clone(),
        })))
    }

    fn get(&self, name: &str) -> Option<&Binding> {
        let mut cur = self.0.as_ref();
        while let Some(s) = cur {
            if s.name == name {
                return Some(&s.binding);
            }
            cur = s.parent.0.as_ref();
        }
        None
    }

    fn id(&self) -> usize {
        self.0.as_ref().map_or(0, |r| Rc::as_ptr(r) as usize)
    }
}

/// A statement's value.
pub(crate) enum Datum {
    Scalar(Value),
    Tab(Arc<Table>),
}

type ListCache = HashMap<(usize, usize), (Env, Rc<Vec<Value>>)>;

/// Shared evaluation state.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a dyn Catalog,
    pub now: i64,
    /// `in (...)` lists by (list address, scope address); the scope is kept alive so addresses
    /// cannot be reused while cached.
    list_cache: RefCell<ListCache>,
    /// Rows of the running `extend`/`project`, for window functions.
    window: RefCell<Option<window::Window>>,
}

impl<'a> Ctx<'a> {
    pub fn new(catalog: &'a dyn Catalog, now: i64) -> Ctx<'a> {
        Ctx {
            catalog,
            now,
            list_cache: RefCell::default(),
            window: RefCell::default(),
        }
    }

    /// Compiles (and caches, per thread) a regex, reporting errors at `off`.
    pub fn regex(&self, pattern: &str, off: usize) -> Result<Rc<Regex>> {
        if let Some(r) = REGEXES.with_borrow(|c| c.get(pattern).cloned()) {
            return Ok(r);
        }
        let re = regex::RegexBuilder::new(pattern)
            .size_limit(1 << 22)
            .build()
            .map_err(|e| {
                KqlError::new(
                    ErrorKind::Eval,
                    off,
                    format!("invalid regex '{pattern}': {e}"),
                )
            })?;
        let re = Rc::new(re);
        REGEXES.with_borrow_mut(|c| {
            if c.len() >= MAX_CACHED_REGEXES {
                c.clear();
            }
            c.insert(pattern.to_string(), re.clone());
        });
        Ok(re)
    }

    /// Runs statements; returns the last expression statement's value.
    pub fn run_stmts(&self, stmts: &[Stmt], env: &Env) -> Result<Option<Datum>> {
        let mut env = env.clone();
        let mut last = None;
        for s in stmts {
            match s {
                Stmt::Let { name, value, .. } => {
                    let b = match value {
                        LetValue::Func(f) => Binding::Func(Rc::new(f.clone()), env.clone()),
                        LetValue::Expr(e) => self.bind_expr(e, &env)?,
                    };
                    env = env.bind(name.clone(), b);
                }
                Stmt::Expr(e) => last = Some(self.datum(e, &env, None)?),
            }
        }
        Ok(last)
    }

    fn bind_expr(&self, e: &Expr, env: &Env) -> Result<Binding> {
        if self.is_tabular(e, env) {
            return Ok(Binding::Tab(Rc::new(LazyTab {
                expr: Some(e.clone()),
                env: env.clone(),
                cell: OnceCell::new(),
            })));
        }
        if let Expr::Name(n, _) = e
            && let Some(b) = env.get(n)
        {
            return Ok(b.clone());
        }
        Ok(match self.datum(e, env, None)? {
            Datum::Scalar(v) => Binding::Scalar(v),
            Datum::Tab(t) => Binding::Tab(LazyTab::ready(t)),
        })
    }

    /// True when `e` is syntactically or by name a tabular expression.
    pub fn is_tabular(&self, e: &Expr, env: &Env) -> bool {
        match e {
            Expr::Pipe(..) | Expr::DataTable(..) | Expr::Union(..) | Expr::Unsupported(..) => true,
            Expr::Call(n, _, _) => {
                matches!(
                    n.as_str(),
                    "__single_row" | "__range" | "materialize" | "table" | "view"
                )
            }
            Expr::Name(n, _) => match env.get(n) {
                Some(Binding::Tab(_)) => true,
                Some(_) => false,
                None => self.catalog.table(n).is_some(),
            },
            _ => false,
        }
    }

    /// Evaluates an expression that may be scalar or tabular.
    pub fn datum(&self, e: &Expr, env: &Env, row: Option<&Row>) -> Result<Datum> {
        if self.is_tabular(e, env) {
            return Ok(Datum::Tab(self.tabular(e, env)?));
        }
        if let Expr::Call(n, args, off) = e
            && let Some(Binding::Func(f, fenv)) = env.get(n)
        {
            let (f, fenv) = (f.clone(), fenv.clone());
            return self.call_user(&f, &fenv, args, env, row, *off, n);
        }
        Ok(Datum::Scalar(self.scalar(e, env, row)?))
    }

    /// `T | invoke f(args)`: calls the user function `f` with `T` as its first argument.
    pub fn invoke(
        &self,
        name: &str,
        args: &[Expr],
        input: Arc<Table>,
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let Some(Binding::Func(f, fenv)) = env.get(name) else {
            return Err(KqlError::new(
                ErrorKind::UnknownFunction,
                off,
                format!("unknown function '{name}' (invoke needs a let-defined tabular function)"),
            ));
        };
        let (f, fenv) = (f.clone(), fenv.clone());
        const INPUT: &str = "__invoke_input";
        let env = env.bind(INPUT.to_string(), Binding::Tab(LazyTab::ready(input)));
        let mut all = vec![Expr::Name(INPUT.to_string(), off)];
        all.extend(args.iter().cloned());
        match self.call_user(&f, &fenv, &all, &env, None, off, name)? {
            Datum::Tab(t) => Ok(Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone())),
            Datum::Scalar(_) => Err(KqlError::new(
                ErrorKind::Eval,
                off,
                format!("function '{name}' used with invoke must return a table"),
            )),
        }
    }

    /// Calls a user function.
    #[allow(clippy::too_many_arguments)]
    pub fn call_user(
        &self,
        f: &Func,
        fenv: &Env,
        args: &[Expr],
        env: &Env,
        row: Option<&Row>,
        off: usize,
        name: &str,
    ) -> Result<Datum> {
        if args.len() > f.params.len() {
            return Err(KqlError::new(
                ErrorKind::Eval,
                off,
                format!(
                    "function '{name}' expects {} arguments, got {}",
                    f.params.len(),
                    args.len()
                ),
            ));
        }
        let mut inner = fenv.clone();
        for (i, (pname, default)) in f.params.iter().enumerate() {
            let b = match (args.get(i), default) {
                (Some(a), _) => match self.datum(a, env, row)? {
                    Datum::Scalar(v) => Binding::Scalar(v),
                    Datum::Tab(t) => Binding::Tab(LazyTab::ready(t)),
                },
                (None, Some(d)) => Binding::Scalar(self.scalar(d, fenv, None)?),
                (None, None) => {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        off,
                        format!("function '{name}' is missing argument '{pname}'"),
                    ));
                }
            };
            inner = inner.bind(pname.clone(), b);
        }
        self.run_stmts(&f.body, &inner)?.ok_or_else(|| {
            KqlError::new(
                ErrorKind::Eval,
                off,
                format!("function '{name}' has no result expression"),
            )
        })
    }

    /// Evaluates a tabular expression.
    pub fn tabular(&self, e: &Expr, env: &Env) -> Result<Arc<Table>> {
        match e {
            Expr::Name(n, off) => match env.get(n) {
                Some(Binding::Tab(lazy)) => {
                    let lazy = lazy.clone();
                    lazy.cell
                        .get_or_init(|| match &lazy.expr {
                            Some(x) => self.tabular(x, &lazy.env),
                            None => Err(KqlError::new(ErrorKind::Eval, *off, "empty binding")),
                        })
                        .clone()
                }
                Some(Binding::Scalar(_)) => Err(KqlError::new(
                    ErrorKind::Eval,
                    *off,
                    format!("'{n}' is a scalar, not a table"),
                )),
                Some(Binding::Func(..)) => Err(KqlError::new(
                    ErrorKind::Eval,
                    *off,
                    format!("'{n}' is a function; call it as {n}()"),
                )),
                None => self.catalog.table(n).ok_or_else(|| {
                    KqlError::new(
                        ErrorKind::UnknownTable,
                        *off,
                        format!("unknown table or variable '{n}'"),
                    )
                }),
            },
            Expr::Pipe(src, ops) => {
                let mut t = self.tabular(src, env)?;
                for op in ops {
                    t = Arc::new(self.apply_op(op, t, env)?);
                }
                Ok(t)
            }
            Expr::DataTable(cols, vals, off) => {
                let mut values = Vec::with_capacity(vals.len());
                for v in vals {
                    values.push(self.scalar(v, env, None)?);
                }
                if cols.is_empty() || values.len() % cols.len() != 0 {
                    return Err(KqlError::new(
                        ErrorKind::Eval,
                        *off,
                        format!(
                            "datatable has {} values, not a multiple of {} columns",
                            values.len(),
                            cols.len()
                        ),
                    ));
                }
                let rows = values
                    .chunks(cols.len())
                    .map(|c| {
                        c.iter()
                            .zip(cols.iter())
                            .map(|(v, (_, t))| funcs::convert(v, *t))
                            .collect()
                    })
                    .collect();
                Ok(Arc::new(Table {
                    name: "datatable".into(),
                    columns: cols.clone(),
                    rows,
                }))
            }
            Expr::Union(u, off) => Ok(Arc::new(self.union(None, u, env, *off)?)),
            Expr::Call(n, args, off) => self.tabular_call(n, args, env, *off),
            Expr::Unsupported(n, off) => Err(KqlError::new(
                ErrorKind::Unsupported,
                *off,
                format!("'{n}' is not supported (no external data access)"),
            )),
            other => Err(KqlError::new(
                ErrorKind::Eval,
                other.offset(),
                "expected a tabular expression",
            )),
        }
    }

    fn tabular_call(&self, n: &str, args: &[Expr], env: &Env, off: usize) -> Result<Arc<Table>> {
        match n {
            "__single_row" => Ok(Arc::new(Table {
                name: "print".into(),
                columns: Vec::new(),
                rows: vec![Vec::new()],
            })),
            "__range" => {
                let name = match args.first() {
                    Some(Expr::Lit(v)) => v.to_kql_string(),
                    _ => "value".into(),
                };
                let vals: Vec<Value> = args
                    .iter()
                    .skip(1)
                    .map(|a| self.scalar(a, env, None))
                    .collect::<Result<_>>()?;
                funcs::range_table(&name, &vals, off).map(Arc::new)
            }
            "materialize" | "view" => match args.first() {
                Some(a) => self.tabular(a, env),
                None => Err(KqlError::new(
                    ErrorKind::Eval,
                    off,
                    format!("{n}() expects a tabular argument"),
                )),
            },
            "table" => {
                let name = match args.first() {
                    Some(a) => self.scalar(a, env, None)?.to_kql_string(),
                    None => String::new(),
                };
                self.tabular(&Expr::Name(name, off), env)
            }
            _ => match env.get(n) {
                Some(Binding::Func(f, fenv)) => {
                    let (f, fenv) = (f.clone(), fenv.clone());
                    match self.call_user(&f, &fenv, args, env, None, off, n)? {
                        Datum::Tab(t) => Ok(t),
                        Datum::Scalar(_) => Err(KqlError::new(
                            ErrorKind::Eval,
                            off,
                            format!("function '{n}' returns a scalar, not a table"),
                        )),
                    }
                }
                _ => Err(KqlError::new(
                    ErrorKind::UnknownFunction,
                    off,
                    format!("unknown tabular function '{n}'"),
                )),
            },
        }
    }

    /// `union` of `first` (if an input) and the listed tables, merging columns by name.
    pub fn union(
        &self,
        first: Option<Arc<Table>>,
        u: &Union,
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let mut parts: Vec<(String, Arc<Table>)> = Vec::new();
        if let Some(f) = first {
            parts.push((f.name.clone(), f));
        }
        for t in &u.tables {
            match t {
                Expr::Name(n, noff) if n.contains('*') => {
                    for name in self.catalog.table_names() {
                        if crate::eval::ops::wildcard(n, &name)
                            && let Some(tab) = self.catalog.table(&name)
                        {
                            parts.push((name, tab));
                        }
                    }
                    let _ = noff;
                }
                other => match self.tabular(other, env) {
                    Ok(tab) => {
                        let name = match other {
                            Expr::Name(n, _) => n.clone(),
                            _ => tab.name.clone(),
                        };
                        parts.push((name, tab));
                    }
                    Err(e) if u.fuzzy && e.kind == ErrorKind::UnknownTable => {}
                    Err(e) => return Err(e),
                },
            }
        }
        let mut columns: Vec<(String, Type)> = Vec::new();
        if let Some(ws) = &u.with_source {
            columns.push((ws.clone(), Type::String));
        }
        for (_, t) in &parts {
            for (n, ty) in &t.columns {
                if !columns.iter().any(|(c, _)| c == n) {
                    columns.push((n.clone(), *ty));
                }
            }
        }
        if u.inner {
            columns.retain(|(n, _)| {
                Some(n) == u.with_source.as_ref()
                    || parts.iter().all(|(_, t)| t.column_index(n).is_some())
            });
        }
        let mut rows = Vec::new();
        for (name, t) in &parts {
            let map: Vec<Option<usize>> = columns
                .iter()
                .map(|(c, _)| {
                    if Some(c) == u.with_source.as_ref() {
                        None
                    } else {
                        t.column_index(c)
                    }
                })
                .collect();
            for r in &t.rows {
                rows.push(
                    map.iter()
                        .zip(columns.iter())
                        .map(|(m, (c, _))| match m {
                            Some(i) => r.get(*i).cloned().unwrap_or_default(),
                            None if Some(c) == u.with_source.as_ref() => Value::from(name.as_str()),
                            None => Value::Null,
                        })
                        .collect(),
                );
            }
        }
        let _ = off;
        Ok(Table {
            name: "union".into(),
            columns,
            rows,
        })
    }
}
