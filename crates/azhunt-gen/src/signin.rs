//! Microsoft Graph v1.0 `signIn` record generation (the `signin-graph-jsonl` shape).
//!
//! Sign-ins complement the Activity Log in a hunt: the same fictional users sign in from
//! their usual addresses through the usual first-party apps, with a realistic sprinkle of
//! MFA interrupts, bad passwords, Conditional Access blocks and risky sign-ins, plus rare
//! password-spray bursts (one unusual address failing against many users in a row).

use std::fmt::Write as _;

use crate::jsonw::JsonW;
use crate::population::{PLACES, Population};
use crate::rng::Rng;
use crate::timefmt::{TICKS_PER_SEC, push_ts_secs};

/// (appId, appDisplayName, resourceDisplayName, resourceId)
type App = (&'static str, &'static str, &'static str, &'static str);

/// Apps users sign in to, with weights.
const APPS: &[(u32, App)] = &[
    (
        30,
        (
            "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
            "Azure Portal",
            "Windows Azure Service Management API",
            "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        ),
    ),
    (
        15,
        (
            "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            "Microsoft Azure CLI",
            "Windows Azure Service Management API",
            "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        ),
    ),
    (
        8,
        (
            "1950a258-227b-4e31-a9cf-717495945fc2",
            "Microsoft Azure PowerShell",
            "Windows Azure Service Management API",
            "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        ),
    ),
    (
        20,
        (
            "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
            "Microsoft Teams",
            "Microsoft Graph",
            "00000003-0000-0000-c000-000000000000",
        ),
    ),
    (
        15,
        (
            "4765445b-32c6-49b0-83e6-1d93765276ca",
            "OfficeHome",
            "Office 365 Exchange Online",
            "00000002-0000-0ff1-ce00-000000000000",
        ),
    ),
    (
        12,
        (
            "d3590ed6-52b3-4102-aeff-aad2292ab01c",
            "Microsoft Office",
            "Microsoft Graph",
            "00000003-0000-0000-c000-000000000000",
        ),
    ),
];

/// (errorCode, failureReason, weight)
const OUTCOMES: &[(u32, (i64, &str))] = &[
    (880, (0, "Other.")),
    (
        40,
        (
            50126,
            "Error validating credentials due to invalid username or password.",
        ),
    ),
    (30, (50074, "Strong Authentication is required.")),
    (
        20,
        (
            50140,
            "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
        ),
    ),
    (
        10,
        (
            53003,
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        ),
    ),
    (
        10,
        (
            500121,
            "Authentication failed during strong authentication request.",
        ),
    ),
    (
        5,
        (
            50053,
            "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
        ),
    ),
];

const DEVICES: &[(u32, (&str, &str))] = &[
    (45, ("Windows10", "Edge 131.0.0")),
    (20, ("Windows10", "Chrome 131.0.0")),
    (12, ("MacOs", "Safari 18.1")),
    (8, ("Ios", "Mobile Safari 18.1")),
    (5, ("Android", "Chrome Mobile 131.0.0")),
    (10, ("Windows10", "Rich Client 4.66.0.0")),
];

/// (id, displayName, grant controls JSON array)
const CA_POLICIES: &[(&str, &str, &str)] = &[
    (
        "3f1c9e0a-6b2d-4c1e-9a57-0d8e2b4f6a11",
        "CA001: Require MFA for administrators",
        r#"["Mfa"]"#,
    ),
    (
        "8a2d4c6e-1f3b-4d5a-8c7e-9b0a1c2d3e22",
        "CA002: Block legacy authentication",
        r#"["Block"]"#,
    ),
    (
        "b5e7f9a1-3c5d-4e6f-a0b1-c2d3e4f5a633",
        "CA003: Require compliant device for Azure management",
        r#"["RequireCompliantDevice"]"#,
    ),
];

struct Spray {
    ip: usize,
    remaining: u32,
}

/// Generates Graph `signIn` records.
pub struct SigninGen<'p> {
    pop: &'p Population,
    spray: Option<Spray>,
}

impl<'p> SigninGen<'p> {
    pub fn new(pop: &'p Population) -> Self {
        Self { pop, spray: None }
    }

    /// Writes one sign-in at about time `t` (ticks).
    pub fn write(&mut self, r: &mut Rng, t: i64, w: &mut JsonW<'_>) {
        let pop = self.pop;
        if self.spray.is_none() && r.chance(0.0008) {
            let rare_from = pop.ips.len() * 7 / 8;
            self.spray = Some(Spray {
                ip: rare_from + r.index(pop.ips.len() - rare_from),
                remaining: r.range(15, 60) as u32,
            });
        }
        let spraying = match &mut self.spray {
            Some(s) if s.remaining > 0 => {
                s.remaining -= 1;
                Some(s.ip)
            }
            _ => None,
        };
        if self.spray.as_ref().is_some_and(|s| s.remaining == 0) {
            self.spray = None;
        }

        let (ui, user) = if spraying.is_some() {
            let i = r.index(pop.users.len());
            (i, &pop.users[i])
        } else {
            let i = (r.unit().powf(2.2) * pop.users.len() as f64) as usize;
            (i, &pop.users[i])
        };
        let ip = match spraying {
            Some(ip) => ip,
            None if r.chance(0.03) => r.index(pop.ips.len()),
            None => *r.pick(&user.ips),
        };
        let place = &PLACES[pop.ip_place[ip]];
        let (app_id, app_name, res_name, res_id) = *r.weighted(APPS);
        let (code, reason) = if spraying.is_some() {
            if r.chance(0.97) {
                (50126, OUTCOMES[1].1.1)
            } else {
                (50053, OUTCOMES[6].1.1)
            }
        } else {
            *r.weighted(OUTCOMES)
        };
        let (os, browser) = *r.weighted(DEVICES);
        let interactive = spraying.is_some() || r.chance(0.7);
        let client_app = if spraying.is_some() {
            "Other clients"
        } else if browser.starts_with("Rich") {
            "Mobile Apps and Desktop clients"
        } else {
            "Browser"
        };
        let unusual = pop.ip_place[ip] >= PLACES.len() - 4;
        let risk = if unusual && r.chance(0.5) {
            ["low", "medium", "high"][r.index(3)]
        } else {
            "none"
        };
        let ca_applies = code != 50126 && code != 50053;
        let ca_status = if code == 53003 {
            "failure"
        } else if ca_applies && r.chance(0.6) {
            "success"
        } else {
            "notApplied"
        };
        let time = t + r.below(TICKS_PER_SEC as u64) as i64;
        let managed = spraying.is_none() && r.chance(0.6);

        w.obj();
        w.key("id").guid(r.guid());
        w.key("createdDateTime").str_with(|o| push_ts_secs(o, time));
        w.kv("userDisplayName", &user.display);
        w.kv("userPrincipalName", &user.upn);
        w.key("userId").guid(user.oid);
        w.kv_raw("appId", app_id);
        w.kv_raw("appDisplayName", app_name);
        w.kv_raw("ipAddress", &pop.ips[ip]);
        w.kv_raw("clientAppUsed", client_app);
        w.key("correlationId").guid(r.guid());
        w.kv_raw("conditionalAccessStatus", ca_status);
        w.key("isInteractive").bool(interactive);
        w.kv_raw("riskDetail", "none");
        w.kv_raw("riskLevelAggregated", risk);
        w.kv_raw("riskLevelDuringSignIn", risk);
        w.kv_raw("riskState", if risk == "none" { "none" } else { "atRisk" });
        w.key("riskEventTypes").arr();
        if risk != "none" {
            w.raw_str("unfamiliarFeatures");
        }
        w.end_arr();
        w.key("riskEventTypes_v2").arr();
        if risk != "none" {
            w.raw_str("unfamiliarFeatures");
        }
        w.end_arr();
        w.kv_raw("resourceDisplayName", res_name);
        w.kv_raw("resourceId", res_id);
        w.key("status").obj();
        w.key("errorCode").int(code);
        w.kv("failureReason", reason);
        w.key("additionalDetails");
        if code == 50074 {
            w.raw_str("MFA required in Azure AD");
        } else {
            w.lit("null");
        }
        w.end_obj();
        w.key("deviceDetail").obj();
        if managed {
            w.key("deviceId").guid(r.guid());
            w.key("displayName").str_with(|o| {
                let _ = write!(o, "CGEN-{:05}", (ui * 7 + 11) % 100_000);
            });
        } else {
            w.kv_raw("deviceId", "");
            w.kv_raw("displayName", "");
        }
        w.kv_raw("operatingSystem", os);
        w.kv_raw("browser", browser);
        w.key("isCompliant").bool(managed);
        w.key("isManaged").bool(managed);
        w.kv_raw("trustType", if managed { "Azure AD joined" } else { "" });
        w.end_obj();
        w.key("location").obj();
        w.kv_raw("city", place.city);
        w.kv_raw("state", place.state);
        w.kv_raw("countryOrRegion", place.country);
        w.key("geoCoordinates").obj();
        w.key("altitude").lit("null");
        w.key("latitude").float(place.lat, 5);
        w.key("longitude").float(place.lon, 5);
        w.end_obj();
        w.end_obj();
        w.key("appliedConditionalAccessPolicies").arr();
        if ca_applies {
            for (k, (id, name, grants)) in CA_POLICIES.iter().enumerate() {
                let result = match (k, ca_status) {
                    (_, "notApplied") => "notApplied",
                    (2, "failure") => "failure",
                    (0, "success") if ui < 8 => "success",
                    (2, "success") if managed && res_name.starts_with("Windows Azure") => "success",
                    _ => "notApplied",
                };
                w.obj();
                w.kv_raw("id", id);
                w.kv_raw("displayName", name);
                w.key("enforcedGrantControls")
                    .lit(if result == "notApplied" { "[]" } else { grants });
                w.key("enforcedSessionControls").lit("[]");
                w.kv_raw("result", result);
                w.end_obj();
            }
        }
        w.end_arr();
        w.end_obj();
    }
}
