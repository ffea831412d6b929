//! Shared fixtures: a small AzureActivity table and query helpers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::type_complexity
)]

use azhunt_kql::{MemoryCatalog, Options, Table, Type, Value, parse_datetime, run};

pub fn now() -> jiff::Timestamp {
    "2026-11-12T12:00:00Z".parse().unwrap()
}

pub fn dt(s: &str) -> Value {
    Value::DateTime(parse_datetime(s).unwrap())
}

pub fn activity() -> Table {
    let cols = [
        ("TimeGenerated", Type::DateTime),
        ("OperationNameValue", Type::String),
        ("Caller", Type::String),
        ("CallerIpAddress", Type::String),
        ("ResourceGroup", Type::String),
        ("ActivityStatusValue", Type::String),
        ("Properties_d", Type::Dynamic),
        ("Count", Type::Long),
    ];
    let mut t = Table::new(
        "AzureActivity",
        cols.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
    );
    let rows: [(&str, &str, &str, &str, &str, &str, &str, Value); 6] = [
        (
            "2026-11-12T09:00:00Z",
            "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
            "alice@contoso.com",
            "10.0.0.1",
            "rg1",
            "Success",
            r#"{"a":1,"tags":["x","y"],"nested":{"k":"v"}}"#,
            Value::Int(1),
        ),
        (
            "2026-11-12T09:30:00Z",
            "Microsoft.Compute/virtualMachines/delete",
            "alice@contoso.com",
            "10.0.0.1",
            "rg1",
            "Failure",
            r#"{"a":2,"tags":[]}"#,
            Value::Int(2),
        ),
        (
            "2026-11-12T10:15:00Z",
            "Microsoft.Storage/storageAccounts/listKeys/action",
            "bob@contoso.com",
            "52.1.2.3",
            "rg2",
            "Success",
            r#"{"a":3}"#,
            Value::Int(3),
        ),
        (
            "2026-11-11T23:00:00Z",
            "Microsoft.Authorization/roleAssignments/write",
            "bob@contoso.com",
            "52.1.2.3",
            "rg2",
            "Success",
            "{}",
            Value::Null,
        ),
        (
            "2026-11-12T11:00:00Z",
            "Microsoft.Authorization/roleAssignments/write",
            "carol@fabrikam.com",
            "192.168.1.5",
            "RG1",
            "Start",
            r#"{"a":5}"#,
            Value::Int(5),
        ),
        (
            "2026-11-01T00:00:00Z",
            "Microsoft.Network/networkSecurityGroups/write",
            "",
            "",
            "rg3",
            "Success",
            "null",
            Value::Int(6),
        ),
    ];
    for (time, op, caller, ip, rg, st, props, n) in rows {
        t.rows.push(vec![
            dt(time),
            Value::from(op),
            Value::from(caller),
            Value::from(ip),
            Value::from(rg),
            Value::from(st),
            azhunt_kql_json(props),
            n,
        ]);
    }
    t
}

fn azhunt_kql_json(s: &str) -> Value {
    // parse through the engine's own parse_json
    let cat = MemoryCatalog::new();
    let q = format!("print x = parse_json(@'{s}')");
    let t = run(&q, &cat, &Options { now: now() }).unwrap();
    t.rows[0][0].clone()
}

pub fn catalog() -> MemoryCatalog {
    let mut c = MemoryCatalog::new();
    c.insert(activity());
    c
}

pub fn q(query: &str) -> Table {
    match run(query, &catalog(), &Options { now: now() }) {
        Ok(t) => t,
        Err(e) => panic!("{}", e.render(query)),
    }
}

pub fn err(query: &str) -> azhunt_kql::KqlError {
    match run(query, &catalog(), &Options { now: now() }) {
        Ok(t) => panic!("expected an error, got {t:?}"),
        Err(e) => e,
    }
}

pub fn col(t: &Table, name: &str) -> Vec<Value> {
    t.column(name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", t.columns))
        .into_iter()
        .cloned()
        .collect()
}

pub fn strs(t: &Table, name: &str) -> Vec<String> {
    col(t, name).iter().map(Value::to_kql_string).collect()
}

pub fn one(query: &str) -> Value {
    let t = q(query);
    assert_eq!(t.rows.len(), 1, "expected one row: {t:?}");
    t.rows[0][t.columns.len() - 1].clone()
}

pub fn names(t: &Table) -> Vec<String> {
    t.columns.iter().map(|(n, _)| n.clone()).collect()
}
