//! Producer side: one thread walks the inputs, decides each file's framing, refuses files that
//! are not log exports, and cuts the rest into batches for the workers. Every message gets the
//! next sequence number, so the consumer can restore input order whatever the workers do.

use crate::classify::{Family, classify};
use crate::framing::container::{flatten, is_container};
use crate::framing::csv::{CsvStop, read_csv};
use crate::framing::{BufferPool, Work, jsonl, scanner};
use crate::sniff::{Framing, sniff};
use crate::source::Visitor;
use crate::summary::FileStatus;
use azhunt_model::Value;
use crossbeam_channel::{Receiver, Sender};
use std::io::BufRead;
use std::sync::Arc;

/// A message in input order.
pub(crate) enum Msg {
    Start {
        path: Arc<str>,
        framing: Framing,
    },
    Work {
        path: Arc<str>,
        work: Work,
    },
    End {
        status: FileStatus,
    },
    /// A file that was never started: unrecognized or unreadable.
    Skipped {
        path: Arc<str>,
        status: FileStatus,
    },
}

pub(crate) struct Producer<T> {
    pub family: Option<Family>,
    pub seq: u64,
    /// Batches go to the workers; control messages straight to the consumer.
    pub work_tx: Sender<(u64, Msg)>,
    pub done_tx: Sender<(u64, super::Done<T>)>,
    /// One token per message in flight bounds memory.
    pub tokens: Receiver<()>,
    pub stopped: bool,
    /// Batch buffers the workers hand back.
    pub pool: BufferPool,
}

impl<T> Producer<T> {
    fn send(&mut self, msg: Msg) {
        if self.stopped || self.tokens.recv().is_err() {
            self.stopped = true;
            return;
        }
        let seq = self.seq;
        self.seq += 1;
        let sent = match msg {
            Msg::Work { .. } => self.work_tx.send((seq, msg)).is_ok(),
            other => self
                .done_tx
                .send((seq, super::Done::Control(other)))
                .is_ok(),
        };
        if !sent {
            self.stopped = true;
        }
    }

    /// Whether the first record (of the head) is something azhunt reads. `None`: undecided.
    fn recognized(&self, first: &[u8]) -> Option<Result<(), String>> {
        let v: Value = sonic_rs::from_slice(first).ok()?;
        let mut records = Vec::new();
        if is_container(&v) {
            flatten(v, &mut records);
        } else {
            records.push(v);
        }
        let first = records.into_iter().next()?;
        Some(classify(&first, self.family).map(|_| ()))
    }

    fn read(&mut self, path: &Arc<str>, content: &mut dyn BufRead) -> (bool, FileStatus) {
        let head = match content.fill_buf() {
            Ok(h) => h,
            Err(e) => return (false, FileStatus::Failed(e.to_string())),
        };
        let framing = match sniff(head) {
            Ok(f) => f,
            Err(reason) => return (false, FileStatus::Unrecognized(reason)),
        };
        if framing == Framing::JsonLines {
            let first = head
                .split(|b| *b == b'\n')
                .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
                .unwrap_or_default();
            if let Some(Err(reason)) = self.recognized(first) {
                return (false, FileStatus::Unrecognized(reason));
            }
        }
        let family = self.family;
        let pool = self.pool.clone();
        let mut started = false;
        let mut refused: Option<String> = None;
        let mut checked = framing != Framing::Json;
        let result = {
            let mut emit = |work: Work| {
                if refused.is_some() {
                    return;
                }
                if !checked && let Work::Items { buf, items } = &work {
                    for it in items
                        .iter()
                        .filter(|i| i.broken.is_none() && i.columns.is_none())
                    {
                        match self.recognized(buf.get(it.start..it.end).unwrap_or_default()) {
                            Some(Err(reason)) => {
                                refused = Some(reason);
                                return;
                            }
                            Some(Ok(())) => break,
                            None => continue,
                        }
                    }
                    checked = true;
                }
                if !started {
                    started = true;
                    self.send(Msg::Start {
                        path: path.clone(),
                        framing,
                    });
                }
                self.send(Msg::Work {
                    path: path.clone(),
                    work,
                });
            };
            match framing {
                Framing::JsonLines => {
                    jsonl::chunk_lines(content, &pool, &mut emit).map_err(|e| e.to_string())
                }
                Framing::Json => scanner::scan(content, &mut emit).map_err(|e| e.to_string()),
                Framing::Csv => {
                    let recognize = move |v: &Value| classify(v, family).map(|_| ());
                    match read_csv(content, &recognize, &mut emit) {
                        Ok(()) => Ok(()),
                        Err(CsvStop::Io(e)) => Err(e.to_string()),
                        Err(CsvStop::Unrecognized(r)) => {
                            refused = Some(r);
                            Ok(())
                        }
                    }
                }
            }
        };
        if let Some(reason) = refused
            && !started
        {
            return (false, FileStatus::Unrecognized(reason));
        }
        if !started {
            // Nothing but blank content after the head.
            self.send(Msg::Start {
                path: path.clone(),
                framing,
            });
        }
        match result {
            Ok(()) => (true, FileStatus::Read),
            Err(e) => (true, FileStatus::Failed(format!("read error: {e}"))),
        }
    }
}

impl<T> Visitor for Producer<T> {
    fn leaf(&mut self, path: Arc<str>, content: &mut dyn BufRead) {
        if self.stopped {
            return;
        }
        let (started, status) = self.read(&path, content);
        if started {
            self.send(Msg::End { status });
        } else {
            self.send(Msg::Skipped { path, status });
        }
    }

    fn failed(&mut self, path: Arc<str>, reason: String) {
        self.send(Msg::Skipped {
            path,
            status: FileStatus::Failed(reason),
        });
    }
}
