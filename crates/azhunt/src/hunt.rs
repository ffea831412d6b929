//! `azhunt hunt`: detections over evidence.

use crate::cli::{HuntArgs, HuntFormat, LevelArg, RuleArgs};
use crate::read_opts::{Reporter, check_output_path, read};
use anyhow::{Context, Result, bail};
use azhunt_detect::stateful::StatefulConfig;
use azhunt_detect::{DetectionView, History, Hit, HuntOptions, Hunter, Level, LoadReport};
use azhunt_insight::{ContextRequest, Insight, Keep, Observation};
use azhunt_report::detections::{
    DetectionFormat, DetectionWriter, RenderedRow, RuleFacts, Tally, render_row, rule_part,
};
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

/// Loads the rules `args` name and prints every load problem. Rules that cannot be loaded are
/// named with file and reason and the hunt goes on with the rest (a SigmaHQ checkout holds
/// placeholder rules no offline tool can run); `strict` turns any such problem into an error.
pub fn load_hunter(
    args: &RuleArgs,
    options: HuntOptions,
    quiet: bool,
    strict: bool,
) -> Result<Hunter> {
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
        if strict {
            bail!(
                "{} rule(s) could not be loaded (see above; --strict-rules makes this an error)",
                report.errors.len()
            );
        }
        eprintln!(
            "azhunt: warning: {} rule(s) could not be loaded and are not run (see above; `azhunt rules validate` checks rule files)",
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

/// What a worker hands the consumer: the rendered single-event detections of one event
/// (rule index, bytes), the encoded sign-in context request they share, the rest of the hit
/// for correlations and stateful detectors, and a sign-in's facts for the context book.
struct Found {
    hit: Option<Hit>,
    /// The event's nanoseconds since the epoch: the rows' sort key.
    nanos: i128,
    rows: Vec<(u32, RenderedRow)>,
    context: Option<Vec<u8>>,
    signin: Option<Observation>,
}

/// What a worker hands the consumer for one event: most events only teach the first-seen
/// detector an identity's IP (no rule matched, nothing else wants them), which needs no box.
enum Finding {
    History(History),
    Full(Box<Found>),
}

/// The stateful detectors' settings for `--travel-speed KMH`.
pub fn stateful_config(travel_speed: f64) -> Result<StatefulConfig> {
    if !(travel_speed.is_finite() && travel_speed > 0.0) {
        bail!("--travel-speed must be a positive number of km/h");
    }
    let mut config = StatefulConfig::default();
    config.travel.max_kmh = travel_speed;
    Ok(config)
}

pub fn run(args: HuntArgs) -> Result<ExitCode> {
    for out in args.output.iter().chain(args.navigator.iter()) {
        check_output_path(out, &args.read.paths)?;
    }
    let options = HuntOptions {
        stateful: !args.no_stateful,
        stateful_config: stateful_config(args.travel_speed)?,
        min_level: args.min_level.map(level),
        ..Default::default()
    };
    let hunter = load_hunter(&args.rules, options, args.read.quiet, args.strict_rules)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        Some(HuntFormat::Table) => DetectionFormat::Table,
        Some(HuntFormat::Jsonl) => DetectionFormat::Jsonl,
        Some(HuntFormat::Json) => DetectionFormat::Json,
        Some(HuntFormat::Csv) => DetectionFormat::Csv,
        None if to_terminal => DetectionFormat::Table,
        None => DetectionFormat::Jsonl,
    };
    let use_colour = to_terminal && std::env::var_os("NO_COLOR").is_none();
    let started = Instant::now();
    let mut reporter = Reporter::new(&args.read)?;
    let mut session = hunter.session();
    let mut writer = DetectionWriter::new(format, use_colour, args.sort_memory.max(1) << 20);
    // Each rule's part of a row, by rule index: rendered once here, put back on output.
    let parts: Vec<u32> = (0..hunter.rule_count())
        .map(
            |i| match u32::try_from(i).ok().and_then(|i| hunter.rule(i)) {
                Some(r) => writer.part_id(&rule_part(RuleFacts::from(r), format)),
                None => u32::MAX,
            },
        )
        .collect();
    let mut error: Option<std::io::Error> = None;
    let with_context = !args.no_context;
    let keep = Keep::SigninsOnly;
    let mut insight = Insight::new(keep);
    let map = |e: &azhunt_model::Event, json: Option<&[u8]>| {
        let signin = (with_context && keep.wants(e.log)).then(|| Observation::of(e));
        let mut hit = hunter.evaluate(e, json);
        if hit.is_none() && signin.is_none() {
            return None;
        }
        let rows: Vec<(u32, RenderedRow)> =
            match hit.as_ref().and_then(|h| Some((h, h.event.as_ref()?))) {
                Some((hit, ev)) => hunter
                    .reported(hit)
                    .map(|(i, r)| {
                        let row = render_row(&DetectionView::single(r, ev), format, use_colour);
                        (i, row)
                    })
                    .collect(),
                None => Vec::new(),
            };
        let context = (with_context && !rows.is_empty())
            .then(|| ContextRequest::bytes_for(e))
            .flatten();
        let nanos = hit
            .as_ref()
            .and_then(|h| h.event.as_ref())
            .map_or(0, |ev| ev.nanos);
        if let Some(h) = hit.as_mut() {
            hunter.release_event(h);
        }
        if signin.is_none()
            && let Some(history) = hit.as_ref().and_then(Hit::history_only)
        {
            return Some(Finding::History(history));
        }
        // Boxed: a hit and a sign-in observation are ~800 bytes, moved several times on the
        // way to the ordering thread.
        Some(Finding::Full(Box::new(Found {
            hit,
            nanos,
            rows,
            context,
            signin,
        })))
    };
    let accept = |finding: Option<Finding>| {
        // Read in place: moving the ~1 KB a worker built out of its box, then on into the
        // session, was a third of this thread's time.
        let found = match finding {
            None => return,
            Some(Finding::History(h)) => return session.accept_history(h),
            Some(Finding::Full(found)) => found,
        };
        if let Some(o) = &found.signin {
            insight.observe(o);
        }
        let Some(hit) = &found.hit else { return };
        let (nanos, context) = (found.nanos, found.context.as_deref());
        for &(i, ref row) in &found.rows {
            if let Some(r) = hunter.rule(i)
                && let Err(e) = writer.push(
                    Tally::from(r),
                    nanos,
                    row,
                    parts.get(i as usize).copied().unwrap_or(u32::MAX),
                    context,
                )
            {
                error.get_or_insert(e);
            }
        }
        session.accept(hit);
    };
    let summary = read(&args.read, &mut reporter, map, accept)?;
    if let Some(e) = error {
        return Err(e).context("ordering detections (temporary files)");
    }
    let events = summary.normalized();
    for d in session.finish() {
        let view = d.view();
        let row = render_row(&view, format, use_colour);
        let part = writer.part_id(&rule_part(RuleFacts::from(&view), format));
        let context = if with_context {
            ContextRequest::of_event(&d.event).map(|r| r.to_bytes())
        } else {
            None
        };
        writer
            .push(
                Tally::from(&d),
                d.event.nanos,
                &row,
                part,
                context.as_deref(),
            )
            .context("ordering detections (temporary files)")?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let counts = writer.summary.clone();
    {
        let mut out: Box<dyn Write> = match &args.output {
            Some(p) => Box::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ),
            None => Box::new(std::io::stdout().lock()),
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut out);
        let window = args.context_hours;
        let contexts = insight.contexts();
        let answer = |req: &ContextRequest| Some(contexts.signin_context(req, window));
        match writer
            .finish_with(&mut out, &answer)
            .and_then(|()| out.flush())
        {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(e).context("writing detections"),
        }
    }
    if let Some(p) = &args.navigator {
        let tool = concat!("azhunt ", env!("CARGO_PKG_VERSION"));
        let json = azhunt_report::navigator::layer(&counts, "azhunt hunt", tool);
        std::fs::write(p, json).with_context(|| format!("writing {}", p.display()))?;
    }
    reporter.finish(&summary, &args.read)?;
    if !args.read.quiet {
        let text = counts.text(events, seconds, hunter.rule_count());
        if format == DetectionFormat::Table && args.output.is_none() {
            print!("{text}");
        } else {
            eprint!("{text}");
        }
    }
    let fail = args
        .fail_on
        .map(level)
        .is_some_and(|min| counts.highest.is_some_and(|h| h >= min));
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
