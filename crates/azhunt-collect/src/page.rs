//! Response pages: records cut out byte for byte, the next link, and de-duplication keys.
//!
//! Records are never re-serialized: each is the exact JSON text the API sent (a
//! `serde_json::value::RawValue`), only stripped of whitespace between tokens so it fits on one
//! JSON Lines line. Key order, number spelling, unknown fields and string escapes are kept, so
//! an `events/*.jsonl` line is the API's record, and the raw page beside it proves it.

use serde::Deserialize;
use serde_json::value::RawValue;
use xxhash_rust::xxh3::xxh3_128;

/// The records of one page and where the next page is.
#[derive(Debug, Default)]
pub struct Page {
    /// Each record as one line of compact JSON.
    pub records: Vec<String>,
    /// The `nextLink` / `@odata.nextLink`, exactly as given.
    pub next_link: Option<String>,
}

#[derive(Deserialize)]
struct ListShape<'a> {
    #[serde(borrow)]
    value: Vec<&'a RawValue>,
    #[serde(rename = "nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.nextLink", default)]
    odata_next_link: Option<String>,
}

/// Parses an ARM (`value` + `nextLink`) or Graph (`value` + `@odata.nextLink`) list page.
/// A body that is not such a page (cut short, an HTML error page) is an error, so the caller
/// retries instead of taking it for an empty page.
pub fn parse_list(body: &[u8]) -> Result<Page, String> {
    let shape: ListShape<'_> =
        serde_json::from_slice(body).map_err(|e| format!("not a list page: {e}"))?;
    Ok(Page {
        records: shape.value.iter().map(|r| compact(r.get())).collect(),
        next_link: shape
            .next_link
            .or(shape.odata_next_link)
            .filter(|l| !l.is_empty()),
    })
}

/// The outcome of a Log Analytics query response.
#[derive(Debug, Default)]
pub struct QueryResult {
    /// Rows of the primary table as `{column: value}` objects in column order.
    pub records: Vec<String>,
    /// `error.code` (and message) when the response carries one — `PartialError` means the
    /// tables are incomplete.
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct QueryShape<'a> {
    #[serde(borrow, default)]
    tables: Vec<TableShape<'a>>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct TableShape<'a> {
    #[serde(default)]
    name: String,
    columns: Vec<ColumnShape>,
    #[serde(borrow)]
    rows: Vec<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct ColumnShape {
    name: String,
}

#[derive(Deserialize)]
struct ErrorShape {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: Vec<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// Parses a query-API response. An empty body (HTTP 204: the workspace has no data) is an
/// empty result. Rows whose length differs from the columns make the body invalid.
pub fn parse_query(body: &[u8]) -> Result<QueryResult, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(QueryResult::default());
    }
    let shape: QueryShape<'_> =
        serde_json::from_slice(body).map_err(|e| format!("not a query response: {e}"))?;
    let error = shape
        .error
        .map(|raw| match serde_json::from_str::<ErrorShape>(raw.get()) {
            Ok(e) => {
                let mut s = format!("{}: {}", e.code, e.message);
                for d in e.details {
                    s.push_str(&format!(" [{}: {}]", d.code, d.message));
                }
                s
            }
            Err(_) => compact(raw.get()),
        });
    let table = shape
        .tables
        .iter()
        .find(|t| t.name == "PrimaryResult")
        .or_else(|| shape.tables.first());
    let mut records = Vec::new();
    if let Some(t) = table {
        let names: Vec<String> = t
            .columns
            .iter()
            .map(|c| serde_json::to_string(&c.name).unwrap_or_else(|_| "\"\"".into()))
            .collect();
        for (i, row) in t.rows.iter().enumerate() {
            if row.len() != names.len() {
                return Err(format!(
                    "row {i} has {} cells for {} columns",
                    row.len(),
                    names.len()
                ));
            }
            let mut line = String::from("{");
            for (k, (name, cell)) in names.iter().zip(row).enumerate() {
                if k > 0 {
                    line.push(',');
                }
                line.push_str(name);
                line.push(':');
                line.push_str(&compact(cell.get()));
            }
            line.push('}');
            records.push(line);
        }
    }
    Ok(QueryResult { records, error })
}

/// Removes whitespace outside strings. `json` must be valid JSON (it always comes from a
/// parsed `RawValue`); nothing else changes.
pub fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_str, mut escaped) = (false, false);
    for c in json.chars() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Which identity de-duplicates records of a log family.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Activity Log: `eventDataId`, else `id`, else the whole record.
    Activity,
    /// Graph: `id`, else the whole record.
    Graph,
    /// Log Analytics rows: the whole (byte-identical) row.
    Row,
}

#[derive(Deserialize)]
struct Ids<'a> {
    #[serde(rename = "eventDataId", borrow, default)]
    event_data_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
}

/// The de-duplication key of a compact record line.
pub fn dedup_key(kind: KeyKind, line: &str) -> u128 {
    let ids: Option<Ids<'_>> = match kind {
        KeyKind::Row => None,
        _ => serde_json::from_str(line).ok(),
    };
    let pick = ids.and_then(|i| match kind {
        KeyKind::Activity => i.event_data_id.or(i.id),
        _ => i.id,
    });
    match pick
        .map(|r| r.get())
        .filter(|s| *s != "null" && *s != "\"\"")
    {
        Some(id) => xxh3_128(format!("id:{id}").as_bytes()),
        None => xxh3_128(format!("rec:{line}").as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_page_keeps_records_verbatim() {
        let body = br#"{ "value": [ {"b": 1, "a": "x y", "n": 1.50},
            {"eventDataId":"e2"} ],
            "nextLink": "https://h/p?$skipToken=US1:1;EU1:-1" }"#;
        let p = parse_list(body).unwrap();
        assert_eq!(
            p.records,
            vec![r#"{"b":1,"a":"x y","n":1.50}"#, r#"{"eventDataId":"e2"}"#]
        );
        assert_eq!(
            p.next_link.as_deref(),
            Some("https://h/p?$skipToken=US1:1;EU1:-1")
        );
        let g = parse_list(br#"{"@odata.context":"x","value":[],"@odata.nextLink":null}"#).unwrap();
        assert!(g.records.is_empty() && g.next_link.is_none());
        assert!(parse_list(br#"{"value":[{"a":1}"#).is_err());
        assert!(parse_list(b"<html>").is_err());
        assert!(parse_list(br#"{"error":{}}"#).is_err());
    }

    #[test]
    fn query_rows_become_objects_in_column_order() {
        let body = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"Z","type":"string"},{"name":"A","type":"dynamic"}],
            "rows":[["z1","{\"k\":1}"],[null, 2]]}]}"#;
        let q = parse_query(body).unwrap();
        assert_eq!(
            q.records,
            vec![r#"{"Z":"z1","A":"{\"k\":1}"}"#, r#"{"Z":null,"A":2}"#]
        );
        assert!(q.error.is_none());
        let partial = br#"{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}],
            "error":{"code":"PartialError","message":"some","details":[{"code":"E_X","message":"too big"}]}}"#;
        let p = parse_query(partial).unwrap();
        assert!(p.error.unwrap().starts_with("PartialError"));
        assert!(parse_query(b"").unwrap().records.is_empty());
        assert!(parse_query(br#"{"tables":[{"columns":[{"name":"a"}],"rows":[[1,2]]}]}"#).is_err());
    }

    #[test]
    fn keys_by_family() {
        let a = dedup_key(KeyKind::Activity, r#"{"eventDataId":"x","v":1}"#);
        let b = dedup_key(KeyKind::Activity, r#"{"v":2,"eventDataId":"x"}"#);
        assert_eq!(a, b);
        let g1 = dedup_key(KeyKind::Graph, r#"{"id":"s1","x":1}"#);
        let g2 = dedup_key(KeyKind::Graph, r#"{"id":"s2","x":1}"#);
        assert_ne!(g1, g2);
        let r1 = dedup_key(KeyKind::Row, r#"{"id":"s1"}"#);
        let r2 = dedup_key(KeyKind::Row, r#"{"id":"s1","x":1}"#);
        assert_ne!(r1, r2);
        assert_eq!(
            dedup_key(KeyKind::Activity, "not json"),
            dedup_key(KeyKind::Activity, "not json")
        );
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse_list(&bytes);
            let _ = parse_query(&bytes);
            if let Ok(s) = std::str::from_utf8(&bytes) {
                let _ = dedup_key(KeyKind::Activity, s);
            }
        }

        #[test]
        fn compact_preserves_the_value(
            v in proptest::collection::btree_map("[ a-z\"\\\\\n]{0,8}", proptest::option::of("[ -~]{0,10}"), 0..6)
        ) {
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            let c = compact(&pretty);
            proptest::prop_assert!(!c.contains('\n'));
            let back: std::collections::BTreeMap<String, Option<String>> = serde_json::from_str(&c).unwrap();
            proptest::prop_assert_eq!(back, v);
        }

        #[test]
        fn list_pages_roundtrip(ids in proptest::collection::vec("[a-z0-9]{1,8}", 0..20), next in proptest::option::of("[ -~]{1,40}")) {
            let records: Vec<serde_json::Value> = ids.iter().map(|i| serde_json::json!({"eventDataId": i})).collect();
            let body = serde_json::json!({"value": records, "nextLink": next});
            let p = parse_list(serde_json::to_string_pretty(&body).unwrap().as_bytes()).unwrap();
            proptest::prop_assert_eq!(p.records.len(), ids.len());
            proptest::prop_assert_eq!(p.next_link, next);
        }
    }
}
