//! A progress line on the terminal for reads that take more than a moment.
//!
//! Nothing is drawn when standard error is not a terminal or `--quiet` is given, and nothing
//! for the first second, so quick reads and piped output stay clean. The consumer thread
//! calls [`Progress::event`] for every unique event; it only counts, and looks at the clock
//! every few thousand events.

use azhunt_ingest::FileSummary;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Events between clock checks.
const CHECK_EVERY: u64 = 4096;
/// Reads shorter than this show no progress.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
    events: u64,
    files: u64,
    pub rejected: u64,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            started: Instant::now(),
            bar: None,
            events: 0,
            files: 0,
            rejected: 0,
        }
    }

    pub fn event(&mut self) {
        self.events += 1;
        if self.enabled && self.events.is_multiple_of(CHECK_EVERY) {
            self.update(None);
        }
    }

    pub fn file(&mut self, f: &FileSummary) {
        self.files += 1;
        if self.enabled {
            self.update(Some(&f.path));
        }
    }

    fn update(&mut self, path: Option<&str>) {
        if self.bar.is_none() {
            if self.started.elapsed() < DELAY {
                return;
            }
            let bar = ProgressBar::new_spinner();
            let style = ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let bar = bar.with_elapsed(self.started.elapsed());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            let mut msg = format!(
                "{} events ({:.0}/s), {} files done, {} rejected",
                self.events,
                self.events as f64 / secs,
                self.files,
                self.rejected
            );
            if let Some(p) = path {
                let n = p.chars().count();
                let tail: String = p.chars().skip(n.saturating_sub(60)).collect();
                msg.push_str(" — ");
                msg.push_str(&azhunt_report::cells::terminal_text(&tail, 60));
            }
            bar.set_message(msg);
        }
    }

    /// Prints a line above the progress line (or plainly when there is none).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the progress line before the final output.
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
