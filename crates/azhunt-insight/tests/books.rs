//! The books over events made by the real readers: identities joined across logs, sign-in
//! context and its flags, ranking, and coverage with tampering and blockers.
#![allow(clippy::unwrap_used)]

use azhunt_detect::Level;
use azhunt_ingest::classify::classify;
use azhunt_ingest::normalize::normalize;
use azhunt_insight::{
    ContextRequest, CoverageOptions, DetectionBrief, Insight, Keep, Observation, Who,
};
use azhunt_model::{CallerType, Event, Source};
use std::sync::Arc;

const TENANT: &str = "11111111-1111-1111-1111-111111111111";
const SUB: &str = "22222222-2222-2222-2222-222222222222";
const OID: &str = "33333333-3333-3333-3333-333333333333";
const UPN: &str = "admin@contoso.example";

fn event(json: &str) -> Event {
    let v: azhunt_model::Value = sonic_rs::from_str(json).unwrap();
    let schema = classify(&v, None).unwrap();
    let source = Source {
        path: Arc::from("test"),
        record: 1,
        line: None,
    };
    normalize(v, schema, source, json.as_bytes()).unwrap()
}

fn activity(time: &str, op: &str, resource: &str, ip: &str, status: &str) -> Event {
    event(&format!(
        r#"{{"caller":"{UPN}","claims":{{"http://schemas.microsoft.com/identity/claims/objectidentifier":"{OID}","http://schemas.microsoft.com/identity/claims/tenantid":"{TENANT}"}},
        "category":{{"value":"Administrative"}},"correlationId":"c-{time}","eventDataId":"e-{time}-{status}","eventTimestamp":"{time}",
        "httpRequest":{{"clientIpAddress":"{ip}"}},"id":"{resource}/events/e-{time}-{status}","level":"Informational",
        "operationName":{{"value":"{op}"}},"resourceId":"{resource}","status":{{"value":"{status}"}},"subscriptionId":"{SUB}","tenantId":"{TENANT}"}}"#
    ))
}

fn signin(time: &str, ip: &str, ok: bool) -> Event {
    let code = if ok { 0 } else { 50126 };
    event(&format!(
        r#"{{"id":"s-{time}-{ip}","createdDateTime":"{time}","userPrincipalName":"{UPN}","userId":"{OID}","appId":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        "appDisplayName":"Azure Portal","ipAddress":"{ip}","isInteractive":true,"conditionalAccessStatus":"success","riskLevelDuringSignIn":"none",
        "status":{{"errorCode":{code}}},"location":{{"city":"Oslo","countryOrRegion":"NO"}}}}"#
    ))
}

fn rg() -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg")
}

fn observe(book: &mut Insight, e: &Event) -> Observation {
    let o = Observation::of(e);
    book.observe(&o);
    o
}

#[test]
fn one_identity_across_logs_with_ips_checked_against_its_signins() {
    let mut book = Insight::new(Keep::Everything);
    let write = activity(
        "2026-11-02T10:00:00Z",
        "Microsoft.Authorization/roleAssignments/write",
        &format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/x",
            rg()
        ),
        "203.0.113.7",
        "Succeeded",
    );
    let o = observe(&mut book, &write);
    observe(
        &mut book,
        &signin("2026-11-02T09:00:00Z", "198.51.100.1", true),
    );
    observe(
        &mut book,
        &signin("2026-11-02T09:05:00Z", "198.51.100.1", false),
    );
    book.note_detection(
        o.who.as_ref(),
        None,
        Some("203.0.113.7"),
        DetectionBrief {
            time: "2026-11-02T10:00:00Z".into(),
            level: "critical",
            rule_title: "Owner granted".into(),
            operation: write.operation.clone(),
            ip: Some("203.0.113.7".into()),
        },
        Level::Critical,
        o.ms,
    );
    let profiles = book.profiles();
    assert_eq!(profiles.identities.len(), 1, "{:#?}", profiles.identities);
    let p = &profiles.identities[0];
    assert_eq!(p.identity, UPN);
    assert_eq!(p.kind, "user");
    assert!(p.keys.contains(&OID.to_string()) && p.keys.contains(&UPN.to_string()));
    assert_eq!(p.events, 3);
    assert_eq!(p.signins.total, 2);
    assert_eq!(p.signins.failed, 1);
    assert_eq!(p.privileged_count, 1);
    assert_eq!(p.detections.critical, 1);
    assert_eq!(p.first_seen, "2026-11-02T09:00:00Z");
    let ip = |a: &str| p.ips.iter().find(|i| i.ip == a).unwrap();
    assert!(ip("198.51.100.1").in_signins);
    assert!(!ip("203.0.113.7").in_signins);
    assert_eq!(
        profiles.ips[0].ip, "203.0.113.7",
        "the IP with the detection ranks first"
    );
    assert_eq!(profiles.ips[0].detections.critical, 1);
}

#[test]
fn signin_context_flags_a_control_plane_ip_the_identity_never_signed_in_from() {
    let mut book = Insight::new(Keep::SigninsOnly);
    for e in [
        signin("2026-11-02T08:00:00Z", "198.51.100.1", true),
        signin("2026-11-02T09:00:00Z", "198.51.100.2", false),
        signin("2026-10-20T09:00:00Z", "192.0.2.9", true),
    ] {
        observe(&mut book, &e);
    }
    let write = activity(
        "2026-11-02T10:00:00Z",
        "Microsoft.Resources/tags/write",
        &rg(),
        "203.0.113.7",
        "Succeeded",
    );
    let who = Who::of(&write).unwrap();
    let keys: Vec<String> = who.keys.iter().map(|k| k.to_string()).collect();
    let req = ContextRequest::new(
        CallerType::User,
        keys.clone(),
        Some("203.0.113.7"),
        write.time.as_millisecond(),
    )
    .unwrap();
    let c = book.signin_context(&req, 24);
    assert_eq!(c.total, 2);
    assert_eq!(c.failed, 1);
    assert_eq!(
        c.recent[0].ip.as_deref(),
        Some("198.51.100.2"),
        "newest first"
    );
    assert_eq!(c.recent[0].result, "failure");
    assert_eq!(c.ip_in_signins, Some(false));
    assert_eq!(c.ip_in_any_signin, Some(false));
    assert!(
        c.flag.as_deref().unwrap().contains("never appears"),
        "{c:?}"
    );

    // From an IP seen in the window: no flag.
    let seen =
        ContextRequest::new(CallerType::User, keys.clone(), Some("198.51.100.1"), req.ms).unwrap();
    let c = book.signin_context(&seen, 24);
    assert_eq!((c.ip_in_signins, c.flag), (Some(true), None));

    // From an IP seen only outside the window: flagged for the window, not "never".
    let old =
        ContextRequest::new(CallerType::User, keys.clone(), Some("192.0.2.9"), req.ms).unwrap();
    let c = book.signin_context(&old, 24);
    assert_eq!(
        (c.ip_in_signins, c.ip_in_any_signin),
        (Some(false), Some(true))
    );
    assert!(c.flag.as_deref().unwrap().contains("24 h before"));

    // A day later: no sign-in in the window.
    let later = ContextRequest::new(
        CallerType::User,
        keys,
        Some("203.0.113.7"),
        req.ms + 48 * 3_600_000,
    )
    .unwrap();
    let c = book.signin_context(&later, 24);
    assert_eq!(c.total, 0);
    assert_eq!(c.ip_in_signins, None);
    assert!(c.flag.as_deref().unwrap().starts_with("no sign-in"));

    // An identity nobody signed in as.
    let other = ContextRequest::new(
        CallerType::User,
        vec!["x@y".into()],
        Some("203.0.113.7"),
        req.ms,
    )
    .unwrap();
    let c = book.signin_context(&other, 24);
    assert_eq!(
        (c.total, c.ip_in_signins, c.ip_in_any_signin, c.flag),
        (0, None, None, None)
    );
}

#[test]
fn coverage_names_tampering_once_and_the_blockers() {
    let mut book = Insight::new(Keep::Everything);
    let cluster = format!(
        "{}/providers/Microsoft.ContainerService/managedClusters/aks-1",
        rg()
    );
    let vault = format!("{}/providers/Microsoft.KeyVault/vaults/kv-1", rg());
    let setting = format!("{cluster}/providers/Microsoft.Insights/diagnosticSettings/audit");
    for (t, op, res, status) in [
        (
            "2026-11-01T10:00:00Z",
            "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action",
            cluster.as_str(),
            "Succeeded",
        ),
        (
            "2026-11-01T10:05:00Z",
            "Microsoft.Insights/diagnosticSettings/delete",
            setting.as_str(),
            "Started",
        ),
        (
            "2026-11-01T10:05:02Z",
            "Microsoft.Insights/diagnosticSettings/delete",
            setting.as_str(),
            "Succeeded",
        ),
        (
            "2026-11-01T11:00:00Z",
            "Microsoft.KeyVault/vaults/write",
            vault.as_str(),
            "Succeeded",
        ),
        (
            "2026-11-04T11:00:00Z",
            "Microsoft.Resources/tags/write",
            &rg(),
            "Succeeded",
        ),
    ] {
        observe(&mut book, &activity(t, op, res, "203.0.113.7", status));
    }
    let opts = CoverageOptions {
        since: Some(
            jiff::Timestamp::from_second(1_754_006_400)
                .unwrap()
                .as_millisecond(),
        ), // 2025-08-01
        collected_at: Some(
            jiff::Timestamp::from_second(1_763_078_400)
                .unwrap()
                .as_millisecond(),
        ), // 2025-11-14
        ..CoverageOptions::default()
    };
    let c = book.coverage(&opts);
    assert_eq!(
        c.tampering.len(),
        1,
        "Started + Succeeded is one change: {:?}",
        c.tampering
    );
    assert_eq!(c.tampering[0].events, 2);
    assert_eq!(c.tampering[0].target, cluster.to_ascii_lowercase());
    let sub = c
        .sources
        .iter()
        .find(|s| s.source == "activity_subscription")
        .unwrap();
    assert_eq!(sub.events, 5);
    assert_eq!(sub.days_covered, 2);
    assert_eq!(
        sub.gaps.len(),
        2,
        "the 3-day silence and the start of the period: {:?}",
        sub.gaps
    );
    let kinds: Vec<(&str, &str)> = c
        .blockers
        .iter()
        .map(|b| (b.kind, b.title.as_str()))
        .collect();
    let has = |kind: &str, words: &str| kinds.iter().any(|(k, t)| *k == kind && t.contains(words));
    assert!(
        has("logging_coverage_missing", "no tenant-scope Activity Log"),
        "{kinds:#?}"
    );
    assert!(
        has("logging_coverage_missing", "AKS cluster aks-1"),
        "{kinds:#?}"
    );
    assert!(
        has("logging_coverage_missing", "Key Vault kv-1"),
        "{kinds:#?}"
    );
    assert!(
        has("audit_logging_not_enabled", "no Entra sign-in logs"),
        "{kinds:#?}"
    );
    assert!(
        has("audit_logging_not_enabled", "no Entra ID audit log"),
        "{kinds:#?}"
    );
    assert!(
        has("retention_expired", "Activity Log before"),
        "{kinds:#?}"
    );
    assert!(
        has("retention_expired", "Entra audit and sign-ins before"),
        "{kinds:#?}"
    );
    assert!(
        has("tampering", "diagnostic setting deleted on aks-1"),
        "{kinds:#?}"
    );
    assert!(has("gap", "Activity Log, subscription"), "{kinds:#?}");
}

#[test]
fn complete_evidence_has_no_coverage_blockers() {
    let mut book = Insight::new(Keep::Everything);
    let tenant_event = event(&format!(
        r#"{{"caller":"{UPN}","category":{{"value":"Administrative"}},"eventDataId":"t1","eventTimestamp":"2026-11-02T10:00:00Z",
        "operationName":{{"value":"Microsoft.Authorization/elevateAccess/action"}},"resourceId":"/providers/Microsoft.Authorization","status":{{"value":"Succeeded"}},"tenantId":"{TENANT}"}}"#
    ));
    observe(&mut book, &tenant_event);
    observe(
        &mut book,
        &activity(
            "2026-11-02T10:00:00Z",
            "Microsoft.Resources/tags/write",
            &rg(),
            "198.51.100.1",
            "Succeeded",
        ),
    );
    let c = book.coverage(&CoverageOptions::default());
    let kinds: Vec<&str> = c.blockers.iter().map(|b| b.title.as_str()).collect();
    assert!(
        !kinds.iter().any(|t| t.contains("tenant-scope")),
        "{kinds:?}"
    );
    assert!(c.tampering.is_empty());
}

proptest::proptest! {
    /// A detection's encoded sign-in context request is the same bytes whether built from the
    /// caller's `Who` or encoded straight from the event, whatever the caller's fields.
    #[test]
    fn context_request_bytes_match_the_who_path(
        oid in proptest::option::of("[ aA1-]{0,4}"),
        upn in proptest::option::of("[ aAb@]{0,4}"),
        app in proptest::option::of("[ aA1b]{0,4}"),
        name in proptest::option::of("[ aBn]{0,4}"),
        ip in proptest::option::of("[ 1.]{0,4}"),
        kind in 0usize..4,
    ) {
        let mut e = activity("2026-11-10T10:00:00Z", "Microsoft.Storage/storageAccounts/listKeys/action", &rg(), "203.0.113.9", "Succeeded");
        e.caller.object_id = oid;
        e.caller.upn = upn;
        e.caller.app_id = app;
        e.caller.name = name;
        e.caller.kind = [CallerType::User, CallerType::ServicePrincipal, CallerType::ManagedIdentity, CallerType::Unknown][kind];
        e.ip = ip;
        let via_who = Who::of(&e)
            .and_then(|w| ContextRequest::of_caller(&w, e.ip.as_deref(), e.time.as_millisecond()))
            .map(|r| r.to_bytes());
        proptest::prop_assert_eq!(ContextRequest::bytes_for(&e), via_who);
    }
}
