//! azhunt-kql: an in-memory KQL (Kusto Query Language) engine.
//!
//! azhunt hunts over Azure logs with Sentinel-style detection content, which is written in KQL.
//! This crate runs such queries over tables the caller builds in memory: text → [`lexer`] →
//! [`parser`] (recursive descent) → [`ast`] → evaluator. It is generic: it knows nothing of
//! azhunt's event model; the integrator maps events into [`Table`]s and provides a [`Catalog`].
//!
//! ```
//! use azhunt_kql::{run, MemoryCatalog, Options, Table, Type, Value};
//! let mut cat = MemoryCatalog::new();
//! let mut t = Table::new("AzureActivity", vec![("Caller".into(), Type::String)]);
//! t.rows.push(vec![Value::from("alice@contoso.com")]);
//! cat.insert(t);
//! let opts = Options { now: jiff::Timestamp::UNIX_EPOCH };
//! let out = run("AzureActivity | where Caller has 'contoso' | count", &cat, &opts).unwrap();
//! assert_eq!(out.rows[0][0], Value::Int(1));
//! ```

pub mod ast;
mod error;
mod eval;
mod json;
pub mod lexer;
pub mod parser;
mod table;
mod value;

pub use error::{ErrorKind, KqlError, Result};
pub use eval::{Grouping, Prepared, RowFilter, RowSummarize};
pub use table::{Catalog, MemoryCatalog, Table};
pub use value::{
    Key, Type, Value, format_datetime_iso, format_timespan, parse_datetime, parse_timespan,
};

use std::sync::Arc;

/// Evaluation options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The value of `now()`; `ago(x)` is `now - x`.
    pub now: jiff::Timestamp,
}

/// Parses a query without running it (syntax check, with offsets in errors).
pub fn parse(query: &str) -> Result<ast::Query> {
    parser::parse(query)
}

/// Parses and runs `query` over `catalog`. A final scalar expression yields a one-row table
/// with column `print_0`.
pub fn run(query: &str, catalog: &dyn Catalog, opts: &Options) -> Result<Table> {
    let q = parser::parse(query)?;
    run_parsed(&q, catalog, opts)
}

/// Runs an already parsed query.
pub fn run_parsed(q: &ast::Query, catalog: &dyn Catalog, opts: &Options) -> Result<Table> {
    let ctx = eval::Ctx::new(catalog, eval::nanos(opts.now));
    ctx.validate(q)?;
    match ctx.run_stmts(&q.stmts, &eval::Env::default())? {
        Some(eval::Datum::Tab(t)) => Ok(Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone())),
        Some(eval::Datum::Scalar(v)) => {
            let ty = v.type_of();
            Ok(Table {
                name: "print".into(),
                columns: vec![("print_0".into(), ty)],
                rows: vec![vec![v]],
            })
        }
        None => Err(KqlError::new(
            ErrorKind::Parse,
            0,
            "the query has no tabular expression to return",
        )),
    }
}
