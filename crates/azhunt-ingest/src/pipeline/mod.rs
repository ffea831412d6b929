//! The read pipeline: one producer, N workers, one ordered consumer.
//!
//! ```text
//! producer (inputs → framing → batches) ──► workers (parse, classify, normalize, map) ──┐
//!        └──────── control messages (file start / end / skipped) ─────────────────────┴► consumer
//! ```
//! The consumer runs on the calling thread. It restores input order by sequence number, removes
//! duplicates (so the decision does not depend on thread timing), counts every record per file,
//! and hands the caller's mapped values to its [`Sink`] in input order. A fixed number of
//! in-flight batches bounds memory, independent of the input size.

mod producer;
mod worker;

use crate::IngestError;
use crate::classify::Family;
use crate::dedup::Deduper;
use crate::framing::{BufferPool, Work};
use crate::summary::{FileStatus, FileSummary, Reject, Summary};
use azhunt_model::{Event, LogKind, RecordFormat};
use producer::{Msg, Producer};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use worker::{Outcome, Worker};

/// How to read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force one export family instead of detecting it per record.
    pub family: Option<Family>,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
}

/// Receives, on the calling thread and in input order, what the read produced.
pub trait Sink<T> {
    /// A unique event, as mapped by the caller's function.
    fn accept(&mut self, item: T);
    /// A record that could not become an event.
    fn reject(&mut self, _reject: &Reject) {}
    /// A warning about a file that concerns no single record.
    fn note(&mut self, _path: &str, _text: &str) {}
    /// A file is finished (read, unrecognized or failed), with its counts.
    fn file_done(&mut self, _file: &FileSummary) {}
}

/// What the consumer receives.
pub(crate) enum Done<T> {
    Control(Msg),
    Batch {
        path: Arc<str>,
        outcomes: Vec<Outcome<T>>,
        note: Option<String>,
    },
}

/// The threads a `threads` setting means: `0` is one per core (two when that is unknown).
pub fn thread_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Reads `inputs`, calling `map` on a worker thread for every normalized event (with the JSON
/// text its `raw` was parsed from when the record was JSON; `None` for CSV rows and Log
/// Analytics `columns`/`rows` tables) and feeding the results of unique events, in input
/// order, to `sink`. Returns per-file counts.
pub fn read_events<T, M, S>(
    inputs: &[PathBuf],
    options: &ReadOptions,
    map: M,
    sink: &mut S,
) -> Result<Summary, IngestError>
where
    T: Send,
    M: Fn(&Event, Option<&[u8]>) -> T + Sync,
    S: Sink<T>,
{
    let threads = thread_count(options.threads);
    let in_flight = 2 * threads + 2;
    let (work_tx, work_rx) = crossbeam_channel::unbounded::<(u64, Msg)>();
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(u64, Done<T>)>();
    let (token_tx, token_rx) = crossbeam_channel::bounded::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    let pool = BufferPool::new(in_flight + 2);
    let worker = Worker {
        family: options.family,
        map: &map,
        pool: pool.clone(),
    };
    std::thread::scope(|scope| {
        let producer_done = done_tx.clone();
        let family = options.family;
        let producer = scope.spawn(move || {
            let mut p = Producer {
                family,
                seq: 0,
                work_tx,
                done_tx: producer_done,
                tokens: token_rx,
                stopped: false,
                pool,
            };
            crate::source::visit_inputs(inputs, &mut p)
        });
        for _ in 0..threads {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            let worker = &worker;
            scope.spawn(move || {
                for (seq, msg) in rx.iter() {
                    let done = match msg {
                        Msg::Work { path, work } => {
                            let note = match &work {
                                Work::Note(n) => Some(n.clone()),
                                _ => None,
                            };
                            let outcomes = worker.process(&path, work);
                            Done::Batch {
                                path,
                                outcomes,
                                note,
                            }
                        }
                        other => Done::Control(other),
                    };
                    if tx.send((seq, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(work_rx);
        drop(done_tx);
        let summary = consume(done_rx, &token_tx, sink);
        match producer.join() {
            Ok(Ok(())) => Ok(summary),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(IngestError::Stopped("the input reader failed".into())),
        }
    })
}

/// Restores order, de-duplicates, counts, and feeds the sink.
fn consume<T, S: Sink<T>>(
    done_rx: crossbeam_channel::Receiver<(u64, Done<T>)>,
    tokens: &crossbeam_channel::Sender<()>,
    sink: &mut S,
) -> Summary {
    let mut summary = Summary::default();
    let mut dedup = Deduper::default();
    let mut pending: BTreeMap<u64, Done<T>> = BTreeMap::new();
    let mut next = 0u64;
    let mut current: Option<FileSummary> = None;
    let mut kinds: Vec<((LogKind, RecordFormat), u64)> = Vec::new();
    for (seq, done) in done_rx.iter() {
        pending.insert(seq, done);
        while let Some(done) = pending.remove(&next) {
            next += 1;
            let _ = tokens.try_send(());
            match done {
                Done::Control(Msg::Start { path, framing }) => {
                    current = Some(FileSummary::new(path, framing.as_str()));
                }
                Done::Control(Msg::End { status }) => {
                    if let Some(mut f) = current.take() {
                        f.add_kinds(&kinds);
                        kinds.clear();
                        f.status = status;
                        sink.file_done(&f);
                        summary.files.push(f);
                    }
                }
                Done::Control(Msg::Skipped { path, status }) => {
                    let mut f = FileSummary::new(path, "-");
                    f.status = status;
                    sink.file_done(&f);
                    summary.files.push(f);
                }
                Done::Control(Msg::Work { .. }) => {}
                Done::Batch {
                    path,
                    outcomes,
                    note,
                } => {
                    if let Some(n) = note {
                        sink.note(&path, &n);
                    }
                    let Some(f) = current.as_mut() else { continue };
                    for outcome in outcomes {
                        f.read += 1;
                        match outcome {
                            Outcome::Event { keys, kind, item } => {
                                match kinds.iter_mut().find(|(k, _)| *k == kind) {
                                    Some((_, n)) => *n += 1,
                                    None => kinds.push((kind, 1)),
                                }
                                if dedup.is_duplicate(&keys) {
                                    f.duplicates += 1;
                                } else {
                                    f.normalized += 1;
                                    sink.accept(item);
                                }
                            }
                            Outcome::Rejected(r) => {
                                f.rejected += 1;
                                sink.reject(&r);
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(mut f) = current.take() {
        f.add_kinds(&kinds);
        f.status = FileStatus::Failed("reading was interrupted".into());
        sink.file_done(&f);
        summary.files.push(f);
    }
    summary
}
