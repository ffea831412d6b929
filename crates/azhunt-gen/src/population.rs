//! The fictional tenant every generated record is drawn from.
//!
//! Realistic corpora need a stable cast: the same ~200 users, ~50 service principals,
//! 5 subscriptions, 40 resource groups and a few hundred IPs recur across millions of
//! records, with skewed activity (a few busy callers, a long tail). The population is built
//! once from the seed and shared read-only by all generator threads. All identities are
//! fictional (`contoso-gen.example`) and all IPs are from documentation ranges.

use crate::rng::{Rng, guid_string};

/// A built-in Azure RBAC role (names and ids are Azure's public constants).
pub struct Role {
    pub name: &'static str,
    pub id: &'static str,
}

pub const OWNER: Role = Role {
    name: "Owner",
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
};
pub const CONTRIBUTOR: Role = Role {
    name: "Contributor",
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
};
pub const READER: Role = Role {
    name: "Reader",
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
};

/// Roles granted by generated role assignments (weights favour the common ones).
pub const GRANTABLE_ROLES: &[(u32, Role)] = &[
    (30, READER),
    (25, CONTRIBUTOR),
    (8, OWNER),
    (
        4,
        Role {
            name: "User Access Administrator",
            id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        },
    ),
    (
        8,
        Role {
            name: "Storage Blob Data Contributor",
            id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        },
    ),
    (
        6,
        Role {
            name: "Virtual Machine Contributor",
            id: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        },
    ),
    (
        5,
        Role {
            name: "Network Contributor",
            id: "4d97b98b-1d4f-4787-a291-c67834d212e7",
        },
    ),
    (
        5,
        Role {
            name: "Key Vault Administrator",
            id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        },
    ),
    (
        5,
        Role {
            name: "Key Vault Secrets User",
            id: "4633458b-17de-408a-b874-0445c86b69e6",
        },
    ),
    (
        4,
        Role {
            name: "Azure Kubernetes Service Cluster Admin Role",
            id: "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
        },
    ),
];

/// A caller's standing role assignment (drives the diagnostic shape's `evidence`).
pub struct Assignment {
    pub role: &'static Role,
    pub scope: String,
    pub id: u128,
}

pub struct User {
    pub upn: String,
    pub given: &'static str,
    pub surname: &'static str,
    pub display: String,
    pub oid: u128,
    pub puid: String,
    /// Stable opaque `nameidentifier` claim.
    pub name_id: String,
    /// Indices into [`Population::ips`]: the user's usual egress addresses.
    pub ips: Vec<usize>,
    pub assignment: Assignment,
    /// Index of the subscription the user mostly works in.
    pub home_sub: usize,
}

pub struct ServicePrincipal {
    pub display: String,
    pub app_id: u128,
    pub oid: u128,
    pub ips: Vec<usize>,
    pub assignment: Assignment,
    pub home_sub: usize,
    /// `appidacr`: "1" client secret, "2" certificate / managed identity.
    pub appidacr: &'static str,
}

pub struct Subscription {
    pub id: String,
    pub name: String,
    /// Index into [`Population::mgs`].
    pub mg: usize,
}

pub struct ResourceGroup {
    pub name: String,
    pub sub: usize,
    pub location: &'static str,
}

/// Where an IP address geolocates (sign-in `location`).
pub struct Place {
    pub city: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
}

pub const PLACES: &[Place] = &[
    place("Amsterdam", "Noord-Holland", "NL", 52.37, 4.89),
    place("Rotterdam", "Zuid-Holland", "NL", 51.92, 4.48),
    place("Seattle", "Washington", "US", 47.61, -122.33),
    place("Redmond", "Washington", "US", 47.67, -122.12),
    place("New York", "New York", "US", 40.71, -74.01),
    place("Chicago", "Illinois", "US", 41.88, -87.63),
    place("Austin", "Texas", "US", 30.27, -97.74),
    place("London", "England", "GB", 51.51, -0.13),
    place("Manchester", "England", "GB", 53.48, -2.24),
    place("Dublin", "Dublin", "IE", 53.35, -6.26),
    place("Frankfurt am Main", "Hessen", "DE", 50.11, 8.68),
    place("Berlin", "Berlin", "DE", 52.52, 13.40),
    place("Paris", "Ile-de-France", "FR", 48.86, 2.35),
    place("Stockholm", "Stockholms Lan", "SE", 59.33, 18.07),
    place("Warsaw", "Mazowieckie", "PL", 52.23, 21.01),
    place("Singapore", "Singapore", "SG", 1.35, 103.82),
    place("Sydney", "New South Wales", "AU", -33.87, 151.21),
    place("Toronto", "Ontario", "CA", 43.65, -79.38),
    // Less usual origins, used for a small share of addresses.
    place("Sao Paulo", "Sao Paulo", "BR", -23.55, -46.63),
    place("Lagos", "Lagos", "NG", 6.52, 3.38),
    place("Bucharest", "Bucuresti", "RO", 44.43, 26.10),
    place("Hanoi", "Ha Noi", "VN", 21.03, 105.85),
];

const fn place(
    city: &'static str,
    state: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
) -> Place {
    Place {
        city,
        state,
        country,
        lat,
        lon,
    }
}

const GIVEN: &[&str] = &[
    "Avery", "Blake", "Casey", "Dana", "Emery", "Finley", "Gray", "Harper", "Indy", "Jules", "Kai",
    "Lane", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum", "Umber",
    "Val", "Wren", "Xen", "Yael", "Zuri", "Alexis", "Bailey", "Cameron", "Drew",
];
const SURNAMES: &[&str] = &[
    "Ashdown",
    "Brightwater",
    "Coldbrook",
    "Dunmore",
    "Eastfield",
    "Fairweather",
    "Glenholm",
    "Hartwell",
    "Ivybridge",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pemberton",
    "Quarrington",
    "Redfern",
    "Stonebridge",
    "Thornbury",
    "Underhill",
    "Vantongeren",
    "Whitlock",
    "Yardley",
    "Zephyrine",
];
const SP_PURPOSES: &[&str] = &[
    "deploy-ci",
    "backup",
    "monitoring",
    "aks-autoscaler",
    "terraform",
    "cost-export",
    "patching",
    "sentinel-connector",
    "keyrotation",
    "webapp-release",
];
pub const LOCATIONS: &[&str] = &[
    "westeurope",
    "northeurope",
    "eastus",
    "eastus2",
    "westus2",
    "uksouth",
    "germanywestcentral",
];
const RG_PURPOSES: &[&str] = &[
    "app", "data", "net", "shared", "aks", "web", "kv", "logs", "backup", "ml",
];
const ENVS: &[&str] = &["prod", "dev", "test", "stg"];
const SUB_NAMES: &[&str] = &[
    "Production",
    "Development",
    "Shared-Services",
    "Sandbox",
    "Data-Platform",
];

pub struct Population {
    pub tenant: String,
    /// Management group ids: `mgs[0]` is the tenant root group (named like the tenant id).
    pub mgs: Vec<String>,
    pub subs: Vec<Subscription>,
    pub rgs: Vec<ResourceGroup>,
    pub users: Vec<User>,
    pub sps: Vec<ServicePrincipal>,
    pub ips: Vec<String>,
    /// Index into [`PLACES`] for each entry of `ips`.
    pub ip_place: Vec<usize>,
}

impl Population {
    /// Builds the population for `seed` (independent of corpus size and shape).
    pub fn new(seed: u64) -> Self {
        let mut r = Rng::new(seed, u64::MAX);
        let tenant = guid_string(r.guid());
        let mgs = vec![
            tenant.clone(),
            "mg-contoso-gen".to_owned(),
            "mg-platform".to_owned(),
            "mg-landingzones".to_owned(),
            "mg-sandbox".to_owned(),
        ];
        let subs: Vec<Subscription> = SUB_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| Subscription {
                id: guid_string(r.guid()),
                name: format!("contoso-gen-{}", name.to_lowercase()),
                mg: [3, 3, 2, 4, 3][i],
            })
            .collect();
        let rgs: Vec<ResourceGroup> = (0..40)
            .map(|i| {
                let sub = i % subs.len();
                ResourceGroup {
                    name: format!(
                        "rg-{}-{}-{:02}",
                        RG_PURPOSES[i % RG_PURPOSES.len()],
                        ENVS[(i / RG_PURPOSES.len()) % ENVS.len()],
                        i
                    ),
                    sub,
                    location: LOCATIONS[r.index(LOCATIONS.len())],
                }
            })
            .collect();

        let (ips, ip_place) = Self::ip_pool(&mut r, 320);
        let users = (0..200)
            .map(|i| {
                let given = GIVEN[r.index(GIVEN.len())];
                let surname = SURNAMES[r.index(SURNAMES.len())];
                let n_ips = 1 + r.index(3);
                let ips = (0..n_ips).map(|_| r.index(ips.len() * 7 / 8)).collect();
                let home_sub = r.index(subs.len());
                let role = if i < 8 {
                    &OWNER
                } else if i % 10 == 9 {
                    &READER
                } else {
                    &CONTRIBUTOR
                };
                let assignment = Self::assignment(&mut r, role, &subs, &rgs, home_sub);
                let mut puid = String::with_capacity(16);
                puid.push_str("1003");
                r.push_hex(&mut puid, 12);
                let mut name_id = String::with_capacity(43);
                r.push_b64url(&mut name_id, 43);
                User {
                    upn: format!("user{:04}@contoso-gen.example", i + 1),
                    given,
                    surname,
                    display: format!("{given} {surname}"),
                    oid: r.guid(),
                    puid: puid.to_uppercase(),
                    name_id,
                    ips,
                    assignment,
                    home_sub,
                }
            })
            .collect();
        let sps = (0..50)
            .map(|i| {
                let purpose = SP_PURPOSES[i % SP_PURPOSES.len()];
                let home_sub = i % subs.len();
                let ips = (0..1 + r.index(2)).map(|_| r.index(ips.len())).collect();
                let role = if i % 7 == 0 { &OWNER } else { &CONTRIBUTOR };
                let assignment = Self::assignment(&mut r, role, &subs, &rgs, home_sub);
                ServicePrincipal {
                    display: format!("sp-{purpose}-{:02}", i + 1),
                    app_id: r.guid(),
                    oid: r.guid(),
                    ips,
                    assignment,
                    home_sub,
                    appidacr: if i % 3 == 0 { "1" } else { "2" },
                }
            })
            .collect();
        Self {
            tenant,
            mgs,
            subs,
            rgs,
            users,
            sps,
            ips,
            ip_place,
        }
    }

    /// A few hundred addresses from the documentation ranges (IPv4 TEST-NETs, IPv6 2001:db8::/32).
    /// The last eighth geolocate to less usual places and are only used for occasional activity.
    fn ip_pool(r: &mut Rng, n: usize) -> (Vec<String>, Vec<usize>) {
        const NETS: &[&str] = &["192.0.2", "198.51.100", "203.0.113"];
        let usual = PLACES.len() - 4;
        let mut ips = Vec::with_capacity(n);
        let mut places = Vec::with_capacity(n);
        for i in 0..n {
            let ip = if i % 12 == 11 {
                format!(
                    "2001:db8:{:x}:{:x}::{:x}",
                    r.below(0xffff),
                    r.below(0xff),
                    1 + r.below(0xfff)
                )
            } else {
                let net = NETS[i % NETS.len()];
                format!("{net}.{}", 1 + (i / NETS.len()) % 254)
            };
            ips.push(ip);
            places.push(if i < n * 7 / 8 {
                r.index(usual)
            } else {
                usual + r.index(PLACES.len() - usual)
            });
        }
        (ips, places)
    }

    fn assignment(
        r: &mut Rng,
        role: &'static Role,
        subs: &[Subscription],
        rgs: &[ResourceGroup],
        home_sub: usize,
    ) -> Assignment {
        let sub = &subs[home_sub].id;
        let scope = if r.chance(0.6) {
            format!("/subscriptions/{sub}")
        } else {
            let in_sub: Vec<&ResourceGroup> = rgs.iter().filter(|g| g.sub == home_sub).collect();
            let rg = in_sub[r.index(in_sub.len())];
            format!("/subscriptions/{sub}/resourceGroups/{}", rg.name)
        };
        Assignment {
            role,
            scope,
            id: r.guid(),
        }
    }

    /// Management-group chain from the root down to subscription `sub`'s parent.
    pub fn hierarchy_of_sub(&self, out: &mut String, sub: usize) {
        let s = &self.subs[sub];
        out.push_str(&self.tenant);
        out.push('/');
        out.push_str(&self.mgs[1]);
        out.push('/');
        out.push_str(&self.mgs[s.mg]);
        out.push('/');
        out.push_str(&s.id);
    }

    /// Resource groups of subscription `sub`.
    pub fn rgs_of(&self, sub: usize) -> impl Iterator<Item = (usize, &ResourceGroup)> {
        self.rgs
            .iter()
            .enumerate()
            .filter(move |(_, g)| g.sub == sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_sizes_and_fiction() {
        let p = Population::new(1);
        assert_eq!(p.users.len(), 200);
        assert_eq!(p.sps.len(), 50);
        assert_eq!(p.subs.len(), 5);
        assert_eq!(p.rgs.len(), 40);
        assert!(p.ips.len() >= 300);
        assert!(
            p.users
                .iter()
                .all(|u| u.upn.ends_with("@contoso-gen.example"))
        );
        assert!(p.ips.iter().all(|ip| ip.starts_with("192.0.2.")
            || ip.starts_with("198.51.100.")
            || ip.starts_with("203.0.113.")
            || ip.starts_with("2001:db8:")));
        for s in 0..p.subs.len() {
            assert!(p.rgs_of(s).count() > 0);
        }
    }
}
