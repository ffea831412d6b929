//! Who called: identities from JWT claims, RBAC evidence and caller strings.
//!
//! Activity records describe the caller three ways: the `caller` text (a UPN for users, an object
//! id for service principals), the token's claims (`upn`, `oid`, `appid`, `idtyp`, `xms_mirid`),
//! and the RBAC evidence's `principalType`. Claims are the richest, so they are read first, from
//! an object, a JSON string (Log Analytics `Claims`) or PowerShell's `{"Content": {…}}` wrapper.

use azhunt_model::field::{Picker, decode_embedded, get_ci, non_empty};
use azhunt_model::{Caller, CallerType, Value};
use sonic_rs::{JsonContainerTrait, JsonValueTrait};
use std::borrow::Cow;
use std::sync::LazyLock;

const UPN: [&str; 3] = [
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
    "upn",
    "unique_name",
];
const OID: [&str; 2] = [
    "http://schemas.microsoft.com/identity/claims/objectidentifier",
    "oid",
];
const NAME: [&str; 2] = [
    "name",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
];
const TENANT: [&str; 2] = [
    "http://schemas.microsoft.com/identity/claims/tenantid",
    "tid",
];

/// Identity facts found in claims.
#[derive(Debug, Default)]
pub(crate) struct Identity {
    pub caller: Caller,
    pub tenant_id: Option<String>,
}

/// The claims azhunt reads: UPN, object id, app id, name, token type, managed identity marker,
/// tenant, each by its alternative names, earlier first.
static CLAIMS: LazyLock<Picker<7>> = LazyLock::new(|| {
    Picker::new([
        &UPN,
        &OID,
        &["appid", "azp"],
        &NAME,
        &["idtyp"],
        &["xms_mirid"],
        &TENANT,
    ])
});

/// The claims azhunt reads, in one pass. Borrowed: only what the event keeps is copied.
fn read_claims(claims: &Value) -> [Option<&str>; 7] {
    let found = CLAIMS.pick(claims, |v| non_empty(v.as_str()).is_some());
    found.map(|v| non_empty(v.and_then(|v| v.as_str())))
}

/// Claims as an object, whatever they arrived as.
pub(crate) fn claims_object(v: Option<&Value>) -> Option<Cow<'_, Value>> {
    let v = v?;
    if let Some(s) = v.as_str() {
        return decode_embedded(s).map(Cow::Owned);
    }
    // PowerShell's wrapper is a small object (`Content`, `Properties`, …); a claims object
    // of some 25 members is not searched for it.
    let small = v.as_object().is_some_and(|o| o.len() <= 4);
    if let Some(content) = small
        .then(|| get_ci(v, "Content"))
        .flatten()
        .filter(|c| c.is_object())
    {
        return Some(Cow::Borrowed(content));
    }
    v.is_object().then_some(Cow::Borrowed(v))
}

fn looks_like_guid(s: &str) -> bool {
    s.len() == 36 && s.bytes().filter(|b| *b == b'-').count() == 4
}

/// Builds the caller from claims, the record's caller text and the RBAC principal type.
pub(crate) fn identity(
    claims: Option<&Value>,
    caller_text: Option<&str>,
    principal_type: Option<&str>,
) -> Identity {
    let mut out = Identity::default();
    let c = &mut out.caller;
    let claims = claims_object(claims);
    let mut idtyp = None;
    let mut managed = false;
    if let Some(cl) = claims.as_deref() {
        let [upn, oid, app, name, typ, mirid, tenant] = read_claims(cl);
        c.upn = upn.map(str::to_string);
        c.object_id = oid.map(str::to_string);
        c.app_id = app.map(str::to_string);
        c.name = name.filter(|n| Some(*n) != upn).map(str::to_string);
        idtyp = typ;
        managed = mirid.is_some();
        out.tenant_id = tenant.map(str::to_string);
    }
    if let Some(text) = non_empty(caller_text) {
        if text.contains('@') {
            if c.upn.is_none() {
                c.upn = Some(text.to_string());
            }
        } else if looks_like_guid(text) {
            if c.object_id.is_none() {
                c.object_id = Some(text.to_string());
            }
        } else if c.name.is_none() && c.upn.is_none() {
            c.name = Some(text.to_string());
        }
    }
    c.kind = kind(c, idtyp, principal_type, managed);
    out
}

fn kind(
    c: &Caller,
    idtyp: Option<&str>,
    principal_type: Option<&str>,
    managed: bool,
) -> CallerType {
    let app = if managed {
        CallerType::ManagedIdentity
    } else {
        CallerType::ServicePrincipal
    };
    if let Some(pt) = non_empty(principal_type) {
        if pt.eq_ignore_ascii_case("User") {
            return CallerType::User;
        }
        if pt.eq_ignore_ascii_case("ServicePrincipal") || pt.eq_ignore_ascii_case("Application") {
            return app;
        }
        if pt.eq_ignore_ascii_case("ManagedIdentity") {
            return CallerType::ManagedIdentity;
        }
    }
    match idtyp {
        Some(t) if t.eq_ignore_ascii_case("user") => return CallerType::User,
        Some(t) if t.eq_ignore_ascii_case("app") => return app,
        _ => {}
    }
    if managed {
        return CallerType::ManagedIdentity;
    }
    if c.upn.is_some() {
        return CallerType::User;
    }
    if c.app_id.is_some() {
        return CallerType::ServicePrincipal;
    }
    CallerType::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        sonic_rs::from_str(s).unwrap()
    }

    #[test]
    fn user_from_claims() {
        let cl = v(
            r#"{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"a@b.c","http://schemas.microsoft.com/identity/claims/objectidentifier":"oid1","appid":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c","name":"Alice","ipaddr":"1.2.3.4","http://schemas.microsoft.com/identity/claims/tenantid":"t1"}"#,
        );
        let id = identity(Some(&cl), Some("a@b.c"), None);
        assert_eq!(id.caller.kind, CallerType::User);
        assert_eq!(id.caller.upn.as_deref(), Some("a@b.c"));
        assert_eq!(id.caller.object_id.as_deref(), Some("oid1"));
        assert_eq!(id.caller.name.as_deref(), Some("Alice"));
        assert_eq!(id.tenant_id.as_deref(), Some("t1"));
    }

    #[test]
    fn apps_and_managed_identities() {
        let cl = v(r#"{"appid":"app1","idtyp":"app","oid":"o"}"#);
        assert_eq!(
            identity(Some(&cl), None, None).caller.kind,
            CallerType::ServicePrincipal
        );
        let cl = v(r#"{"appid":"app1","xms_mirid":"/subscriptions/s/…/userAssignedIdentities/x"}"#);
        assert_eq!(
            identity(Some(&cl), None, None).caller.kind,
            CallerType::ManagedIdentity
        );
        let id = identity(
            None,
            Some("8a4de8b5-095c-47d0-a96f-a75130c61d53"),
            Some("ServicePrincipal"),
        );
        assert_eq!(id.caller.kind, CallerType::ServicePrincipal);
        assert_eq!(
            id.caller.object_id.as_deref(),
            Some("8a4de8b5-095c-47d0-a96f-a75130c61d53")
        );
    }

    #[test]
    fn claims_as_string_or_powershell_content() {
        let s = Value::from(r#"{"upn":"x@y.z"}"#);
        assert_eq!(
            identity(Some(&s), None, None).caller.upn.as_deref(),
            Some("x@y.z")
        );
        let ps = v(r#"{"Content":{"upn":"p@q.r"}}"#);
        assert_eq!(
            identity(Some(&ps), None, None).caller.upn.as_deref(),
            Some("p@q.r")
        );
    }

    #[test]
    fn caller_text_alone() {
        let id = identity(None, Some("Microsoft.Insights/alertRules"), None);
        assert_eq!(
            id.caller.name.as_deref(),
            Some("Microsoft.Insights/alertRules")
        );
        assert_eq!(id.caller.kind, CallerType::Unknown);
        assert_eq!(
            identity(None, Some("u@d.com"), None).caller.kind,
            CallerType::User
        );
    }
}
