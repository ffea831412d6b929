//! Work a query does per row, done while the rows are built on the reader's worker threads.
//!
//! Two shapes of query need far less than their table:
//! - `T | where P | …`: the rows `P` drops never need to be kept ([`azhunt_kql::RowFilter`]);
//! - `T | where P… | summarize … | …`: only the groups do ([`azhunt_kql::RowSummarize`]) — the
//!   workers filter each row and evaluate its keys and aggregate arguments, the consumer folds
//!   the evaluated rows into groups in input order, and the rest of the query runs over them.
//!
//! Either applies only when `T` is a fixed-schema table the query names once and everything
//! pushed reads nothing but the row; results (and errors) are those over the full tables,
//! which `tests/sentinel_over_evidence.rs` checks on every in-scope Sentinel query.

use crate::{Row, TableBuilder};
use azhunt_kql::ast::Query;
use azhunt_kql::{Grouping, KqlError, Options, Prepared, RowFilter, RowSummarize, Table};
use std::collections::HashSet;

/// A query's per-row work that can run while its tables are built.
#[derive(Debug)]
pub enum Pushdown {
    /// A leading row-local `where`; the query still runs it over the kept rows.
    Where {
        table: &'static str,
        filter: RowFilter,
    },
    /// A leading `[where …] | summarize` computed as the rows arrive.
    Summarize {
        table: &'static str,
        summarize: Box<RowSummarize>,
    },
}

/// What a worker makes of one event for the consumer.
pub enum Item {
    /// A row for a table (or `None`: the event has no table this query reads).
    Row(Option<Row>),
    /// A row of the summarized table, evaluated for its group.
    Prepared(Prepared),
    /// A row a pushed-down `where` dropped.
    Dropped,
}

impl Pushdown {
    /// The pushdown of `q` (text `text`) over rows built with `wanted` columns, if any; a
    /// summarize is preferred, since it includes the `where`s before it.
    pub fn of(
        q: &Query,
        text: &str,
        now: jiff::Timestamp,
        wanted: Option<&HashSet<String>>,
    ) -> Option<Pushdown> {
        let columns = |table: &str| -> Vec<(String, azhunt_kql::Type)> {
            crate::schemas::columns_with(table, wanted)
                .iter()
                .map(|(c, t)| ((*c).to_string(), *t))
                .collect()
        };
        let tables = crate::schemas::TABLES;
        tables
            .iter()
            .find_map(|&table| {
                RowSummarize::leading(q, text, table, &columns(table), now).map(|s| {
                    Pushdown::Summarize {
                        table,
                        summarize: Box::new(s),
                    }
                })
            })
            .or_else(|| {
                tables.iter().find_map(|&table| {
                    RowFilter::leading_where(q, text, table, &columns(table), now)
                        .map(|filter| Pushdown::Where { table, filter })
                })
            })
    }

    pub fn table(&self) -> &'static str {
        match self {
            Pushdown::Where { table, .. } | Pushdown::Summarize { table, .. } => table,
        }
    }

    /// The worker's part for one event's row (`row` from [`crate::row_with`]).
    pub fn item(push: Option<&Pushdown>, row: Option<Row>) -> Item {
        let Some(p) = push else {
            return Item::Row(row);
        };
        match (p, row) {
            (Pushdown::Where { table, filter }, Some(Row::Fixed(name, vals))) if name == *table => {
                if filter.keep(&vals) {
                    Item::Row(Some(Row::Fixed(name, vals)))
                } else {
                    Item::Dropped
                }
            }
            (Pushdown::Summarize { table, summarize }, Some(Row::Fixed(name, vals)))
                if name == *table =>
            {
                Item::Prepared(summarize.prepare(vals))
            }
            (_, row) => Item::Row(row),
        }
    }
}

/// The consumer's part: collects the workers' items in input order, then runs the query.
pub struct QueryInput<'p> {
    tables: TableBuilder,
    /// The streamed summarize and its groups, when the query has one.
    summarize: Option<(&'p RowSummarize, Grouping)>,
}

impl<'p> QueryInput<'p> {
    /// Tables with the `wanted` columns (as [`crate::row_with`] builds them), fed by items of
    /// [`Pushdown::item`] with the same `push`.
    pub fn new(wanted: Option<&HashSet<String>>, push: Option<&'p Pushdown>) -> QueryInput<'p> {
        let summarize = match push {
            Some(Pushdown::Summarize { summarize, .. }) => {
                Some((summarize.as_ref(), summarize.grouping()))
            }
            _ => None,
        };
        QueryInput {
            tables: TableBuilder::with_columns(wanted),
            summarize,
        }
    }

    pub fn push(&mut self, item: Item) {
        match item {
            Item::Row(row) => self.tables.push(row),
            Item::Dropped => {}
            Item::Prepared(p) => {
                if let Some((s, g)) = self.summarize.as_mut() {
                    s.add(g, p);
                }
            }
        }
    }

    /// Runs `q` (the query the pushdown was made from) over what was collected.
    pub fn run(self, q: &Query, opts: &Options) -> Result<Table, KqlError> {
        let catalog = self.tables.into_catalog();
        match self.summarize {
            Some((s, g)) => s.run(g, &catalog),
            None => azhunt_kql::run_parsed(q, &catalog, opts),
        }
    }
}
