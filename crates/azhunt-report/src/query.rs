//! `azhunt query` results: an aligned table for people, JSON Lines (one object per row), a
//! JSON array, or formula-safe CSV. Cell text comes from the evidence and is attacker-
//! controlled: the table strips control characters, CSV cells are formula-safe.

use crate::cells::{push_csv_row, terminal_text};
use azhunt_kql::Table;

/// Output format of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryFormat {
    Table,
    Jsonl,
    Json,
    Csv,
}

/// Widest a table column gets before its cells are cut.
const MAX_WIDTH: usize = 60;

fn json_row(t: &Table, row: &[azhunt_kql::Value], out: &mut String) {
    out.push('{');
    for (i, ((name, _), v)) in t.columns.iter().zip(row).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&sonic_rs::to_string(name).unwrap_or_else(|_| "\"?\"".into()));
        out.push(':');
        out.push_str(&v.to_json());
    }
    out.push('}');
}

pub fn render(t: &Table, format: QueryFormat) -> Vec<u8> {
    let mut out = String::new();
    match format {
        QueryFormat::Jsonl => {
            for row in &t.rows {
                json_row(t, row, &mut out);
                out.push('\n');
            }
        }
        QueryFormat::Json => {
            out.push('[');
            for (i, row) in t.rows.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                json_row(t, row, &mut out);
            }
            out.push_str("\n]\n");
        }
        QueryFormat::Csv => {
            let mut bytes = Vec::new();
            push_csv_row(&mut bytes, t.columns.iter().map(|(n, _)| n.as_str()));
            for row in &t.rows {
                let cells: Vec<String> = row.iter().map(|v| v.to_kql_string()).collect();
                push_csv_row(&mut bytes, cells.iter().map(String::as_str));
            }
            return bytes;
        }
        QueryFormat::Table => {
            let cells: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|v| terminal_text(&v.to_kql_string(), MAX_WIDTH))
                        .collect()
                })
                .collect();
            let mut widths: Vec<usize> = t.columns.iter().map(|(n, _)| n.chars().count()).collect();
            for r in &cells {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |vals: &mut dyn Iterator<Item = &str>, out: &mut String| {
                let parts: Vec<String> = vals
                    .zip(&widths)
                    .map(|(v, w)| format!("{v:<w$}", w = *w))
                    .collect();
                out.push_str(parts.join("  ").trim_end());
                out.push('\n');
            };
            line(&mut t.columns.iter().map(|(n, _)| n.as_str()), &mut out);
            for r in &cells {
                line(&mut r.iter().map(String::as_str), &mut out);
            }
            out.push_str(&format!(
                "({} row{})\n",
                t.rows.len(),
                if t.rows.len() == 1 { "" } else { "s" }
            ));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use azhunt_kql::{Type, Value};

    fn table() -> Table {
        let mut t = Table::new(
            "T",
            vec![("Caller".into(), Type::String), ("n".into(), Type::Long)],
        );
        t.rows
            .push(vec![Value::from("=cmd|' /C calc'!A0"), Value::Int(2)]);
        t
    }

    #[test]
    fn formats() {
        let t = table();
        let jsonl = String::from_utf8(render(&t, QueryFormat::Jsonl)).unwrap();
        assert_eq!(jsonl, "{\"Caller\":\"=cmd|' /C calc'!A0\",\"n\":2}\n");
        let csv = String::from_utf8(render(&t, QueryFormat::Csv)).unwrap();
        assert!(csv.contains("\"'=cmd"), "{csv}");
        let json: sonic_rs::Value = sonic_rs::from_slice(&render(&t, QueryFormat::Json)).unwrap();
        assert!(sonic_rs::JsonValueTrait::is_array(&json));
        let table = String::from_utf8(render(&t, QueryFormat::Table)).unwrap();
        assert!(table.starts_with("Caller"));
        assert!(table.ends_with("(1 row)\n"));
    }
}
