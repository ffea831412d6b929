//! `whois`, `summary`, `coverage` and `report`: one read of the evidence through
//! [`investigate`], then the books rendered.

use crate::cli::{
    CoverageArgs, ProfileRuleArgs, ReportArgs, ReportFormat, SummaryArgs, TextOrJson, WhoisArgs,
};
use crate::hunt::{load_hunter, stateful_config};
use crate::investigate::{Findings, investigate};
use crate::read_opts::{Reporter, check_output_path, write_output};
use crate::timeline::{duration_secs, parse_bound};
use anyhow::{Context, Result, bail};
use azhunt_detect::{HuntOptions, Hunter};
use azhunt_insight::{CoverageOptions, names_identity};
use std::path::PathBuf;
use std::process::ExitCode;

fn hunter(args: &ProfileRuleArgs, quiet: bool) -> Result<Hunter> {
    let options = HuntOptions {
        stateful: true,
        stateful_config: stateful_config(args.travel_speed)?,
        ..Default::default()
    };
    load_hunter(&args.rules, options, quiet, args.strict_rules)
}

fn json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = sonic_rs::to_vec_pretty(value).context("serializing")?;
    v.push(b'\n');
    Ok(v)
}

fn read_all(
    read: &crate::cli::ReadArgs,
    rules: Option<&ProfileRuleArgs>,
    keep_raw: usize,
) -> Result<(Findings, Reporter)> {
    let hunter = rules.map(|r| hunter(r, read.quiet)).transpose()?;
    let mut reporter = Reporter::new(read)?;
    let findings = investigate(read, &mut reporter, hunter.as_ref(), keep_raw)?;
    Ok((findings, reporter))
}

pub fn whois(args: WhoisArgs) -> Result<ExitCode> {
    if let Some(o) = &args.output {
        check_output_path(o, &args.read.paths)?;
    }
    let (mut f, reporter) = read_all(&args.read, Some(&args.rules), 0)?;
    reporter.finish(&f.summary, &args.read)?;
    let profiles = f.insight.profiles();
    let Some(p) = profiles
        .identities
        .iter()
        .find(|p| names_identity(p, &args.identity))
    else {
        let q = args.identity.trim().to_ascii_lowercase();
        let close: Vec<&str> = profiles
            .identities
            .iter()
            .filter(|p| {
                p.identity.to_ascii_lowercase().contains(&q)
                    || p.keys.iter().any(|k| k.contains(&q))
            })
            .map(|p| p.identity.as_str())
            .take(5)
            .collect();
        bail!(
            "no identity {:?} in the evidence{}",
            args.identity,
            if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean: {})", close.join(", "))
            }
        );
    };
    let text = match args.format {
        TextOrJson::Table => azhunt_report::profiles::whois_text(p).into_bytes(),
        TextOrJson::Json => json(p)?,
    };
    write_output(args.output.as_deref(), &text, "writing output")?;
    Ok(ExitCode::SUCCESS)
}

pub fn summary(args: SummaryArgs) -> Result<ExitCode> {
    if let Some(o) = &args.output {
        check_output_path(o, &args.read.paths)?;
    }
    let (mut f, reporter) = read_all(&args.read, Some(&args.rules), 0)?;
    reporter.finish(&f.summary, &args.read)?;
    let mut profiles = f.insight.profiles();
    let text = match args.format {
        TextOrJson::Table => {
            azhunt_report::profiles::summary_text(&profiles, args.top).into_bytes()
        }
        TextOrJson::Json => {
            profiles.identities.truncate(args.top);
            profiles.ips.truncate(args.top);
            json(&profiles)?
        }
    };
    write_output(args.output.as_deref(), &text, "writing output")?;
    Ok(ExitCode::SUCCESS)
}

fn coverage_options(
    gap: &str,
    since: Option<&str>,
    until: Option<&str>,
    collected: Option<&str>,
) -> Result<CoverageOptions> {
    let now = jiff::Timestamp::now();
    let ms = |t: Option<&str>| -> Result<Option<i64>> {
        t.map(|t| parse_bound(t, now).map(|ts| ts.as_millisecond()))
            .transpose()
    };
    let gap_ms = duration_secs(gap)?.saturating_mul(1000);
    if gap_ms <= 0 {
        bail!("--gap must be longer than zero");
    }
    Ok(CoverageOptions {
        gap_ms,
        since: ms(since)?,
        until: ms(until)?,
        collected_at: ms(collected)?,
    })
}

/// The requested period and start time of an `azhunt collect` output among the inputs.
#[derive(serde::Deserialize)]
struct CollectedPeriod {
    tool: String,
    started: String,
    since: String,
    until: String,
}

fn collected_period(paths: &[PathBuf]) -> Option<CollectedPeriod> {
    paths.iter().find_map(|p| {
        let text = std::fs::read(p.join("manifest.json")).ok()?;
        let m: CollectedPeriod = sonic_rs::from_slice(&text).ok()?;
        (m.tool == "azhunt").then_some(m)
    })
}

pub fn coverage(args: CoverageArgs) -> Result<ExitCode> {
    if let Some(o) = &args.output {
        check_output_path(o, &args.read.paths)?;
    }
    // An `azhunt collect` directory says which period was asked for and when it was fetched;
    // the flags override it.
    let manifest = collected_period(&args.read.paths);
    let pick = |flag: &Option<String>, from: fn(&CollectedPeriod) -> &String| {
        flag.clone()
            .or_else(|| manifest.as_ref().map(|m| from(m).clone()))
    };
    let opts = coverage_options(
        &args.gap,
        pick(&args.since, |m| &m.since).as_deref(),
        pick(&args.until, |m| &m.until).as_deref(),
        pick(&args.collected_at, |m| &m.started).as_deref(),
    )?;
    let (f, reporter) = read_all(&args.read, None, 0)?;
    reporter.finish(&f.summary, &args.read)?;
    let report = f.insight.coverage(&opts);
    let text = match args.format {
        TextOrJson::Table => azhunt_report::coverage_text::coverage_text(&report).into_bytes(),
        TextOrJson::Json => json(&report)?,
    };
    write_output(args.output.as_deref(), &text, "writing output")?;
    Ok(if args.fail_on_blockers && !report.blockers.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    check_output_path(&args.output, &args.read.paths)?;
    let opts = coverage_options(&args.gap, None, None, None)?;
    let (f, reporter) = read_all(&args.read, Some(&args.rules), args.max_detections)?;
    reporter.finish(&f.summary, &args.read)?;
    let data = crate::report_build::build(f, &args, &opts);
    let bytes = match args.format {
        ReportFormat::Html => azhunt_report::html::render(&data).into_bytes(),
        ReportFormat::Json => json(&data)?,
    };
    crate::read_opts::write_atomically(&args.output, &bytes)?;
    if !args.read.quiet {
        eprintln!(
            "azhunt: report written to {} ({} detections, {} identities, {} blockers)",
            args.output.display(),
            data.totals.total,
            data.identities.len(),
            data.coverage.blockers.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
