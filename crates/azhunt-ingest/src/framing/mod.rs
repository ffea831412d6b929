//! Splitting a file into records, per framing, without loading the file.
//!
//! The producer side ([`jsonl::chunk_lines`], [`scanner::scan`], [`csv::read_csv`]) cuts a
//! stream into [`Work`] batches of about [`BATCH_BYTES`]; the worker side parses them. Batches
//! carry enough position information (line, record number) for every warning to name its place.

pub mod container;
pub mod csv;
pub mod jsonl;
pub mod scanner;

use std::sync::Arc;

/// Target size of one batch handed to a worker.
pub const BATCH_BYTES: usize = 2 << 20;

/// A batch of raw records from one file.
#[derive(Debug)]
pub enum Work {
    /// Whole lines of a JSON Lines file; `first_line` is the 1-based number of the first one.
    Lines {
        buf: Vec<u8>,
        first_line: u64,
        /// Newlines in `buf`: the records it holds, give or take a last line and blank ones.
        lines: u64,
    },
    /// Records cut out of structured JSON, each a span of `buf`.
    Items { buf: Vec<u8>, items: Vec<Item> },
    /// CSV rows with the file's header.
    Csv {
        headers: Arc<Vec<String>>,
        rows: Vec<CsvRow>,
    },
    /// A file-level warning that concerns no single record (e.g. an unclosed array).
    Note(String),
}

/// One record of structured JSON.
#[derive(Debug)]
pub struct Item {
    pub record: u64,
    pub line: u64,
    pub start: usize,
    pub end: usize,
    /// Column names when the span is a positional Log Analytics query-API row.
    pub columns: Option<Arc<Vec<String>>>,
    /// Set when the record could not be cut out whole (the span holds what there was).
    pub broken: Option<String>,
}

/// One CSV row: its cells as raw bytes (UTF-8 is checked by the worker, per record).
#[derive(Debug)]
pub struct CsvRow {
    pub record: u64,
    pub line: u64,
    pub cells: ::csv::ByteRecord,
}

/// Batch buffers handed back by the workers for the producer to fill again.
///
/// A batch buffer is allocated on the producer thread and freed on a worker thread; with a
/// fresh 2 MiB allocation per batch the allocator kept returning pages to the system and
/// faulting new, zeroed ones in (a fifth of a timeline's CPU time in `clear_page`). Recycling a
/// bounded number of buffers removes that churn. Empty pools simply allocate.
#[derive(Clone)]
pub struct BufferPool {
    tx: crossbeam_channel::Sender<Vec<u8>>,
    rx: crossbeam_channel::Receiver<Vec<u8>>,
}

impl BufferPool {
    /// A pool keeping at most `keep` spare buffers.
    pub fn new(keep: usize) -> BufferPool {
        let (tx, rx) = crossbeam_channel::bounded(keep.max(1));
        BufferPool { tx, rx }
    }

    /// An empty buffer with at least `capacity` bytes of room.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        match self.rx.try_recv() {
            Ok(mut buf) => {
                buf.clear();
                buf.reserve(capacity);
                buf
            }
            Err(_) => Vec::with_capacity(capacity),
        }
    }

    /// Hands a buffer back; dropped when the pool is full or the buffer is unusually large.
    pub fn give(&self, buf: Vec<u8>) {
        if buf.capacity() <= 4 * BATCH_BYTES {
            let _ = self.tx.try_send(buf);
        }
    }
}

impl Default for BufferPool {
    fn default() -> BufferPool {
        BufferPool::new(8)
    }
}
