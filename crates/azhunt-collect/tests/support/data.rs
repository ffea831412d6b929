//! The emulated tenant's data: Activity Log events (REST shape), Graph audits and sign-ins,
//! AzureActivity rows, and `standard`, the tenant most tests use.

#![allow(dead_code, clippy::unwrap_used)]

use super::emulator::State;
use serde_json::{Value, json};

/// A REST-shape Activity Log event.
pub fn activity_event(id: &str, time: &str, sub: &str, provider: &str, op: &str) -> Value {
    let rid =
        format!("/subscriptions/{sub}/resourceGroups/rg-{id}/providers/{provider}/things/{id}");
    json!({
        "authorization": {"action": op, "scope": rid},
        "caller": "alice@contoso.example",
        "channels": "Operation",
        "claims": {"ipaddr": "203.0.113.7", "appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                   "http://schemas.microsoft.com/identity/claims/objectidentifier": "11111111-2222-3333-4444-555555555555"},
        "correlationId": format!("corr-{id}"),
        "description": "",
        "eventDataId": id,
        "eventName": {"value": "EndRequest", "localizedValue": "End request"},
        "category": {"value": "Administrative", "localizedValue": "Administrative"},
        "eventTimestamp": time,
        "id": format!("{rid}/events/{id}/ticks/638000000000000000"),
        "level": "Informational",
        "operationId": format!("op-{id}"),
        "operationName": {"value": op, "localizedValue": op},
        "resourceGroupName": format!("rg-{id}"),
        "resourceProviderName": {"value": provider, "localizedValue": provider},
        "resourceType": {"value": format!("{provider}/things"), "localizedValue": "things"},
        "resourceId": rid,
        "status": {"value": "Succeeded", "localizedValue": "Succeeded"},
        "subStatus": {"value": "OK", "localizedValue": "OK (HTTP Status Code: 200)"},
        "submissionTimestamp": time,
        "subscriptionId": sub,
        "tenantId": "tenant-0001",
        "properties": {"statusCode": "OK", "requestbody": "{\"x\":1}"},
        "httpRequest": {"clientRequestId": format!("cr-{id}"), "clientIpAddress": "203.0.113.7", "method": "PUT"}
    })
}

/// A Graph directoryAudit.
pub fn audit(id: &str, time: &str) -> Value {
    json!({
        "id": id, "category": "UserManagement", "correlationId": format!("c-{id}"), "result": "success",
        "resultReason": "", "activityDisplayName": "Add member to role", "activityDateTime": time,
        "loggedByService": "Core Directory", "operationType": "Assign",
        "initiatedBy": {"user": {"id": "u1", "displayName": null, "userPrincipalName": "alice@contoso.example", "ipAddress": "203.0.113.7"}, "app": null},
        "targetResources": [{"id": "t1", "displayName": "Global Administrator", "type": "Role", "modifiedProperties": []}],
        "additionalDetails": []
    })
}

/// A Graph signIn of a kind (`interactiveUser`, `nonInteractiveUser`, `servicePrincipal`, `managedIdentity`).
pub fn signin(id: &str, time: &str, kind: &str) -> Value {
    json!({
        "id": id, "createdDateTime": time, "userDisplayName": "Alice", "userPrincipalName": "alice@contoso.example",
        "userId": "u1", "appId": "app-1", "appDisplayName": "Azure Portal", "ipAddress": "203.0.113.7",
        "clientAppUsed": "Browser", "correlationId": format!("c-{id}"), "conditionalAccessStatus": "notApplied",
        "isInteractive": kind == "interactiveUser", "signInEventTypes": [kind],
        "resourceDisplayName": "Windows Azure Service Management API", "resourceId": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        "status": {"errorCode": 0, "failureReason": "Other.", "additionalDetails": null},
        "location": {"city": "Oslo", "state": "Oslo", "countryOrRegion": "NO", "geoCoordinates": {"latitude": 59.9, "longitude": 10.7}},
        "deviceDetail": {"deviceId": "", "displayName": "", "operatingSystem": "Windows10", "browser": "Edge 120"}
    })
}

/// AzureActivity columns.
pub fn la_columns() -> Vec<String> {
    [
        "TimeGenerated",
        "OperationNameValue",
        "Caller",
        "CallerIpAddress",
        "CategoryValue",
        "ActivityStatusValue",
        "ResourceId",
        "SubscriptionId",
        "EventDataId",
        "CorrelationId",
        "Type",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// An AzureActivity row.
pub fn la_row(id: &str, time: &str) -> Vec<Value> {
    vec![
        json!(time),
        json!("MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE"),
        json!("bob@contoso.example"),
        json!("198.51.100.9"),
        json!("Administrative"),
        json!("Success"),
        json!(format!(
            "/subscriptions/s-la/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{id}"
        )),
        json!("s-la"),
        json!(id),
        json!(format!("c-{id}")),
        json!("AzureActivity"),
    ]
}

/// The standard tenant: the token `good-token` is valid.
pub fn standard(since: jiff::Timestamp, days: i64) -> State {
    let at = |h: i64, m: i64| {
        since
            .checked_add(jiff::SignedDuration::from_mins(h * 60 + m))
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
            .to_string()
    };
    let mut st = State {
        page_size: 3,
        la_max_rows: 5,
        ..State::default()
    };
    st.valid_tokens.insert("good-token".into());
    st.subscriptions = vec!["sub-a".into(), "sub-b".into(), "sub-empty".into()];
    st.management_groups = vec!["mg-root".into()];
    let mut sub_a = Vec::new();
    let mut sub_b = Vec::new();
    for d in 0..days {
        for k in 0..7 {
            let h = d * 24 + k * 3;
            let prov = if k % 2 == 0 {
                "Microsoft.ContainerService"
            } else {
                "Microsoft.Compute"
            };
            sub_a.push(activity_event(
                &format!("a-{d}-{k}"),
                &at(h, 5),
                "sub-a",
                prov,
                &format!("{prov}/things/write"),
            ));
        }
        for k in 0..4 {
            sub_b.push(activity_event(
                &format!("b-{d}-{k}"),
                &at(d * 24 + k * 5, 17),
                "sub-b",
                "Microsoft.Storage",
                "Microsoft.Storage/storageAccounts/write",
            ));
        }
    }
    st.activity.insert("sub:sub-a".into(), sub_a.clone());
    st.activity.insert("sub:sub-b".into(), sub_b);
    // The management group repeats sub-a's events and has its own.
    let mut mg = sub_a.iter().step_by(2).cloned().collect::<Vec<_>>();
    let daily = |prefix: &str, hour: i64, min: i64, op: &str| -> Vec<Value> {
        (0..days)
            .map(|d| {
                let id = format!("{prefix}-{d}");
                activity_event(
                    &id,
                    &at(d * 24 + hour, min),
                    "",
                    "Microsoft.Authorization",
                    op,
                )
            })
            .collect()
    };
    mg.extend(daily(
        "mg",
        12,
        0,
        "Microsoft.Authorization/policyAssignments/write",
    ));
    st.activity.insert("mg:mg-root".into(), mg);
    let tenant = daily("t", 1, 30, "Microsoft.Authorization/elevateAccess/action");
    st.activity.insert("tenant".into(), tenant);
    for d in 0..days {
        for k in 0..5 {
            st.audits
                .push(audit(&format!("aud-{d}-{k}"), &at(d * 24 + k * 4, 45)));
        }
        for (ki, kind) in [
            "interactiveUser",
            "nonInteractiveUser",
            "servicePrincipal",
            "managedIdentity",
        ]
        .iter()
        .enumerate()
        {
            let list = st.signins.entry(kind.to_string()).or_default();
            for k in 0..(3 + ki) {
                list.push(signin(
                    &format!("si-{kind}-{d}-{k}"),
                    &at(d * 24 + k as i64 * 2 + 1, 10),
                    kind,
                ));
            }
        }
    }
    let mut rows = Vec::new();
    for d in 0..days {
        for k in 0..12 {
            rows.push(la_row(&format!("la-{d}-{k}"), &at(d * 24 + k * 2, 0)));
        }
    }
    st.workspaces.insert("ws-1".into(), (la_columns(), rows));
    st
}
