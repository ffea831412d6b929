//! Which columns a query can reach, so tables are built with only those.
//!
//! Building every column of every row costs far more than most queries need (the dynamic
//! `Properties_d`, `Claims_d`, … of a million Activity events are gigabytes). A column can only
//! matter if its name appears in the query text, when the query's result is made only of named
//! columns: the final operator is `project`, `summarize`, `count`, `distinct` or `make-series`,
//! and nothing reads columns without naming them (`*`, `pack_all`, `search`, `find`,
//! `bag_pack` of everything). For any other query every column is built. Names are taken from
//! every word of the text, string literals included (`column_ifexists('Caller', …)`), so the
//! set can only be too large, never too small.

use azhunt_kql::ast::{Expr, OpKind, Query, Stmt};
use std::collections::HashSet;

/// Every word of the query text (string literals included).
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The tables a query may read — those it names — or `None` when a wildcard (`union *`,
/// `union Azure*`) may reach any table.
pub fn reachable_tables(text: &str) -> Option<HashSet<String>> {
    (!text.contains('*')).then(|| words(text))
}

/// The column names a query may read, or `None` when it may read any column.
pub fn reachable_columns(text: &str, q: &Query) -> Option<HashSet<String>> {
    let lower = text.to_ascii_lowercase();
    if text.contains('*')
        || ["pack_all", "search", "find ", "bag_pack()"]
            .iter()
            .any(|w| lower.contains(w))
    {
        return None;
    }
    let last = q.stmts.iter().rev().find_map(|s| match s {
        Stmt::Expr(e) => Some(e),
        Stmt::Let { .. } => None,
    })?;
    let Expr::Pipe(_, ops) = last else {
        return None;
    };
    let closed = matches!(
        ops.last().map(|o| &o.kind),
        Some(
            OpKind::Project(_)
                | OpKind::Summarize(..)
                | OpKind::Count
                | OpKind::Distinct(_)
                | OpKind::MakeSeries(_)
        )
    );
    if !closed {
        return None;
    }
    Some(words(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(q: &str) -> Option<HashSet<String>> {
        reachable_columns(q, &azhunt_kql::parse(q).unwrap())
    }

    #[test]
    fn closed_queries_prune() {
        let c = cols(
            "AzureActivity | where CallerIpAddress == '1.2.3.4' | summarize count() by Caller",
        )
        .unwrap();
        assert!(c.contains("Caller") && c.contains("CallerIpAddress"));
        assert!(!c.contains("Properties_d"));
        let c = cols(
            "let f = (t:string) { column_ifexists('Claims_d', '') }; AzureActivity | project x = 1",
        )
        .unwrap();
        assert!(c.contains("Claims_d"), "names in strings count");
    }

    #[test]
    fn tables_are_those_named() {
        let t = reachable_tables("AuditLogs | join (SigninLogs) on CorrelationId").unwrap();
        assert!(
            t.contains("AuditLogs") && t.contains("SigninLogs") && !t.contains("AzureActivity")
        );
        assert!(reachable_tables("union Azure* | count").is_none());
    }

    #[test]
    fn open_queries_keep_everything() {
        assert!(cols("AzureActivity | take 10").is_none());
        assert!(cols("AzureActivity | where Caller == 'x'").is_none());
        assert!(cols("AzureActivity | summarize arg_max(TimeGenerated, *) by Caller").is_none());
        assert!(cols("AzureActivity | extend p = pack_all() | project p").is_none());
        assert!(cols("AzureActivity | getschema").is_none());
    }
}
