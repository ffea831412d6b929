//! The `azhunt` command line: argument parsing, exit codes and wiring only.
//!
//! Domain logic lives in the library crates (`azhunt-ingest` reads, `azhunt-detect` hunts,
//! `azhunt-report` writes);
//! this crate turns flags into their options and their results into exit codes: 0 ok,
//! 1 "found" where a flag asks for it, 2 error.

mod cli;
mod collect;
mod hunt;
mod investigate;
mod profile;
mod progress;
mod query;
mod read_opts;
mod report_build;
mod rules;
mod timeline;
mod verify;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Timeline(args) => timeline::run(args),
        cli::Command::Hunt(args) => hunt::run(args),
        cli::Command::Query(args) => query::run(args),
        cli::Command::Rules(cmd) => rules::run(cmd),
        cli::Command::Whois(args) => profile::whois(args),
        cli::Command::Summary(args) => profile::summary(args),
        cli::Command::Coverage(args) => profile::coverage(args),
        cli::Command::Report(args) => profile::report(args),
        cli::Command::Collect(args) => collect::run(args),
        cli::Command::Verify(args) => verify::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("azhunt: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// mimalloc: 12% faster than the system allocator on a two-thread timeline read (measured on
/// 200 MB of generated Activity Log, 0.66 s → 0.58 s), where normalization allocates many small
/// strings on worker threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
