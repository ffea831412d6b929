//! `azhunt collect`: flags → an `azhunt_collect` plan, a token provider and a run; the run's
//! outcome → a report on stderr and the exit code (0 complete, 1 incomplete, 2 error).

use anyhow::{Context, Result, bail};
use azhunt_collect::auth::{EnvTokens, IdentityKind, IdentityTokens, TokenProvider};
use azhunt_collect::cloud::{Cloud, CloudName, Overrides};
use azhunt_collect::graph::SignInKind;
use azhunt_collect::http::RetryPolicy;
use azhunt_collect::plan::{Plan, Source};
use azhunt_collect::window::parse_duration;
use azhunt_collect::{Options, SharedRuntime, collect, new_runtime};
use clap::ValueEnum;
use jiff::Timestamp;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum CloudArg {
    Public,
    Usgov,
    China,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// AZHUNT_ACCESS_TOKEN if set, else the service-principal variables, workload identity,
    /// managed identity (IDENTITY_ENDPOINT / MSI_ENDPOINT set), else the Azure CLI.
    Auto,
    /// A bearer token in AZHUNT_ACCESS_TOKEN (or AZHUNT_ARM_TOKEN / _GRAPH_ / _LOGANALYTICS_TOKEN).
    Env,
    /// `az login`.
    Cli,
    /// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
    Secret,
    /// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_CERTIFICATE_PATH (PKCS#12) [, _PASSWORD].
    Certificate,
    /// Managed identity (AZURE_CLIENT_ID selects a user-assigned one).
    ManagedIdentity,
    /// AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID, AZURE_CLIENT_ID.
    WorkloadIdentity,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum EntraLog {
    /// directoryAudits.
    Audit,
    /// signIns of the --signin-kinds.
    Signins,
}

#[derive(clap::Args)]
pub struct CollectArgs {
    /// Output directory: new or empty; with --resume, the collection to continue.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// Continue an interrupted or incomplete collection in DIR (its range and scopes are kept).
    #[arg(long)]
    pub resume: bool,
    /// Activity Log of these subscriptions (`all`: every one GET /subscriptions lists) [default:
    /// all, when no other source is chosen].
    #[arg(long, value_name = "ID", value_delimiter = ',', num_args = 1..)]
    pub subscription: Vec<String>,
    /// Activity Log of these management groups.
    #[arg(long = "management-group", value_name = "ID", value_delimiter = ',', num_args = 1..)]
    pub management_group: Vec<String>,
    /// Tenant-level Activity Log ("Directory Activity": elevate access, root-scope role assignments).
    #[arg(long)]
    pub tenant: bool,
    /// Log Analytics workspace id(s) to run --kql on.
    #[arg(long, value_name = "ID", value_delimiter = ',', num_args = 1..)]
    pub workspace: Vec<String>,
    /// The KQL query for --workspace, or @FILE to read it from a file.
    #[arg(long, value_name = "QUERY|@FILE")]
    pub kql: Option<String>,
    /// Entra logs over Microsoft Graph.
    #[arg(long, value_enum, value_name = "LOG", value_delimiter = ',', num_args = 1..)]
    pub entra: Vec<EntraLog>,
    /// Sign-in kinds for `--entra signins`: interactive, non-interactive, service-principal, managed-identity.
    #[arg(
        long = "signin-kinds",
        value_name = "KIND",
        value_delimiter = ',',
        default_value = "interactive,non-interactive,service-principal,managed-identity"
    )]
    pub signin_kinds: Vec<String>,
    /// Start of the range (RFC 3339, or relative to now: 90d, 12h).
    #[arg(long, value_name = "T", default_value = "90d")]
    pub since: String,
    /// End of the range [default: now].
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// Activity Log server-side filter `resourceProvider eq NS` (e.g. Microsoft.ContainerService).
    #[arg(long = "resource-provider", value_name = "NS")]
    pub resource_provider: Option<String>,
    /// Window length (shrunk automatically when throttled, slow or too large): 1d, 6h, 30m.
    #[arg(long, value_name = "DURATION", default_value = "1d")]
    pub window: String,
    /// The Azure cloud.
    #[arg(long, value_enum, default_value_t = CloudArg::Public)]
    pub cloud: CloudArg,
    /// Override the Resource Manager endpoint.
    #[arg(long = "arm-url", value_name = "URL")]
    pub arm_url: Option<String>,
    /// Override the Microsoft Graph endpoint.
    #[arg(long = "graph-url", value_name = "URL")]
    pub graph_url: Option<String>,
    /// Override the Log Analytics query endpoint.
    #[arg(long = "loganalytics-url", value_name = "URL")]
    pub loganalytics_url: Option<String>,
    /// Override the Entra ID authority (token endpoint) host.
    #[arg(long = "login-url", value_name = "URL")]
    pub login_url: Option<String>,
    /// How to get tokens.
    #[arg(long, value_enum, default_value_t = AuthArg::Auto)]
    pub auth: AuthArg,
    /// Do not draw progress bars (they are drawn only when stderr is a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Attempts per request before a scope is marked failed.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_attempts: u32,
    /// Longest exponential-backoff delay, in milliseconds (Retry-After is honoured regardless).
    #[arg(long, default_value_t = 60_000, value_name = "MS", hide = true)]
    pub max_backoff_ms: u64,
}

fn read_query(kql: &str) -> Result<String> {
    match kql.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading --kql file {path}"))
        }
        None => Ok(kql.to_string()),
    }
}

fn build_plan(args: &CollectArgs, now: Timestamp) -> Result<Plan> {
    let since = crate::timeline::parse_bound(&args.since, now).context("--since")?;
    let until = match &args.until {
        Some(u) => crate::timeline::parse_bound(u, now).context("--until")?,
        None => now,
    };
    if since >= until {
        bail!("--since must be before --until");
    }
    let window = parse_duration(&args.window)
        .with_context(|| format!("--window {:?}: use e.g. 1d, 6h, 30m", args.window))?;
    if !args.workspace.is_empty() && args.kql.is_none() {
        bail!("--workspace needs --kql QUERY or --kql @FILE");
    }
    if args.kql.is_some() && args.workspace.is_empty() {
        bail!("--kql needs --workspace ID");
    }
    let mut kinds = Vec::new();
    for k in &args.signin_kinds {
        let kind = SignInKind::parse(k).with_context(|| {
            format!("--signin-kinds: {k:?} is not interactive, non-interactive, service-principal or managed-identity")
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let nothing_chosen = args.subscription.is_empty()
        && args.management_group.is_empty()
        && !args.tenant
        && args.workspace.is_empty()
        && args.entra.is_empty();
    let all_subscriptions = nothing_chosen
        || args
            .subscription
            .iter()
            .any(|s| s.eq_ignore_ascii_case("all"));
    let mut sources = Vec::new();
    for s in args
        .subscription
        .iter()
        .filter(|s| !s.eq_ignore_ascii_case("all"))
    {
        sources.push(Source::ActivitySubscription {
            subscription: s.trim().to_string(),
        });
    }
    for m in &args.management_group {
        sources.push(Source::ActivityManagementGroup {
            management_group: m.trim().to_string(),
        });
    }
    if args.tenant {
        sources.push(Source::ActivityTenant);
    }
    if let Some(kql) = &args.kql {
        let query = read_query(kql)?;
        for w in &args.workspace {
            sources.push(Source::LogAnalytics {
                workspace: w.trim().to_string(),
                query: query.clone(),
            });
        }
    }
    if args.entra.contains(&EntraLog::Audit) {
        sources.push(Source::EntraAudit);
    }
    if args.entra.contains(&EntraLog::Signins) {
        sources.extend(kinds.into_iter().map(|kind| Source::EntraSignIns { kind }));
    }
    Ok(Plan {
        since,
        until,
        window_secs: window.as_secs(),
        min_window_secs: 60.min(window.as_secs()),
        resource_provider: args.resource_provider.clone(),
        all_subscriptions,
        sources,
    })
}

fn tokens(auth: AuthArg, cloud: &Cloud, rt: &SharedRuntime) -> Result<Box<dyn TokenProvider>> {
    let identity = |kind: IdentityKind| -> Result<Box<dyn TokenProvider>> {
        Ok(Box::new(IdentityTokens::new(
            kind,
            cloud,
            std::sync::Arc::clone(rt),
        )?))
    };
    match auth {
        AuthArg::Env => match EnvTokens::from_env() {
            Some(t) => Ok(Box::new(t)),
            None => bail!(
                "--auth env: set AZHUNT_ACCESS_TOKEN (or AZHUNT_ARM_TOKEN, AZHUNT_GRAPH_TOKEN, AZHUNT_LOGANALYTICS_TOKEN)"
            ),
        },
        AuthArg::Auto => match EnvTokens::from_env() {
            Some(t) => Ok(Box::new(t)),
            None => identity(IdentityKind::detect()),
        },
        AuthArg::Cli => identity(IdentityKind::AzureCli),
        AuthArg::Secret => identity(IdentityKind::ClientSecret),
        AuthArg::Certificate => identity(IdentityKind::ClientCertificate),
        AuthArg::ManagedIdentity => identity(IdentityKind::ManagedIdentity),
        AuthArg::WorkloadIdentity => identity(IdentityKind::WorkloadIdentity),
    }
}

pub fn run(args: CollectArgs) -> Result<ExitCode> {
    let name = match args.cloud {
        CloudArg::Public => CloudName::Public,
        CloudArg::Usgov => CloudName::UsGov,
        CloudArg::China => CloudName::China,
    };
    let overrides = Overrides {
        arm: args.arm_url.clone(),
        graph: args.graph_url.clone(),
        loganalytics: args.loganalytics_url.clone(),
        login: args.login_url.clone(),
    };
    let cloud = Cloud::with_overrides(name, &overrides)?;
    let plan = build_plan(&args, Timestamp::now())?;
    let runtime = new_runtime()?;
    let provider = tokens(args.auth, &cloud, &runtime)?;
    let mut opts = Options::new(args.output.clone(), plan, cloud);
    opts.resume = args.resume;
    opts.progress = !args.no_progress && std::io::stderr().is_terminal();
    opts.retry = RetryPolicy {
        max_attempts: args.max_attempts.max(1),
        max_backoff: Duration::from_millis(args.max_backoff_ms),
        base_delay: Duration::from_millis(500.min(args.max_backoff_ms)),
        ..RetryPolicy::default()
    };
    if args.resume {
        eprintln!(
            "azhunt: resuming {} (range and scopes from its checkpoint)",
            args.output.display()
        );
    }
    let s = collect(opts, runtime, provider)?;
    if s.already_complete {
        eprintln!(
            "azhunt: {} is already a complete collection; nothing to do",
            s.dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{:<11} {:>9}  scope", "status", "events");
    for sc in &s.scopes {
        let note = sc
            .message
            .as_deref()
            .map(|m| format!(" — {m}"))
            .unwrap_or_default();
        eprintln!(
            "{:<11} {:>9}  {}{note}",
            sc.status.as_str(),
            sc.events,
            sc.target
        );
    }
    for w in &s.warnings {
        eprintln!("azhunt: warning: {w}");
    }
    let manifest = s.dir.join("manifest.json");
    eprintln!(
        "azhunt: {} events, {} requests; manifest {} sha256 {}",
        s.events,
        s.requests,
        manifest.display(),
        s.manifest_sha256
    );
    if s.complete {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "azhunt: the collection is INCOMPLETE (see the scopes above); fix access or wait, then run again with --resume"
        );
        Ok(ExitCode::from(1))
    }
}
