//! A `where` predicate evaluated on one row at a time, outside a query run.
//!
//! An integrator that builds tables from a stream can drop, while building, the rows a query's
//! leading `where` would drop anyway — the table of a selective query then never holds the
//! millions of rows it filters out. Only predicates that depend on nothing but the row qualify:
//! every name a column of the table, no tabular sub-expression, no window function. The filter
//! is conservative: a row whose predicate fails to evaluate is kept, and the query still runs
//! its `where`, so the result is exactly the unfiltered one.

use std::borrow::Cow;

use super::scalar::ColumnIndex;
use super::scalar::Row;
use super::{Ctx, Env, validate};
use crate::ast::{Expr, Op, OpKind, Query, Stmt};
use crate::table::{MemoryCatalog, normalize_row};
use crate::value::{Type, Value};

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
    index: ColumnIndex,
    columns: Vec<(String, Type)>,
    now: i64,
}

/// The operators of the query's result expression when it reads `table` directly
/// (`table | op | …`) and `table` is named nowhere else in `text` (no `let` of that name, no
/// second use, no `table("…")`, no wildcard `union` that could reach it).
pub(crate) fn ops_over<'q>(query: &'q Query, text: &str, table: &str) -> Option<&'q [Op]> {
    let words = || text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    if words().filter(|w| *w == table).count() != 1 {
        return None;
    }
    if words().any(|w| w == "union") && text.contains('*') {
        return None;
    }
    let Some(Stmt::Expr(Expr::Pipe(src, ops))) = query.stmts.get(result_index(query)?) else {
        return None;
    };
    matches!(src.as_ref(), Expr::Name(n, _) if n == table).then_some(ops.as_slice())
}

/// The position of the statement whose value is the query's result: the last expression.
pub(crate) fn result_index(query: &Query) -> Option<usize> {
    query.stmts.iter().rposition(|s| matches!(s, Stmt::Expr(_)))
}

/// Whether `e` reads nothing but the row: every name a column in `index`, no `let`-bound name
/// or function, no tabular sub-expression, no window function.
pub(crate) fn row_local(e: &Expr, index: &ColumnIndex, query: &Query) -> bool {
    let lets: Vec<&str> = query
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Let { name, .. } => Some(name.as_str()),
            Stmt::Expr(_) => None,
        })
        .collect();
    let mut local = true;
    let mut check = |e: &Expr| match e {
        Expr::Name(n, _) if !index.contains_key(n) || lets.contains(&n.as_str()) => local = false,
        Expr::Call(f, _, _)
            if NOT_ROW_LOCAL.contains(&f.as_str()) || lets.contains(&f.as_str()) =>
        {
            local = false
        }
        Expr::Pipe(..) | Expr::DataTable(..) | Expr::Union(..) | Expr::Star(_) => local = false,
        Expr::Unsupported(..) => local = false,
        _ => {}
    };
    check(e);
    validate::visit(e, &mut check);
    local
}

/// Column name → position.
pub(crate) fn index_of_columns(columns: &[(String, Type)]) -> ColumnIndex {
    columns
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.clone(), i))
        .collect()
}

/// What inserting a row into a table does to it ([`Table::normalize_strings`]): a null in a
/// string column reads as `""`. Filters run on rows before they reach a table, so they see
/// the rows as the query would.
pub(crate) fn as_in_table<'r>(columns: &[(String, Type)], row: &'r [Value]) -> Cow<'r, [Value]> {
    let null_string = |(v, (_, t)): (&Value, &(String, Type))| {
        v.is_null() && matches!(t, Type::String | Type::Guid)
    };
    if row.len() == columns.len() && !row.iter().zip(columns).any(null_string) {
        return Cow::Borrowed(row);
    }
    let mut owned = row.to_vec();
    normalize_row(columns, &mut owned);
    Cow::Owned(owned)
}

impl RowFilter {
    /// The leading `where` of `query` when the query's result is `table | where P | …`, `table`
    /// is named nowhere else in `text`, and `P` reads only the row (`columns` are the table's,
    /// in row order). `None` when the query has no such predicate.
    pub fn leading_where(
        query: &Query,
        text: &str,
        table: &str,
        columns: &[(String, Type)],
        now: jiff::Timestamp,
    ) -> Option<RowFilter> {
        let ops = ops_over(query, text, table)?;
        let OpKind::Where(pred) = &ops.first()?.kind else {
            return None;
        };
        let index = index_of_columns(columns);
        row_local(pred, &index, query).then(|| RowFilter {
            pred: pred.clone(),
            index,
            columns: columns.to_vec(),
            now: super::nanos(now),
        })
    }

    /// Whether the query could keep `row`: false only when the predicate is certainly not true.
    pub fn keep(&self, row: &[Value]) -> bool {
        let catalog = MemoryCatalog::new();
        let ctx = Ctx::new(&catalog, self.now);
        let row = as_in_table(&self.columns, row);
        let r = Row {
            index: &self.index,
            vals: &row,
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
        let cols = [
            ("Caller".to_string(), Type::String),
            ("TimeGenerated".to_string(), Type::DateTime),
        ];
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

    #[test]
    fn a_pattern_is_compiled_once_per_thread_not_per_row() {
        let catalog = MemoryCatalog::new();
        let a = Ctx::new(&catalog, 0).regex("^a+b$", 0).unwrap();
        let b = Ctx::new(&catalog, 0).regex("^a+b$", 0).unwrap();
        assert!(std::rc::Rc::ptr_eq(&a, &b));
        assert!(Ctx::new(&catalog, 0).regex("(", 3).is_err());
    }

    #[test]
    fn filters_see_null_strings_as_the_table_does() {
        let f = filter("T | where Caller == '' | count").unwrap();
        assert!(f.keep(&[Value::Null, Value::DateTime(5)]));
        assert!(!f.keep(&row("bob@x")));
        assert!(
            filter("union T* | where Caller == 'a'").is_none(),
            "wildcard union"
        );
    }
}
