//! Rendering of an Activity Log operation instance's events as JSON: the REST /
//! `az monitor activity-log list` object and the diagnostic-settings (`PT1H.json`) record,
//! sharing the claims and `properties` writers. Split from `activity.rs` to keep the
//! instance-drawing logic and the output layout separately readable.

use std::fmt::Write as _;

use super::{
    AUTHZ_FAILED, ActivityGen, Caller, POLICY_AUDIT_DEF, POLICY_DENY_DEF, Phase, PolicyEffect,
    Status,
};
use crate::jsonw::JsonW;
use crate::rng::{push_guid, push_guid_compact};
use crate::timefmt::{dotnet_ticks, push_ts7};

impl ActivityGen<'_> {
    fn caller_id(&self, out: &mut String) {
        match self.caller {
            Caller::User(i) => out.push_str(&self.pop.users[i].upn),
            Caller::Sp(i) => push_guid(out, self.pop.sps[i].oid),
        }
    }

    fn action_of(&self, p: &Phase) -> &'static str {
        match p.policy {
            Some(PolicyEffect::Audit) => "Microsoft.Authorization/policies/audit/action",
            Some(PolicyEffect::Deny) => "Microsoft.Authorization/policies/deny/action",
            None => self.op.action,
        }
    }

    fn write_claims(&self, w: &mut JsonW<'_>) {
        let pop = self.pop;
        let iss = |o: &mut String| {
            o.push_str("https://sts.windows.net/");
            o.push_str(&pop.tenant);
            o.push('/');
        };
        let mut num = itoa_buf();
        w.obj();
        w.kv_raw("aud", "https://management.core.windows.net/");
        w.key("iss").str_with(iss);
        w.kv_raw("iat", num.fmt(self.iat));
        w.kv_raw("nbf", num.fmt(self.iat));
        w.kv_raw("exp", num.fmt(self.exp));
        match self.caller {
            Caller::User(i) => {
                let u = &pop.users[i];
                w.kv_raw(
                    "http://schemas.microsoft.com/claims/authnclassreference",
                    "1",
                );
                w.kv_raw("aio", &self.aio);
                w.kv_raw(
                    "http://schemas.microsoft.com/claims/authnmethodsreferences",
                    self.amr,
                );
                w.kv_raw("appid", &self.appid);
                w.kv_raw("appidacr", self.appidacr);
                w.kv(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    u.surname,
                );
                w.kv(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    u.given,
                );
                w.kv(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    &u.upn,
                );
                w.key("http://schemas.microsoft.com/identity/claims/objectidentifier")
                    .guid(u.oid);
                w.kv_raw("puid", &u.puid);
                w.kv_raw("rh", &self.rh);
                w.kv_raw(
                    "http://schemas.microsoft.com/identity/claims/scope",
                    "user_impersonation",
                );
                w.kv_raw(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
                    &u.name_id,
                );
                w.kv_raw(
                    "http://schemas.microsoft.com/identity/claims/tenantid",
                    &pop.tenant,
                );
                w.kv(
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                    &u.upn,
                );
                w.kv_raw("uti", &self.uti);
                w.kv_raw("ver", "1.0");
                if i < 8 {
                    w.kv_raw(
                        "wids",
                        "62e90394-69f5-4237-9190-012177145e10,b79fbf4d-3ef9-4689-8143-76b194e85509",
                    );
                }
                w.kv_raw("ipaddr", &pop.ips[self.ip]);
                w.kv("name", &u.display);
                w.kv_raw("idtyp", "user");
            }
            Caller::Sp(i) => {
                let sp = &pop.sps[i];
                w.kv_raw("aio", &self.aio);
                w.kv_raw("appid", &self.appid);
                w.kv_raw("appidacr", self.appidacr);
                w.key("http://schemas.microsoft.com/identity/claims/identityprovider")
                    .str_with(iss);
                w.key("http://schemas.microsoft.com/identity/claims/objectidentifier")
                    .guid(sp.oid);
                w.kv_raw("rh", &self.rh);
                w.key("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier")
                    .guid(sp.oid);
                w.kv_raw(
                    "http://schemas.microsoft.com/identity/claims/tenantid",
                    &pop.tenant,
                );
                w.kv_raw("uti", &self.uti);
                w.kv_raw("ver", "1.0");
                w.kv_raw("idtyp", "app");
            }
        }
        w.end_obj();
    }

    /// Writes `statusMessage` for failures into `self.tmp` (unescaped JSON text).
    fn status_message(&mut self) {
        self.tmp.clear();
        let Some(f) = self.failure else { return };
        let _ = write!(
            self.tmp,
            r#"{{"error":{{"code":"{}","message":"The client '"#,
            f.code
        );
        self.caller_id_into_tmp();
        let _ = write!(
            self.tmp,
            "' request to '{}' on scope '{}' {}.\"}}}}",
            self.op.action, self.resource_id, f.message
        );
    }

    fn caller_id_into_tmp(&mut self) {
        let mut s = std::mem::take(&mut self.tmp);
        self.caller_id(&mut s);
        self.tmp = s;
    }

    /// Writes the `policies` property of a Policy-category event into `self.tmp`.
    fn policies_json(&mut self, effect: PolicyEffect) {
        self.tmp.clear();
        let (def, eff, name) = match effect {
            PolicyEffect::Audit => (POLICY_AUDIT_DEF, "Audit", "pa-audit-tags"),
            PolicyEffect::Deny => (POLICY_DENY_DEF, "Deny", "pa-deny-public-ip"),
        };
        let _ = write!(
            self.tmp,
            r#"[{{"policyDefinitionId":"/providers/Microsoft.Authorization/policyDefinitions/{def}/","policyDefinitionName":"{def}","policyDefinitionEffect":"{eff}","policyAssignmentId":"{scope}/providers/Microsoft.Authorization/policyAssignments/{name}/","policyAssignmentName":"{name}","policyAssignmentScope":"{scope}","policyAssignmentParameters":{{}}}}]"#,
            scope = self.def_scope
        );
    }

    /// Common `properties` members (shared by both shapes).
    fn write_properties(&mut self, p: &Phase, w: &mut JsonW<'_>) {
        w.key("properties").obj();
        if let Some(effect) = p.policy {
            w.kv_raw("isComplianceCheck", "False");
            w.kv_raw("resourceLocation", self.location);
            w.key("ancestors").str_with(|o| {
                if let Some(s) = self.sub {
                    let mg = &self.pop.mgs[self.pop.subs[s].mg];
                    let _ = write!(o, "{mg},{},{}", self.pop.mgs[1], self.pop.tenant);
                }
            });
            self.policies_json(effect);
            w.key("policies").str(&self.tmp);
            w.kv_raw("eventCategory", "Policy");
        } else {
            if p.status == Status::Started {
                if !self.body.is_empty() {
                    w.key("requestbody").str(&self.body);
                }
            } else {
                w.kv_raw("statusCode", p.status_code);
                w.key("serviceRequestId").guid(self.service_request_id);
                if p.status == Status::Failed {
                    self.status_message();
                    w.key("statusMessage").str(&self.tmp);
                }
            }
            w.kv_raw("eventCategory", "Administrative");
        }
        w.kv("entity", &self.resource_id);
        w.kv_raw("message", self.action_of(p));
        w.kv_raw("hierarchy", &self.hierarchy);
        w.end_obj();
    }

    /// Renders event `i` of the current instance in the REST / `az` shape.
    pub fn write_rest(&mut self, i: usize, w: &mut JsonW<'_>) {
        let pop = self.pop;
        let p = self.phases[i];
        let action = self.action_of(&p);
        let category = if p.policy.is_some() {
            "Policy"
        } else {
            "Administrative"
        };
        w.obj();
        w.key("authorization").obj();
        w.kv_raw("action", action);
        w.kv("scope", &self.resource_id);
        w.end_obj();
        w.key("caller").str_with(|o| self.caller_id(o));
        w.kv_raw("channels", "Operation");
        w.key("claims");
        self.write_claims(w);
        w.key("correlationId").guid(self.correlation_id);
        w.kv_raw("description", "");
        w.key("eventDataId").guid(p.event_data_id);
        if p.status == Status::Started {
            w.localized("eventName", "BeginRequest", "Begin request");
        } else {
            w.localized("eventName", "EndRequest", "End request");
        }
        w.localized("category", category, category);
        w.key("eventTimestamp").str_with(|o| push_ts7(o, p.time));
        w.key("httpRequest").obj();
        w.key("clientRequestId").guid(self.client_request_id);
        w.kv_raw("clientIpAddress", &pop.ips[self.ip]);
        w.kv_raw("method", self.op.method);
        w.end_obj();
        w.key("id").str_with(|o| {
            o.push_str(&self.resource_id);
            o.push_str("/events/");
            push_guid(o, p.event_data_id);
            let _ = write!(o, "/ticks/{}", dotnet_ticks(p.time));
        });
        w.kv_raw("level", "Informational");
        w.key("operationId").guid(self.operation_id);
        let display = match p.policy {
            Some(PolicyEffect::Audit) => "'audit' Policy action.",
            Some(PolicyEffect::Deny) => "'deny' Policy action.",
            None => self.op.display,
        };
        w.localized("operationName", action, display);
        self.write_properties(&p, w);
        if let Some(g) = self.rg {
            w.kv_raw("resourceGroupName", &pop.rgs[g].name);
        }
        w.localized("resourceProviderName", self.op.provider, self.op.provider);
        w.localized("resourceType", self.op.rtype, self.op.rtype);
        w.kv("resourceId", &self.resource_id);
        let status = status_name(p.status);
        w.localized("status", status, status);
        w.localized("subStatus", p.sub_status.0, p.sub_status.1);
        w.key("submissionTimestamp")
            .str_with(|o| push_ts7(o, p.submission));
        if let Some(s) = self.sub {
            w.kv_raw("subscriptionId", &pop.subs[s].id);
        }
        w.kv_raw("tenantId", &pop.tenant);
        w.end_obj();
    }

    /// Renders event `i` of the current instance in the diagnostic-settings (`PT1H.json`) shape.
    pub fn write_diag(&mut self, i: usize, w: &mut JsonW<'_>) {
        let pop = self.pop;
        let p = self.phases[i];
        let action = self.action_of(&p);
        let upper = |s: &str, o: &mut String| o.extend(s.chars().map(|c| c.to_ascii_uppercase()));
        w.obj();
        w.key("time").str_with(|o| push_ts7(o, p.time));
        w.key("resourceId")
            .str_with(|o| upper(&self.resource_id, o));
        w.key("operationName").str_with(|o| upper(action, o));
        w.kv_raw(
            "category",
            if p.policy.is_some() {
                "Policy"
            } else {
                "Administrative"
            },
        );
        let (result_type, sig_head) = match p.status {
            Status::Started => ("Start", "Started."),
            Status::Accepted => ("Accept", "Accepted."),
            Status::Succeeded => ("Success", "Succeeded."),
            Status::Failed => ("Failure", "Failed."),
        };
        w.kv_raw("resultType", result_type);
        w.key("resultSignature").str_with(|o| {
            o.push_str(sig_head);
            o.push_str(p.sub_status.0);
        });
        w.key("durationMs").int(p.duration_ms);
        w.kv_raw("callerIpAddress", &pop.ips[self.ip]);
        w.key("correlationId").guid(self.correlation_id);
        w.key("identity").obj();
        w.key("authorization").obj();
        w.kv("scope", &self.resource_id);
        w.kv_raw("action", action);
        let authz_failed = self.failure.is_some_and(|f| f.code == AUTHZ_FAILED.code);
        if !authz_failed {
            let (a, principal, ptype) = match self.caller {
                Caller::User(i) => (&pop.users[i].assignment, pop.users[i].oid, "User"),
                Caller::Sp(i) => (&pop.sps[i].assignment, pop.sps[i].oid, "ServicePrincipal"),
            };
            // The standing assignment if it covers the target, else one at the target's
            // subscription / management group (or the root, for tenant-scope operations).
            let covers = self.resource_id.len() >= a.scope.len()
                && self.resource_id.as_bytes()[..a.scope.len()]
                    .eq_ignore_ascii_case(a.scope.as_bytes());
            let (scope, id) = if covers {
                (a.scope.as_str(), a.id)
            } else {
                let scope = if self.def_scope.is_empty() {
                    "/"
                } else {
                    self.def_scope.as_str()
                };
                let salt = crate::rng::mix(a.id as u64, scope.len() as u64 ^ self.source());
                (scope, a.id ^ (u128::from(salt) & 0xFFFF_FFFF_FFFF))
            };
            w.key("evidence").obj();
            w.kv_raw("role", a.role.name);
            w.kv_raw("roleAssignmentScope", scope);
            w.key("roleAssignmentId")
                .str_with(|o| push_guid_compact(o, id));
            w.key("roleDefinitionId")
                .str_with(|o| o.extend(a.role.id.chars().filter(|&c| c != '-')));
            w.key("principalId")
                .str_with(|o| push_guid_compact(o, principal));
            w.kv_raw("principalType", ptype);
            w.end_obj();
        }
        w.end_obj();
        w.key("claims");
        self.write_claims(w);
        w.end_obj();
        w.kv_raw("level", "Information");
        w.kv_raw("location", "global");
        self.write_properties(&p, w);
        w.end_obj();
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Started => "Started",
        Status::Accepted => "Accepted",
        Status::Succeeded => "Succeeded",
        Status::Failed => "Failed",
    }
}

/// Small reusable integer formatter (avoids an allocation per claim).
struct NumBuf(String);

fn itoa_buf() -> NumBuf {
    NumBuf(String::with_capacity(20))
}

impl NumBuf {
    fn fmt(&mut self, v: i64) -> &str {
        self.0.clear();
        let _ = write!(self.0, "{v}");
        &self.0
    }
}
