//! Rendering rows on every core, written in their original order.
//!
//! The last phase of `timeline` and `hunt` is the same: sorted rows come out of a merge one
//! at a time, each must be turned into output bytes (JSON serialization, CSV quoting, a
//! detection's sign-in context), and the bytes must be written in the merge's order. Rendering
//! is most of that work, so the merging thread only gathers rows into batches; render threads
//! turn batches into bytes, and the merging thread writes finished batches in order. A few
//! batches per thread are in flight at most, so memory stays bounded.
//!
//! Besides rows, the feed can write literal bytes (a table's level heading): every row fed
//! before it is written first, then the literal, in the order fed.

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Rows per batch handed to a render thread.
const BATCH_ROWS: usize = 1024;

/// Rendered bytes reserved per input byte of a batch at first (a JSON Lines timeline row is
/// about 3.6 times its encoding; a detection row a little more than its stored form). Output
/// buffers are then reused, so the reservation matters only for the first batches.
const RENDERED_PER_INPUT: usize = 4;

/// What the merging side hands rows to.
pub trait Feed {
    /// One row, to be rendered and written after every row fed before it.
    fn row(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Bytes written as they are, after every row fed before them.
    fn literal(&mut self, bytes: &[u8]) -> io::Result<()>;
}

/// Renders one row into `out`, given the row's index among all rows fed (0 for the first:
/// a JSON array separates rows by commas).
pub trait Render {
    fn render(&mut self, index: u64, row: &[u8], out: &mut Vec<u8>) -> io::Result<()>;
}

impl<F: FnMut(u64, &[u8], &mut Vec<u8>) -> io::Result<()>> Render for F {
    fn render(&mut self, index: u64, row: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        self(index, row, out)
    }
}

/// Runs `feed`, rendering the rows it feeds with renderers made by `make` (one per thread) on
/// `threads` threads and writing them to `out` in the order fed. With one thread the rows are
/// rendered inline.
pub fn render_in_order<M, R>(
    threads: usize,
    out: &mut dyn Write,
    make: M,
    feed: impl FnOnce(&mut dyn Feed) -> io::Result<()>,
) -> io::Result<()>
where
    M: Fn() -> R + Sync,
    R: Render,
{
    if threads <= 1 {
        let mut inline = Inline {
            out,
            render: make(),
            buf: Vec::new(),
            index: 0,
        };
        return feed(&mut inline);
    }
    let (jobs_tx, jobs_rx) = bounded::<(u64, Batch)>(threads * 2);
    let (done_tx, done_rx) = unbounded::<Rendered>();
    // Output buffers go back to the render threads once written: a fresh one per batch was
    // faulted in page by page, and grown (copied) when a batch rendered larger than reserved.
    let (written_tx, written_rx) = bounded::<Vec<u8>>(threads + 1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (jobs, done, spare) = (jobs_rx.clone(), done_tx.clone(), written_rx.clone());
            let make = &make;
            scope.spawn(move || render_jobs(&jobs, &done, &spare, make()));
        }
        // Only the render threads receive jobs and send results: if they all end, sending a
        // job fails instead of waiting, and waiting for a result ends.
        drop(jobs_rx);
        drop(done_tx);
        let mut w = InOrder {
            out,
            jobs: jobs_tx,
            done: done_rx,
            pending: BTreeMap::new(),
            next_out: 0,
            sent: 0,
            limit: (threads * 4) as u64,
            spare: Vec::new(),
            written: written_tx,
            batch: Batch::default(),
            rows: 0,
        };
        let result = feed(&mut w)
            .and_then(|()| w.flush_batch())
            .and_then(|()| w.drain());
        // Closing the job channel lets the render threads end before the scope joins them.
        drop(w);
        result
    })
}

/// A run of consecutive rows: their bytes end to end, where each ends, and the index of the
/// first among all rows fed.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    first: u64,
}

impl Batch {
    fn render(&self, r: &mut impl Render, out: &mut Vec<u8>) -> io::Result<()> {
        let mut start = 0;
        for (i, &end) in self.ends.iter().enumerate() {
            r.render(self.first + i as u64, &self.bytes[start..end], out)?;
            start = end;
        }
        Ok(())
    }
}

/// A rendered batch, with its number and its emptied input for reuse.
type Rendered = (u64, io::Result<Vec<u8>>, Batch);

fn render_jobs(
    jobs: &Receiver<(u64, Batch)>,
    done: &Sender<Rendered>,
    spare: &Receiver<Vec<u8>>,
    mut render: impl Render,
) {
    while let Ok((n, mut batch)) = jobs.recv() {
        let mut out = spare.try_recv().unwrap_or_default();
        out.clear();
        out.reserve(batch.bytes.len() * RENDERED_PER_INPUT);
        // A bug in a renderer must end the run with an error, not leave the writer waiting
        // for a batch that never comes.
        let rendered = catch_unwind(AssertUnwindSafe(|| batch.render(&mut render, &mut out)));
        let result = match rendered {
            Ok(r) => r.map(|()| out),
            Err(_) => Err(io::Error::other("a render thread failed")),
        };
        batch.bytes.clear();
        batch.ends.clear();
        if done.send((n, result, batch)).is_err() {
            return;
        }
    }
}

fn stopped() -> io::Error {
    io::Error::other("render threads stopped")
}

/// The one-thread feed: render and write each row at once.
struct Inline<'o, R> {
    out: &'o mut dyn Write,
    render: R,
    buf: Vec<u8>,
    index: u64,
}

impl<R: Render> Feed for Inline<'_, R> {
    fn row(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.clear();
        self.render.render(self.index, bytes, &mut self.buf)?;
        self.index += 1;
        self.out.write_all(&self.buf)
    }

    fn literal(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
}

/// The merging side with render threads: batches rows, numbers batches, and writes rendered
/// ones as soon as every earlier one is written.
struct InOrder<'o> {
    out: &'o mut dyn Write,
    jobs: Sender<(u64, Batch)>,
    done: Receiver<Rendered>,
    pending: BTreeMap<u64, Vec<u8>>,
    next_out: u64,
    sent: u64,
    /// Batches allowed between sending and writing.
    limit: u64,
    spare: Vec<Batch>,
    /// Where written output buffers go back to the render threads.
    written: Sender<Vec<u8>>,
    batch: Batch,
    /// Rows fed so far.
    rows: u64,
}

impl Feed for InOrder<'_> {
    fn row(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.batch.ends.is_empty() {
            self.batch.first = self.rows;
        }
        self.batch.bytes.extend_from_slice(bytes);
        self.batch.ends.push(self.batch.bytes.len());
        self.rows += 1;
        if self.batch.ends.len() >= BATCH_ROWS {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn literal(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.flush_batch()?;
        self.drain()?;
        self.out.write_all(bytes)
    }
}

impl InOrder<'_> {
    /// Sends the batch being gathered, if it has rows.
    fn flush_batch(&mut self) -> io::Result<()> {
        if self.batch.ends.is_empty() {
            return Ok(());
        }
        let next = self.spare.pop().unwrap_or_default();
        let batch = std::mem::replace(&mut self.batch, next);
        while self.sent - self.next_out >= self.limit {
            self.wait_one()?;
        }
        self.jobs.send((self.sent, batch)).map_err(|_| stopped())?;
        self.sent += 1;
        while let Ok(r) = self.done.try_recv() {
            self.take(r)?;
        }
        Ok(())
    }

    fn wait_one(&mut self) -> io::Result<()> {
        let r = self.done.recv().map_err(|_| stopped())?;
        self.take(r)
    }

    fn take(&mut self, (n, rendered, batch): Rendered) -> io::Result<()> {
        self.spare.push(batch);
        self.pending.insert(n, rendered?);
        while let Some(bytes) = self.pending.remove(&self.next_out) {
            self.out.write_all(&bytes)?;
            self.next_out += 1;
            let _ = self.written.try_send(bytes);
        }
        Ok(())
    }

    /// Waits until every batch sent is written.
    fn drain(&mut self) -> io::Result<()> {
        while self.next_out < self.sent {
            self.wait_one()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders a row as `index:row;` (so order and indices are both visible).
    fn tagging() -> impl Render {
        |i: u64, row: &[u8], out: &mut Vec<u8>| {
            out.extend_from_slice(format!("{i}:").as_bytes());
            out.extend_from_slice(row);
            out.push(b';');
            Ok(())
        }
    }

    fn run(threads: usize, rows: usize, literal_every: usize) -> Vec<u8> {
        let mut out = Vec::new();
        render_in_order(threads, &mut out, tagging, |feed| {
            for i in 0..rows {
                if literal_every > 0 && i % literal_every == 0 {
                    feed.literal(format!("[{i}]").as_bytes())?;
                }
                feed.row(format!("r{i}").as_bytes())?;
            }
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn threads_write_what_one_thread_writes() {
        for (rows, every) in [
            (0, 0),
            (1, 0),
            (5000, 0),
            (5000, 1500),
            (3000, 1),
            (2049, 1024),
        ] {
            let one = run(1, rows, every);
            for threads in [2, 3, 5] {
                assert_eq!(
                    one,
                    run(threads, rows, every),
                    "{rows} rows, {threads} threads"
                );
            }
        }
        let text = String::from_utf8(run(1, 3, 2)).unwrap();
        assert_eq!(text, "[0]0:r0;1:r1;[2]2:r2;");
    }

    #[test]
    fn a_panicking_renderer_ends_the_run_with_an_error() {
        let mut out = Vec::new();
        let panicking = || {
            |i: u64, _: &[u8], _: &mut Vec<u8>| -> io::Result<()> {
                assert!(i != 2500, "renderer bug");
                Ok(())
            }
        };
        let result = render_in_order(2, &mut out, panicking, |feed| {
            for _ in 0..5000 {
                feed.row(b"x")?;
            }
            feed.literal(b"end")
        });
        assert!(result.is_err_and(|e| e.to_string().contains("render thread failed")));
    }

    #[test]
    fn a_render_error_stops_the_run() {
        let mut out = Vec::new();
        let failing = || {
            |i: u64, _: &[u8], _: &mut Vec<u8>| {
                if i == 1500 {
                    Err(io::Error::other("bad row"))
                } else {
                    Ok(())
                }
            }
        };
        let result = render_in_order(2, &mut out, failing, |feed| {
            for _ in 0..5000 {
                feed.row(b"x")?;
            }
            Ok(())
        });
        assert!(result.is_err_and(|e| e.to_string().contains("bad row")));
    }
}
