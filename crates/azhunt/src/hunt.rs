//! `azhunt hunt`: detections over evidence.

use crate::cli::{HuntArgs, HuntFormat, LevelArg, RuleArgs};
use crate::read_opts::{Reporter, check_output_path, read_options};
use anyhow::{Context, Result, bail};
use azhunt_detect::stateful::StatefulConfig;
use azhunt_detect::{Hit, HuntOptions, Hunter, Level, LoadReport, Session};
use azhunt_ingest::{FileSummary, Reject, Sink, read_events};
use azhunt_report::detections::{DetectionFormat, HuntSummary, render};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

pub fn level(l: LevelArg) -> Level {
    match l {
        LevelArg::Informational => Level::Informational,
        LevelArg::Low => Level::Low,
        LevelArg::Medium => Level::Medium,
        LevelArg::High => Level::High,
        LevelArg::Critical => Level::Critical,
    }
}

/// Loads the rules `args` name, printing every load problem; errors in rule files named on the
/// command line stop the hunt (a hunt with silently missing rules would mislead).
pub fn load_hunter(args: &RuleArgs, options: HuntOptions, quiet: bool) -> Result<Hunter> {
    let options = HuntOptions {
        builtin: !args.no_builtin,
        rule_paths: args.rules.clone(),
        stateful: options.stateful && !args.no_builtin,
        ..options
    };
    for p in &args.rules {
        if !p.exists() {
            bail!("no such rule file or directory: {}", p.display());
        }
    }
    let (hunter, report) = Hunter::load(options);
    print_load_report(&report, quiet);
    if !report.errors.is_empty() {
        bail!(
            "{} rule(s) could not be loaded (see above); fix them or check with `azhunt rules validate`",
            report.errors.len()
        );
    }
    Ok(hunter)
}

pub fn print_load_report(report: &LoadReport, quiet: bool) {
    for e in &report.errors {
        eprintln!("azhunt: rule error: {e}");
    }
    if !quiet {
        for (path, title, why) in &report.unrouted {
            eprintln!("azhunt: rule not run: {path}: {title:?}: {why}");
        }
    }
}

struct HuntSink<'h> {
    session: Session<'h>,
    reporter: Reporter,
}

impl Sink<Option<Hit>> for HuntSink<'_> {
    fn accept(&mut self, hit: Option<Hit>) {
        self.session.events_seen += 1;
        if let Some(h) = hit {
            self.session.accept(h);
        }
    }
    fn reject(&mut self, r: &Reject) {
        self.reporter.reject(r);
    }
    fn note(&mut self, path: &str, text: &str) {
        self.reporter.note(path, text);
    }
    fn file_done(&mut self, f: &FileSummary) {
        self.reporter.file_done(f);
    }
}

pub fn run(args: HuntArgs) -> Result<ExitCode> {
    if let Some(out) = &args.output {
        check_output_path(out, &args.read.paths)?;
    }
    if !(args.travel_speed.is_finite() && args.travel_speed > 0.0) {
        bail!("--travel-speed must be a positive number of km/h");
    }
    let mut stateful_config = StatefulConfig::default();
    stateful_config.travel.max_kmh = args.travel_speed;
    let options = HuntOptions {
        stateful: !args.no_stateful,
        stateful_config,
        min_level: args.min_level.map(level),
        ..Default::default()
    };
    let hunter = load_hunter(&args.rules, options, args.read.quiet)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        Some(HuntFormat::Table) => DetectionFormat::Table,
        Some(HuntFormat::Jsonl) => DetectionFormat::Jsonl,
        Some(HuntFormat::Json) => DetectionFormat::Json,
        Some(HuntFormat::Csv) => DetectionFormat::Csv,
        None if to_terminal => DetectionFormat::Table,
        None => DetectionFormat::Jsonl,
    };
    let started = Instant::now();
    let mut sink = HuntSink {
        session: hunter.session(),
        reporter: Reporter::new(&args.read)?,
    };
    let map = |e: azhunt_model::Event| hunter.evaluate(&e);
    let summary = read_events(&args.read.paths, &read_options(&args.read), map, &mut sink)?;
    let HuntSink { session, reporter } = sink;
    let events = session.events_seen;
    let detections = session.finish();
    let seconds = started.elapsed().as_secs_f64();
    let use_colour = to_terminal && std::env::var_os("NO_COLOR").is_none();
    let bytes = render(&detections, format, use_colour);
    let written = match &args.output {
        Some(p) => std::fs::write(p, &bytes).with_context(|| format!("writing {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("writing detections")
                }
                _ => Ok(()),
            }
        }
    };
    written?;
    reporter.finish(&summary, &args.read)?;
    if !args.read.quiet {
        let text = HuntSummary::of(&detections).text(
            detections.len(),
            events,
            seconds,
            hunter.rule_count(),
        );
        if format == DetectionFormat::Table && args.output.is_none() {
            print!("{text}");
        } else {
            eprint!("{text}");
        }
    }
    let fail = args
        .fail_on
        .map(level)
        .is_some_and(|min| detections.iter().any(|d| d.level >= min));
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
