//! `AzureDiagnostics`: Key Vault, AKS and other resource-log records in Log Analytics' legacy
//! "Azure diagnostics" shape.
//!
//! The table has a few fixed columns (`TimeGenerated`, `ResourceId`, `Category`,
//! `OperationName`, `ResultType`, `ResultSignature`, `CallerIPAddress`, …) and one column per
//! flattened property: nested names joined with `_` and a type suffix — `_s` string, `_d`
//! number, `_b` boolean — as Log Analytics names them (`identity_claim_upn_s`, `id_s`,
//! `httpStatusCode_d`, `log_s` for the Kubernetes audit event). The column set is the union of
//! what the evidence holds, so it is only known once every event has been read.

use crate::convert::dynamic;
use azhunt_kql::{Table, Type, Value as K};
use azhunt_model::field::get_ci;
use azhunt_model::{Event, RecordFormat, Value};
use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
use std::collections::BTreeMap;

/// Columns every row has, in order.
const FIXED: [(&str, Type); 17] = [
    ("TimeGenerated", Type::DateTime),
    ("ResourceId", Type::String),
    ("Category", Type::String),
    ("OperationName", Type::String),
    ("OperationVersion", Type::String),
    ("ResultType", Type::String),
    ("ResultSignature", Type::String),
    ("ResultDescription", Type::String),
    ("DurationMs", Type::Long),
    ("CallerIPAddress", Type::String),
    ("CorrelationId", Type::String),
    ("Resource", Type::String),
    ("ResourceGroup", Type::String),
    ("SubscriptionId", Type::String),
    ("ResourceProvider", Type::String),
    ("ResourceType", Type::String),
    ("Type", Type::String),
];

/// One row: the fixed columns, then flattened properties by column name.
pub struct DiagRow {
    fixed: Vec<K>,
    extra: Vec<(String, K, Type)>,
}

fn s(v: Option<&str>) -> K {
    v.map_or(K::Null, K::from)
}

fn text(raw: &Value, name: &str) -> K {
    match get_ci(raw, name) {
        Some(v) if v.is_str() => s(v.as_str()),
        Some(v) if v.is_number() => K::from(sonic_rs::to_string(v).unwrap_or_default()),
        _ => K::Null,
    }
}

/// Flattens `v` under `prefix` into `out` with Log Analytics' type suffixes.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, K, Type)>, depth: usize) {
    match v.get_type() {
        JsonType::Object if depth < 6 => {
            if let Some(o) = v.as_object() {
                for (k, x) in o.iter() {
                    let name = if prefix.is_empty() {
                        k.to_string()
                    } else {
                        format!("{prefix}_{k}")
                    };
                    flatten(&name, x, out, depth + 1);
                }
            }
        }
        JsonType::Null => {}
        JsonType::Boolean => out.push((format!("{prefix}_b"), dynamic(v), Type::Bool)),
        JsonType::Number => {
            let d = v.as_f64().map_or(K::Null, K::Real);
            out.push((format!("{prefix}_d"), d, Type::Real));
        }
        JsonType::String => out.push((format!("{prefix}_s"), s(v.as_str()), Type::String)),
        _ => {
            let t = sonic_rs::to_string(v).unwrap_or_default();
            out.push((format!("{prefix}_s"), K::from(t), Type::String));
        }
    }
}

/// The flattened columns of a row exported from Log Analytics, kept under their own names
/// (`identity_claim_upn_s`, `httpStatusCode_d`, `log_s`): the suffix gives the type; CSV cells
/// are text, so numbers and booleans are parsed back.
fn exported_columns(raw: &Value, out: &mut Vec<(String, K, Type)>) {
    let Some(obj) = raw.as_object() else { return };
    for (name, v) in obj.iter() {
        let name = name.strip_suffix(" [UTC]").unwrap_or(name);
        let text = v.as_str().map(str::trim);
        let (kq, ty) = if name.ends_with("_d") {
            let d = v.as_f64().or_else(|| text.and_then(|t| t.parse().ok()));
            (d.map_or(K::Null, K::Real), Type::Real)
        } else if name.ends_with("_b") {
            let b = v
                .as_bool()
                .or_else(|| text.and_then(|t| t.to_ascii_lowercase().parse().ok()));
            (b.map_or(K::Null, K::Bool), Type::Bool)
        } else if name.ends_with("_s") || name.ends_with("_g") {
            match text {
                Some(t) if !t.is_empty() => (K::from(t), Type::String),
                Some(_) => (K::Null, Type::String),
                None => (
                    K::from(sonic_rs::to_string(v).unwrap_or_default()),
                    Type::String,
                ),
            }
        } else {
            continue;
        };
        out.push((name.to_string(), kq, ty));
    }
}

pub fn row(e: &Event) -> DiagRow {
    let raw = &e.raw;
    let res = e.resource.as_ref();
    let fixed = FIXED
        .iter()
        .map(|(c, _)| match *c {
            "TimeGenerated" => i64::try_from(e.time.as_nanosecond()).map_or(K::Null, K::DateTime),
            "ResourceId" => s(e.resource_id()),
            "Category" => s(e.category.as_deref()),
            "OperationName" => s(Some(e.operation.as_str()).filter(|o| !o.is_empty())),
            "OperationVersion" => text(raw, "operationVersion"),
            "ResultType" => text(raw, "resultType"),
            "ResultSignature" => text(raw, "resultSignature"),
            "ResultDescription" => text(raw, "resultDescription"),
            "DurationMs" => get_ci(raw, "durationMs")
                .and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|t| t.trim().parse().ok()))
                })
                .map_or(K::Null, K::Int),
            "CallerIPAddress" => s(e.ip.as_deref()),
            "CorrelationId" => s(e.correlation_id.as_deref()),
            "Resource" => s(res.and_then(|r| r.name())),
            "ResourceGroup" => s(res.and_then(|r| r.resource_group())),
            "SubscriptionId" => s(e.subscription_id.as_deref()),
            "ResourceProvider" => s(e.resource_provider.as_deref()),
            "ResourceType" => s(res.and_then(|r| r.resource_type())),
            _ => K::from("AzureDiagnostics"),
        })
        .collect();
    let mut extra = Vec::new();
    if let Some(p) = get_ci(raw, "properties") {
        flatten("", p, &mut extra, 0);
    }
    if let Some(id) = get_ci(raw, "identity") {
        flatten("identity", id, &mut extra, 0);
    }
    if e.format == RecordFormat::LogAnalytics {
        exported_columns(raw, &mut extra);
    }
    DiagRow { fixed, extra }
}

/// Builds the table from rows: fixed columns, then every flattened column seen, sorted. A
/// column seen with two types becomes a string column.
pub fn table(rows: Vec<DiagRow>) -> Table {
    let mut types: BTreeMap<String, Type> = BTreeMap::new();
    for r in &rows {
        for (n, _, t) in &r.extra {
            if FIXED.iter().any(|(f, _)| f == n) {
                continue;
            }
            let e = types.entry(n.clone()).or_insert(*t);
            if *e != *t {
                *e = Type::String;
            }
        }
    }
    let mut columns: Vec<(String, Type)> =
        FIXED.iter().map(|(n, t)| ((*n).to_string(), *t)).collect();
    let extra_names: Vec<(String, Type)> = types.into_iter().collect();
    columns.extend(extra_names.iter().cloned());
    let mut t = Table::new("AzureDiagnostics", columns);
    for r in rows {
        let mut row = r.fixed;
        let by_name: BTreeMap<&str, &K> = r.extra.iter().map(|(n, v, _)| (n.as_str(), v)).collect();
        for (name, ty) in &extra_names {
            let v = by_name.get(name.as_str()).map_or(K::Null, |v| (*v).clone());
            row.push(match (ty, v) {
                (Type::String, K::Real(f)) => K::from(f.to_string()),
                (Type::String, K::Bool(b)) => K::from(b.to_string()),
                (_, v) => v,
            });
        }
        t.rows.push(row);
    }
    t
}
