//! Tokens: where they come from, per audience, and how they are renewed after a 401.
//!
//! A collection talks to three services with three audiences (ARM, Graph, Log Analytics), so a
//! provider hands out one token per audience. Two kinds exist:
//!
//! - [`EnvTokens`]: a bearer token handed over in `AZHUNT_ACCESS_TOKEN` (or per audience in
//!   `AZHUNT_ARM_TOKEN`, `AZHUNT_GRAPH_TOKEN`, `AZHUNT_LOGANALYTICS_TOKEN`). It cannot be
//!   renewed: a 401 ends the scope with a message telling the user to hand over a fresh token
//!   and `--resume`.
//! - [`IdentityTokens`]: an `azure_identity` credential (Azure CLI, client secret, client
//!   certificate, managed identity, workload identity). `azure_identity` caches tokens and
//!   renews them five minutes before expiry; after a 401 (a revoked or clock-skewed token) the
//!   credential is built anew, which drops its cache, and asked again.
//!
//! Tokens are wrapped in [`Token`], whose `Debug` prints nothing of the value, so they cannot
//! reach a log by accident. Only the claims that identify the principal (`oid`, `appid`, `tid`,
//! `upn`) are ever read out of a token, for the manifest.

use crate::cloud::{Audience, Cloud};
use crate::error::{AuthError, redact};
use azure_core::credentials::TokenCredential;
use base64::Engine;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A bearer token. Its value is only reachable through [`Token::secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Token {
        Token(value.into())
    }
    /// The value, for the `Authorization` header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([REDACTED])")
    }
}

/// Hands out a token per audience.
pub trait TokenProvider: Send {
    /// The method's name for messages and the manifest (`env`, `cli`, `secret`, …).
    fn method(&self) -> &'static str;
    /// A token for `audience`; `refresh` asks for a different one than last time, after the
    /// service answered 401.
    fn token(&mut self, audience: Audience, refresh: bool) -> Result<Token, AuthError>;
}

/// Who the collection ran as, read from the claims of a token (never the token itself).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Principal {
    /// The auth method used.
    pub auth_method: String,
    /// Object id (`oid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// Application (client) id (`appid` or `azp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Tenant id (`tid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// User principal name (`upn`, `unique_name`), for delegated tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// Identity type (`idtyp`: `user` or `app`), when the token says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
}

impl Principal {
    /// Reads the identifying claims of a JWT without verifying it (it is only ever our own
    /// token, and only names are taken). A token that is not a JWT gives an empty principal.
    pub fn from_token(method: &str, token: &Token) -> Principal {
        let mut p = Principal {
            auth_method: method.to_string(),
            ..Principal::default()
        };
        let Some(claims) = jwt_claims(token.secret()) else {
            return p;
        };
        let get = |k: &str| {
            claims
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        p.object_id = get("oid");
        p.app_id = get("appid").or_else(|| get("azp"));
        p.tenant_id = get("tid");
        p.upn = get("upn").or_else(|| get("unique_name"));
        p.identity_type = get("idtyp");
        p
    }
}

/// The payload of a JWT as a JSON object, or `None` when `token` is not one.
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The environment variable holding a token for every audience.
pub const ACCESS_TOKEN_VAR: &str = "AZHUNT_ACCESS_TOKEN";

/// The per-audience variable that overrides [`ACCESS_TOKEN_VAR`].
pub fn audience_var(a: Audience) -> &'static str {
    match a {
        Audience::Arm => "AZHUNT_ARM_TOKEN",
        Audience::Graph => "AZHUNT_GRAPH_TOKEN",
        Audience::LogAnalytics => "AZHUNT_LOGANALYTICS_TOKEN",
    }
}

/// Bearer tokens handed over in environment variables.
pub struct EnvTokens {
    all: Option<Token>,
    per: BTreeMap<Audience, Token>,
}

impl EnvTokens {
    /// Reads `AZHUNT_ACCESS_TOKEN` and the per-audience variables; `None` when none is set.
    pub fn from_env() -> Option<EnvTokens> {
        let read = |k: &str| {
            std::env::var(k)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .map(Token)
        };
        let all = read(ACCESS_TOKEN_VAR);
        let per: BTreeMap<_, _> = [Audience::Arm, Audience::Graph, Audience::LogAnalytics]
            .into_iter()
            .filter_map(|a| read(audience_var(a)).map(|t| (a, t)))
            .collect();
        (all.is_some() || !per.is_empty()).then_some(EnvTokens { all, per })
    }

    /// The same token for every audience (tests, hand-offs).
    pub fn single(token: Token) -> EnvTokens {
        EnvTokens {
            all: Some(token),
            per: BTreeMap::new(),
        }
    }
}

impl TokenProvider for EnvTokens {
    fn method(&self) -> &'static str {
        "env"
    }
    fn token(&mut self, audience: Audience, refresh: bool) -> Result<Token, AuthError> {
        if refresh {
            return Err(AuthError::CannotRefresh {
                method: "env",
                audience: audience.as_str(),
                hint: "; set a fresh token in the environment and run again with --resume",
            });
        }
        self.per
            .get(&audience)
            .or(self.all.as_ref())
            .cloned()
            .ok_or_else(|| AuthError::Unavailable {
                method: "env",
                detail: format!(
                    "no token for {} (set {ACCESS_TOKEN_VAR} or {})",
                    audience.as_str(),
                    audience_var(audience)
                ),
            })
    }
}

/// Which `azure_identity` credential to build.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    /// `az login` (AzureCliCredential).
    AzureCli,
    /// `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`.
    ClientSecret,
    /// `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_CERTIFICATE_PATH` (PKCS#12) and
    /// optionally `AZURE_CLIENT_CERTIFICATE_PASSWORD`.
    ClientCertificate,
    /// IMDS / App Service managed identity; `AZURE_CLIENT_ID` picks a user-assigned identity.
    ManagedIdentity,
    /// Federated token file (`AZURE_FEDERATED_TOKEN_FILE`) with `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`.
    WorkloadIdentity,
}

impl IdentityKind {
    /// The method's name.
    pub fn name(self) -> &'static str {
        match self {
            IdentityKind::AzureCli => "cli",
            IdentityKind::ClientSecret => "secret",
            IdentityKind::ClientCertificate => "certificate",
            IdentityKind::ManagedIdentity => "managed-identity",
            IdentityKind::WorkloadIdentity => "workload-identity",
        }
    }

    /// The method `auto` picks from the environment: a token hand-over first, then the
    /// service-principal variables, workload identity, managed identity where its endpoint
    /// variables are set, and the Azure CLI last.
    pub fn detect() -> IdentityKind {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        if set("AZURE_CLIENT_SECRET") {
            IdentityKind::ClientSecret
        } else if set("AZURE_CLIENT_CERTIFICATE_PATH") {
            IdentityKind::ClientCertificate
        } else if set("AZURE_FEDERATED_TOKEN_FILE") {
            IdentityKind::WorkloadIdentity
        } else if set("IDENTITY_ENDPOINT") || set("MSI_ENDPOINT") {
            IdentityKind::ManagedIdentity
        } else {
            IdentityKind::AzureCli
        }
    }
}

/// Tokens from an `azure_identity` credential, driven on a Tokio runtime.
pub struct IdentityTokens {
    kind: IdentityKind,
    cloud: Cloud,
    runtime: Arc<tokio::runtime::Runtime>,
    credential: Arc<dyn TokenCredential>,
    last: BTreeMap<Audience, Token>,
}

impl IdentityTokens {
    /// Builds the credential (reading its `AZURE_*` variables now, so a missing one is
    /// reported before any request).
    pub fn new(
        kind: IdentityKind,
        cloud: &Cloud,
        runtime: Arc<tokio::runtime::Runtime>,
    ) -> Result<IdentityTokens, AuthError> {
        let credential = build_credential(kind, cloud)?;
        Ok(IdentityTokens {
            kind,
            cloud: cloud.clone(),
            runtime,
            credential,
            last: BTreeMap::new(),
        })
    }
}

impl TokenProvider for IdentityTokens {
    fn method(&self) -> &'static str {
        self.kind.name()
    }
    fn token(&mut self, audience: Audience, refresh: bool) -> Result<Token, AuthError> {
        let method = self.kind.name();
        if refresh {
            // azure_identity has no "bypass the cache" call: a new credential has an empty cache.
            self.credential = build_credential(self.kind, &self.cloud)?;
        }
        let scope = self.cloud.scope(audience).to_string();
        let cred = Arc::clone(&self.credential);
        let got = self
            .runtime
            .block_on(async move { cred.get_token(&[scope.as_str()], None).await })
            .map_err(|e| AuthError::Failed {
                method,
                detail: redact(&e.to_string()),
            })?;
        let token = Token(got.token.secret().to_string());
        if refresh && self.last.get(&audience) == Some(&token) {
            return Err(AuthError::CannotRefresh {
                method,
                audience: audience.as_str(),
                hint: "; the credential returned the same token again",
            });
        }
        self.last.insert(audience, token.clone());
        Ok(token)
    }
}

fn env_var(method: &'static str, key: &str) -> Result<String, AuthError> {
    std::env::var(key)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| AuthError::Unavailable {
            method,
            detail: format!("{key} is not set"),
        })
}

fn client_options(cloud: &Cloud) -> azure_core::http::ClientOptions {
    use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
    let mut custom = CustomConfiguration::default();
    custom.authority_host = cloud.login.clone();
    azure_core::http::ClientOptions {
        cloud: Some(Arc::new(CloudConfiguration::from(custom))),
        ..Default::default()
    }
}

fn build_credential(
    kind: IdentityKind,
    cloud: &Cloud,
) -> Result<Arc<dyn TokenCredential>, AuthError> {
    let method = kind.name();
    let fail = |e: azure_core::Error| AuthError::Failed {
        method,
        detail: redact(&e.to_string()),
    };
    match kind {
        IdentityKind::AzureCli => {
            let options = azure_identity::AzureCliCredentialOptions {
                tenant_id: std::env::var("AZURE_TENANT_ID")
                    .ok()
                    .filter(|t| !t.is_empty()),
                ..Default::default()
            };
            let c: Arc<dyn TokenCredential> =
                azure_identity::AzureCliCredential::new(Some(options)).map_err(fail)?;
            Ok(c)
        }
        IdentityKind::ClientSecret => {
            let tenant = env_var(method, "AZURE_TENANT_ID")?;
            let client = env_var(method, "AZURE_CLIENT_ID")?;
            let secret = env_var(method, "AZURE_CLIENT_SECRET")?;
            let options = azure_identity::ClientSecretCredentialOptions {
                client_options: client_options(cloud),
            };
            let c: Arc<dyn TokenCredential> = azure_identity::ClientSecretCredential::new(
                &tenant,
                client,
                secret.into(),
                Some(options),
            )
            .map_err(fail)?;
            Ok(c)
        }
        IdentityKind::ClientCertificate => certificate_credential(cloud),
        IdentityKind::ManagedIdentity => {
            let user_assigned = std::env::var("AZURE_CLIENT_ID")
                .ok()
                .filter(|v| !v.is_empty())
                .map(azure_identity::UserAssignedId::ClientId);
            let options = azure_identity::ManagedIdentityCredentialOptions {
                user_assigned_id: user_assigned,
                ..Default::default()
            };
            let c: Arc<dyn TokenCredential> =
                azure_identity::ManagedIdentityCredential::new(Some(options)).map_err(fail)?;
            Ok(c)
        }
        IdentityKind::WorkloadIdentity => {
            let mut options = azure_identity::WorkloadIdentityCredentialOptions::default();
            options.credential_options.client_options = client_options(cloud);
            let c: Arc<dyn TokenCredential> =
                azure_identity::WorkloadIdentityCredential::new(Some(options)).map_err(fail)?;
            Ok(c)
        }
    }
}

#[cfg(feature = "client-certificate")]
fn certificate_credential(cloud: &Cloud) -> Result<Arc<dyn TokenCredential>, AuthError> {
    let method = "certificate";
    let tenant = env_var(method, "AZURE_TENANT_ID")?;
    let client = env_var(method, "AZURE_CLIENT_ID")?;
    let path = env_var(method, "AZURE_CLIENT_CERTIFICATE_PATH")?;
    let bytes = std::fs::read(&path).map_err(|e| AuthError::Unavailable {
        method,
        detail: format!("reading AZURE_CLIENT_CERTIFICATE_PATH {path}: {e}"),
    })?;
    let options = azure_identity::ClientCertificateCredentialOptions {
        client_options: client_options(cloud),
        password: std::env::var("AZURE_CLIENT_CERTIFICATE_PASSWORD")
            .ok()
            .map(Into::into),
    };
    let c: Arc<dyn TokenCredential> = azure_identity::ClientCertificateCredential::new(
        tenant,
        client,
        bytes.into(),
        Some(options),
    )
    .map_err(|e| AuthError::Failed {
        method,
        detail: redact(&e.to_string()),
    })?;
    Ok(c)
}

#[cfg(not(feature = "client-certificate"))]
fn certificate_credential(_cloud: &Cloud) -> Result<Arc<dyn TokenCredential>, AuthError> {
    Err(AuthError::Unavailable {
        method: "certificate",
        detail: "this azhunt was built without the `client-certificate` feature (azure_identity \
parses PKCS#12 with OpenSSL); rebuild with `cargo build --features azhunt/client-certificate`, \
or sign in with `az login --service-principal --certificate …` and use --auth cli"
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> Token {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        Token(format!(
            "{}.{}.sig",
            e.encode(r#"{"alg":"none"}"#),
            e.encode(payload)
        ))
    }

    #[test]
    fn principal_from_claims_never_the_token() {
        let t = jwt(r#"{"oid":"o-1","appid":"a-1","tid":"t-1","idtyp":"app"}"#);
        let p = Principal::from_token("env", &t);
        assert_eq!(p.object_id.as_deref(), Some("o-1"));
        assert_eq!(p.app_id.as_deref(), Some("a-1"));
        assert_eq!(p.tenant_id.as_deref(), Some("t-1"));
        let text = serde_json::to_string(&p).unwrap();
        assert!(!text.contains(t.secret()));
        assert_eq!(format!("{t:?}"), "Token([REDACTED])");
        let opaque = Principal::from_token("env", &Token::new("opaque"));
        assert_eq!(opaque.object_id, None);
        let azp = Principal::from_token("env", &jwt(r#"{"azp":"a-2","upn":"u@x"}"#));
        assert_eq!(azp.app_id.as_deref(), Some("a-2"));
        assert_eq!(azp.upn.as_deref(), Some("u@x"));
    }

    #[test]
    fn env_tokens_per_audience_and_no_refresh() {
        let mut e = EnvTokens {
            all: Some(Token::new("all")),
            per: [(Audience::Graph, Token::new("g"))].into_iter().collect(),
        };
        assert_eq!(e.token(Audience::Arm, false).unwrap().secret(), "all");
        assert_eq!(e.token(Audience::Graph, false).unwrap().secret(), "g");
        assert!(matches!(
            e.token(Audience::Arm, true),
            Err(AuthError::CannotRefresh { .. })
        ));
        let mut none = EnvTokens {
            all: None,
            per: BTreeMap::new(),
        };
        assert!(none.token(Audience::LogAnalytics, false).is_err());
    }

    proptest::proptest! {
        #[test]
        fn claims_parser_never_panics(s in ".{0,200}") {
            let _ = jwt_claims(&s);
            let _ = Principal::from_token("x", &Token::new(s));
        }
    }
}
