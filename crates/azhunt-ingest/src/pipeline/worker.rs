//! Worker side: bytes of a batch → parsed records → classified → normalized → mapped.
//!
//! Everything that costs CPU per record happens here, on as many threads as there are cores.
//! Each record becomes exactly one outcome per event it holds: an event (with its dedup keys and
//! the caller's mapped value) or a rejection naming the record and the reason.

use crate::classify::{Family, classify_fields};
use crate::dedup::{Keys, keys};
use crate::framing::container::{flatten, is_container, is_container_fields, zip_row};
use crate::framing::csv::row_to_value;
use crate::framing::jsonl::for_each_line;
use crate::framing::{BufferPool, Item, Work};
use crate::normalize::normalize_borrowed;
use crate::summary::Reject;
use azhunt_model::{Event, Fields, LogKind, RecordFormat, Source, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// What became of one record.
pub(crate) enum Outcome<T> {
    Event {
        keys: Keys,
        kind: (LogKind, RecordFormat),
        item: T,
    },
    Rejected(Reject),
}

pub(crate) struct Worker<'a, T, M: Fn(&Event, Option<&[u8]>) -> T> {
    pub family: Option<Family>,
    pub map: &'a M,
    /// Where batch buffers go back once their records are processed.
    pub pool: BufferPool,
}

impl<T, M: Fn(&Event, Option<&[u8]>) -> T> Worker<'_, T, M> {
    pub fn process(&self, path: &Arc<str>, work: Work) -> Vec<Outcome<T>> {
        let mut out = Vec::new();
        match work {
            Work::Lines {
                buf,
                first_line,
                lines,
            } => {
                // One outcome a line, mostly: sized once instead of doubling ~10 times a batch
                // (the hunt's outcomes hold rendered detections; the copies were 1.5k
                // instructions an event). Capped: blank lines have no outcome, and a batch of
                // them must not reserve room for millions.
                let expected = usize::try_from(lines).unwrap_or(0).saturating_add(1);
                out.reserve(expected.min(MAX_RESERVED_OUTCOMES));
                let mut group = Vec::with_capacity(STAGE_GROUP);
                for_each_line(&buf, first_line, |line, bytes| {
                    group.push((line, bytes));
                    if group.len() == STAGE_GROUP {
                        self.json_group(path, &group, &mut out);
                        group.clear();
                    }
                });
                self.json_group(path, &group, &mut out);
                self.pool.give(buf);
            }
            Work::Items { buf, items } => {
                out.reserve(items.len());
                for item in items {
                    let bytes = buf.get(item.start..item.end).unwrap_or_default();
                    self.item(path, &item, bytes, &mut out);
                }
                self.pool.give(buf);
            }
            Work::Csv { headers, rows } => {
                out.reserve(rows.len());
                for row in rows {
                    let bytes = row.cells.as_slice();
                    match row_to_value(&headers, &row.cells) {
                        Ok(v) => {
                            self.value(path, v, bytes, false, row.record, Some(row.line), &mut out)
                        }
                        Err(reason) => {
                            out.push(reject(path, row.record, Some(row.line), reason, bytes))
                        }
                    }
                }
            }
            Work::Note(_) => {}
        }
        out
    }

    fn item(&self, path: &Arc<str>, item: &Item, bytes: &[u8], out: &mut Vec<Outcome<T>>) {
        if let Some(reason) = &item.broken {
            out.push(reject(
                path,
                item.record,
                Some(item.line),
                reason.clone(),
                bytes,
            ));
            return;
        }
        match &item.columns {
            None => self.json(path, bytes, item.record, Some(item.line), out),
            Some(columns) => match sonic_rs::from_slice::<Value>(bytes) {
                Ok(row) => {
                    let v = zip_row(columns, &row);
                    self.value(path, v, bytes, false, item.record, Some(item.line), out);
                }
                Err(e) => out.push(reject(
                    path,
                    item.record,
                    Some(item.line),
                    invalid_json(&e),
                    bytes,
                )),
            },
        }
    }

    fn json(
        &self,
        path: &Arc<str>,
        bytes: &[u8],
        record: u64,
        line: Option<u64>,
        out: &mut Vec<Outcome<T>>,
    ) {
        match sonic_rs::from_slice::<Value>(bytes) {
            Ok(v) => self.value(path, v, bytes, true, record, line, out),
            Err(e) => out.push(reject(path, record, line, invalid_json(&e), bytes)),
        }
    }

    /// JSON lines of one batch, a group at a time, stage by stage: every line of the group is
    /// parsed, then every parsed record classified and normalized, then every event keyed and
    /// mapped. Running one stage's code over several records before the next keeps each
    /// stage's code in the instruction cache; record by record, the parser, the normalizers and
    /// the caller's map evict each other on every record. Outcomes keep the lines' order.
    fn json_group(&self, path: &Arc<str>, group: &[(u64, &[u8])], out: &mut Vec<Outcome<T>>) {
        let parsed: Vec<_> = group
            .iter()
            .map(|(_, bytes)| sonic_rs::from_slice::<Value>(bytes))
            .collect();
        let prepared: Vec<_> = parsed
            .into_iter()
            .zip(group)
            .map(|(parsed, &(line, bytes))| match parsed {
                Ok(v) => self.prepare(path, v, bytes, line, Some(line)),
                Err(e) => Prepared::Rejected(invalid_json(&e)),
            })
            .collect();
        for (p, &(line, bytes)) in prepared.into_iter().zip(group) {
            self.finish(path, p, bytes, true, line, Some(line), out);
        }
    }

    /// One parsed value: unwrapped if it is an envelope, else classified and normalized. `is_json`:
    /// `bytes` is the JSON text `v` was parsed from (else CSV cells or a table row), handed to
    /// the map.
    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        path: &Arc<str>,
        v: Value,
        bytes: &[u8],
        is_json: bool,
        record: u64,
        line: Option<u64>,
        out: &mut Vec<Outcome<T>>,
    ) {
        let p = self.prepare(path, v, bytes, record, line);
        self.finish(path, p, bytes, is_json, record, line, out);
    }

    /// The first steps for one record: is it an envelope, which schema, the normalized event.
    /// The record's members are materialized once and shared by every step.
    fn prepare(
        &self,
        path: &Arc<str>,
        v: Value,
        bytes: &[u8],
        record: u64,
        line: Option<u64>,
    ) -> Prepared {
        let source = Source {
            path: path.clone(),
            record,
            line,
        };
        let step = {
            let fields = Fields::of(&v);
            if is_container_fields(&v, &fields) {
                None
            } else {
                Some(match classify_fields(&v, &fields, self.family) {
                    Err(reason) => Err(reason),
                    // A bug in a normalizer must cost one record, not the run.
                    Ok(schema) => match catch_unwind(AssertUnwindSafe(|| {
                        normalize_borrowed(&v, &fields, schema, source, bytes)
                    })) {
                        Ok(result) => result,
                        Err(_) => Err(INTERNAL.to_string()),
                    },
                })
            }
        };
        match step {
            None => Prepared::Envelope(v),
            Some(Err(reason)) => Prepared::Rejected(reason),
            Some(Ok(mut e)) => {
                e.raw = v;
                Prepared::Normalized(e)
            }
        }
    }

    /// The last steps: an envelope's records in turn, a rejection, or the event's dedup keys
    /// and the caller's map.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        path: &Arc<str>,
        p: Prepared,
        bytes: &[u8],
        is_json: bool,
        record: u64,
        line: Option<u64>,
        out: &mut Vec<Outcome<T>>,
    ) {
        match p {
            Prepared::Envelope(v) => {
                let mut records = Vec::new();
                flatten(v, &mut records);
                for r in records {
                    if is_container(&r) {
                        continue; // flatten only leaves envelopes past its depth limit
                    }
                    let own = sonic_rs::to_vec(&r).unwrap_or_default();
                    self.value(path, r, &own, true, record, line, out);
                }
            }
            Prepared::Rejected(reason) => out.push(reject(path, record, line, reason, bytes)),
            Prepared::Normalized(e) => {
                let keys = keys(&e);
                let kind = (e.log, e.format);
                let json = is_json.then_some(bytes);
                match catch_unwind(AssertUnwindSafe(|| (self.map)(&e, json))) {
                    Ok(item) => out.push(Outcome::Event { keys, kind, item }),
                    Err(_) => out.push(reject(path, record, line, INTERNAL, bytes)),
                }
            }
        }
    }
}

/// Lines a worker takes through each stage together (see [`Worker::json_group`]). 16 and 32
/// measured alike (CPU time of a 200k-event timeline, interleaved runs); a larger group only
/// holds more parsed records at once.
const STAGE_GROUP: usize = 16;

/// The most outcomes a batch reserves room for up front (a 2 MiB batch of 3.4 KB Activity Log
/// records holds ≈620).
const MAX_RESERVED_OUTCOMES: usize = 4096;

/// A record between the first steps and the last. The event is boxed by the normalizer that
/// makes it (an event is 880 bytes; a group's prepared records are collected, iterated and
/// handed on, each a move) and lent to the caller's map, never copied.
enum Prepared {
    Envelope(Value),
    Rejected(String),
    Normalized(Box<Event>),
}

/// The rejection reason of a record that is not JSON.
fn invalid_json(e: &sonic_rs::Error) -> String {
    format!("invalid JSON: {e}")
}

const INTERNAL: &str = "internal error while processing this record (please report)";

fn reject<T>(
    path: &Arc<str>,
    record: u64,
    line: Option<u64>,
    reason: impl Into<String>,
    bytes: &[u8],
) -> Outcome<T> {
    Outcome::Rejected(Reject::new(path.clone(), record, line, reason, bytes))
}
