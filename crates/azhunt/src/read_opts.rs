//! What every reading command shares: turning `ReadArgs` into ingest options, reporting
//! warnings and rejected records while reading, and the accounting afterwards.

use crate::cli::{InputFormat, ReadArgs};
use crate::progress::Progress;
use anyhow::{Context, Result, bail};
use azhunt_ingest::{Family, FileStatus, FileSummary, ReadOptions, Reject, Sink, Summary};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Warnings printed per file before the rest are only counted.
const WARNINGS_PER_FILE: u64 = 10;

pub fn read_options(args: &ReadArgs) -> ReadOptions {
    ReadOptions {
        family: match args.input_format {
            InputFormat::Auto => None,
            InputFormat::Rest => Some(Family::Rest),
            InputFormat::Diagnostic => Some(Family::Diagnostic),
            InputFormat::LogAnalytics => Some(Family::LogAnalytics),
            InputFormat::Graph => Some(Family::Graph),
            InputFormat::PortalCsv => Some(Family::PortalCsv),
        },
        threads: args.threads,
    }
}

/// Refuses an output path that is one of the inputs or lies inside an input directory:
/// evidence is never modified, and an output inside the evidence would be read back next time.
pub fn check_output_path(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let out_abs = absolute(output);
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        let in_abs = absolute(input);
        if out_abs == in_abs || (in_abs.is_dir() && out_abs.starts_with(&in_abs)) {
            bail!(
                "refusing to write {} inside the evidence being read ({}); choose another output path",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `output`, or to standard output (a closed pipe is not an error);
/// `what` names the write in errors.
pub fn write_output(output: Option<&Path>, bytes: &[u8], what: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context(what.to_string())
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename, so an
/// interrupted run never leaves a file that looks complete but is not.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .with_context(|| format!("writing {}", path.display()))?;
    // A temporary file is private to its owner; the report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not existing yet: canonicalize the parent.
    let parent = p
        .parent()
        .filter(|x| !x.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (parent.canonicalize(), p.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => p.to_path_buf(),
    }
}

/// Reads the evidence `args` name: `map` runs on the worker threads for each event (with the
/// record's JSON text when it had one), `accept` gets the unique results in input order, and
/// `reporter` everything else.
pub fn read<T, M, F>(args: &ReadArgs, reporter: &mut Reporter, map: M, accept: F) -> Result<Summary>
where
    T: Send,
    M: Fn(&azhunt_model::Event, Option<&[u8]>) -> T + Sync,
    F: FnMut(T),
{
    let sink = &mut reporter.sink(accept);
    Ok(azhunt_ingest::read_events(
        &args.paths,
        &read_options(args),
        map,
        sink,
    )?)
}

/// The [`Sink`] every reading command uses: unique items go to `accept`, rejected records,
/// file notes and per-file summaries to the [`Reporter`].
pub struct ReportingSink<'r, F> {
    reporter: &'r mut Reporter,
    accept: F,
}

impl<T, F: FnMut(T)> Sink<T> for ReportingSink<'_, F> {
    fn accept(&mut self, item: T) {
        (self.accept)(item);
        self.reporter.progress.event();
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

/// Prints warnings and writes rejected records while reading.
pub struct Reporter {
    progress: Progress,
    quiet: bool,
    rejects: Option<BufWriter<File>>,
    warned: HashMap<String, u64>,
    write_error: Option<std::io::Error>,
}

impl Reporter {
    pub fn new(args: &ReadArgs) -> Result<Reporter> {
        let rejects = match &args.rejects {
            Some(p) => {
                check_output_path(p, &args.paths)?;
                Some(BufWriter::new(
                    File::create(p).with_context(|| format!("creating {}", p.display()))?,
                ))
            }
            None => None,
        };
        Ok(Reporter {
            progress: Progress::new(!args.quiet && std::io::stderr().is_terminal()),
            quiet: args.quiet,
            rejects,
            warned: HashMap::new(),
            write_error: None,
        })
    }

    /// A sink that hands unique items to `accept` and reports everything else here.
    pub fn sink<F>(&mut self, accept: F) -> ReportingSink<'_, F> {
        ReportingSink {
            reporter: self,
            accept,
        }
    }

    pub fn reject(&mut self, r: &Reject) {
        self.progress.rejected += 1;
        if let Some(w) = self.rejects.as_mut()
            && let Err(e) = w.write_all(&azhunt_report::files::reject_line(r))
        {
            self.write_error.get_or_insert(e);
        }
        let n = self.warned.entry(r.path.to_string()).or_insert(0);
        *n += 1;
        if !self.quiet && *n <= WARNINGS_PER_FILE {
            let line = format!("azhunt: warning: {}: rejected: {}", r.location(), r.reason);
            self.progress.println(&line);
        }
    }

    pub fn note(&mut self, path: &str, text: &str) {
        if !self.quiet {
            self.progress
                .println(&format!("azhunt: warning: {path}: {text}"));
        }
    }

    pub fn file_done(&mut self, f: &FileSummary) {
        self.progress.file(f);
        if self.quiet {
            return;
        }
        if f.rejected > WARNINGS_PER_FILE {
            self.progress.println(&format!(
                "azhunt: warning: {}: {} more rejected records not shown{}",
                f.path,
                f.rejected - WARNINGS_PER_FILE,
                if self.rejects.is_some() {
                    ""
                } else {
                    " (see --rejects FILE)"
                }
            ));
        }
        if let FileStatus::Failed(reason) = &f.status {
            self.progress
                .println(&format!("azhunt: warning: {}: {reason}", f.path));
        }
    }

    /// Flushes the rejects file, prints and writes the accounting, and applies `--strict`.
    pub fn finish(mut self, summary: &Summary, args: &ReadArgs) -> Result<()> {
        self.progress.clear();
        if let Some(mut w) = self.rejects.take() {
            w.flush().context("writing rejects file")?;
        }
        if let Some(e) = self.write_error {
            return Err(e).context("writing rejects file");
        }
        if !self.quiet {
            eprint!("{}", azhunt_report::files::summary_table(summary));
        }
        if let Some(p) = &args.summary_json {
            check_output_path(p, &args.paths)?;
            std::fs::write(p, azhunt_report::files::summary_json(summary))
                .with_context(|| format!("writing {}", p.display()))?;
        }
        if !summary.reconciles() {
            bail!("internal error: record counts do not reconcile");
        }
        let failed = summary
            .files
            .iter()
            .filter(|f| matches!(f.status, FileStatus::Failed(_)))
            .count();
        if args.strict && (summary.rejected() > 0 || failed > 0) {
            bail!(
                "--strict: {} rejected record(s), {} unreadable file(s)",
                summary.rejected(),
                failed
            );
        }
        Ok(())
    }
}
