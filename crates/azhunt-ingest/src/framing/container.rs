//! Unwrapping the envelopes records travel in.
//!
//! The same records come bare, in arrays, in ARM / Graph pages (`{"value":[…],"nextLink"}`), in
//! Event Hub batches (`{"records":[…]}`), in Log Analytics query-API tables
//! (`{"tables":[{"columns":[…],"rows":[[…]]}]}`) and in REST API-spec examples
//! (`{"responses":{"200":{"body":{"value":[…]}}}}`), and these nest (an array of pages, a JSON
//! Lines file of pages). One recursive rule handles all of them, wherever they appear.

use azhunt_model::field::{Fields, Lookup, get_ci, plain_signature};
use sonic_rs::{JsonContainerTrait, JsonValueTrait, Object, Value};

/// Envelope keys whose array holds records.
const LIST_KEYS: [&str; 2] = ["value", "records"];

/// Signatures of the names an envelope's list can have ([`LIST_KEYS`] and `tables`).
const LIST_SIGNATURES: [u32; 3] = [
    plain_signature("value"),
    plain_signature("records"),
    plain_signature("tables"),
];

/// True when a JSON object is an envelope around records rather than a record.
pub fn is_container(v: &Value) -> bool {
    is_container_fields(v, &Fields::of(v))
}

/// [`is_container`] with the object's members already materialized.
pub fn is_container_fields(v: &Value, f: &Fields) -> bool {
    if !v.is_object() {
        return v.is_array();
    }
    // Most records have no member that could be named `value`, `records` or `tables`; their
    // signatures tell at once (three lookups cost a thousand instructions a record).
    if f.iter_maybe(&LIST_SIGNATURES).next().is_none() {
        return is_response_page(f);
    }
    let has = |k: &str| f.member(k).is_some();
    if LIST_KEYS
        .iter()
        .any(|k| f.member(k).is_some_and(|x| x.is_array()))
    {
        // A record never has a top-level `value`/`records` *array* next to a time field.
        return !has("time") && !has("eventTimestamp") && !has("TimeGenerated");
    }
    if f.member("tables").is_some_and(|x| x.is_array()) {
        return true;
    }
    is_response_page(f)
}

/// A REST example page: a small object whose `responses` member is an object.
fn is_response_page(f: &Fields) -> bool {
    f.len() <= 4 && f.member("responses").is_some_and(|r| r.is_object())
}

/// Appends the records inside `value` (or `value` itself when it is a record) to `out`.
pub fn flatten(value: Value, out: &mut Vec<Value>) {
    flatten_depth(value, out, 0);
}

fn flatten_depth(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 || !is_container(&value) {
        out.push(value);
        return;
    }
    if value.is_array() {
        if let Some(arr) = value.into_array() {
            for v in arr {
                flatten_depth(v, out, depth + 1);
            }
        }
        return;
    }
    let Some(obj) = value.into_object() else {
        return;
    };
    for (k, v) in obj.iter() {
        if LIST_KEYS.iter().any(|l| l.eq_ignore_ascii_case(k)) && v.is_array() {
            flatten_depth(v.clone(), out, depth + 1);
        } else if k.eq_ignore_ascii_case("tables") {
            for table in v.as_array().into_iter().flat_map(|a| a.iter()) {
                table_rows(table, out);
            }
        } else if k.eq_ignore_ascii_case("responses") {
            for (_, resp) in v.as_object().into_iter().flat_map(|o| o.iter()) {
                if let Some(body) = get_ci(resp, "body") {
                    flatten_depth(body.clone(), out, depth + 1);
                }
            }
        }
    }
}

fn table_rows(table: &Value, out: &mut Vec<Value>) {
    let columns = column_names(get_ci(table, "columns"));
    for row in get_ci(table, "rows")
        .and_then(|r| r.as_array())
        .into_iter()
        .flat_map(|a| a.iter())
    {
        out.push(zip_row(&columns, row));
    }
}

/// Names of a query-API `columns` array (`[{"name":…,"type":…}]`).
pub fn column_names(columns: Option<&Value>) -> Vec<String> {
    columns
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .map(|c| {
                    get_ci(c, "name")
                        .or_else(|| get_ci(c, "ColumnName"))
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A positional row as an object keyed by column name. Extra cells get `column N` names.
pub fn zip_row(columns: &[String], row: &Value) -> Value {
    let cells = row
        .as_array()
        .map(|a| a.iter().collect::<Vec<_>>())
        .unwrap_or_default();
    let pairs = cells.iter().enumerate().map(|(i, cell)| {
        let name = match columns.get(i).filter(|c| !c.is_empty()) {
            Some(n) => std::borrow::Cow::Borrowed(n.as_str()),
            None => std::borrow::Cow::Owned(format!("column {}", i + 1)),
        };
        (
            name,
            sonic_rs::to_string(*cell).unwrap_or_else(|_| "null".into()),
        )
    });
    ordered_object(pairs)
}

/// An object with members in the given order (sonic's `Object::insert` does not keep order).
/// Values are given as JSON text.
pub fn ordered_object<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> Value {
    let mut text = String::from("{");
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&sonic_rs::to_string(k.as_ref()).unwrap_or_else(|_| "\"\"".into()));
        text.push(':');
        text.push_str(&v);
    }
    text.push('}');
    sonic_rs::from_str(&text).unwrap_or_else(|_| Value::from(Object::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        flatten(sonic_rs::from_str(s).unwrap(), &mut out);
        out.iter()
            .map(|v| sonic_rs::to_string(v).unwrap())
            .collect()
    }

    #[test]
    fn unwraps_every_envelope() {
        assert_eq!(recs(r#"{"time":"t"}"#), vec![r#"{"time":"t"}"#]);
        assert_eq!(recs(r#"[{"a":1},{"a":2}]"#).len(), 2);
        assert_eq!(
            recs(r#"{"value":[{"a":1}],"nextLink":null}"#),
            vec![r#"{"a":1}"#]
        );
        assert_eq!(
            recs(r#"[{"value":[{"a":1}]},{"value":[{"a":2},{"a":3}]}]"#).len(),
            3
        );
        assert_eq!(recs(r#"{"records":[{"a":1},{"a":2}]}"#).len(), 2);
        assert_eq!(
            recs(r#"{"parameters":{},"responses":{"200":{"body":{"value":[{"a":1}]}}}}"#),
            vec![r#"{"a":1}"#]
        );
        assert_eq!(
            recs(
                r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"A","type":"string"},{"name":"B","type":"int"}],"rows":[["x",1],["y",2,"extra"]]}]}"#
            ),
            vec![
                r#"{"A":"x","B":1}"#,
                r#"{"A":"y","B":2,"column 3":"extra"}"#
            ]
        );
    }

    #[test]
    fn a_record_with_a_value_field_is_not_an_envelope() {
        assert!(!is_container(
            &sonic_rs::from_str(r#"{"time":"t","value":[1]}"#).unwrap()
        ));
        assert!(!is_container(
            &sonic_rs::from_str(r#"{"operationName":{"value":"x"}}"#).unwrap()
        ));
    }
}
