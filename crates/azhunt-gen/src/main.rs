//! The `azhunt-gen` command line: `generate` writes a seeded synthetic corpus, `parse-only`
//! measures the JSON Lines parse baseline that timeline throughput is compared against.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, ensure};
use azhunt_gen::{GenOptions, Shape, generate, parse_only};
use clap::{Parser, Subcommand};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Synthetic Azure log corpora and a parse-only throughput baseline.
#[derive(Parser)]
#[command(name = "azhunt-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Stream N seeded records of one shape to a file (`.gz` suffix compresses, `-` is stdout).
    Generate {
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Shape::ActivityJsonl)]
        shape: Shape,
        /// Number of records to write (duplicates included).
        #[arg(long)]
        events: u64,
        /// RNG seed; the same seed gives byte-identical output.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Start of the time span (RFC 3339).
        #[arg(long, default_value = "2026-10-01T00:00:00Z")]
        start: String,
        /// Length of the time span in days.
        #[arg(long, default_value_t = 30.0)]
        days: f64,
        /// Output file, or `-` for stdout.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Parse every line of a JSON Lines file into a sonic-rs DOM and report throughput as JSON.
    ParseOnly {
        /// Input file (JSON Lines; `.gz` is decompressed).
        file: PathBuf,
        /// Parser threads (1 is the benchmark baseline).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("azhunt-gen: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.cmd {
        Cmd::Generate {
            shape,
            events,
            seed,
            start,
            days,
            output,
        } => {
            ensure!(
                days > 0.0 && days.is_finite(),
                "--days must be a positive number"
            );
            let ts: jiff::Timestamp = start
                .parse()
                .with_context(|| format!("bad --start {start:?}"))?;
            let start = i64::try_from(ts.as_nanosecond() / 100).context("--start out of range")?;
            let opts = GenOptions {
                shape,
                events,
                seed,
                start,
                days,
            };
            let began = Instant::now();
            let to_stdout = output.as_os_str() == "-";
            let gz = output.extension().is_some_and(|e| e == "gz");
            let sink: Box<dyn Write + Send> = if to_stdout {
                Box::new(std::io::stdout())
            } else {
                let f = File::create(&output)
                    .with_context(|| format!("creating {}", output.display()))?;
                Box::new(f)
            };
            let mut sink = BufWriter::with_capacity(1 << 20, sink);
            let stats = if gz {
                let mut enc = GzEncoder::new(&mut sink, Compression::fast());
                let stats = generate(&opts, &mut enc)?;
                enc.finish().context("finishing gzip stream")?;
                stats
            } else {
                generate(&opts, &mut sink)?
            };
            sink.flush().context("flushing output")?;
            drop(sink);
            let secs = began.elapsed().as_secs_f64();
            let on_disk = if to_stdout {
                String::new()
            } else {
                let len = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
                if gz {
                    format!(", {len} bytes compressed")
                } else {
                    String::new()
                }
            };
            eprintln!(
                "azhunt-gen: {} records, {} bytes{on_disk}, {secs:.2} s ({:.0} MB/s) -> {}",
                stats.records,
                stats.bytes,
                stats.bytes as f64 / 1e6 / secs.max(1e-9),
                output.display()
            );
        }
        Cmd::ParseOnly { file, threads } => {
            let stats = parse_only::run(&file, threads)?;
            println!("{}", stats.to_json(threads));
        }
    }
    Ok(())
}
