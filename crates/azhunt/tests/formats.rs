//! Shapes the public corpus lacks, with fixtures written here from Microsoft's documented
//! schemas: PowerShell `Get-AzLog | ConvertTo-Json` (Windows PowerShell 5.1 dates and
//! `Claims.Content`), `az monitor log-analytics query` output, an Event Hub batch mixing
//! Activity and Entra records, and the same Kubernetes audit event in kube-audit and
//! kube-audit-admin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sonic_rs::JsonValueTrait;

mod support;
use support::{azhunt, json_lines};

fn timeline(name: &str, content: &str) -> (Vec<sonic_rs::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    let out = azhunt(&["timeline", "--format", "jsonl", name], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        json_lines(&out),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn powershell_get_azlog_convertto_json() {
    let ps = r#"[
    {
        "Authorization":  {
                              "Action":  "Microsoft.Compute/virtualMachines/start/action",
                              "Scope":  "/subscriptions/5846ed77-ea09-5f84-b3a1-4c71468496bb/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-01"
                          },
        "Caller":  "9b3dcedf-19b5-52a8-8f51-4b79c6ad1f39",
        "Claims":  {
                       "Content":  {
                                       "appid":  "0c9b9e3a-1c4e-4d2b-9a55-3f0c6d1a7e21",
                                       "idtyp":  "app",
                                       "xms_mirid":  "/subscriptions/5846ed77-ea09-5f84-b3a1-4c71468496bb/resourceGroups/rg-ops/providers/Microsoft.Automation/automationAccounts/aa-ops"
                                   }
                   },
        "CorrelationId":  "c0ffee00-0000-4000-8000-000000000001",
        "EventDataId":  "d1e2f3a4-0000-4000-8000-000000000001",
        "EventTimestamp":  "\/Date(1794547511000)\/",
        "HttpRequest":  {
                            "ClientIpAddress":  "20.61.10.5",
                            "Method":  "POST"
                        },
        "OperationName":  "Microsoft.Compute/virtualMachines/start/action",
        "ResourceId":  "/subscriptions/5846ed77-ea09-5f84-b3a1-4c71468496bb/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-01",
        "Status":  "Succeeded",
        "SubStatus":  "OK",
        "SubscriptionId":  "5846ed77-ea09-5f84-b3a1-4c71468496bb"
    }
]"#;
    let (rows, _) = timeline(
        "Get-AzLog.json",
        &format!("\u{feff}{}", ps.replace('\n', "\r\n")),
    );
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["time"].as_str(), Some("2026-11-13T05:25:11Z"));
    assert_eq!(
        r["operation"].as_str(),
        Some("Microsoft.Compute/virtualMachines/start/action")
    );
    assert_eq!(r["caller_type"].as_str(), Some("managed_identity"));
    assert_eq!(r["ip"].as_str(), Some("20.61.10.5"));
    assert_eq!(r["status"].as_str(), Some("Succeeded"));
    assert_eq!(
        r["event_id"].as_str(),
        Some("d1e2f3a4-0000-4000-8000-000000000001")
    );
    assert_eq!(r["format"].as_str(), Some("rest"));
}

#[test]
fn az_monitor_log_analytics_query_output() {
    // `az monitor log-analytics query` prints rows as objects with every value a string.
    let az = r#"[
  {
    "ActivityStatusValue": "Success",
    "Caller": "maria.lopez@fabrikam-logistics.com",
    "CallerIpAddress": "203.0.113.66",
    "CategoryValue": "Administrative",
    "Claims_d": "{\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":\"maria.lopez@fabrikam-logistics.com\",\"idtyp\":\"user\"}",
    "CorrelationId": "c0ffee00-0000-4000-8000-000000000002",
    "EventDataId": "e0000000-0000-4000-8000-000000000002",
    "OperationNameValue": "MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/LISTCLUSTERADMINCREDENTIAL/ACTION",
    "ResourceId": "/SUBSCRIPTIONS/5846ED77-EA09-5F84-B3A1-4C71468496BB/RESOURCEGROUPS/RG-AKS-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD-WEU",
    "TableName": "PrimaryResult",
    "TenantId": "11111111-2222-3333-4444-555555555555",
    "TimeGenerated": "2026-11-12T09:14:05.572Z",
    "Type": "AzureActivity"
  }
]"#;
    let (rows, _) = timeline("query.json", az);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["log"].as_str(), Some("activity"));
    assert_eq!(r["format"].as_str(), Some("log-analytics"));
    assert_eq!(r["status"].as_str(), Some("Succeeded"));
    assert_eq!(r["caller_type"].as_str(), Some("user"));
    assert_eq!(r["resource_name"].as_str(), Some("AKS-PROD-WEU"));
    assert_eq!(r["scope"].as_str(), Some("resource"));
    // The workspace id in TenantId is not taken for the Entra tenant.
    assert!(r["tenant_id"].is_null());
}

#[test]
fn event_hub_batch_mixing_logs_and_kube_audit_copies() {
    let audit = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"7f3b0c7e-1111-4a2b-9c3d-000000000001","stage":"ResponseComplete","requestURI":"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings","verb":"create","user":{"username":"masterclient","groups":["system:masters"]},"sourceIPs":["203.0.113.66"],"userAgent":"kubectl/v1.30.2","objectRef":{"resource":"clusterrolebindings","name":"backdoor-admin","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-12T09:22:31.430000Z","stageTimestamp":"2026-11-12T09:22:31.441000Z"}"#;
    let log = sonic_rs::to_string(audit).unwrap();
    let cluster = "/SUBSCRIPTIONS/5846ED77-EA09-5F84-B3A1-4C71468496BB/RESOURCEGROUPS/RG-AKS-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD-WEU";
    let kube = |cat: &str| {
        format!(
            r#"{{"time":"2026-11-12T09:22:32.0000000Z","resourceId":"{cluster}","category":"{cat}","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{{"log":{log},"stream":"stdout","pod":"kube-apiserver-7d9"}}}}"#
        )
    };
    let batch = format!(
        r#"{{"records":[
{{"time":"2026-11-12T09:31:19.5910000Z","resourceId":"{cluster}/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/AKS-AUDIT-TO-LA","operationName":"MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE","category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.66","correlationId":"c0ffee00-0000-4000-8000-000000000003","identity":{{"claims":{{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"maria.lopez@fabrikam-logistics.com"}}}},"properties":{{"eventCategory":"Administrative"}}}},
{{"time":"2026-11-12T08:52:31.0000000Z","category":"SignInLogs","operationName":"Sign-in activity","resultType":"0","callerIpAddress":"203.0.113.66","identity":"Maria Lopez","properties":{{"id":"a1b2c3d4-0000-4000-8000-000000000004","createdDateTime":"2026-11-12T08:52:31Z","userPrincipalName":"maria.lopez@fabrikam-logistics.com","appId":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c","appDisplayName":"Azure Portal","ipAddress":"203.0.113.66","status":{{"errorCode":0}},"location":{{"city":"Lagos","countryOrRegion":"NG"}}}}}},
{},
{}
]}}"#,
        kube("kube-audit"),
        kube("kube-audit-admin")
    );
    let (rows, err) = timeline("eventhub-capture.json", &batch);
    // The kube-audit-admin record is the same audit event (same auditID): a duplicate.
    assert_eq!(rows.len(), 3, "{err}");
    assert!(
        err.contains("activity/diagnostic×1 entra_signin/diagnostic×1 kube_audit/diagnostic×2"),
        "{err}"
    );
    let logs: Vec<&str> = rows.iter().map(|r| r["log"].as_str().unwrap()).collect();
    assert_eq!(logs, vec!["entra_signin", "kube_audit", "activity"]);
    assert_eq!(rows[0]["location"].as_str(), Some("Lagos, NG"));
    assert_eq!(
        rows[1]["operation"].as_str(),
        Some("create clusterrolebindings")
    );
    assert_eq!(rows[1]["caller"].as_str(), Some("masterclient"));
    assert_eq!(
        rows[2]["resource_type"].as_str(),
        Some("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS")
    );
    assert_eq!(rows[2]["scope"].as_str(), Some("resource"));
}
