//! `azhunt query` end to end over the shipped evidence: the seed queries run verbatim, results
//! agree with the timeline (worked out independently), errors point at the query.
#![allow(clippy::unwrap_used)]

mod support;

use sonic_rs::{JsonContainerTrait, JsonValueTrait};
use support::{azhunt, json_lines, root};

const NOW: &str = "2026-11-16T00:00:00Z";

fn query(q: &str) -> Vec<sonic_rs::Value> {
    let out = azhunt(
        &[
            "query",
            "-q",
            "--now",
            NOW,
            "--format",
            "jsonl",
            q,
            "examples/evidence",
        ],
        &root(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{q}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
}

#[test]
fn seed_queries_run_verbatim() {
    let aks = query(
        "AzureActivity | where TimeGenerated > ago(30d) | where ResourceProvider has \"Microsoft.ContainerService\" | project TimeGenerated, OperationNameValue, Caller, CallerIpAddress, ResourceGroup, ActivityStatusValue",
    );
    assert!(!aks.is_empty());
    for r in &aks {
        assert_eq!(r.as_object().unwrap().len(), 6);
        assert!(r["OperationNameValue"].as_str().unwrap().len() > 3);
    }
    let ra = query(
        "AzureActivity | where OperationNameValue has 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE' | take 10",
    );
    assert!(!ra.is_empty() && ra.len() <= 10);
    // Runs verbatim; in the evidence (as in Entra) modifiedProperties[0] is Role.ObjectID, so
    // it finds nothing, while the same filter on the whole array finds the grant.
    query(
        "AuditLogs | where OperationName == \"Add member to role\" | where TargetResources[0].modifiedProperties[0].newValue has \"Global Administrator\"",
    );
    let ga = query(
        "AuditLogs | where OperationName == \"Add member to role\" | mv-expand p = TargetResources[0].modifiedProperties | where p.newValue has \"Global Administrator\" | project TimeGenerated, TargetResources",
    );
    assert_eq!(ga.len(), 1, "{ga:?}");
}

/// Counts worked out from the timeline, a different code path over the same evidence.
#[test]
fn counts_agree_with_the_timeline() {
    let out = azhunt(
        &["timeline", "-q", "--format", "jsonl", "examples/evidence"],
        &root(),
    );
    let rows = json_lines(&out);
    let count =
        |pred: &dyn Fn(&sonic_rs::Value) -> bool| rows.iter().filter(|r| pred(r)).count() as i64;
    let by_log = |log: &str| count(&|r| r["log"].as_str() == Some(log));
    let n = |q: &str| query(q)[0]["Count"].as_i64().unwrap();
    assert_eq!(n("AzureActivity | count"), by_log("activity"));
    assert_eq!(n("AuditLogs | count"), by_log("entra_audit"));
    let signins = n(
        "union SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs | count",
    );
    assert_eq!(signins, by_log("entra_signin"));
    let attacker = count(&|r| {
        r["log"].as_str() == Some("activity") && r["ip"].as_str() == Some("203.0.113.66")
    });
    assert!(attacker > 0);
    assert_eq!(
        n("AzureActivity | where CallerIpAddress == '203.0.113.66' | count"),
        attacker
    );
    let by_caller = query(
        "AzureActivity | where CallerIpAddress == '203.0.113.66' | summarize n = count() by Caller | order by n desc",
    );
    assert_eq!(
        by_caller[0]["Caller"].as_str(),
        Some("maria.lopez@fabrikam-logistics.com")
    );
    let nanos = query(
        "AzureActivity | where OperationNameValue =~ 'Microsoft.Authorization/elevateAccess/action' | summarize min(TimeGenerated)",
    );
    assert_eq!(
        nanos[0]["min_TimeGenerated"].as_str(),
        Some("2026-11-12T09:04:10.4055342Z")
    );
}

#[test]
fn errors_point_at_the_query() {
    let out = azhunt(
        &["query", "-q", "AzureActivity | wher x", "examples/evidence"],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains('^'), "{err}");
    let out = azhunt(
        &[
            "query",
            "-q",
            "AzureActivity | project NoSuchColumn",
            "examples/evidence",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchColumn"));
    let out = azhunt(&["query", "-q", "AzureActivity | count"], &root());
    assert_eq!(
        out.status.code(),
        Some(2),
        "a query without evidence is an error"
    );
}

#[test]
fn schema_and_formats() {
    let cols = query("AzureActivity | getschema | project ColumnName");
    let names: Vec<&str> = cols
        .iter()
        .map(|r| r["ColumnName"].as_str().unwrap())
        .collect();
    for want in [
        "TimeGenerated",
        "OperationNameValue",
        "OperationName",
        "ActivityStatusValue",
        "Properties_d",
        "Claims_d",
    ] {
        assert!(names.contains(&want), "{want}");
    }
    let out = azhunt(
        &[
            "query",
            "-q",
            "--format",
            "csv",
            "AuditLogs | project OperationName | take 2",
            "examples/evidence",
        ],
        &root(),
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("OperationName\n"));
}

#[test]
fn resource_logs_are_azure_diagnostics() {
    let by_cat =
        query("AzureDiagnostics | summarize n = count() by Category | order by Category asc");
    let cats: Vec<(&str, i64)> = by_cat
        .iter()
        .map(|r| (r["Category"].as_str().unwrap(), r["n"].as_i64().unwrap()))
        .collect();
    // 67 Key Vault AuditEvent records and 57 kube-audit records in the evidence README.
    assert_eq!(cats, vec![("AuditEvent", 67), ("kube-audit", 57)]);
    let reads = query(
        "AzureDiagnostics | where OperationName == 'SecretGet' and CallerIPAddress == '203.0.113.66' | project identity_claim_oid_s, httpStatusCode_d",
    );
    assert_eq!(reads.len(), 5);
    assert!(reads.iter().all(
        |r| r["identity_claim_oid_s"].as_str() == Some("7158ec18-6d09-586e-8577-bd5abbbbe529")
    ));
    let binding = query(
        "AzureDiagnostics | where Category == 'kube-audit' | extend l = parse_json(log_s) | where l.verb == 'create' and l.objectRef.resource == 'clusterrolebindings' | project who = tostring(l.user.username)",
    );
    assert_eq!(binding.len(), 1);
    assert_eq!(binding[0]["who"].as_str(), Some("masterclient"));
}

/// A query whose result is made of named columns is run over tables built with only the columns
/// it names; the same query with a trailing `take` (which shows every column, so nothing is
/// pruned) must agree.
#[test]
fn pruned_tables_give_the_same_results() {
    for q in [
        "AzureActivity | where CallerIpAddress == '203.0.113.66' | summarize n = count() by Caller, OperationNameValue | order by n desc, OperationNameValue asc",
        "AuditLogs | extend who = tostring(InitiatedBy.user.userPrincipalName) | summarize n = count() by who, OperationName | order by n desc, OperationName asc, who asc",
        "SigninLogs | project UserPrincipalName, IPAddress, Location | order by UserPrincipalName asc, IPAddress asc",
    ] {
        let pruned = query(q);
        let full = query(&format!("{q} | take 100000"));
        assert_eq!(pruned, full, "{q}");
        assert!(!pruned.is_empty(), "{q}");
    }
}

/// Log Analytics exports of resource logs: an `AzureDiagnostics` CSV of Key Vault `AuditEvent`
/// rows and an `AKSAuditAdmin` JSON export are read as Key Vault and kube-audit events,
/// queryable as `AzureDiagnostics` under their exported column names, and hunted.
#[test]
fn log_analytics_exports_of_resource_logs_are_read_queried_and_hunted() {
    let dir = tempfile::tempdir().unwrap();
    let kv = dir.path().join("AzureDiagnostics_keyvault.csv");
    std::fs::write(
        &kv,
        "TenantId,TimeGenerated [UTC],ResourceId,Category,ResourceProvider,OperationName,ResultType,CallerIPAddress,identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g,identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s,httpStatusCode_d,requestUri_s,Type\n\
f793c0c2-d63d-54c4-8c97-eaae3d213e06,\"11/12/2026, 10:13:05.123 AM\",/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1,AuditEvent,MICROSOFT.KEYVAULT,SecretGet,Success,203.0.113.66,7158ec18-6d09-586e-8577-bd5abbbbe529,maria@f.example,200,https://kv1.vault.azure.net/secrets/db,AzureDiagnostics\n",
    )
    .unwrap();
    let aks = dir.path().join("AKSAuditAdmin.json");
    std::fs::write(
        &aks,
        r#"[{"TimeGenerated":"2026-11-12T09:24:01Z","AuditId":"a9","Stage":"ResponseComplete","RequestUri":"/api/v1/namespaces/default/pods/web-1/exec?command=sh","Verb":"create","User":{"username":"masterclient"},"SourceIps":["203.0.113.66"],"ObjectRef":{"resource":"pods","subresource":"exec","name":"web-1"},"ResponseStatus":{"code":101},"_ResourceId":"/subscriptions/s1/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1","Type":"AKSAuditAdmin"}]"#,
    )
    .unwrap();
    let (kv, aks) = (kv.to_str().unwrap(), aks.to_str().unwrap());
    let out = azhunt(&["timeline", "-q", "--format", "jsonl", kv, aks], &root());
    let events = json_lines(&out);
    let logs: Vec<&str> = events
        .iter()
        .map(|e| e.get("log").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(logs, ["kube_audit", "keyvault"]);
    assert!(
        events
            .iter()
            .all(|e| e.get("format").unwrap().as_str() == Some("log-analytics"))
    );
    assert_eq!(
        events[1].get("caller").unwrap().as_str(),
        Some("maria@f.example")
    );
    assert_eq!(
        events[0].get("operation").unwrap().as_str(),
        Some("create pods/exec")
    );
    let q = "AzureDiagnostics | where OperationName == 'SecretGet' | project CallerIPAddress, requestUri_s, httpStatusCode_d";
    let out = azhunt(&["query", "-q", "--format", "jsonl", q, kv], &root());
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        rows[0].get("requestUri_s").unwrap().as_str(),
        Some("https://kv1.vault.azure.net/secrets/db")
    );
    assert_eq!(
        rows[0].get("httpStatusCode_d").unwrap().as_f64(),
        Some(200.0)
    );
    let out = azhunt(&["hunt", "-q", "--format", "jsonl", kv, aks], &root());
    let titles: Vec<String> = json_lines(&out)
        .iter()
        .map(|d| d.get("rule_title").unwrap().as_str().unwrap().to_string())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("Key Vault secret")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.contains("Shell opened in a pod")),
        "{titles:?}"
    );
}
