//! `azhunt timeline`: every event, in time order.

use crate::cli::{TimelineArgs, TimelineFormat};
use crate::read_opts::{Reporter, check_output_path, read};
use anyhow::{Context, Result, bail};
use azhunt_report::sort::Sorter;
use azhunt_report::timeline::ordered::write_in_order;
use azhunt_report::timeline::{Format, Row, RowOptions, encode, header};
use jiff::Timestamp;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Parses `--since` / `--until`: any timestamp azhunt reads, or `N` + `d`/`h`/`m` before now.
pub fn parse_bound(text: &str, now: Timestamp) -> Result<Timestamp> {
    let t = text.trim();
    if let Some(p) = azhunt_model::time::parse_time(t) {
        return Ok(p.ts);
    }
    let secs = duration_secs(t).with_context(|| {
        format!(
            "not a time or a relative duration: {text:?} (use e.g. 2026-11-13T00:00:00Z or 30d)"
        )
    })?;
    now.checked_sub(jiff::SignedDuration::from_secs(secs))
        .with_context(|| format!("{text:?} is out of range"))
}

/// Seconds of a duration written `N` + `d`/`h`/`m`/`s` (`30d`, `6h`).
pub fn duration_secs(text: &str) -> Result<i64> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.len().saturating_sub(1));
    let n: i64 = num
        .parse()
        .with_context(|| format!("not a duration: {text:?} (use e.g. 30m, 6h, 2d)"))?;
    let per = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => bail!("not a duration: {text:?} (use e.g. 30m, 6h, 2d)"),
    };
    n.checked_mul(per)
        .filter(|s| *s >= 0)
        .with_context(|| format!("duration {text:?} is out of range"))
}

pub fn run(args: TimelineArgs) -> Result<ExitCode> {
    let now = Timestamp::now();
    let since = args
        .since
        .as_deref()
        .map(|s| parse_bound(s, now))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| parse_bound(s, now))
        .transpose()?;
    if let Some(out) = &args.output {
        check_output_path(out, &args.read.paths)?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        Some(TimelineFormat::Jsonl) => Format::Jsonl,
        Some(TimelineFormat::Csv) => Format::Csv,
        Some(TimelineFormat::Table) => Format::Table,
        None if to_terminal => Format::Table,
        None => Format::Jsonl,
    };
    let opts = RowOptions {
        format,
        raw: args.raw,
    };
    let mut reporter = Reporter::new(&args.read)?;
    let mut sorter = Sorter::new(args.sort_memory.max(1) << 20);
    let (mut seq, mut filtered) = (0u64, 0u64);
    let mut error: Option<std::io::Error> = None;
    let map = |e: &azhunt_model::Event, _json: Option<&[u8]>| {
        if since.is_some_and(|s| e.time < s) || until.is_some_and(|u| e.time >= u) {
            return None;
        }
        Some(encode(e, opts))
    };
    let accept = |row: Option<Row>| {
        let Some(row) = row else {
            filtered += 1;
            return;
        };
        if let Err(e) = sorter.push(row.key(seq), &row.bytes) {
            error.get_or_insert(e);
        }
        seq += 1;
    };
    let summary = read(&args.read, &mut reporter, map, accept)?;
    if let Some(e) = error {
        return Err(e).context("ordering events (temporary files)");
    }
    let written = sorter.rows();
    let render_threads = azhunt_ingest::thread_count(args.read.threads);
    {
        let mut out: Box<dyn Write> = match &args.output {
            Some(p) => Box::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ),
            None => Box::new(std::io::stdout().lock()),
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut out);
        let result = out
            .write_all(&header(opts))
            .and_then(|()| write_in_order(sorter, opts, render_threads, &mut out))
            .and_then(|()| out.flush());
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Err(e) => return Err(e).context("writing timeline"),
        }
    }
    if !args.read.quiet {
        let window = if filtered > 0 {
            format!(" ({filtered} outside --since/--until)")
        } else {
            String::new()
        };
        eprintln!("azhunt: {written} events written{window}");
    }
    reporter.finish(&summary, &args.read)?;
    Ok(ExitCode::SUCCESS)
}
