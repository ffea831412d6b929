//! A leading `summarize` computed while the input rows stream in, instead of over a table.
//!
//! For a query `T | where P… | summarize A by K | rest` whose predicates, keys and aggregate
//! arguments read nothing but the row, the integrator never needs table `T`: each row is
//! filtered and its keys and arguments are evaluated where it is built ([`RowSummarize::
//! prepare`], a pure function of the row, so it runs on any thread), and the results are
//! folded into groups in input order on one thread ([`Grouping::add`]). Only the groups are
//! kept — a million-row input with a few thousand groups costs a few thousand rows of memory
//! — and `rest` then runs over the summarized table ([`RowSummarize::run`]).
//!
//! The result, errors included, is the one the whole query gives over the full table: the
//! plan is the one `summarize` uses, arguments an aggregate does not look at cannot fail it,
//! and of several failures the one the table-at-a-time evaluation meets first is reported
//! (an earlier `where` before a later one, any `where` before the `summarize`, earlier rows
//! first).

use std::sync::Arc;

use super::rowfilter::{index_of_columns, ops_over, result_index, row_local};
use super::summarize::{Evaluated, Groups, Plan};
use super::{Ctx, Env};
use crate::ast::{Expr, OpKind, Query, Stmt};
use crate::error::{KqlError, Result};
use crate::table::{Catalog, MemoryCatalog, Table, normalize_row};
use crate::value::{Type, Value};

/// The name the summarized table is read under by the rest of the query.
const SUMMARIZED: &str = "__azhunt_summarized";

/// A leading `[where …] | summarize` over the rows of one table.
pub struct RowSummarize {
    columns: Vec<(String, Type)>,
    wheres: Vec<Expr>,
    plan: Plan,
    /// Whether folding needs the whole row (`arg_max` / `arg_min` extra columns).
    needs_row: bool,
    /// The query with `table | where … | summarize …` replaced by the summarized table.
    rest: Query,
    query: Query,
    opts: crate::Options,
}

/// One row, filtered and evaluated, ready to be folded.
pub struct Prepared(Step);

enum Step {
    Dropped,
    WhereFailed(usize, KqlError),
    Failed(KqlError),
    Row(Evaluated, Vec<Value>),
}

/// Groups folded so far, with the first failures met.
pub struct Grouping {
    groups: Groups,
    /// The failing `where` with the lowest position, at its first failing row.
    where_failed: Option<(usize, KqlError)>,
    failed: Option<KqlError>,
}

impl RowSummarize {
    /// The leading summarize of `query` (text `text`) over `table` with `columns`, when the
    /// query's result is `table | where P… | summarize …`, `table` is named nowhere else, and
    /// every predicate, key and aggregate argument reads only the row.
    pub fn leading(
        query: &Query,
        text: &str,
        table: &str,
        columns: &[(String, Type)],
        now: jiff::Timestamp,
    ) -> Option<RowSummarize> {
        let ops = ops_over(query, text, table)?;
        let index = index_of_columns(columns);
        let mut wheres = Vec::new();
        let mut at = 0;
        while let Some(OpKind::Where(p)) = ops.get(at).map(|o| &o.kind) {
            if !row_local(p, &index, query) {
                return None;
            }
            wheres.push(p.clone());
            at += 1;
        }
        let op = ops.get(at)?;
        let OpKind::Summarize(aggs, by) = &op.kind else {
            return None;
        };
        let local_arg = |e: &Expr| matches!(e, Expr::Star(_)) || row_local(e, &index, query);
        let aggs_local = aggs.iter().all(|a| match &a.expr {
            Expr::Call(_, args, _) => args.iter().all(local_arg),
            other => row_local(other, &index, query),
        });
        if !aggs_local || !by.iter().all(|b| row_local(&b.expr, &index, query)) {
            return None;
        }
        let opts = crate::Options { now };
        let catalog = MemoryCatalog::new();
        let ctx = Ctx::new(&catalog, super::nanos(now));
        // A summarize the engine rejects is left to the engine, which reports it.
        let plan = ctx
            .summarize_plan(table, columns, aggs, by, op.offset)
            .ok()?;
        let mut rest = query.clone();
        let tail = ops.get(at + 1..).unwrap_or_default().to_vec();
        let Some(Stmt::Expr(last)) = rest.stmts.get_mut(result_index(query)?) else {
            return None;
        };
        let src = Expr::Name(SUMMARIZED.to_string(), op.offset);
        *last = if tail.is_empty() {
            src
        } else {
            Expr::Pipe(Box::new(src), tail)
        };
        Some(RowSummarize {
            columns: columns.to_vec(),
            wheres,
            needs_row: plan.needs_row(),
            plan,
            rest,
            query: query.clone(),
            opts,
        })
    }

    /// Filters one row of the table and evaluates what the summarize reads of it. Pure: call
    /// it on any thread, in any order.
    pub fn prepare(&self, mut row: Vec<Value>) -> Prepared {
        normalize_row(&self.columns, &mut row);
        let catalog = MemoryCatalog::new();
        let ctx = Ctx::new(&catalog, super::nanos(self.opts.now));
        let env = Env::default();
        let r = self.plan.row(&row);
        for (i, w) in self.wheres.iter().enumerate() {
            match ctx.scalar(w, &env, Some(&r)) {
                Ok(v) if v.truthy() => {}
                Ok(_) => return Prepared(Step::Dropped),
                Err(e) => return Prepared(Step::WhereFailed(i, e)),
            }
        }
        match ctx.evaluate(&self.plan, &r, &env) {
            Ok(ev) => Prepared(Step::Row(ev, if self.needs_row { row } else { Vec::new() })),
            Err(e) => Prepared(Step::Failed(e)),
        }
    }

    /// An empty grouping to [`Grouping::add`] prepared rows to.
    pub fn grouping(&self) -> Grouping {
        Grouping {
            groups: Groups::new(),
            where_failed: None,
            failed: None,
        }
    }

    /// Folds one prepared row, in input order.
    pub fn add(&self, g: &mut Grouping, p: Prepared) {
        match p.0 {
            Step::Dropped => {}
            Step::WhereFailed(i, e) => {
                if g.where_failed.as_ref().is_none_or(|(j, _)| i < *j) {
                    g.where_failed = Some((i, e));
                }
            }
            Step::Failed(e) => {
                g.failed.get_or_insert(e);
            }
            Step::Row(ev, row) => {
                if g.failed.is_some() {
                    return;
                }
                let catalog = MemoryCatalog::new();
                let ctx = Ctx::new(&catalog, super::nanos(self.opts.now));
                let r = self.plan.row(&row);
                if let Err(e) = ctx.fold(&self.plan, &mut g.groups, ev, &r, &Env::default()) {
                    g.failed = Some(e);
                }
            }
        }
    }

    /// The query's result: the rest of the query over the summarized groups, with the other
    /// tables from `catalog`.
    pub fn run(&self, g: Grouping, catalog: &dyn Catalog) -> Result<Table> {
        let ctx = Ctx::new(catalog, super::nanos(self.opts.now));
        ctx.validate(&self.query)?;
        if let Some((_, e)) = g.where_failed {
            return Err(e);
        }
        if let Some(e) = g.failed {
            return Err(e);
        }
        let summarized = ctx.finish_groups(&self.plan, g.groups, &Env::default())?;
        let with = WithTable {
            base: catalog,
            table: Arc::new(summarized),
        };
        crate::run_parsed(&self.rest, &with, &self.opts)
    }
}

/// A catalog with the summarized table added under [`SUMMARIZED`].
struct WithTable<'a> {
    base: &'a dyn Catalog,
    table: Arc<Table>,
}

impl Catalog for WithTable<'_> {
    fn table(&self, name: &str) -> Option<Arc<Table>> {
        if name == SUMMARIZED {
            return Some(self.table.clone());
        }
        self.base.table(name)
    }

    fn table_names(&self) -> Vec<String> {
        self.base.table_names()
    }
}

impl std::fmt::Debug for RowSummarize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowSummarize")
            .field("wheres", &self.wheres.len())
            .field("rest", &self.rest)
            .finish()
    }
}

#[cfg(test)]
#[path = "rowsummarize_tests.rs"]
mod tests;
