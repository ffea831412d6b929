//! Parses (and, where the tables exist, runs) every Sentinel query in the shared corpus.
//!
//! Run with `--nocapture` to see the rates and each failure's reason. Queries are in scope
//! when their `requiredDataConnectors` data types are only AzureActivity/AuditLogs/SigninLogs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use azhunt_kql::{MemoryCatalog, Options, Table, Type, Value, parse, parse_datetime, run};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/sentinel-azureactivity"
);
const IN_SCOPE: &[&str] = &["AzureActivity", "AuditLogs", "SigninLogs"];

struct Item {
    path: PathBuf,
    query: String,
    data_types: Vec<String>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "kql")
        {
            out.push(p);
        }
    }
}

fn load() -> Vec<Item> {
    let mut files = Vec::new();
    walk(Path::new(CORPUS), &mut files);
    let mut items = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if path.extension().is_some_and(|e| e == "kql") {
            items.push(Item {
                path,
                query: text,
                data_types: vec!["AzureActivity".into()],
            });
            continue;
        }
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) else {
            continue;
        };
        let Some(query) = doc.get("query").and_then(|q| q.as_str()) else {
            continue;
        };
        let mut data_types = Vec::new();
        if let Some(conns) = doc
            .get("requiredDataConnectors")
            .and_then(|c| c.as_sequence())
        {
            for c in conns {
                if let Some(dts) = c.get("dataTypes").and_then(|d| d.as_sequence()) {
                    data_types.extend(dts.iter().filter_map(|d| d.as_str().map(str::to_string)));
                }
            }
        }
        items.push(Item {
            path,
            query: query.to_string(),
            data_types,
        });
    }
    items
}

fn activity_table() -> Table {
    let s = Type::String;
    let cols: Vec<(String, Type)> = [
        ("TimeGenerated", Type::DateTime),
        ("OperationNameValue", s),
        ("OperationName", s),
        ("Caller", s),
        ("CallerIpAddress", s),
        ("ResourceGroup", s),
        ("ResourceProvider", s),
        ("ResourceProviderValue", s),
        ("ActivityStatusValue", s),
        ("ActivityStatus", s),
        ("ActivitySubstatusValue", s),
        ("Category", s),
        ("CategoryValue", s),
        ("SubscriptionId", s),
        ("ResourceId", s),
        ("_ResourceId", s),
        ("Level", s),
        ("CorrelationId", s),
        ("Properties", s),
        ("Properties_d", Type::Dynamic),
        ("Authorization_d", Type::Dynamic),
        ("Claims_d", Type::Dynamic),
        ("HTTPRequest", s),
        ("Type", s),
        ("TenantId", s),
        ("EventDataId", s),
        ("Resource", s),
        ("Authorization", s),
        ("EventSubmissionTimestamp", Type::DateTime),
        ("OperationId", s),
        ("Hierarchy", s),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    let mut t = Table::new("AzureActivity", cols);
    let ops = [
        "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Storage/storageAccounts/listKeys/action",
        "Microsoft.Compute/virtualMachines/runCommand/action",
        "Microsoft.Resources/deployments/write",
    ];
    for i in 0..40i64 {
        let op = ops[(i as usize) % ops.len()];
        let when = parse_datetime("2026-11-12T00:00:00Z").unwrap() - i * 3_600_000_000_000 * 7;
        let props = format!(
            r#"{{"entity":"/subscriptions/s/resourceGroups/rg{i}/providers/x","statusCode":"Created","requestbody":"{{\"Properties\":{{\"RoleDefinitionId\":\"/r/8e3af657-a8ff-443c-a75c-2fe8c4bcb635\",\"PrincipalId\":\"p{i}\"}}}}","message":"{op}"}}"#
        );
        let props_d = azhunt_kql::run(
            &format!("print parse_json(@'{}')", props.replace('\'', "''")),
            &MemoryCatalog::new(),
            &Options {
                now: jiff::Timestamp::UNIX_EPOCH,
            },
        )
        .map(|t| t.rows[0][0].clone())
        .unwrap_or_default();
        let caller = format!("user{}@contoso.com", i % 4);
        let row: Vec<Value> = vec![
            Value::DateTime(when),
            Value::from(op),
            Value::from(op.rsplit('/').next().unwrap_or(op)),
            Value::from(caller.as_str()),
            Value::from(format!("52.1.{}.{}", i % 3, i % 7)),
            Value::from(format!("rg{}", i % 5)),
            Value::from("Microsoft.Compute"),
            Value::from(op.split('/').next().unwrap_or(op)),
            Value::from(if i % 6 == 0 { "Failure" } else { "Success" }),
            Value::from(if i % 6 == 0 { "Failed" } else { "Succeeded" }),
            Value::from(if i % 2 == 0 { "Created" } else { "" }),
            Value::from("Administrative"),
            Value::from("Administrative"),
            Value::from("00000000-0000-0000-0000-000000000001"),
            Value::from(format!(
                "/subscriptions/s/resourceGroups/rg{}/providers/x/y{i}",
                i % 5
            )),
            Value::from(format!(
                "/subscriptions/s/resourcegroups/rg{}/providers/x/y{i}",
                i % 5
            )),
            Value::from("Informational"),
            Value::from(format!("corr-{}", i / 2)),
            Value::from(props),
            props_d,
            Value::Null,
            Value::Null,
            Value::from(""),
            Value::from("AzureActivity"),
            Value::from("tenant"),
            Value::from(format!("evt-{i}")),
            Value::from(format!("y{i}")),
            Value::from(
                r#"{"action":"Microsoft.Compute/virtualMachines/write","scope":"/subscriptions/s"}"#,
            ),
            Value::DateTime(when),
            Value::from(format!("op-{i}")),
            Value::from("tenant/s"),
        ];
        t.rows.push(row);
    }
    t
}

fn simple_table(name: &str, cols: &[(&str, Type)], rows: usize) -> Table {
    let mut t = Table::new(
        name,
        cols.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
    );
    let base = parse_datetime("2026-11-12T00:00:00Z").unwrap();
    for i in 0..rows {
        t.rows.push(
            cols.iter()
                .map(|(n, ty)| match ty {
                    Type::DateTime => Value::DateTime(base - i as i64 * 3_600_000_000_000),
                    Type::Dynamic if *n == "InitiatedBy" => Value::from_json(&format!(
                        r#"{{"user":{{"userPrincipalName":"user{}@contoso.com","ipAddress":"52.1.0.{}"}}}}"#,
                        i % 4,
                        i % 7
                    ))
                    .unwrap_or_default(),
                    Type::Dynamic if *n == "TargetResources" => Value::from_json(&format!(
                        r#"[{{"displayName":"target{i}","userPrincipalName":"new{i}_contoso.com#EXT#","modifiedProperties":[{{"displayName":"Role","newValue":"\"Owner\""}}]}}]"#
                    ))
                    .unwrap_or_default(),
                    Type::Dynamic => Value::from_json("{}").unwrap_or_default(),
                    _ => match *n {
                        "ResultType" => Value::from(if i % 3 == 0 { "50126" } else { "0" }),
                        "IPAddress" => Value::from(format!("52.1.0.{}", i % 7)),
                        "UserPrincipalName" => Value::from(format!("user{}@contoso.com", i % 4)),
                        "OperationName" => Value::from(if i % 2 == 0 { "Add user" } else { "Add member to role" }),
                        "Category" => Value::from("RoleManagement"),
                        "LoggedByService" => Value::from("Core Directory"),
                        other => Value::from(format!("{other}-{}", i % 3)),
                    },
                })
                .collect(),
        );
    }
    t
}

fn audit_table() -> Table {
    use Type::*;
    simple_table(
        "AuditLogs",
        &[
            ("TimeGenerated", DateTime),
            ("OperationName", String),
            ("Category", String),
            ("Result", String),
            ("ResultReason", String),
            ("LoggedByService", String),
            ("ActivityDisplayName", String),
            ("CorrelationId", String),
            ("Identity", String),
            ("InitiatedBy", Dynamic),
            ("TargetResources", Dynamic),
            ("AdditionalDetails", Dynamic),
            ("Type", String),
        ],
        30,
    )
}

fn signin_table() -> Table {
    use Type::*;
    simple_table(
        "SigninLogs",
        &[
            ("TimeGenerated", DateTime),
            ("UserPrincipalName", String),
            ("UserDisplayName", String),
            ("UserId", String),
            ("IPAddress", String),
            ("ResultType", String),
            ("ResultDescription", String),
            ("AppDisplayName", String),
            ("ClientAppUsed", String),
            ("UserAgent", String),
            ("ConditionalAccessStatus", String),
            ("AuthenticationRequirement", String),
            ("Location", String),
            ("LocationDetails", Dynamic),
            ("DeviceDetail", Dynamic),
            ("Status", Dynamic),
            ("Type", String),
        ],
        30,
    )
}

#[test]
fn sentinel_corpus_parse_and_run() {
    let items = load();
    if items.is_empty() {
        eprintln!("corpus not found at {CORPUS}; skipping");
        return;
    }
    let mut cat = MemoryCatalog::new();
    cat.insert(activity_table());
    cat.insert(audit_table());
    cat.insert(signin_table());
    let opts = Options {
        now: "2026-11-12T12:00:00Z".parse().unwrap(),
    };
    let (mut scope_total, mut scope_ok, mut all_ok) = (0, 0, 0);
    let (mut run_total, mut run_ok) = (0, 0);
    let mut parse_failures = Vec::new();
    let mut run_failures = Vec::new();
    for it in &items {
        let rel = it
            .path
            .strip_prefix(CORPUS)
            .unwrap_or(&it.path)
            .display()
            .to_string();
        let in_scope = !it.data_types.is_empty()
            && it.data_types.iter().all(|d| IN_SCOPE.contains(&d.as_str()));
        let parsed = parse(&it.query);
        if parsed.is_ok() {
            all_ok += 1;
        }
        if in_scope {
            scope_total += 1;
            if parsed.is_ok() {
                scope_ok += 1;
            }
        }
        match parsed {
            Err(e) => parse_failures.push(format!(
                "{rel} [{}]\n{}",
                it.data_types.join(","),
                e.render(&it.query)
            )),
            Ok(_) if in_scope => {
                run_total += 1;
                match run(&it.query, &cat, &opts) {
                    Ok(t) => {
                        run_ok += 1;
                        println!(
                            "RUN OK {rel}: {} rows x {} columns",
                            t.rows.len(),
                            t.columns.len()
                        );
                    }
                    Err(e) => run_failures.push(format!("{rel}\n{}", e.render(&it.query))),
                }
            }
            Ok(_) => {}
        }
    }
    println!("parsed {all_ok}/{} queries overall", items.len());
    println!(
        "parsed {scope_ok}/{scope_total} in-scope queries (AzureActivity/AuditLogs/SigninLogs only)"
    );
    println!(
        "ran {run_ok}/{run_total} in-scope queries over small test tables (AzureActivity 40 rows, AuditLogs/SigninLogs 30)"
    );
    for f in &parse_failures {
        println!("PARSE FAIL {f}\n");
    }
    for f in &run_failures {
        println!("RUN FAIL {f}\n");
    }
    assert!(scope_total > 0);
    assert!(
        scope_ok * 100 >= scope_total * 80,
        "in-scope parse rate {scope_ok}/{scope_total} is below 80%"
    );
}
