//! Worker side: bytes of a batch → parsed records → classified → normalized → mapped.
//!
//! Everything that costs CPU per record happens here, on as many threads as there are cores.
//! Each record becomes exactly one outcome per event it holds: an event (with its dedup keys and
//! the caller's mapped value) or a rejection naming the record and the reason.

use crate::classify::{Family, classify};
use crate::dedup::{Keys, keys};
use crate::framing::container::{flatten, is_container, zip_row};
use crate::framing::csv::row_to_value;
use crate::framing::jsonl::for_each_line;
use crate::framing::{Item, Work};
use crate::normalize::normalize;
use crate::summary::Reject;
use azhunt_model::{Event, LogKind, RecordFormat, Source, Value};
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

pub(crate) struct Worker<'a, T, M: Fn(Event) -> T> {
    pub family: Option<Family>,
    pub map: &'a M,
}

impl<T, M: Fn(Event) -> T> Worker<'_, T, M> {
    pub fn process(&self, path: &Arc<str>, work: Work) -> Vec<Outcome<T>> {
        let mut out = Vec::new();
        match work {
            Work::Lines { buf, first_line } => {
                for_each_line(&buf, first_line, |line, bytes| {
                    self.json(path, bytes, line, Some(line), &mut out);
                });
            }
            Work::Items { buf, items } => {
                for item in items {
                    let bytes = buf.get(item.start..item.end).unwrap_or_default();
                    self.item(path, &item, bytes, &mut out);
                }
            }
            Work::Csv { headers, rows } => {
                for row in rows {
                    let bytes = row.cells.as_slice();
                    match row_to_value(&headers, &row.cells) {
                        Ok(v) => self.value(path, v, bytes, row.record, Some(row.line), &mut out),
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
                    self.value(path, v, bytes, item.record, Some(item.line), out);
                }
                Err(e) => out.push(reject(
                    path,
                    item.record,
                    Some(item.line),
                    format!("invalid JSON: {e}"),
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
        let v = match sonic_rs::from_slice::<Value>(bytes) {
            Ok(v) => v,
            Err(e) => {
                out.push(reject(
                    path,
                    record,
                    line,
                    format!("invalid JSON: {e}"),
                    bytes,
                ));
                return;
            }
        };
        if is_container(&v) {
            let mut records = Vec::new();
            flatten(v, &mut records);
            for r in records {
                let own = sonic_rs::to_vec(&r).unwrap_or_default();
                self.value(path, r, &own, record, line, out);
            }
        } else {
            self.value(path, v, bytes, record, line, out);
        }
    }

    fn value(
        &self,
        path: &Arc<str>,
        v: Value,
        bytes: &[u8],
        record: u64,
        line: Option<u64>,
        out: &mut Vec<Outcome<T>>,
    ) {
        let schema = match classify(&v, self.family) {
            Ok(s) => s,
            Err(reason) => {
                out.push(reject(path, record, line, reason, bytes));
                return;
            }
        };
        let source = Source {
            path: path.clone(),
            record,
            line,
        };
        // A bug in a normalizer must cost one record, not the run.
        let result = catch_unwind(AssertUnwindSafe(|| {
            normalize(v, schema, source, bytes).map(|e| {
                let k = keys(&e);
                let kind = (e.log, e.format);
                (k, kind, (self.map)(e))
            })
        }));
        match result {
            Ok(Ok((keys, kind, item))) => out.push(Outcome::Event { keys, kind, item }),
            Ok(Err(reason)) => out.push(reject(path, record, line, reason, bytes)),
            Err(_) => out.push(reject(
                path,
                record,
                line,
                "internal error while normalizing (please report)",
                bytes,
            )),
        }
    }
}

fn reject<T>(
    path: &Arc<str>,
    record: u64,
    line: Option<u64>,
    reason: impl Into<String>,
    bytes: &[u8],
) -> Outcome<T> {
    Outcome::Rejected(Reject::new(path.clone(), record, line, reason, bytes))
}
