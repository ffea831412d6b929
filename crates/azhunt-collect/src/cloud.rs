//! Which Azure cloud to talk to: the endpoint table and its overrides.
//!
//! Sovereign clouds differ in every host (research §9), so no URL is written anywhere else in
//! the crate: requests are built from a [`Cloud`]. The token *audiences* stay those of the named
//! cloud when an endpoint is overridden: `--arm-url` points requests at a proxy, a private link
//! or a test server, but the token is still one for Resource Manager of that cloud.

use crate::error::CollectError;

/// The named clouds azhunt knows the endpoints of.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CloudName {
    /// Azure public (commercial) cloud.
    Public,
    /// Azure US Government (GCC High; Graph `graph.microsoft.us`).
    UsGov,
    /// Azure China (21Vianet).
    China,
}

impl CloudName {
    /// The name as written on the command line and in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            CloudName::Public => "public",
            CloudName::UsGov => "usgov",
            CloudName::China => "china",
        }
    }
}

/// The three token audiences a collection needs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    /// Azure Resource Manager (Activity Log, subscriptions).
    Arm,
    /// Microsoft Graph (Entra audit and sign-in logs).
    Graph,
    /// The Log Analytics query API.
    LogAnalytics,
}

impl Audience {
    /// Short name used in messages and per-audience environment variables.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Arm => "arm",
            Audience::Graph => "graph",
            Audience::LogAnalytics => "loganalytics",
        }
    }
}

/// Endpoints and token scopes of one cloud. URLs have no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cloud {
    /// The named cloud the defaults and token scopes come from.
    pub name: CloudName,
    /// Entra ID authority host (token endpoint).
    pub login: String,
    /// Azure Resource Manager.
    pub arm: String,
    /// Microsoft Graph.
    pub graph: String,
    /// Log Analytics query API.
    pub loganalytics: String,
    /// OAuth scope of an ARM token.
    pub arm_scope: String,
    /// OAuth scope of a Graph token.
    pub graph_scope: String,
    /// OAuth scope of a Log Analytics token.
    pub loganalytics_scope: String,
}

/// Endpoint overrides (`--arm-url` and friends); `None` keeps the named cloud's endpoint.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Replaces [`Cloud::arm`].
    pub arm: Option<String>,
    /// Replaces [`Cloud::graph`].
    pub graph: Option<String>,
    /// Replaces [`Cloud::loganalytics`].
    pub loganalytics: Option<String>,
    /// Replaces [`Cloud::login`].
    pub login: Option<String>,
}

impl Cloud {
    /// The endpoint table of a named cloud.
    pub fn named(name: CloudName) -> Cloud {
        let (login, arm, graph, la) = match name {
            CloudName::Public => (
                "https://login.microsoftonline.com",
                "https://management.azure.com",
                "https://graph.microsoft.com",
                "https://api.loganalytics.azure.com",
            ),
            CloudName::UsGov => (
                "https://login.microsoftonline.us",
                "https://management.usgovcloudapi.net",
                "https://graph.microsoft.us",
                "https://api.loganalytics.us",
            ),
            CloudName::China => (
                "https://login.chinacloudapi.cn",
                "https://management.chinacloudapi.cn",
                "https://microsoftgraph.chinacloudapi.cn",
                "https://api.loganalytics.azure.cn",
            ),
        };
        // The Log Analytics token audience is `api.loganalytics.io` in the public cloud even
        // though requests go to `api.loganalytics.azure.com` (research §6.2).
        let la_scope = match name {
            CloudName::Public => "https://api.loganalytics.io/.default".to_string(),
            _ => format!("{la}/.default"),
        };
        Cloud {
            name,
            login: login.to_string(),
            arm: arm.to_string(),
            graph: graph.to_string(),
            loganalytics: la.to_string(),
            arm_scope: format!("{arm}/.default"),
            graph_scope: format!("{graph}/.default"),
            loganalytics_scope: la_scope,
        }
    }

    /// The named cloud with the given endpoint overrides applied; each must be an absolute
    /// `http` or `https` URL.
    pub fn with_overrides(name: CloudName, o: &Overrides) -> Result<Cloud, CollectError> {
        let mut c = Cloud::named(name);
        for (slot, value, flag) in [
            (&mut c.arm, &o.arm, "--arm-url"),
            (&mut c.graph, &o.graph, "--graph-url"),
            (&mut c.loganalytics, &o.loganalytics, "--loganalytics-url"),
            (&mut c.login, &o.login, "--login-url"),
        ] {
            if let Some(v) = value {
                *slot = normalize_base(v, flag)?;
            }
        }
        Ok(c)
    }

    /// The base URL requests of an audience go to.
    pub fn base(&self, audience: Audience) -> &str {
        match audience {
            Audience::Arm => &self.arm,
            Audience::Graph => &self.graph,
            Audience::LogAnalytics => &self.loganalytics,
        }
    }

    /// The OAuth scope of a token for an audience.
    pub fn scope(&self, audience: Audience) -> &str {
        match audience {
            Audience::Arm => &self.arm_scope,
            Audience::Graph => &self.graph_scope,
            Audience::LogAnalytics => &self.loganalytics_scope,
        }
    }
}

fn normalize_base(value: &str, flag: &str) -> Result<String, CollectError> {
    let v = value.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(v)
        .map_err(|e| CollectError::Config(format!("{flag} {value:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(CollectError::Config(format!(
            "{flag} {value:?} must be an absolute http(s) URL"
        )));
    }
    Ok(v.to_string())
}

/// Scheme, host and port of a URL: a `nextLink` is followed only when its origin is the one
/// the first request went to, so a bearer token is never sent to a host a response named.
pub fn origin(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    Some(u.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_clouds_have_distinct_hosts_and_scopes() {
        let p = Cloud::named(CloudName::Public);
        let g = Cloud::named(CloudName::UsGov);
        let c = Cloud::named(CloudName::China);
        assert_eq!(p.arm_scope, "https://management.azure.com/.default");
        assert_eq!(p.loganalytics_scope, "https://api.loganalytics.io/.default");
        assert_eq!(g.graph, "https://graph.microsoft.us");
        assert_eq!(c.login, "https://login.chinacloudapi.cn");
        assert_ne!(p.arm, g.arm);
        assert_ne!(g.arm, c.arm);
    }

    #[test]
    fn overrides_replace_endpoints_not_scopes() {
        let o = Overrides {
            arm: Some("http://127.0.0.1:8080/".into()),
            ..Overrides::default()
        };
        let c = Cloud::with_overrides(CloudName::Public, &o).unwrap();
        assert_eq!(c.arm, "http://127.0.0.1:8080");
        assert_eq!(c.arm_scope, "https://management.azure.com/.default");
        let bad = Overrides {
            graph: Some("not a url".into()),
            ..Overrides::default()
        };
        assert!(Cloud::with_overrides(CloudName::Public, &bad).is_err());
        let ftp = Overrides {
            login: Some("ftp://x".into()),
            ..Overrides::default()
        };
        assert!(Cloud::with_overrides(CloudName::Public, &ftp).is_err());
    }

    #[test]
    fn origin_compares_scheme_host_port() {
        assert_eq!(
            origin("https://management.azure.com/x?y=1"),
            origin("https://management.azure.com/other")
        );
        assert_ne!(
            origin("http://127.0.0.1:1/a"),
            origin("http://127.0.0.1:2/a")
        );
        assert_eq!(origin("nonsense"), None);
    }
}
