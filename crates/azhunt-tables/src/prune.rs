//! Which columns a query can reach, so tables are built with only those.
//!
//! Building every column of every row costs far more than most queries need (the dynamic
//! `Properties_d`, `Claims_d`, … of a million Activity events are gigabytes). A column can only
//! matter if its name appears in the query text, when the query's result is made only of named
//! columns: the final operator is `project`, `summarize`, `count`, `distinct` or `make-series`,
//! and nothing reads columns without naming them (`*`, `pack_all`, `search`, `find`,
//! `bag_pack` of everything, `getschema`, `evaluate` plugins). Pruned tables have only those
//! columns. For any other query every column is built. Names are taken from
//! every identifier of the query (a trailing number dropped too: `join` names copies
//! `TimeGenerated1`), and from string literals when the query names columns or tables by
//! string (`column_ifexists('Caller', …)`, `table('SigninLogs')`), so the set can only be too
//! large, never too small.

use azhunt_kql::ast::{Expr, OpKind, Query, Stmt};
use std::collections::HashSet;

/// Functions that name a column or table by a string (`column_ifexists('Caller', '')`,
/// `table('AzureActivity')`): when a query calls one, the words of its string literals count.
const NAMES_BY_STRING: [&str; 2] = ["column_ifexists", "table"];

/// The words of `text`; a word ending in digits also counts without them, since `join`
/// names the right side's copy of a column `TimeGenerated1`.
fn split_words(text: &str, out: &mut HashSet<String>) {
    for w in text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
    {
        let base = w.trim_end_matches(|c: char| c.is_ascii_digit());
        if !base.is_empty() && base.len() < w.len() {
            out.insert(base.to_string());
        }
        out.insert(w.to_string());
    }
}

/// The words that may name a column or table: every identifier of the query, and the words
/// of its string literals only when it names columns or tables by string. Literals such as
/// `'Microsoft.Authorization/roleAssignments/write'` would otherwise pull in columns
/// (`Authorization`) the query never reads. Text that does not lex gives every word.
fn words(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let Ok(tokens) = azhunt_kql::lexer::lex(text) else {
        split_words(text, &mut out);
        return out;
    };
    let by_string = tokens.iter().any(|t| {
        matches!(&t.tok, azhunt_kql::lexer::Tok::Ident(i) if NAMES_BY_STRING.contains(&i.as_str()))
    });
    for t in &tokens {
        match &t.tok {
            azhunt_kql::lexer::Tok::Ident(i) => split_words(i, &mut out),
            azhunt_kql::lexer::Tok::Str(s) if by_string => split_words(s, &mut out),
            _ => {}
        }
    }
    out
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
        || [
            "pack_all",
            "search",
            "find ",
            "bag_pack()",
            "getschema",
            "evaluate",
        ]
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
        assert!(cols("AzureActivity | getschema | project ColumnName").is_none());
        assert!(cols("AzureActivity | evaluate bag_unpack(Properties_d) | count").is_none());
        let c = cols("AzureActivity | where OperationNameValue =~ 'Microsoft.Authorization/roleAssignments/write' | count").unwrap();
        assert!(c.contains("OperationNameValue"));
        assert!(
            !c.contains("Authorization"),
            "a literal is not a column reference"
        );
        let c = cols("AzureActivity | join (SigninLogs) on CorrelationId | project TimeGenerated1")
            .unwrap();
        assert!(
            c.contains("TimeGenerated"),
            "join's renamed copies reach their column"
        );
        let t = reachable_tables("table('SigninLogs') | count").unwrap();
        assert!(t.contains("SigninLogs"), "table() names by string");
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
