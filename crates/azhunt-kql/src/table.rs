//! Tables and the catalog the caller fills.
//!
//! The engine is generic: the caller maps its own events into row-major [`Table`]s with typed
//! columns and hands them over through a [`Catalog`]. Row-major storage keeps operators simple
//! (a row is a slice) and matches how events arrive.

use std::collections::HashMap;
use std::sync::Arc;

use crate::value::{Type, Value};

/// A named table: typed columns and rows of values (each row as long as `columns`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Table name (informational for results).
    pub name: String,
    /// Column names and types, in order.
    pub columns: Vec<(String, Type)>,
    /// Rows; `rows[i][j]` is column `j` of row `i`.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// An empty table with the given schema.
    pub fn new(name: impl Into<String>, columns: Vec<(String, Type)>) -> Table {
        Table {
            name: name.into(),
            columns,
            rows: Vec::new(),
        }
    }

    /// Index of a column (case-sensitive, as in KQL).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| n == name)
    }

    /// The values of one column, by name.
    pub fn column(&self, name: &str) -> Option<Vec<&Value>> {
        let i = self.column_index(name)?;
        Some(
            self.rows
                .iter()
                .map(|r| r.get(i).unwrap_or(&Value::Null))
                .collect(),
        )
    }

    /// Replaces nulls in `string`/`guid` columns by "" and pads short rows with nulls.
    pub fn normalize_strings(&mut self) {
        for r in &mut self.rows {
            normalize_row(&self.columns, r);
        }
    }

    /// An aligned text rendering (header, separator, one line per row); cells longer than
    /// `max_cell` characters are cut with `…`.
    pub fn to_text(&self, max_cell: usize) -> String {
        let cut = |s: String| -> String {
            let s = s.replace(['\n', '\r', '\t'], " ");
            if s.chars().count() > max_cell.max(1) {
                let mut t: String = s.chars().take(max_cell.max(1).saturating_sub(1)).collect();
                t.push('…');
                t
            } else {
                s
            }
        };
        let header: Vec<String> = self.columns.iter().map(|(n, _)| cut(n.clone())).collect();
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|v| cut(v.to_kql_string())).collect())
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for r in &cells {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |r: &[String]| -> String {
            let parts: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
                .collect();
            parts.join(" | ").trim_end().to_string()
        };
        let mut out = line(&header);
        out.push('\n');
        out.push_str(
            &widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("-+-"),
        );
        for r in &cells {
            out.push('\n');
            out.push_str(&line(r));
        }
        out.push('\n');
        out
    }

    /// Rows as JSON objects (one per line), column order kept.
    pub fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for r in &self.rows {
            out.push('{');
            for (i, ((n, _), v)) in self.columns.iter().zip(r).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(n.as_str()).to_json());
                out.push(':');
                out.push_str(&v.to_json());
            }
            out.push_str("}\n");
        }
        out
    }

    /// Value at row `row`, column `name`.
    pub fn get(&self, row: usize, name: &str) -> Option<&Value> {
        let i = self.column_index(name)?;
        self.rows.get(row)?.get(i)
    }
}

/// Source of tables by name.
pub trait Catalog {
    /// The table called `name` (case-sensitive), if any.
    fn table(&self, name: &str) -> Option<Arc<Table>>;
    /// All table names (used by `union` wildcards such as `union Azure*`).
    fn table_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// What a table does to a row it holds ([`Table::normalize_strings`]): pads it to the columns
/// with nulls and reads a null in a `string`/`guid` column as "". Row-at-a-time filters apply
/// it too, so they see rows as the query over the table would.
pub(crate) fn normalize_row(columns: &[(String, Type)], row: &mut Vec<Value>) {
    row.resize(columns.len(), Value::Null);
    for (v, (_, t)) in row.iter_mut().zip(columns) {
        if v.is_null() && matches!(t, Type::String | Type::Guid) {
            *v = Value::str("");
        }
    }
}

/// A catalog backed by a map.
#[derive(Debug, Clone, Default)]
pub struct MemoryCatalog {
    tables: HashMap<String, Arc<Table>>,
}

impl MemoryCatalog {
    /// An empty catalog.
    pub fn new() -> MemoryCatalog {
        MemoryCatalog::default()
    }

    /// Adds (or replaces) a table under its own name. Nulls in `string`/`guid` columns become
    /// "" (KQL strings cannot be null, so `Col == ""` and `isempty` behave as in Kusto).
    pub fn insert(&mut self, mut table: Table) {
        table.normalize_strings();
        self.tables.insert(table.name.clone(), Arc::new(table));
    }
}

impl Catalog for MemoryCatalog {
    fn table(&self, name: &str) -> Option<Arc<Table>> {
        self.tables.get(name).cloned()
    }

    fn table_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.tables.keys().cloned().collect();
        v.sort();
        v
    }
}
