//! The Log Analytics query API (research §6.2).
//!
//! `POST {endpoint}/v1/workspaces/{id}/query` with `{"query": KQL, "timespan": "start/end"}`;
//! the time window is given only through `timespan` (intersected with the query's own
//! filter), so the user's KQL is sent unchanged. A result is limited to 500,000 rows and about
//! 64 MB compressed / 100 MB raw; past that — or on any non-fatal error — the service answers
//! **200 with a partial table and `error.code = PartialError`**. Such a response is never taken
//! as the window's data: the window is halved and queried again until each part fits, and a
//! part that still does not fit at the smallest window makes the scope incomplete.
//!
//! Consecutive windows share their boundary instant (`timespan` end = next start) so no row can
//! fall between them; a row returned by both is byte-identical and de-duplicated.

use crate::activity::encode_path;
use crate::page::QueryResult;
use crate::window::{Window, iso_ticks};

/// Rows at which a result is taken to be truncated.
pub const MAX_ROWS: usize = 500_000;
/// Raw body bytes at which a result is taken to be truncated.
pub const MAX_BYTES: usize = 100_000_000;
/// `Prefer` header: let a query run the documented maximum of ten minutes.
pub const PREFER: &str = "wait=600";

/// The query URL of a workspace.
pub fn url(endpoint: &str, workspace: &str) -> String {
    format!("{endpoint}/v1/workspaces/{}/query", encode_path(workspace))
}

/// The request body for a window.
pub fn body(query: &str, window: &Window) -> Vec<u8> {
    let v = serde_json::json!({
        "query": query,
        "timespan": timespan(window),
    });
    v.to_string().into_bytes()
}

/// `start/end` in ISO 8601.
pub fn timespan(window: &Window) -> String {
    format!("{}/{}", iso_ticks(window.start), iso_ticks(window.end))
}

/// The probe body: a query that reads nothing but needs access to the workspace.
pub fn probe_body() -> Vec<u8> {
    br#"{"query":"print azhunt_probe = 1","timespan":"PT1M"}"#.to_vec()
}

/// Why a result cannot be taken as the whole window, if it cannot.
pub fn incomplete(result: &QueryResult, body_len: usize, max_rows: usize) -> Option<String> {
    if let Some(e) = &result.error {
        return Some(format!("partial result ({e})"));
    }
    if result.records.len() >= max_rows {
        return Some(format!("{} rows: at the row limit", result.records.len()));
    }
    if body_len >= MAX_BYTES {
        return Some(format!("{body_len} bytes: at the size limit"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_limits() {
        let w = Window {
            start: "2026-01-01T00:00:00Z".parse().unwrap(),
            end: "2026-01-01T06:00:00Z".parse().unwrap(),
        };
        let b: serde_json::Value = serde_json::from_slice(&body("AzureActivity", &w)).unwrap();
        assert_eq!(
            b["timespan"],
            "2026-01-01T00:00:00.0000000Z/2026-01-01T06:00:00.0000000Z"
        );
        assert_eq!(b["query"], "AzureActivity");
        assert_eq!(
            url("https://la", "ws 1"),
            "https://la/v1/workspaces/ws%201/query"
        );
        let ok = QueryResult {
            records: vec!["{}".into(); 3],
            error: None,
        };
        assert_eq!(incomplete(&ok, 10, 4), None);
        assert!(incomplete(&ok, 10, 3).is_some());
        assert!(incomplete(&ok, MAX_BYTES, 10).is_some());
        let partial = QueryResult {
            records: vec![],
            error: Some("PartialError: x".into()),
        };
        assert!(
            incomplete(&partial, 1, 10)
                .unwrap()
                .contains("PartialError")
        );
    }
}
