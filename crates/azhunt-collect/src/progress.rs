//! Progress bars per scope on a terminal; nothing when stderr is not one.
//!
//! A collection of 90 days over dozens of scopes takes hours, so on a terminal each scope has a
//! bar (time covered of the range) whose message names the window in flight and the events so
//! far. Messages (retries, warnings) are printed above the bars so they do not tear them. When
//! stderr is redirected the bars are hidden and messages are plain lines.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;

/// Where a run's messages go: one line each, no trailing newline.
pub type LogFn = Arc<dyn Fn(&str) + Send + Sync>;

/// The bars of a run.
pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Vec<ProgressBar>,
}

impl Progress {
    /// Bars when `enabled` (the caller checks that stderr is a terminal), else none.
    pub fn new(enabled: bool) -> Progress {
        let multi = enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            multi,
            bars: Vec::new(),
        }
    }

    /// A line-printing function for messages that keeps the bars intact.
    pub fn printer(&self) -> LogFn {
        match &self.multi {
            Some(m) => {
                let m = m.clone();
                Arc::new(move |s: &str| {
                    if m.println(format!("azhunt: {s}")).is_err() {
                        eprintln!("azhunt: {s}");
                    }
                })
            }
            None => Arc::new(|s: &str| eprintln!("azhunt: {s}")),
        }
    }

    /// Adds a bar for a scope; `total` is the range length in seconds. Returns its index.
    pub fn add(&mut self, name: &str, total: u64, done: u64) -> usize {
        let bar = match &self.multi {
            Some(m) => {
                let b = m.add(ProgressBar::new(total.max(1)));
                let style =
                    ProgressStyle::with_template("{prefix:40!} [{bar:25}] {percent:>3}% {msg}")
                        .map(|s| s.progress_chars("=> "))
                        .unwrap_or_else(|_| ProgressStyle::default_bar());
                b.set_style(style);
                b.set_prefix(name.to_string());
                b.set_position(done.min(total));
                b
            }
            None => ProgressBar::hidden(),
        };
        self.bars.push(bar);
        self.bars.len() - 1
    }

    /// Moves a bar.
    pub fn update(&self, i: usize, done: u64, msg: String) {
        if let Some(b) = self.bars.get(i) {
            b.set_position(done);
            b.set_message(msg);
        }
    }

    /// Ends a bar with a final word.
    pub fn finish(&self, i: usize, msg: String) {
        if let Some(b) = self.bars.get(i) {
            b.finish_with_message(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_accepts_everything() {
        let mut p = Progress::new(false);
        let i = p.add("scope", 100, 10);
        p.update(i, 50, "w".into());
        p.update(99, 50, "no such bar".into());
        p.finish(i, "done".into());
        (p.printer())("message to stderr");
    }
}
