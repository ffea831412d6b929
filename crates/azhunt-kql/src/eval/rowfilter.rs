//! A `where` predicate evaluated on one row at a time, outside a query run.
//!
//! An integrator that builds tables from a stream can drop, while building, the rows a query's
//! leading `where` would drop anyway — the table of a selective query then never holds the
//! millions of rows it filters out. Only predicates that depend on nothing but the row qualify:
//! every name a column of the table, no tabular sub-expression, no window function. The filter
//! is conservative: a row whose predicate fails to evaluate is kept, and the query still runs
//! its `where`, so the result is exactly the unfiltered one.

use std::collections::HashMap;

use super::scalar::Row;
use super::{Ctx, Env, validate};
use crate::ast::{Expr, OpKind, Query, Stmt};
use crate::table::MemoryCatalog;
use crate::value::Value;

/// Functions whose value depends on other rows or on tables.
const NOT_ROW_LOCAL: [&str; 7] = [
    "prev",
    "next",
    "row_number",
    "row_cumsum",
    "row_window_session",
    "toscalar",
    "materialize",
];

/// A row-local predicate over the columns of one table.
#[derive(Debug, Clone)]
pub struct RowFilter {
    pred: Expr,
    index: HashMap<String, usize>,
    now: i64,
}

impl RowFilter {
    /// The leading `where` of `query` when the query's result is `table | where P | …`, `table`
    /// is named nowhere else in `text`, and `P` reads only the row (`columns` are the table's,
    /// in row order). `None` when the query has no such predicate.
    pub fn leading_where(
        query: &Query,
        text: &str,
        table: &str,
        columns: &[String],
        now: jiff::Timestamp,
    ) -> Option<RowFilter> {
        let uses = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| *w == table)
            .count();
        if uses != 1 {
            return None;
        }
        let last = query.stmts.iter().rev().find_map(|s| match s {
            Stmt::Expr(e) => Some(e),
            Stmt::Let { .. } => None,
        })?;
        let Expr::Pipe(src, ops) = last else {
            return None;
        };
        if !matches!(src.as_ref(), Expr::Name(n, _) if n == table) {
            return None;
        }
        let OpKind::Where(pred) = &ops.first()?.kind else {
            return None;
        };
        let index: HashMap<String, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let mut local = true;
        let mut check = |e: &Expr| match e {
            Expr::Name(n, _) if !index.contains_key(n) => local = false,
            Expr::Call(f, _, _) if NOT_ROW_LOCAL.contains(&f.as_str()) => local = false,
            Expr::Pipe(..) | Expr::DataTable(..) | Expr::Union(..) | Expr::Star(_) => local = false,
            Expr::Unsupported(..) => local = false,
            _ => {}
        };
        check(pred);
        validate::visit(pred, &mut check);
        local.then(|| RowFilter {
            pred: pred.clone(),
            index,
            now: i64::try_from(now.as_nanosecond()).unwrap_or(i64::MAX),
        })
    }

    /// Whether the query could keep `row`: false only when the predicate is certainly not true.
    pub fn keep(&self, row: &[Value]) -> bool {
        let catalog = MemoryCatalog::new();
        let ctx = Ctx::new(&catalog, self.now);
        let r = Row {
            index: &self.index,
            vals: row,
        };
        match ctx.scalar(&self.pred, &Env::default(), Some(&r)) {
            Ok(v) => v.truthy(),
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(q: &str) -> Option<RowFilter> {
        let parsed = crate::parse(q).unwrap();
        let cols = ["Caller".to_string(), "TimeGenerated".to_string()];
        RowFilter::leading_where(&parsed, q, "T", &cols, jiff::Timestamp::UNIX_EPOCH)
    }

    fn row(caller: &str) -> Vec<Value> {
        vec![Value::from(caller), Value::DateTime(5)]
    }

    #[test]
    fn leading_row_local_where_filters() {
        let f = filter("T | where Caller has 'alice' and TimeGenerated > ago(1d) | count").unwrap();
        assert!(f.keep(&row("alice@x")));
        assert!(!f.keep(&row("bob@x")));
        let f = filter("T | where Caller matches regex '^a' | project Caller").unwrap();
        assert!(f.keep(&row("anna")) && !f.keep(&row("bob")));
    }

    #[test]
    fn anything_else_is_not_pushed_down() {
        assert!(filter("T | project Caller | where Caller == 'a'").is_none());
        assert!(
            filter("let x = 'a'; T | where Caller == x").is_none(),
            "names a let"
        );
        assert!(
            filter("T | where Caller in (T | project Caller)").is_none(),
            "T twice"
        );
        assert!(filter("T | where Nope == 1").is_none(), "not a column");
        assert!(filter("T | where row_number() > 1").is_none());
        assert!(filter("U | where Caller == 'a'").is_none(), "another table");
    }

    #[test]
    fn errors_keep_the_row() {
        let f = filter("T | where toint(Caller) / 0 > 1").unwrap();
        let _ = f.keep(&row("7"));
        let f = filter("T | where Caller matches regex '('").unwrap();
        assert!(
            f.keep(&row("x")),
            "a bad regex is the query's error to report"
        );
    }
}
