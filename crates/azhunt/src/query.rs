//! `azhunt query`: KQL over local evidence, presented as the Log Analytics tables.

use crate::cli::{QueryArgs, QueryOutput};
use crate::read_opts::{Reporter, check_output_path, read, write_output};
use anyhow::{Context, Result, bail};
use azhunt_report::query::{QueryFormat, render};
use azhunt_tables::{
    ColumnSet, Item, Pushdown, QueryInput, reachable_columns, reachable_tables, row_with,
};
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(mut args: QueryArgs) -> Result<ExitCode> {
    let query = match &args.file {
        Some(f) => {
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?
        }
        None => {
            if args.read.paths.len() < 2 {
                bail!("give a query and at least one PATH (or -f FILE and PATH...)");
            }
            args.read.paths.remove(0).to_string_lossy().into_owned()
        }
    };
    // Fail on syntax before reading any evidence.
    let parsed = azhunt_kql::parse(&query).map_err(|e| anyhow::anyhow!("{}", e.render(&query)))?;
    let wanted = reachable_columns(&query, &parsed).map(ColumnSet::new);
    let tables = reachable_tables(&query);
    let now: jiff::Timestamp = match &args.now {
        Some(t) => azhunt_model::time::parse_time(t.trim())
            .map(|p| p.ts)
            .with_context(|| format!("--now: not a time: {t:?}"))?,
        None => jiff::Timestamp::now(),
    };
    if let Some(out) = &args.output {
        check_output_path(out, &args.read.paths)?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        Some(QueryOutput::Table) => QueryFormat::Table,
        Some(QueryOutput::Jsonl) => QueryFormat::Jsonl,
        Some(QueryOutput::Json) => QueryFormat::Json,
        Some(QueryOutput::Csv) => QueryFormat::Csv,
        None if to_terminal => QueryFormat::Table,
        None => QueryFormat::Jsonl,
    };
    let mut reporter = Reporter::new(&args.read)?;
    let pushdown = Pushdown::of(&parsed, &query, now, wanted.as_ref().map(ColumnSet::names));
    let mut input = QueryInput::new(wanted.as_ref().map(ColumnSet::names), pushdown.as_ref());
    let map = |e: &azhunt_model::Event, _json: Option<&[u8]>| {
        Pushdown::item(
            pushdown.as_ref(),
            row_with(e, tables.as_ref(), wanted.as_ref()),
        )
    };
    let summary = read(&args.read, &mut reporter, map, |item: Item| {
        input.push(item)
    })?;
    let opts = azhunt_kql::Options { now };
    let result = input
        .run(&parsed, &opts)
        .map_err(|e| anyhow::anyhow!("{}", e.render(&query)))?;
    let bytes = render(&result, format);
    write_output(args.output.as_deref(), &bytes, "writing results")?;
    reporter.finish(&summary, &args.read)?;
    Ok(ExitCode::SUCCESS)
}
