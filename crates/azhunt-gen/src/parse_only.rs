//! The "parse-only" baseline: the least work any JSON Lines timeline tool must do.
//!
//! It reads a file in 8 MiB blocks, splits lines with memchr and parses each non-empty line
//! into a `sonic_rs::Value` DOM, touching it (counting top-level keys) so the parse cannot be
//! optimised away. Timeline throughput is reported relative to this number, so it uses one
//! thread by default; `threads > 1` hands whole blocks to worker threads.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use sonic_rs::JsonContainerTrait as _;

/// Read block size.
pub const READ_BLOCK: usize = 8 << 20;

/// Counters of a parse-only pass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ParseStats {
    pub records: u64,
    pub bytes: u64,
    pub errors: u64,
    /// Sum of top-level key counts (the "touch").
    pub keys: u64,
    pub seconds: f64,
}

impl ParseStats {
    fn add(&mut self, o: &ParseStats) {
        self.records += o.records;
        self.errors += o.errors;
        self.keys += o.keys;
    }

    /// Throughput in decimal megabytes per second.
    pub fn mb_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }

    /// The one-line JSON report.
    pub fn to_json(&self, threads: usize) -> String {
        format!(
            r#"{{"records":{},"bytes":{},"seconds":{:.3},"mb_per_s":{:.1},"errors":{},"threads":{},"keys":{}}}"#,
            self.records,
            self.bytes,
            self.seconds,
            self.mb_per_s(),
            self.errors,
            threads,
            self.keys
        )
    }
}

/// Parses every complete line of `data` (which must end at a line boundary or EOF).
pub fn parse_lines(data: &[u8], st: &mut ParseStats) {
    let mut start = 0;
    let mut each = |line: &[u8]| {
        let line = line.trim_ascii();
        if line.is_empty() {
            return;
        }
        st.records += 1;
        match sonic_rs::from_slice::<sonic_rs::Value>(line) {
            Ok(v) => st.keys += v.as_object().map_or(0, |o| o.len()) as u64,
            Err(_) => st.errors += 1,
        }
    };
    for nl in memchr::memchr_iter(b'\n', data) {
        each(&data[start..nl]);
        start = nl + 1;
    }
    if start < data.len() {
        each(&data[start..]);
    }
}

fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::with_capacity(1 << 20, f),
        )))
    } else {
        Ok(Box::new(f))
    }
}

/// Fills `buf[len..]` from `r` until full or EOF; returns the new length.
fn fill(r: &mut dyn Read, buf: &mut [u8], mut len: usize) -> Result<usize> {
    while len < buf.len() {
        match r.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(k) => len += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).context("reading input"),
        }
    }
    Ok(len)
}

/// Reads `r` block by block, handing each run of complete lines to `sink`.
/// `next_buf` supplies an empty buffer for the next block (so buffers can be recycled).
fn read_blocks(
    r: &mut dyn Read,
    mut next_buf: impl FnMut() -> Vec<u8>,
    mut sink: impl FnMut(Vec<u8>, usize) -> Result<()>,
) -> Result<u64> {
    let mut total = 0u64;
    let mut buf = next_buf();
    buf.resize(READ_BLOCK, 0);
    let mut len = 0;
    loop {
        let before = len;
        len = fill(r, &mut buf, len)?;
        total += (len - before) as u64;
        let eof = len < buf.len();
        if eof {
            if len > 0 {
                sink(buf, len)?;
            }
            return Ok(total);
        }
        match memchr::memrchr(b'\n', &buf[..len]) {
            Some(nl) => {
                let mut next = next_buf();
                next.resize(READ_BLOCK.max(len - nl - 1 + READ_BLOCK / 2), 0);
                next[..len - nl - 1].copy_from_slice(&buf[nl + 1..len]);
                let carry = len - nl - 1;
                sink(buf, nl + 1)?;
                buf = next;
                len = carry;
            }
            // A single line longer than the buffer: grow and keep reading.
            None => buf.resize(buf.len() * 2, 0),
        }
    }
}

/// Runs the parse-only pass over `path` with `threads` parser threads.
pub fn run(path: &Path, threads: usize) -> Result<ParseStats> {
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    let started = Instant::now();
    let mut reader = open(path)?;
    let mut stats = ParseStats::default();
    if threads == 1 {
        let spare = std::cell::Cell::new(Vec::new());
        let bytes = read_blocks(
            &mut *reader,
            || spare.take(),
            |buf, len| {
                parse_lines(&buf[..len], &mut stats);
                spare.set(buf);
                Ok(())
            },
        )?;
        stats.bytes = bytes;
    } else {
        let (work_tx, work_rx) = sync_channel::<(Vec<u8>, usize)>(threads * 2);
        let (free_tx, free_rx) = sync_channel::<Vec<u8>>(threads * 4);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let worker_stats = std::thread::scope(|scope| -> Result<Vec<ParseStats>> {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let rx = Arc::clone(&work_rx);
                    let free = free_tx.clone();
                    scope.spawn(move || {
                        let mut st = ParseStats::default();
                        loop {
                            let job = match rx.lock() {
                                Ok(g) => g.recv(),
                                Err(_) => break,
                            };
                            let Ok((buf, len)) = job else { break };
                            parse_lines(&buf[..len], &mut st);
                            let _ = free.try_send(buf);
                        }
                        st
                    })
                })
                .collect();
            drop(free_tx);
            let read = read_blocks(
                &mut *reader,
                || free_rx.try_recv().unwrap_or_default(),
                |buf, len| work_tx.send((buf, len)).context("parser threads stopped"),
            );
            drop(work_tx);
            let mut all = Vec::with_capacity(threads);
            for h in handles {
                match h.join() {
                    Ok(st) => all.push(st),
                    Err(_) => bail!("parser thread panicked"),
                }
            }
            stats.bytes = read?;
            Ok(all)
        })?;
        for st in &worker_stats {
            stats.add(st);
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_records_and_errors() {
        let mut st = ParseStats::default();
        parse_lines(b"{\"a\":1,\"b\":2}\n\n  \n{bad\n{\"c\":[1]}", &mut st);
        assert_eq!(st.records, 3);
        assert_eq!(st.errors, 1);
        assert_eq!(st.keys, 3);
    }

    #[test]
    fn blocks_split_only_at_newlines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.jsonl");
        let line = format!("{{\"k\":\"{}\"}}\n", "x".repeat(1000));
        let n = READ_BLOCK / line.len() * 3 + 7;
        std::fs::write(&path, line.repeat(n)).expect("write");
        for threads in [1, 2, 3] {
            let st = run(&path, threads).expect("run");
            assert_eq!(st.records, n as u64, "threads={threads}");
            assert_eq!(st.errors, 0);
            assert_eq!(st.bytes, (line.len() * n) as u64);
        }
    }
}
