//! Command-line grammar.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "azhunt",
    version,
    about = "Azure control-plane forensics: who changed the control plane, from where, when — and was it an attack?",
    long_about = "azhunt reads Azure Activity Log (subscription, management group and tenant scope), Entra ID audit and \
sign-in logs, Key Vault and AKS resource logs in every export shape — REST/az JSON, diagnostic-settings archives \
(PT1H.json, Event Hub records), Log Analytics exports, Microsoft Graph JSON, portal and PowerShell CSV — detected from \
content, from files, directories, .gz, .zip or stdin, into one normalized, de-duplicated event stream."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Read evidence and print every event in time order, with per-file accounting.
    #[command(
        after_help = "Examples:\n  azhunt timeline examples/evidence\n  azhunt timeline --format jsonl -o timeline.jsonl case/\n  \
azhunt timeline --since 2026-11-13T00:00:00Z --until 2026-11-14T00:00:00Z --format csv -o day.csv case/\n  \
gunzip -c PT1H.json.gz | azhunt timeline -\n\nThe per-file table on stderr shows, for each file, records read = normalized + duplicates + rejected.\n\
Times are UTC; a time written without an offset is taken as UTC."
    )]
    Timeline(TimelineArgs),
    /// Hunt: run the built-in ATT&CK-mapped detections, SigmaHQ or your own Sigma rules, and the
    /// stateful detectors (impossible travel, first-seen IP, deletion bursts) over evidence.
    #[command(
        after_help = "Examples:\n  azhunt hunt examples/evidence\n  azhunt hunt --rules sigma/rules/cloud/azure --min-level medium case/\n  \
azhunt hunt --format jsonl -o detections.jsonl --fail-on high case/\n\nExit codes: 0 ok, 1 a detection at or above --fail-on was found, 2 error."
    )]
    Hunt(HuntArgs),
    /// Query: run KQL over local evidence presented as the Log Analytics tables AzureActivity,
    /// AuditLogs, SigninLogs (and AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
    /// AADManagedIdentitySignInLogs, ADFSSignInLogs).
    #[command(
        override_usage = "azhunt query [OPTIONS] QUERY PATH...\n       azhunt query [OPTIONS] -f FILE PATH...",
        after_help = "The first positional argument is the query unless -f gives a query file.\n\nExamples:\n  \
azhunt query --now 2026-11-16T00:00:00Z \"AzureActivity | where TimeGenerated > ago(7d) | summarize count() by Caller\" examples/evidence\n  \
azhunt query -f hunting.kql --format csv -o out.csv case/\n\n`--now` pins now() and ago(): an investigation runs weeks after the events."
    )]
    Query(QueryArgs),
    /// Inspect rules: `validate` loads rule files and names every one that fails; `list` shows what a hunt runs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Everything the evidence says about one identity (UPN, object id, app id or display name):
    /// kind, first and last seen, IPs and locations, operations, failures, privileged operations,
    /// sign-ins and detections.
    #[command(
        after_help = "Examples:\n  azhunt whois maria.lopez@fabrikam-logistics.com examples/evidence\n  \
azhunt whois --format json 7158ec18-6d09-586e-8577-bd5abbbbe529 case/"
    )]
    Whois(WhoisArgs),
    /// Rank identities and IP addresses: who and where most of the suspicious activity came from.
    #[command(
        after_help = "Identities rank by detections (a critical outweighs any number of lower ones), then privileged\n\
operations, failures and events; IPs by detections, identities and events.\n\nExample:\n  azhunt summary --top 10 examples/evidence"
    )]
    Summary(SummaryArgs),
    /// What the evidence covers and cannot show: time span, events per day and gaps per log source
    /// and scope, tampering with logging, and the investigation's blockers with what to collect next.
    #[command(after_help = "Examples:\n  azhunt coverage examples/evidence\n  \
azhunt coverage --since 2026-08-01T00:00:00Z --collected-at 2026-11-16T00:00:00Z --gap 6h --format json case/\n\n\
--since/--until give the investigation period: gaps at its edges and retention that expired before\n\
--collected-at (default: the latest event) are reported.")]
    Coverage(CoverageArgs),
    /// Write one self-contained HTML report (or its data as JSON): overview, detections with ATT&CK
    /// matrix, activity charts, identities and IPs, coverage and blockers.
    #[command(
        after_help = "Examples:\n  azhunt report examples/evidence -o report.html\n  azhunt report --format json -o report.json case/\n\n\
The HTML file needs no network when opened; every string from the evidence is shown as text."
    )]
    Report(ReportArgs),
    /// Collect: pull the Activity Log (subscription, management group, tenant), Log Analytics and
    /// Entra audit / sign-in logs from Azure into DIR, with raw pages, JSON Lines and a
    /// SHA-256 manifest; resumable.
    #[command(after_help = "Examples:
  azhunt collect -o case/ --since 30d                       # every subscription the principal can list
  azhunt collect -o case/ --subscription SUB1,SUB2 --management-group ROOT --tenant --entra audit,signins --since 30d
  azhunt collect -o case/ --workspace WS_ID --kql @azureactivity.kql --since 180d
  azhunt collect -o case/ --resume                          # continue after a crash or an incomplete run
  AZHUNT_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv) azhunt collect --auth env -o case/ --tenant

Exit codes: 0 complete, 1 finished but incomplete (a scope forbidden, unlicensed or failed; see the report), 2 error.
Then: azhunt verify case/ ; azhunt hunt case/events")]
    Collect(crate::collect::CollectArgs),
    /// Verify a collection: re-hash every file against DIR/manifest.json and report each missing,
    /// changed or extra file.
    #[command(after_help = "Example:
  azhunt verify case/

Exit codes: 0 verified, 1 a file differs, 2 error (no or unreadable manifest).")]
    Verify(crate::verify::VerifyArgs),
}

/// Rule selection and sign-in context shared by the commands that hunt as they profile.
#[derive(Args, Clone)]
pub struct ProfileRuleArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Fastest plausible travel between two sign-ins, km/h (impossible-travel detector).
    #[arg(long, default_value_t = 900.0, value_name = "KMH")]
    pub travel_speed: f64,
    /// Stop (exit 2) when any rule cannot be loaded.
    #[arg(long)]
    pub strict_rules: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Table,
    Json,
}

#[derive(Args)]
pub struct WhoisArgs {
    /// The identity: UPN, object id, app id or display name (case-insensitive).
    #[arg(value_name = "IDENTITY")]
    pub identity: String,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub rules: ProfileRuleArgs,
    #[arg(long, value_enum, default_value_t = TextOrJson::Table)]
    pub format: TextOrJson,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub rules: ProfileRuleArgs,
    /// Identities and IPs listed.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = TextOrJson::Table)]
    pub format: TextOrJson,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Report gaps longer than this (30m, 6h, 2d).
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub gap: String,
    /// Start of the investigation period (RFC 3339).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// End of the investigation period (RFC 3339).
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// When the evidence was collected (RFC 3339) [default: the latest event].
    #[arg(long, value_name = "T")]
    pub collected_at: Option<String>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Table)]
    pub format: TextOrJson,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when any blocker is found.
    #[arg(long)]
    pub fail_on_blockers: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub rules: ProfileRuleArgs,
    /// The report file to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// The report's title.
    #[arg(long, default_value = "azhunt investigation report")]
    pub title: String,
    /// Detections listed in full (most severe first); all are counted.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_detections: usize,
    /// Identities and IPs listed.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub top: usize,
    /// Hours of the caller's sign-ins before a detection shown as its context.
    #[arg(long, default_value_t = 24, value_name = "HOURS")]
    pub context_hours: u32,
    /// Coverage: report gaps longer than this (30m, 6h, 2d).
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub gap: String,
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Load every rule under PATH and report each file or rule that cannot be used, with the reason.
    Validate {
        /// Rule files or directories (searched recursively for .yml / .yaml).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the rules a hunt would run: the built-in pack and any --rules.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Args, Clone)]
pub struct RuleArgs {
    /// Extra Sigma rule file or directory (repeatable).
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in pack (or the stateful detectors).
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum LevelArg {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum QueryOutput {
    Table,
    Jsonl,
    Json,
    Csv,
}

#[derive(Args)]
pub struct QueryArgs {
    /// The query and the evidence: QUERY PATH... (or, with -f, PATH...).
    #[command(flatten)]
    pub read: ReadArgs,
    /// Read the query from FILE; then every positional argument is evidence.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The time now() and ago() count from (RFC 3339 or any time azhunt reads) [default: the clock].
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    pub format: Option<QueryOutput>,
    /// Write results to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum HuntFormat {
    Table,
    Jsonl,
    Json,
    Csv,
}

#[derive(Args)]
pub struct HuntArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report only detections at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_level: Option<LevelArg>,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    pub format: Option<HuntFormat>,
    /// Write detections to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a detection at or above LEVEL is found.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<LevelArg>,
    /// Fastest plausible travel between two sign-ins, km/h (impossible-travel detector).
    #[arg(long, default_value_t = 900.0, value_name = "KMH")]
    pub travel_speed: f64,
    /// Do not run the stateful detectors.
    #[arg(long)]
    pub no_stateful: bool,
    /// Memory for ordering detections, in MiB; beyond it sorted runs spill to temporary files.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub sort_memory: usize,
    /// Stop (exit 2) when any rule cannot be loaded, instead of warning and running the rest.
    #[arg(long)]
    pub strict_rules: bool,
    /// Also write an ATT&CK Navigator layer (JSON) of the techniques detected to FILE.
    #[arg(long, value_name = "FILE")]
    pub navigator: Option<std::path::PathBuf>,
    /// Hours of the caller's sign-ins before a detection attached as its context.
    #[arg(long, default_value_t = 24, value_name = "HOURS")]
    pub context_hours: u32,
    /// Do not attach sign-in context to detections.
    #[arg(long)]
    pub no_context: bool,
}

#[derive(Args, Clone)]
pub struct ReadArgs {
    /// Files, directories (read recursively), .gz / .zip archives, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read every record as this export family instead of detecting it.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Treat any rejected record or unreadable file as an error (exit 2) after reading everything.
    #[arg(long)]
    pub strict: bool,
    /// Write each rejected record, with its location and reason, as JSON Lines to FILE.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Write the per-file accounting as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// Do not print the per-file accounting table or warnings.
    #[arg(short, long)]
    pub quiet: bool,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Detect per file and per record.
    Auto,
    /// Activity Log as REST / az CLI / SDK / PowerShell objects.
    Rest,
    /// Diagnostic-settings records (PT1H.json, Event Hub records).
    Diagnostic,
    /// Log Analytics table rows (CSV, JSON, query API).
    LogAnalytics,
    /// Microsoft Graph directoryAudits / signIns.
    Graph,
    /// Azure portal Activity Log "Download as CSV".
    PortalCsv,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Jsonl,
    Csv,
    Table,
}

#[derive(Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    pub format: Option<TimelineFormat>,
    /// Only events at or after T (RFC 3339, or relative to now: 30d, 12h, 90m).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only events before T (RFC 3339, or relative to now).
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Include each event's original record (`raw`) in JSONL and CSV output.
    #[arg(long)]
    pub raw: bool,
    /// Memory for ordering events, in MiB; beyond it sorted runs spill to temporary files.
    #[arg(long, default_value_t = 128, value_name = "MIB")]
    pub sort_memory: usize,
}
