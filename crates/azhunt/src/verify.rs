//! `azhunt verify DIR`: re-hash every file of a collection against its manifest; exit 0 when
//! nothing differs, 1 when a file is missing, changed or extra, 2 when the manifest is unusable.

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A directory written by `azhunt collect`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print only differences (and nothing when there are none).
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    let r = azhunt_collect::verify(&args.dir)?;
    for m in &r.missing {
        println!("missing  {m}");
    }
    for c in &r.changed {
        println!(
            "changed  {} (manifest sha256 {}, now {})",
            c.path, c.expected, c.actual
        );
    }
    for e in &r.extra {
        println!("extra    {e}");
    }
    if !args.quiet {
        let word = if r.is_clean() {
            "verified"
        } else {
            "NOT verified"
        };
        eprintln!(
            "azhunt: {} {word}: {} files unchanged, {} missing, {} changed, {} extra",
            args.dir.display(),
            r.ok,
            r.missing.len(),
            r.changed.len(),
            r.extra.len()
        );
        if !r.collection_complete {
            eprintln!(
                "azhunt: note: the manifest records an incomplete collection (see its scopes)"
            );
        }
    }
    Ok(if r.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
