//! The Azure Activity Log REST API at its three scopes (research §4).
//!
//! - subscription: `/subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`,
//!   api-version 2015-04-01;
//! - management group: `/providers/Microsoft.Management/managementGroups/{id}/providers/
//!   Microsoft.Insights/eventtypes/management/values`, api-version 2017-03-01-preview;
//! - tenant ("Directory Activity", where elevate access is recorded):
//!   `/providers/Microsoft.Insights/eventtypes/management/values`, api-version 2015-04-01.
//!
//! The `$filter` is the one documented pattern, `eventTimestamp ge '…' and eventTimestamp le
//! '…'` with an optional `resourceProvider eq '…'`; there is never a `$select`, which would drop
//! `caller`, `category`, `tenantId` and `id` (§4.3). Paging follows `nextLink` as given.

use crate::window::{Window, iso_ticks};

/// api-version of the subscription and tenant APIs.
pub const SUBSCRIPTION_API: &str = "2015-04-01";
/// api-version of the tenant ("Directory Activity") API.
pub const TENANT_API: &str = "2015-04-01";
/// api-version of the management-group API.
pub const MANAGEMENT_GROUP_API: &str = "2017-03-01-preview";
/// api-version used to list and read subscriptions.
pub const SUBSCRIPTIONS_API: &str = "2022-12-01";
/// api-version used to read a management group (the probe).
pub const MANAGEMENT_GROUPS_API: &str = "2021-04-01";

/// An Activity Log scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// One subscription.
    Subscription(&'a str),
    /// One management group.
    ManagementGroup(&'a str),
    /// The tenant (Directory Activity).
    Tenant,
}

/// The `$filter` of a window: `eventTimestamp ge '<start>' and eventTimestamp le '<end−1 tick>'`,
/// then `and resourceProvider eq '<ns>'` when asked.
pub fn filter(window: &Window, resource_provider: Option<&str>) -> String {
    let mut f = format!(
        "eventTimestamp ge '{}' and eventTimestamp le '{}'",
        iso_ticks(window.start),
        iso_ticks(window.last())
    );
    if let Some(rp) = resource_provider {
        f.push_str(&format!(
            " and resourceProvider eq '{}'",
            rp.replace('\'', "''")
        ));
    }
    f
}

/// The first-page URL of a window at a scope.
pub fn url(arm: &str, scope: &Scope<'_>, filter: &str) -> String {
    let (path, api) = match scope {
        Scope::Subscription(id) => (
            format!(
                "/subscriptions/{}/providers/Microsoft.Insights/eventtypes/management/values",
                encode_path(id)
            ),
            SUBSCRIPTION_API,
        ),
        Scope::ManagementGroup(id) => (
            format!(
                "/providers/Microsoft.Management/managementGroups/{}/providers/Microsoft.Insights/eventtypes/management/values",
                encode_path(id)
            ),
            MANAGEMENT_GROUP_API,
        ),
        Scope::Tenant => (
            "/providers/Microsoft.Insights/eventtypes/management/values".to_string(),
            TENANT_API,
        ),
    };
    format!(
        "{arm}{path}?api-version={api}&$filter={}",
        encode_query(filter)
    )
}

/// The probe of a scope: a readable object that a principal without access cannot see (the
/// Activity Log itself answers 200 with nothing in that case, §4.6). The tenant has no such
/// object; its probe is a one-minute window of the tenant log itself (`None` here).
pub fn probe_url(arm: &str, scope: &Scope<'_>) -> Option<String> {
    match scope {
        Scope::Subscription(id) => Some(format!(
            "{arm}/subscriptions/{}?api-version={SUBSCRIPTIONS_API}",
            encode_path(id)
        )),
        Scope::ManagementGroup(id) => Some(format!(
            "{arm}/providers/Microsoft.Management/managementGroups/{}?api-version={MANAGEMENT_GROUPS_API}",
            encode_path(id)
        )),
        Scope::Tenant => None,
    }
}

/// `GET /subscriptions`: every subscription the principal can read.
pub fn list_subscriptions_url(arm: &str) -> String {
    format!("{arm}/subscriptions?api-version={SUBSCRIPTIONS_API}")
}

/// The `subscriptionId`s of a subscriptions list page's records.
pub fn subscription_ids(records: &[String]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Sub {
        #[serde(rename = "subscriptionId")]
        subscription_id: Option<String>,
    }
    records
        .iter()
        .filter_map(|r| serde_json::from_str::<Sub>(r).ok()?.subscription_id)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Percent-encodes a query value: everything but RFC 3986 unreserved characters (so a space is
/// `%20`, never `+`).
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes one path segment (ids are normally GUIDs or names; this keeps a stray `/` or
/// `?` from changing the request).
pub fn encode_path(segment: &str) -> String {
    encode_query(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Window {
        Window {
            start: "2026-01-01T00:00:00Z".parse().unwrap(),
            end: "2026-01-02T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn filter_is_the_documented_pattern() {
        assert_eq!(
            filter(&w(), None),
            "eventTimestamp ge '2026-01-01T00:00:00.0000000Z' and eventTimestamp le '2026-01-01T23:59:59.9999999Z'"
        );
        assert!(
            filter(&w(), Some("Microsoft.ContainerService"))
                .ends_with(" and resourceProvider eq 'Microsoft.ContainerService'")
        );
        assert!(filter(&w(), Some("a'b")).ends_with("'a''b'"));
    }

    #[test]
    fn urls_per_scope_with_their_api_versions_and_no_select() {
        let f = filter(&w(), None);
        let s = url("https://m", &Scope::Subscription("s1"), &f);
        assert!(s.starts_with("https://m/subscriptions/s1/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp%20ge%20%272026"));
        let m = url("https://m", &Scope::ManagementGroup("mg"), &f);
        assert!(m.contains("/managementGroups/mg/providers/Microsoft.Insights/eventtypes/management/values?api-version=2017-03-01-preview&"));
        let t = url("https://m", &Scope::Tenant, &f);
        assert!(t.starts_with("https://m/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&"));
        for u in [s, m, t] {
            assert!(!u.contains("select"), "{u}");
        }
        assert_eq!(encode_path("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn subscription_ids_from_records() {
        let r = vec![
            r#"{"subscriptionId":"s1","displayName":"x"}"#.to_string(),
            r#"{"displayName":"no id"}"#.to_string(),
            "garbage".to_string(),
        ];
        assert_eq!(subscription_ids(&r), vec!["s1"]);
    }
}
