//! Time ordering with bounded memory.
//!
//! Rows arrive in input order, which is not time order (files overlap, blobs are written as
//! events arrive). Rows are kept in an arena up to a fixed budget; when it is full they are
//! sorted and written to a temporary file as one run (in the background), and at the end the
//! runs and the rows still in memory are merged. Memory therefore stays at the budget (plus
//! the merge's read buffers, a constant shared by all runs) whatever the input size; the cost
//! of a large input is disk space for the runs, which [`run_file`] moves past the page cache.
//! Ties keep input order, so output is deterministic.
//!
//! Runs are merged in tiers so that the number of open run files stays bounded too: when
//! [`FAN_IN`] runs of one tier exist, they are merged into one run of the next tier (the
//! thread feeding rows waits for that merge). Each row is then rewritten once per tier —
//! log base [`FAN_IN`] of the input's size in runs — and at most `FAN_IN - 1` runs per tier
//! are open: a 128 MiB budget first merges after some 6M Activity Log events, and three tiers
//! hold 16 TB of rows.

mod run_file;

use run_file::{RunReader, RunWriter};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, Read, Write};

/// Sort key: instant (seconds, nanoseconds) then input sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub seconds: i64,
    pub nanos: u32,
    pub seq: u64,
}

impl Key {
    fn to_bytes(self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[..8].copy_from_slice(&self.seconds.to_le_bytes());
        b[8..12].copy_from_slice(&self.nanos.to_le_bytes());
        b[12..].copy_from_slice(&self.seq.to_le_bytes());
        b
    }
    fn from_bytes(b: &[u8; 20]) -> Key {
        let mut s = [0u8; 8];
        s.copy_from_slice(&b[..8]);
        let mut n = [0u8; 4];
        n.copy_from_slice(&b[8..12]);
        let mut q = [0u8; 8];
        q.copy_from_slice(&b[12..]);
        Key {
            seconds: i64::from_le_bytes(s),
            nanos: u32::from_le_bytes(n),
            seq: u64::from_le_bytes(q),
        }
    }
}

/// Collects rows and writes them in key order.
///
/// The budget is split in two halves: while one half fills, the other is sorted and written to
/// its run file by a background thread, so the thread feeding rows (which also feeds the
/// workers) never waits for the disk.
pub struct Sorter {
    budget: usize,
    arena: Vec<u8>,
    index: Vec<Entry>,
    /// The run being written in the background; it hands its buffers back for reuse.
    writing: Option<std::thread::JoinHandle<io::Result<Spilled>>>,
    /// Spilled runs: the file, its length and its tier (0: written from memory).
    runs: Vec<Run>,
    /// Runs of one tier merged into one of the next ([`FAN_IN`]; smaller in tests).
    fan_in: usize,
    rows: u64,
}

/// Runs of one tier merged together (see the module doc): few enough open files, and a
/// share of the merge's read buffers ([`run_file::read_chunk_for`]) still large enough to
/// read efficiently.
pub const FAN_IN: usize = 64;

struct Run {
    file: File,
    len: u64,
    tier: u32,
}

type Entry = (Key, u32, u32);

struct Spilled {
    file: File,
    len: u64,
    arena: Vec<u8>,
    index: Vec<Entry>,
}

impl Sorter {
    /// A sorter that keeps at most about `budget` bytes of rows in memory.
    pub fn new(budget: usize) -> Sorter {
        Sorter {
            budget: budget.max(1 << 16),
            arena: Vec::new(),
            index: Vec::new(),
            writing: None,
            runs: Vec::new(),
            fan_in: FAN_IN,
            rows: 0,
        }
    }

    /// A sorter that merges runs `fan_in` at a time (at least 2), for tests of the tiers.
    #[cfg(test)]
    fn with_fan_in(budget: usize, fan_in: usize) -> Sorter {
        Sorter {
            fan_in: fan_in.max(2),
            ..Sorter::new(budget)
        }
    }

    /// Number of sorted runs spilled to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len() + usize::from(self.writing.is_some())
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Bytes of rows and index entries one half of the budget holds.
    fn half(&self) -> (usize, usize) {
        let half = self.budget / 2;
        (half / 4 * 3, (half / 4) / std::mem::size_of::<Entry>())
    }

    pub fn push(&mut self, key: Key, row: &[u8]) -> io::Result<()> {
        self.push_parts(key, &[row])
    }

    /// [`Sorter::push`] of one row given in pieces, stored as their concatenation (no
    /// intermediate buffer).
    pub fn push_parts(&mut self, key: Key, parts: &[&[u8]]) -> io::Result<()> {
        let row_len: usize = parts.iter().map(|p| p.len()).sum();
        let (arena_budget, index_budget) = self.half();
        if !self.index.is_empty()
            && (self.arena.len() + row_len > arena_budget || self.index.len() >= index_budget)
        {
            self.spill()?;
        }
        if self.arena.capacity() == 0 {
            self.arena.reserve_exact(arena_budget.max(row_len));
        }
        let start = self.arena.len();
        for p in parts {
            self.arena.extend_from_slice(p);
        }
        let len = u32::try_from(row_len).map_err(|_| io::Error::other("row over 4 GiB"))?;
        let start = u32::try_from(start).map_err(|_| io::Error::other("sort arena over 4 GiB"))?;
        self.index.push((key, start, len));
        self.rows += 1;
        Ok(())
    }

    /// Waits for the run being written, keeping its file and reusing its buffers.
    fn finish_writing(&mut self) -> io::Result<Option<(Vec<u8>, Vec<Entry>)>> {
        let Some(handle) = self.writing.take() else {
            return Ok(None);
        };
        let spilled = joined(handle)?;
        self.runs.push(Run {
            file: spilled.file,
            len: spilled.len,
            tier: 0,
        });
        self.merge_full_tiers()?;
        Ok(Some((spilled.arena, spilled.index)))
    }

    /// Merges the runs of any tier that has [`Sorter::fan_in`] of them into one run of the
    /// next tier, repeatedly (a merge can fill the next tier).
    fn merge_full_tiers(&mut self) -> io::Result<()> {
        loop {
            let Some(tier) = self
                .runs
                .iter()
                .map(|r| r.tier)
                .find(|t| self.runs.iter().filter(|r| r.tier == *t).count() >= self.fan_in)
            else {
                return Ok(());
            };
            let (group, rest): (Vec<Run>, Vec<Run>) = std::mem::take(&mut self.runs)
                .into_iter()
                .partition(|r| r.tier == tier);
            self.runs = rest;
            let size: u64 = group.iter().map(|r| r.len).sum();
            let mut w = RunWriter::new(run_file::create()?, size);
            merge(group, Vec::new(), &mut |key, row| {
                let len =
                    u32::try_from(row.len()).map_err(|_| io::Error::other("row over 4 GiB"))?;
                w.write_all(&key.to_bytes())?;
                w.write_all(&len.to_le_bytes())?;
                w.write_all(row)
            })?;
            let (file, len) = w.finish()?;
            self.runs.push(Run {
                file,
                len,
                tier: tier + 1,
            });
        }
    }

    fn spill(&mut self) -> io::Result<()> {
        let reuse = self.finish_writing()?;
        let (mut next_arena, mut next_index) = reuse.unwrap_or_default();
        next_arena.clear();
        next_index.clear();
        let arena = std::mem::replace(&mut self.arena, next_arena);
        let index = std::mem::replace(&mut self.index, next_index);
        self.writing = Some(std::thread::spawn(move || write_run(arena, index)));
        Ok(())
    }

    /// Hands every row, in key order, to `each` (for outputs that frame rows, e.g. a JSON array).
    pub fn finish_rows(mut self, each: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        if self.runs.is_empty() && self.writing.is_none() {
            self.index.sort_unstable_by_key(|(k, _, _)| *k);
            for (_, start, len) in &self.index {
                let s = *start as usize;
                each(&self.arena[s..s + *len as usize])?;
            }
            return Ok(());
        }
        // The rows still in memory join the merge from memory: those not spilled, and those of
        // the run written last, whose buffers come back with its file (which is then not read):
        // reading them from disk would cost two runs' worth of the merge's disk traffic.
        let mut in_memory = Vec::with_capacity(2);
        if let Some(handle) = self.writing.take() {
            let spilled = joined(handle)?;
            // Already sorted by `write_run`.
            in_memory.push((spilled.arena, spilled.index));
        }
        let mut last = std::mem::take(&mut self.index);
        last.sort_unstable_by_key(|(k, _, _)| *k);
        in_memory.push((std::mem::take(&mut self.arena), last));
        let runs = std::mem::take(&mut self.runs);
        merge(runs, in_memory, &mut |_, row| each(row))
    }
}

/// Merges spilled runs and sorted in-memory rows (arena, sorted index), handing every row in
/// key order to `each`.
fn merge(
    runs: Vec<Run>,
    in_memory: Vec<(Vec<u8>, Vec<Entry>)>,
    each: &mut dyn FnMut(Key, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let in_memory = in_memory.into_iter().map(|(arena, index)| RunRows {
        source: Source::Memory {
            arena,
            index: index.into_iter(),
        },
        row: Vec::new(),
    });
    let chunk = run_file::read_chunk_for(runs.len());
    let (requests, served) = crossbeam_channel::unbounded();
    std::thread::scope(|scope| {
        scope.spawn(move || run_file::serve(served));
        // The readers hold the only senders: when they are dropped the server stops.
        let mut readers: Vec<RunRows> = runs
            .into_iter()
            .map(|r| RunRows {
                source: Source::File(RunReader::new(r.file, r.len, requests.clone(), chunk)),
                row: Vec::new(),
            })
            .chain(in_memory)
            .collect();
        drop(requests);
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(k) = r.next()? {
                heap.push(Reverse((k, i)));
            }
        }
        while let Some(Reverse((key, i))) = heap.pop() {
            let r = &mut readers[i];
            each(key, &r.row)?;
            if let Some(k) = r.next()? {
                heap.push(Reverse((k, i)));
            }
        }
        Ok(())
    })
}

/// The run a spill thread wrote (its file and its buffers back).
fn joined(handle: std::thread::JoinHandle<io::Result<Spilled>>) -> io::Result<Spilled> {
    handle
        .join()
        .map_err(|_| io::Error::other("the sort spill thread failed"))?
}

/// Bytes before each row in a run file: its key and its length.
const ROW_HEADER: usize = 20 + 4;

/// Sorts one half-budget of rows and writes it as a run: key, length, bytes per row.
fn write_run(arena: Vec<u8>, mut index: Vec<Entry>) -> io::Result<Spilled> {
    index.sort_unstable_by_key(|(k, _, _)| *k);
    let size: u64 = index
        .iter()
        .map(|(_, _, len)| (ROW_HEADER + *len as usize) as u64)
        .sum();
    let mut w = RunWriter::new(run_file::create()?, size);
    for (key, start, len) in &index {
        w.write_all(&key.to_bytes())?;
        w.write_all(&len.to_le_bytes())?;
        let s = *start as usize;
        w.write_all(&arena[s..s + *len as usize])?;
    }
    let (file, len) = w.finish()?;
    Ok(Spilled {
        file,
        len,
        arena,
        index,
    })
}

/// A run being merged: where its rows come from and the current row.
struct RunRows {
    source: Source,
    row: Vec<u8>,
}

enum Source {
    File(RunReader),
    /// The last rows, never spilled: the arena and their sorted index.
    Memory {
        arena: Vec<u8>,
        index: std::vec::IntoIter<Entry>,
    },
}

impl RunRows {
    fn next(&mut self) -> io::Result<Option<Key>> {
        let r = match &mut self.source {
            Source::File(r) => r,
            Source::Memory { arena, index } => {
                let Some((key, start, len)) = index.next() else {
                    return Ok(None);
                };
                let s = start as usize;
                self.row.clear();
                self.row.extend_from_slice(&arena[s..s + len as usize]);
                return Ok(Some(key));
            }
        };
        let mut kb = [0u8; 20];
        match r.read_exact(&mut kb) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut lb = [0u8; 4];
        r.read_exact(&mut lb)?;
        self.row.resize(u32::from_le_bytes(lb) as usize, 0);
        r.read_exact(&mut self.row)?;
        Ok(Some(Key::from_bytes(&kb)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(budget: usize, keys: &[(i64, u32)]) -> (Vec<String>, usize) {
        sorted_with(Sorter::new(budget), keys)
    }

    fn sorted_with(mut s: Sorter, keys: &[(i64, u32)]) -> (Vec<String>, usize) {
        for (seq, (sec, ns)) in keys.iter().enumerate() {
            let key = Key {
                seconds: *sec,
                nanos: *ns,
                seq: seq as u64,
            };
            s.push(key, format!("{sec}.{ns}#{seq}\n").as_bytes())
                .unwrap();
        }
        let runs = s.spilled_runs();
        let mut out = Vec::new();
        s.finish_rows(&mut |row| out.write_all(row)).unwrap();
        (
            String::from_utf8(out)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect(),
            runs,
        )
    }

    /// `n` keys in a scrambled order over `seconds` distinct seconds, with `ties` nanosecond values.
    fn scrambled(n: i64, seconds: i64, ties: i64) -> Vec<(i64, u32)> {
        (0..n)
            .map(|i| ((i * 7919) % seconds, (i % ties) as u32))
            .collect()
    }

    #[test]
    fn in_memory_and_spilled_agree() {
        let keys = scrambled(20_000, 1000, 3);
        let (mem, runs0) = sorted(1 << 30, &keys);
        let (disk, runs) = sorted(1 << 16, &keys);
        assert_eq!(runs0, 0);
        assert!(runs > 3, "expected spills, got {runs}");
        assert_eq!(mem, disk);
        assert_eq!(mem.len(), keys.len());
        // Ties keep input order.
        let first: Vec<&String> = mem.iter().filter(|l| l.starts_with("0.0#")).collect();
        let seqs: Vec<u64> = first
            .iter()
            .map(|l| l.split('#').nth(1).unwrap().parse().unwrap())
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    }

    /// Runs merged in tiers (three runs at a time here) give the same output, and the open
    /// runs stay below the fan-in per tier.
    #[test]
    fn tiers_keep_few_runs_and_the_same_order() {
        let keys = scrambled(40_000, 3000, 5);
        let (mem, _) = sorted(1 << 30, &keys);
        let (flat, flat_runs) = sorted(1 << 16, &keys);
        let (tiered, tiered_runs) = sorted_with(Sorter::with_fan_in(1 << 16, 3), &keys);
        assert!(flat_runs > 20, "expected many runs, got {flat_runs}");
        // Per tier at most two runs wait (a third merges them), plus the one being written.
        let tiers = (flat_runs as f64).log(3.0).ceil() as usize + 1;
        assert!(tiered_runs <= 2 * tiers + 1, "{tiered_runs} runs open");
        assert_eq!(mem, flat);
        assert_eq!(mem, tiered);
    }

    proptest::proptest! {
        #[test]
        fn output_is_ordered(keys in proptest::collection::vec((-5i64..5, 0u32..3), 0..300)) {
            let (lines, _) = sorted(1 << 16, &keys);
            let parsed: Vec<(i64, u32, u64)> = lines.iter().map(|l| {
                let (t, seq) = l.split_once('#').unwrap();
                let (s, n) = t.split_once('.').unwrap();
                (s.parse().unwrap(), n.parse().unwrap(), seq.parse().unwrap())
            }).collect();
            proptest::prop_assert!(parsed.windows(2).all(|w| w[0] <= w[1]));
            proptest::prop_assert_eq!(parsed.len(), keys.len());
        }
    }
}
