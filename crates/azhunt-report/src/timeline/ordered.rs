//! Rendering ordered rows on every core, written in order.
//!
//! After the merge the rows come out of the sorter one at a time, in time order, as compact
//! encodings. Rendering them (JSON serialization, CSV quoting, the message text) is most of
//! the work left, so the merging thread only gathers rows into batches; render threads turn
//! batches into output bytes, and the merging thread writes finished batches in their original
//! order. At most a few batches per thread are in flight, so memory stays bounded.

use super::compact::{Scratch, decode};
use super::{RowOptions, render_fields};
use crate::sort::Sorter;
use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Rows per batch handed to a render thread.
const BATCH_ROWS: usize = 1024;

/// A run of consecutive rows: their bytes end to end and where each ends.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Batch {
    fn push(&mut self, row: &[u8]) {
        self.bytes.extend_from_slice(row);
        self.ends.push(self.bytes.len());
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    fn render(&self, opts: RowOptions, out: &mut Vec<u8>) -> io::Result<()> {
        let mut start = 0;
        let mut scratch = Scratch::default();
        for &end in &self.ends {
            render_row(&self.bytes[start..end], opts, &mut scratch, out)?;
            start = end;
        }
        Ok(())
    }
}

/// Appends the rendering of one encoded row.
fn render_row(
    row: &[u8],
    opts: RowOptions,
    scratch: &mut Scratch,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let f = decode(row, scratch).map_err(io::Error::other)?;
    render_fields(&f, opts, out);
    Ok(())
}

fn stopped() -> io::Error {
    io::Error::other("timeline render threads stopped")
}

/// A rendered batch, with its number and its emptied input for reuse.
type Rendered = (u64, io::Result<Vec<u8>>, Batch);

/// Writes every row of `sorter` in order, rendered as `opts` says, using `threads` render
/// threads (rendering inline when `threads` is 1).
pub fn write_in_order(
    sorter: Sorter,
    opts: RowOptions,
    threads: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if threads <= 1 {
        let mut buf = Vec::new();
        let mut scratch = Scratch::default();
        return sorter.finish_rows(&mut |row| {
            buf.clear();
            render_row(row, opts, &mut scratch, &mut buf)?;
            out.write_all(&buf)
        });
    }
    let (jobs_tx, jobs_rx) = bounded::<(u64, Batch)>(threads * 2);
    let (done_tx, done_rx) = unbounded::<Rendered>();
    let limit = threads * 4;
    // Output buffers go back to the render threads once written: a fresh one per batch was
    // faulted in page by page, and grown (copied) when a batch rendered larger than reserved.
    let (written_tx, written_rx) = bounded::<Vec<u8>>(threads + 1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (jobs, done, spare) = (jobs_rx.clone(), done_tx.clone(), written_rx.clone());
            scope.spawn(move || render_jobs(&jobs, &done, &spare, opts));
        }
        drop(done_tx);
        let mut w = InOrder {
            out,
            jobs: jobs_tx,
            done: done_rx,
            pending: BTreeMap::new(),
            next_out: 0,
            sent: 0,
            limit: limit as u64,
            spare: Vec::new(),
            written: written_tx,
        };
        let mut batch = Batch::default();
        let merged = sorter.finish_rows(&mut |row| {
            batch.push(row);
            if batch.ends.len() >= BATCH_ROWS {
                let next = w.spare.pop().unwrap_or_default();
                w.send(std::mem::replace(&mut batch, next))?;
            }
            Ok(())
        });
        let result = merged
            .and_then(|()| {
                if batch.ends.is_empty() {
                    Ok(())
                } else {
                    w.send(batch)
                }
            })
            .and_then(|()| w.finish());
        // Closing the job channel lets the render threads end before the scope joins them.
        drop(w);
        result
    })
}

/// Rendered rows against their compact encoding: a JSON Lines row of an Activity Log event is
/// about 3.6 times its encoding (the output buffer is reserved for the batch at once).
const RENDERED_PER_ENCODED: usize = 4;

fn render_jobs(
    jobs: &Receiver<(u64, Batch)>,
    done: &Sender<Rendered>,
    spare: &Receiver<Vec<u8>>,
    opts: RowOptions,
) {
    while let Ok((n, mut batch)) = jobs.recv() {
        let mut out = spare.try_recv().unwrap_or_default();
        out.clear();
        out.reserve(batch.bytes.len() * RENDERED_PER_ENCODED);
        let result = batch.render(opts, &mut out).map(|()| out);
        batch.clear();
        if done.send((n, result, batch)).is_err() {
            return;
        }
    }
}

/// The writing side: numbers batches, and writes rendered ones as soon as every earlier one is.
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
}

impl InOrder<'_> {
    fn send(&mut self, batch: Batch) -> io::Result<()> {
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

    fn finish(&mut self) -> io::Result<()> {
        while self.next_out < self.sent {
            self.wait_one()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sort::Key;
    use crate::timeline::Format;
    use crate::timeline::compact::encode;
    use crate::timeline::fields::{RowFields, SLOTS, Slot};
    use azhunt_model::{CallerType, LogKind, RecordFormat};

    fn sorter(n: u64, budget: usize) -> Sorter {
        let mut s = Sorter::new(budget);
        let ops: Vec<String> = (0..n).map(|i| format!("op{i}")).collect();
        for (i, op) in ops.iter().enumerate() {
            let mut text = [None; SLOTS];
            text[Slot::Operation as usize] = Some(op.as_str());
            text[Slot::EventId as usize] = Some("id");
            let secs = ((i as i64) * 7919) % 5000;
            let f = RowFields {
                seconds: secs,
                nanos: 0,
                log: LogKind::Activity,
                caller_type: CallerType::Unknown,
                format: RecordFormat::Rest,
                scope: None,
                time_zone_assumed: false,
                record: i as u64 + 1,
                line: None,
                text,
            };
            let mut bytes = Vec::new();
            encode(&f, &mut bytes);
            let key = Key {
                seconds: secs,
                nanos: 0,
                seq: i as u64,
            };
            s.push(key, &bytes).unwrap();
        }
        s
    }

    #[test]
    fn threads_write_what_one_thread_writes() {
        let opts = RowOptions {
            format: Format::Jsonl,
            raw: false,
        };
        let mut one = Vec::new();
        write_in_order(sorter(5000, 1 << 30), opts, 1, &mut one).unwrap();
        for (threads, budget) in [(2, 1 << 30), (3, 1 << 16)] {
            let mut many = Vec::new();
            write_in_order(sorter(5000, budget), opts, threads, &mut many).unwrap();
            assert_eq!(one, many, "{threads} threads, budget {budget}");
        }
        let text = String::from_utf8(one).unwrap();
        assert_eq!(text.lines().count(), 5000);
        let times: Vec<&str> = text.lines().map(|l| &l[9..29]).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }
}
