//! Azure Activity Log record generation, in the REST shape and the diagnostic-settings shape.
//!
//! One *operation instance* (a caller doing one thing to one resource) expands into the
//! events the Activity Log really records for it: `Started` then `Succeeded`/`Failed`,
//! sometimes an `Accepted` in between for long-running operations, sometimes a Policy-category
//! audit/deny event, and a lone `Failed` for authorization failures. All events of an
//! instance share `correlationId`/`operationId`. The same instance can be rendered as the
//! REST / `az monitor activity-log list` object or as a `PT1H.json` diagnostic record
//! (rendering lives in the `render` child module).

mod render;

use std::fmt::Write as _;

use crate::catalog::{self, BodyCtx, Name, OPERATIONS, Operation, ROOT_OPERATIONS, Scope};
use crate::population::Population;
use crate::rng::{Rng, push_guid};
use crate::timefmt::TICKS_PER_SEC;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Started,
    Accepted,
    Succeeded,
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyEffect {
    Audit,
    Deny,
}

/// One event of an operation instance.
#[derive(Clone, Copy, Debug)]
pub struct Phase {
    pub status: Status,
    pub policy: Option<PolicyEffect>,
    pub time: i64,
    pub submission: i64,
    pub event_data_id: u128,
    pub sub_status: (&'static str, &'static str),
    pub status_code: &'static str,
    pub duration_ms: i64,
}

#[derive(Clone, Copy, Debug)]
enum Caller {
    User(usize),
    Sp(usize),
}

struct Failure {
    code: &'static str,
    status: &'static str,
    localized: &'static str,
    message: &'static str,
}

const AUTHZ_FAILED: Failure = Failure {
    code: "AuthorizationFailed",
    status: "Forbidden",
    localized: "Forbidden (HTTP Status Code: 403)",
    message: "does not have authorization to perform action",
};
const POLICY_DENIED: Failure = Failure {
    code: "RequestDisallowedByPolicy",
    status: "Forbidden",
    localized: "Forbidden (HTTP Status Code: 403)",
    message: "was disallowed by policy",
};
static FAILURES: &[(u32, Failure)] = &[
    (45, AUTHZ_FAILED),
    (
        20,
        Failure {
            code: "Conflict",
            status: "Conflict",
            localized: "Conflict (HTTP Status Code: 409)",
            message: "conflicts with an operation in progress",
        },
    ),
    (
        20,
        Failure {
            code: "InvalidParameter",
            status: "BadRequest",
            localized: "BadRequest (HTTP Status Code: 400)",
            message: "has an invalid parameter value",
        },
    ),
    (
        10,
        Failure {
            code: "ResourceNotFound",
            status: "NotFound",
            localized: "NotFound (HTTP Status Code: 404)",
            message: "refers to a resource that was not found",
        },
    ),
    (
        5,
        Failure {
            code: "InternalServerError",
            status: "InternalServerError",
            localized: "InternalServerError (HTTP Status Code: 500)",
            message: "failed with an internal error",
        },
    ),
];

/// First-party client apps users call ARM through: (appid, appidacr).
const USER_CLIENTS: &[(u32, (&str, &str))] = &[
    (45, ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "2")), // Azure Portal
    (35, ("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "0")), // Azure CLI
    (20, ("1950a258-227b-4e31-a9cf-717495945fc2", "0")), // Azure PowerShell
];
const AMR: &[(u32, &str)] = &[(70, "pwd,mfa"), (15, "pwd"), (10, "rsa,mfa"), (5, "wia")];
const POLICY_AUDIT_DEF: &str = "0a15ec92-a229-4763-bb14-0ea34a568f8d";
const POLICY_DENY_DEF: &str = "e56962a6-4747-49cd-b67b-bf8b01975c4c";

/// Cumulative-weight sampler over a static operation table.
struct Picker {
    table: &'static [Operation],
    cumulative: Vec<u64>,
}

impl Picker {
    fn new(table: &'static [Operation]) -> Self {
        let mut acc = 0;
        let cumulative = table
            .iter()
            .map(|o| {
                acc += u64::from(o.weight);
                acc
            })
            .collect();
        Self { table, cumulative }
    }

    fn pick(&self, r: &mut Rng) -> &'static Operation {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = r.below(total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.table[i.min(self.table.len() - 1)]
    }
}

/// Generates operation instances and renders their events.
pub struct ActivityGen<'p> {
    pop: &'p Population,
    ops: Picker,
    root_ops: Picker,
    op: &'static Operation,
    caller: Caller,
    ip: usize,
    sub: Option<usize>,
    rg: Option<usize>,
    resource_id: String,
    resource_name: String,
    hierarchy: String,
    assign_scope: String,
    def_scope: String,
    location: &'static str,
    correlation_id: u128,
    operation_id: u128,
    client_request_id: u128,
    service_request_id: u128,
    body: String,
    failure: Option<&'static Failure>,
    // Token claims.
    iat: i64,
    exp: i64,
    aio: String,
    uti: String,
    rh: String,
    amr: &'static str,
    appid: String,
    appidacr: &'static str,
    /// The events of the current instance, in emission order.
    pub phases: Vec<Phase>,
    tmp: String,
}

impl<'p> ActivityGen<'p> {
    pub fn new(pop: &'p Population) -> Self {
        Self {
            pop,
            ops: Picker::new(OPERATIONS),
            root_ops: Picker::new(ROOT_OPERATIONS),
            op: &OPERATIONS[0],
            caller: Caller::User(0),
            ip: 0,
            sub: None,
            rg: None,
            resource_id: String::with_capacity(256),
            resource_name: String::with_capacity(32),
            hierarchy: String::with_capacity(160),
            assign_scope: String::with_capacity(160),
            def_scope: String::with_capacity(80),
            location: "westeurope",
            correlation_id: 0,
            operation_id: 0,
            client_request_id: 0,
            service_request_id: 0,
            body: String::with_capacity(1024),
            failure: None,
            iat: 0,
            exp: 0,
            aio: String::with_capacity(160),
            uti: String::with_capacity(24),
            rh: String::with_capacity(64),
            amr: "",
            appid: String::with_capacity(36),
            appidacr: "0",
            phases: Vec::with_capacity(4),
            tmp: String::with_capacity(1024),
        }
    }

    /// Draws the next operation instance starting at `t0` (ticks) and fills [`Self::phases`].
    pub fn next_op(&mut self, r: &mut Rng, t0: i64) {
        let pop = self.pop;
        let root = r.chance(0.004);
        self.op = if root {
            self.root_ops.pick(r)
        } else {
            self.ops.pick(r)
        };
        // Callers: a few busy users and automation principals, long tails of both.
        let is_tenant_admin_op = matches!(self.op.scope, Scope::Tenant | Scope::Mg(_));
        self.caller = if is_tenant_admin_op {
            Caller::User(r.index(8))
        } else if r.chance(0.3) {
            Caller::User(((r.unit().powf(2.2)) * pop.users.len() as f64) as usize)
        } else {
            Caller::Sp(((r.unit().powf(1.5)) * pop.sps.len() as f64) as usize)
        };
        let (usual_ips, home_sub) = match self.caller {
            Caller::User(i) => (&pop.users[i].ips, pop.users[i].home_sub),
            Caller::Sp(i) => (&pop.sps[i].ips, pop.sps[i].home_sub),
        };
        self.ip = if r.chance(0.02) {
            r.index(pop.ips.len())
        } else {
            *r.pick(usual_ips)
        };
        let sub = if r.chance(0.8) {
            home_sub
        } else {
            r.index(pop.subs.len())
        };
        self.build_target(r, sub);

        self.correlation_id = r.guid();
        self.operation_id = r.guid();
        self.client_request_id = r.guid();
        self.service_request_id = r.guid();
        self.draw_token(r, t0);

        self.body.clear();
        let ctx = BodyCtx {
            pop,
            location: self.location,
            sub_id: self.sub.map_or("", |s| pop.subs[s].id.as_str()),
            def_scope: &self.def_scope,
            assign_scope: &self.assign_scope,
            resource_name: &self.resource_name,
            rg: self.rg.map_or("", |g| pop.rgs[g].name.as_str()),
        };
        catalog::request_body(self.op.body, r, &ctx, &mut self.body);

        self.draw_phases(r, t0);
    }

    /// Resolves subscription / resource group / management group and builds the resource id.
    fn build_target(&mut self, r: &mut Rng, sub: usize) {
        let pop = self.pop;
        let op = self.op;
        self.resource_id.clear();
        self.resource_name.clear();
        self.hierarchy.clear();
        self.assign_scope.clear();
        self.def_scope.clear();
        self.sub = None;
        self.rg = None;
        let rgs: Vec<usize> = pop.rgs_of(sub).map(|(i, _)| i).collect();
        let rg = rgs[r.index(rgs.len())];
        self.location = pop.rgs[rg].location;
        let sub_id = &pop.subs[sub].id;
        let rg_name = &pop.rgs[rg].name;
        match op.scope {
            Scope::Tenant | Scope::Mg(_) => {
                let mg = 1 + r.index(pop.mgs.len() - 1);
                self.hierarchy.push_str(&pop.tenant);
                if let Scope::Mg(child) = op.scope {
                    let mg_id = &pop.mgs[mg];
                    let _ = write!(
                        self.def_scope,
                        "/providers/Microsoft.Management/managementGroups/{mg_id}"
                    );
                    self.assign_scope.push_str(&self.def_scope);
                    self.resource_id.push_str(&self.def_scope);
                    let _ = write!(self.hierarchy, "/{}", pop.mgs[1]);
                    if mg != 1 {
                        let _ = write!(self.hierarchy, "/{mg_id}");
                    }
                    if let Some((seg, name)) = child {
                        if op.provider != "Microsoft.Management" {
                            let _ = write!(self.resource_id, "/providers/{}", op.provider);
                        }
                        let _ = write!(self.resource_id, "/{seg}/");
                        self.push_name(r, name, sub);
                    }
                } else {
                    self.resource_id
                        .push_str("/providers/Microsoft.Authorization");
                }
                self.location = catalog::any_location(r);
                return;
            }
            _ => {}
        }
        self.sub = Some(sub);
        pop.hierarchy_of_sub(&mut self.hierarchy, sub);
        let _ = write!(self.def_scope, "/subscriptions/{sub_id}");
        let rg_scope = |s: &mut String| {
            let _ = write!(s, "/subscriptions/{sub_id}/resourceGroups/{rg_name}");
        };
        match op.scope {
            Scope::Res(segments) => {
                self.rg = Some(rg);
                rg_scope(&mut self.resource_id);
                let _ = write!(self.resource_id, "/providers/{}", op.provider);
                let n = r.below(6);
                for (k, (seg, prefix)) in segments.iter().enumerate() {
                    let _ = write!(self.resource_id, "/{seg}/");
                    let start = self.resource_id.len();
                    if k == 0 {
                        let _ = write!(self.resource_id, "{prefix}{rg:02}{n:02}");
                    } else if prefix.ends_with('-') || *prefix == "pool" {
                        let _ = write!(self.resource_id, "{prefix}{:02}", r.below(8));
                    } else {
                        self.resource_id.push_str(prefix);
                    }
                    if k == 0 {
                        self.resource_name.push_str(&self.resource_id[start..]);
                    }
                }
                self.assign_scope.push_str(&self.resource_id);
            }
            Scope::Rg => {
                self.rg = Some(rg);
                rg_scope(&mut self.resource_id);
                self.assign_scope.push_str(&self.resource_id);
            }
            Scope::Ext(seg, name) => {
                if r.chance(0.35) {
                    self.resource_id.push_str(&self.def_scope);
                } else {
                    self.rg = Some(rg);
                    rg_scope(&mut self.resource_id);
                }
                self.assign_scope.push_str(&self.resource_id);
                let _ = write!(self.resource_id, "/providers/{}/{seg}/", op.provider);
                self.push_name(r, name, sub);
            }
            Scope::Diag => {
                if r.chance(0.3) {
                    self.resource_id.push_str(&self.def_scope);
                } else {
                    self.rg = Some(rg);
                    rg_scope(&mut self.resource_id);
                    let (provider, kind, prefix) = [
                        ("Microsoft.KeyVault", "vaults", "kv-gen-"),
                        ("Microsoft.Storage", "storageAccounts", "stgen"),
                        ("Microsoft.ContainerService", "managedClusters", "aks-"),
                        ("Microsoft.Network", "networkSecurityGroups", "nsg-"),
                    ][r.index(4)];
                    let _ = write!(
                        self.resource_id,
                        "/providers/{provider}/{kind}/{prefix}{rg:02}{:02}",
                        r.below(6)
                    );
                }
                self.assign_scope.push_str(&self.resource_id);
                let _ = write!(
                    self.resource_id,
                    "/providers/microsoft.insights/diagnosticSettings/{}",
                    ["send-to-law", "sentinel", "archive-storage"][r.index(3)]
                );
            }
            Scope::Tenant | Scope::Mg(_) => {}
        }
    }

    fn push_name(&mut self, r: &mut Rng, name: Name, sub: usize) {
        match name {
            Name::Guid => push_guid(&mut self.resource_id, r.guid()),
            Name::Prefix(p) if p == "default" => self.resource_id.push_str(p),
            Name::Prefix(p) => {
                let _ = write!(self.resource_id, "{p}{:02}", r.below(12));
            }
            Name::Subscription => self.resource_id.push_str(&self.pop.subs[sub].id),
        }
    }

    fn draw_token(&mut self, r: &mut Rng, t0: i64) {
        let now = t0.div_euclid(TICKS_PER_SEC);
        self.iat = now - r.range(30, 3000) as i64;
        self.aio.clear();
        self.uti.clear();
        self.rh.clear();
        self.appid.clear();
        r.push_b64url(&mut self.uti, 22);
        self.rh.push_str("0.A");
        r.push_b64url(&mut self.rh, 50);
        self.rh.push('.');
        match self.caller {
            Caller::User(_) => {
                self.exp = self.iat + r.range(3900, 5400) as i64;
                self.aio.push_str("AVQAq/8");
                r.push_b64(&mut self.aio, 96);
                self.aio.push('=');
                self.amr = *r.weighted(AMR);
                let (appid, acr) = *r.weighted(USER_CLIENTS);
                self.appid.push_str(appid);
                self.appidacr = acr;
            }
            Caller::Sp(i) => {
                self.exp = self.iat + 86_399;
                self.aio.push_str("k2BgYJ");
                r.push_b64(&mut self.aio, 48);
                self.aio.push('=');
                self.amr = "";
                push_guid(&mut self.appid, self.pop.sps[i].app_id);
                self.appidacr = self.pop.sps[i].appidacr;
            }
        }
    }

    fn draw_phases(&mut self, r: &mut Rng, t0: i64) {
        self.phases.clear();
        self.failure = None;
        // Users holding only Reader keep trying writes and are always refused.
        let reader = matches!(self.caller, Caller::User(i) if i % 10 == 9);
        let fail_p = if reader { 1.0 } else { 0.035 };
        let ms = |ms: u64| ms as i64 * 10_000;
        let is_put = self.op.method == "PUT";
        let policy_eligible = is_put && matches!(self.op.scope, Scope::Res(_));
        if policy_eligible && r.chance(0.004) {
            self.failure = Some(&POLICY_DENIED);
            let t1 = t0 + ms(r.range(20, 90));
            self.push_phase(
                r,
                Status::Succeeded,
                Some(PolicyEffect::Deny),
                t1,
                t0,
                ("", ""),
                "",
            );
            let t2 = t1 + ms(r.range(5, 40));
            self.push_phase(
                r,
                Status::Failed,
                None,
                t2,
                t0,
                (POLICY_DENIED.status, POLICY_DENIED.localized),
                POLICY_DENIED.status,
            );
            return;
        }
        if r.chance(fail_p) {
            let f = if reader {
                &AUTHZ_FAILED
            } else {
                r.weighted(FAILURES)
            };
            self.failure = Some(f);
            let sub_status = (f.status, f.localized);
            if f.code == AUTHZ_FAILED.code {
                let t1 = t0 + ms(r.range(20, 250));
                self.push_phase(r, Status::Failed, None, t1, t0, sub_status, f.status);
            } else {
                self.push_phase(r, Status::Started, None, t0, t0, ("", ""), "");
                let t1 = t0 + ms(r.range(80, 4000));
                self.push_phase(r, Status::Failed, None, t1, t0, sub_status, f.status);
            }
            return;
        }
        self.push_phase(r, Status::Started, None, t0, t0, ("", ""), "");
        if policy_eligible && r.chance(0.08) {
            let t = t0 + ms(r.range(15, 80));
            self.push_phase(
                r,
                Status::Succeeded,
                Some(PolicyEffect::Audit),
                t,
                t0,
                ("", ""),
                "",
            );
        }
        if self.op.lro && r.chance(0.6) {
            let t1 = t0 + ms(r.range(150, 3000));
            self.push_phase(
                r,
                Status::Accepted,
                None,
                t1,
                t0,
                ("Accepted", "Accepted (HTTP Status Code: 202)"),
                "Accepted",
            );
            let t2 = t1 + ms(r.range(4000, 180_000));
            self.push_phase(r, Status::Succeeded, None, t2, t0, ("", ""), "OK");
        } else {
            let t1 = t0
                + ms(if self.op.lro {
                    r.range(2000, 60_000)
                } else {
                    r.range(40, 1500)
                });
            let (code, sub) = if is_put && r.chance(0.5) {
                ("Created", ("Created", "Created (HTTP Status Code: 201)"))
            } else {
                ("OK", ("OK", "OK (HTTP Status Code: 200)"))
            };
            self.push_phase(r, Status::Succeeded, None, t1, t0, sub, code);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_phase(
        &mut self,
        r: &mut Rng,
        status: Status,
        policy: Option<PolicyEffect>,
        time: i64,
        t0: i64,
        sub_status: (&'static str, &'static str),
        status_code: &'static str,
    ) {
        let submission =
            time + r.range(15, 150) as i64 * TICKS_PER_SEC + r.below(TICKS_PER_SEC as u64) as i64;
        self.phases.push(Phase {
            status,
            policy,
            time,
            submission,
            event_data_id: r.guid(),
            sub_status,
            status_code,
            duration_ms: (time - t0) / 10_000,
        });
    }

    /// The "source" the instance's events are exported from (its subscription, or the
    /// tenant); different sources lag each other, which is what makes exports interleave.
    pub fn source(&self) -> u64 {
        self.sub.map_or(self.pop.subs.len() as u64, |s| s as u64)
    }
}
