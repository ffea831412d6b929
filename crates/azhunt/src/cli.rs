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
