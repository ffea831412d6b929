//! Real Sentinel rules from the corpus produce the expected hits over crafted AzureActivity rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use azhunt_kql::{MemoryCatalog, Options, Table, Type, Value, parse_datetime, run};

const RULES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/sentinel-azureactivity/upstream-index"
);

const COLUMNS: &[(&str, Type)] = &[
    ("TimeGenerated", Type::DateTime),
    ("OperationNameValue", Type::String),
    ("Caller", Type::String),
    ("CallerIpAddress", Type::String),
    ("ResourceGroup", Type::String),
    ("ResourceProviderValue", Type::String),
    ("ActivityStatusValue", Type::String),
    ("ActivitySubstatusValue", Type::String),
    ("CategoryValue", Type::String),
    ("SubscriptionId", Type::String),
    ("_ResourceId", Type::String),
    ("Properties", Type::String),
    ("HTTPRequest", Type::String),
    ("Type", Type::String),
    ("TenantId", Type::String),
];

/// The rule's query; `None` (test skipped) only when the shared corpus is absent.
fn query(rel: &str) -> Option<String> {
    if !std::path::Path::new(RULES).exists() {
        eprintln!("corpus not found at {RULES}; skipping");
        return None;
    }
    let text = std::fs::read_to_string(format!("{RULES}/{rel}")).expect("rule file");
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("rule YAML");
    Some(
        doc.get("query")
            .and_then(|q| q.as_str())
            .expect("query field")
            .to_string(),
    )
}

fn table(rows: &[&[(&str, &str)]]) -> MemoryCatalog {
    let mut t = Table::new(
        "AzureActivity",
        COLUMNS.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
    );
    for r in rows {
        t.rows.push(
            COLUMNS
                .iter()
                .map(|(n, ty)| {
                    let v = r.iter().find(|(k, _)| k == n).map(|(_, v)| *v);
                    match (ty, v) {
                        (Type::DateTime, Some(v)) => Value::DateTime(parse_datetime(v).unwrap()),
                        (Type::DateTime, None) => {
                            Value::DateTime(parse_datetime("2026-11-12T10:00:00Z").unwrap())
                        }
                        (_, v) => Value::from(v.unwrap_or("")),
                    }
                })
                .collect(),
        );
    }
    let mut c = MemoryCatalog::new();
    c.insert(t);
    c
}

fn opts() -> Options {
    Options {
        now: "2026-11-12T12:00:00Z".parse().unwrap(),
    }
}

#[test]
fn diagnostic_settings_deleted_without_resource_delete() {
    let Some(q) = query("Detections/AzureActivity/AzDiagSettingsDeleted.yaml") else {
        return;
    };
    let diag = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/D1";
    let diag2 = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV2/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/D2";
    let cat = table(&[
        &[
            (
                "OperationNameValue",
                "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE",
            ),
            ("ActivityStatusValue", "Start"),
            ("_ResourceId", diag),
            ("Caller", "eve@contoso.com"),
        ],
        &[
            (
                "OperationNameValue",
                "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE",
            ),
            ("ActivityStatusValue", "Start"),
            ("_ResourceId", diag2),
            ("Caller", "ops@contoso.com"),
        ],
        // KV2 itself is being deleted: its diagnostic setting deletion is expected, not suspicious.
        &[
            ("OperationNameValue", "MICROSOFT.KEYVAULT/VAULTS/DELETE"),
            ("ActivityStatusValue", "Start"),
            (
                "Properties",
                r#"{"resource":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV2"}"#,
            ),
        ],
    ]);
    let t = run(&q, &cat, &opts()).map_err(|e| e.render(&q)).unwrap();
    let callers: Vec<String> = t
        .column("Caller")
        .unwrap()
        .iter()
        .map(|v| v.to_kql_string())
        .collect();
    assert_eq!(callers, ["eve@contoso.com"]);
    assert_eq!(
        t.get(0, "resource").unwrap().to_kql_string(),
        "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1"
    );
}

#[test]
fn cloud_shell_first_use() {
    let Some(q) = query("Solutions/Azure Activity/Analytic Rules/New-CloudShell-User.yaml") else {
        return;
    };
    let cat = table(&[
        &[
            (
                "OperationNameValue",
                "Microsoft.Storage/storageAccounts/listKeys/action",
            ),
            ("ActivityStatusValue", "Success"),
            ("ResourceGroup", "cloud-shell-storage-westeurope"),
            ("Caller", "mallory@fabrikam.com"),
            ("CallerIpAddress", "20.1.2.3"),
            ("TimeGenerated", "2026-11-12T10:00:30Z"),
        ],
        &[
            (
                "OperationNameValue",
                "MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE",
            ),
            ("ActivityStatusValue", "Start"),
            ("ResourceGroup", "cloud-shell-storage-westeurope"),
            ("Caller", "mallory@fabrikam.com"),
            ("CallerIpAddress", "198.51.100.7"),
            ("TimeGenerated", "2026-11-12T10:01:00Z"),
        ],
        &[
            (
                "OperationNameValue",
                "Microsoft.Storage/storageAccounts/write",
            ),
            ("ResourceGroup", "prod"),
            ("Caller", "someone@fabrikam.com"),
        ],
    ]);
    let t = run(&q, &cat, &opts()).map_err(|e| e.render(&q)).unwrap();
    assert_eq!(t.rows.len(), 1, "{t:?}");
    assert_eq!(t.get(0, "Name").unwrap().to_kql_string(), "mallory");
    assert_eq!(
        t.get(0, "UPNSuffix").unwrap().to_kql_string(),
        "fabrikam.com"
    );
    assert_eq!(t.get(0, "UserIP").unwrap().to_kql_string(), "198.51.100.7");
    assert_eq!(t.get(0, "count_").unwrap(), &Value::Int(1));
    assert_eq!(
        t.get(0, "OperationList").unwrap().to_kql_string(),
        "Microsoft.Storage/storageAccounts/listKeys/action , MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE"
    );
}

#[test]
fn expensive_compute_creation() {
    let Some(q) = query(
        "Solutions/Azure Activity/Analytic Rules/Creation_of_Expensive_Computes_in_Azure.yaml",
    ) else {
        return;
    };
    let props = |size: &str| {
        format!(
            r#"{{"responseBody":"{{\"properties\":{{\"hardwareProfile\":{{\"vmSize\":\"{size}\"}},\"osProfile\":{{\"computerName\":\"miner01\"}}}}}}"}}"#
        )
    };
    let big = props("Standard_NC24");
    let small = props("Standard_B2s");
    let cat = table(&[
        &[
            (
                "OperationNameValue",
                "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
            ),
            ("ActivityStatusValue", "Accept"),
            ("Caller", "eve@contoso.com"),
            ("Properties", &big),
        ],
        &[
            (
                "OperationNameValue",
                "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
            ),
            ("ActivityStatusValue", "Accept"),
            ("Caller", "bob@contoso.com"),
            ("Properties", &small),
        ],
    ]);
    let t = run(&q, &cat, &opts()).map_err(|e| e.render(&q)).unwrap();
    assert_eq!(t.rows.len(), 1, "{t:?}");
    assert_eq!(t.get(0, "vmSize").unwrap().to_kql_string(), "Standard_NC24");
    assert_eq!(t.get(0, "ComputerName").unwrap().to_kql_string(), "miner01");
    assert_eq!(t.get(0, "Name").unwrap().to_kql_string(), "eve");
}
