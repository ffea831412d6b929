//! Temporary files for sorted runs, written and read past the page cache where possible.
//!
//! A run is written once, read once, sequentially, and deleted. Through the page cache every
//! byte of it lands in a page the process has not touched before; on the virtual machines this
//! project is measured on (and CI runs on), filling fresh page-cache pages cost about 2.5 ms of
//! kernel time per MB — spilling the 576 MB of rows of a million-event timeline took 1.5–2 s of
//! CPU, a quarter of the whole run — while the disk itself moves 1.4–2 GB/s with direct I/O and
//! next to no CPU. So runs are opened with `O_DIRECT` and moved in large aligned blocks; the
//! price is that the merge reads them from the disk, not from memory (one thread reads ahead,
//! [`serve`]).
//!
//! Direct I/O wants the buffer, the file offset and the length aligned to the device's block
//! size; [`BLOCK`] (4 KiB) covers the devices in use. The last block of a run is padded with
//! zeros and the run's logical length kept, so readers never see the padding. Where direct
//! I/O is not available (a file system without `O_DIRECT` or `O_TMPFILE`, another OS) or a
//! direct transfer is refused, the same code runs through the page cache: only the speed
//! differs.

use crossbeam_channel::{Receiver, Sender, bounded};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::sync::Arc;

/// Alignment of buffers, offsets and lengths for direct I/O.
pub(super) const BLOCK: usize = 4096;
/// Bytes per write call.
const WRITE_CHUNK: usize = 1 << 20;
/// Read buffers of a whole merge, all runs together: a constant, so a merge of many runs
/// reads in smaller chunks rather than holding more memory.
const MERGE_BUFFERS: usize = 32 << 20;
/// Bounds of a read chunk (the virtual disk measured 1.3 GB/s reading 256 KiB blocks, 1.7
/// GB/s with 1 MiB; a 1M-event merge waited 10–20% less on 1 MiB than on 512 KiB chunks).
const READ_CHUNK_MAX: usize = 1 << 20;
const READ_CHUNK_MIN: usize = 64 << 10;
/// Chunks of each run read ahead of the one being merged. The serving thread competes for
/// the cores with the merge and the renderers; a few chunks of slack let it run late without
/// the merge waiting. A merge holds `READ_AHEAD + 1` chunks per run.
const READ_AHEAD: usize = 2;

/// A block-aligned buffer (safe Rust: an aligned window of a larger vector).
struct Aligned {
    storage: Vec<u8>,
    offset: usize,
    len: usize,
}

impl Aligned {
    fn new(len: usize) -> Aligned {
        let storage = vec![0u8; len + BLOCK];
        let offset = storage.as_ptr().align_offset(BLOCK).min(BLOCK);
        Aligned {
            storage,
            offset,
            len,
        }
    }

    fn buf(&mut self) -> &mut [u8] {
        &mut self.storage[self.offset..self.offset + self.len]
    }
}

/// Opens an anonymous temporary file for a run (in the system's temporary directory,
/// `TMPDIR`), with direct I/O when the system allows it.
pub(super) fn create() -> io::Result<File> {
    let dir = std::env::temp_dir();
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDWR | OFlags::TMPFILE | OFlags::CLOEXEC | OFlags::DIRECT;
        if let Ok(fd) = rustix::fs::open(&dir, flags, Mode::RUSR | Mode::WUSR) {
            return Ok(File::from(fd));
        }
    }
    tempfile::tempfile_in(&dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("creating a temporary file in {}: {e}", dir.display()),
        )
    })
}

/// Turns direct I/O off for `file` after the system refused a direct transfer.
fn buffered(file: &File) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        let flags = rustix::fs::fcntl_getfl(file)?;
        if flags.contains(OFlags::DIRECT) {
            rustix::fs::fcntl_setfl(file, flags - OFlags::DIRECT)?;
            return Ok(());
        }
    }
    let _ = file;
    Err(io::Error::other(
        "direct I/O refused on a file opened without it",
    ))
}

/// Whether an error is the system refusing a direct transfer (rather than a real failure).
fn refused(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidInput
}

/// Allocates a run file's blocks up front where the file system can (one extent instead of a
/// block allocation per write).
fn reserve(file: &File, size: u64) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::fs::fallocate(file, rustix::fs::FallocateFlags::empty(), 0, size);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, size);
}

/// Writes a run in aligned chunks; [`RunWriter::finish`] pads the last one.
pub(super) struct RunWriter {
    file: File,
    buf: Aligned,
    fill: usize,
    len: u64,
}

impl RunWriter {
    /// A writer of a run of about `size` bytes (used to allocate the file's blocks).
    pub(super) fn new(file: File, size: u64) -> RunWriter {
        reserve(&file, size.next_multiple_of(BLOCK as u64));
        RunWriter {
            file,
            buf: Aligned::new(WRITE_CHUNK),
            fill: 0,
            len: 0,
        }
    }

    /// Writes the first `n` bytes of the buffer (a multiple of [`BLOCK`]).
    fn flush_blocks(&mut self, n: usize) -> io::Result<()> {
        let RunWriter { file, buf, .. } = self;
        let data = &buf.buf()[..n];
        let mut done = 0;
        while done < data.len() {
            match file.write(&data[done..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => done += k,
                // A refused direct write wrote nothing: go on through the page cache.
                Err(e) if refused(&e) => buffered(file)?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The file, rewound, and the run's length without padding.
    pub(super) fn finish(mut self) -> io::Result<(File, u64)> {
        if self.fill > 0 {
            let padded = self.fill.next_multiple_of(BLOCK);
            let fill = self.fill;
            self.buf.buf()[fill..padded].fill(0);
            self.flush_blocks(padded)?;
        }
        self.file.rewind()?;
        Ok((self.file, self.len))
    }
}

impl Write for RunWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.fill == WRITE_CHUNK {
            self.flush_blocks(WRITE_CHUNK)?;
            self.fill = 0;
        }
        let n = data.len().min(WRITE_CHUNK - self.fill);
        let fill = self.fill;
        self.buf.buf()[fill..fill + n].copy_from_slice(&data[..n]);
        self.fill += n;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A chunk to read: the run, the buffer to fill, where to send it filled.
pub(super) struct Request {
    file: Arc<File>,
    buf: Aligned,
    reply: Sender<(Aligned, io::Result<usize>)>,
}

/// Serves read requests in order until every sender is gone: one thread reads ahead for all
/// runs of a merge, so the merging thread rarely waits for the disk.
pub(super) fn serve(requests: Receiver<Request>) {
    for mut r in requests {
        let n = read_chunk(&r.file, &mut r.buf);
        // A reader that went away needs no answer.
        let _ = r.reply.send((r.buf, n));
    }
}

/// Reads the next chunk of `file` (whole blocks: runs are padded to a block).
fn read_chunk(file: &File, buf: &mut Aligned) -> io::Result<usize> {
    let mut reader = file;
    loop {
        match reader.read(buf.buf()) {
            Err(e) if refused(&e) => buffered(file)?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Reads a run back in aligned chunks, one chunk ahead, stopping at its logical length.
pub(super) struct RunReader {
    file: Arc<File>,
    current: Aligned,
    start: usize,
    end: usize,
    /// Logical bytes not yet handed out.
    left: u64,
    /// Bytes of the file not yet asked for.
    unrequested: u64,
    requests: Sender<Request>,
    replies: Receiver<(Aligned, io::Result<usize>)>,
    reply: Sender<(Aligned, io::Result<usize>)>,
}

/// The read chunk for a merge of `runs` runs: [`MERGE_BUFFERS`] shared out, whole blocks.
pub(super) fn read_chunk_for(runs: usize) -> usize {
    let share = MERGE_BUFFERS / (runs.max(1) * (READ_AHEAD + 1));
    share.clamp(READ_CHUNK_MIN, READ_CHUNK_MAX) / BLOCK * BLOCK
}

impl RunReader {
    /// A reader of a run of `len` logical bytes, read `chunk` bytes (a multiple of [`BLOCK`])
    /// at a time by the thread that `requests` reaches (see [`serve`]).
    pub(super) fn new(file: File, len: u64, requests: Sender<Request>, chunk: usize) -> RunReader {
        let (reply, replies) = bounded(READ_AHEAD);
        let mut r = RunReader {
            file: Arc::new(file),
            current: Aligned::new(chunk),
            start: 0,
            end: 0,
            left: len,
            unrequested: len.next_multiple_of(BLOCK as u64),
            requests,
            replies,
            reply,
        };
        for _ in 0..READ_AHEAD {
            r.request(Aligned::new(chunk));
        }
        r
    }

    /// Asks for the next chunk into `buf`, if the file has more.
    fn request(&mut self, buf: Aligned) {
        if self.unrequested == 0 {
            return;
        }
        self.unrequested = self.unrequested.saturating_sub(buf.len as u64);
        // If the serving thread is gone, `refill` reports it.
        let _ = self.requests.send(Request {
            file: Arc::clone(&self.file),
            buf,
            reply: self.reply.clone(),
        });
    }

    /// Takes the chunk read ahead and asks for the one after it into the spent buffer.
    fn refill(&mut self) -> io::Result<()> {
        let (filled, n) = self
            .replies
            .recv()
            .map_err(|_| io::Error::other("sort run reader stopped"))?;
        let n = n?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "sort run file ended early",
            ));
        }
        let spent = std::mem::replace(&mut self.current, filled);
        self.request(spent);
        self.start = 0;
        self.end = n;
        Ok(())
    }
}

impl Read for RunReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || out.is_empty() {
            return Ok(0);
        }
        if self.start == self.end {
            self.refill()?;
        }
        let avail = (self.end - self.start).min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = avail.min(out.len());
        let start = self.start;
        out[..n].copy_from_slice(&self.current.buf()[start..start + n]);
        self.start += n;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(file: File, len: u64) -> Vec<u8> {
        let (tx, rx) = crossbeam_channel::unbounded();
        std::thread::scope(|scope| {
            scope.spawn(move || serve(rx));
            let mut back = Vec::new();
            RunReader::new(file, len, tx, READ_CHUNK_MIN)
                .read_to_end(&mut back)
                .unwrap();
            back
        })
    }

    /// Every length around the chunk and block boundaries reads back exactly, padding unseen.
    #[test]
    fn runs_round_trip_across_block_and_chunk_edges() {
        for len in [
            0,
            1,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            READ_CHUNK_MIN + 3,
            WRITE_CHUNK - 1,
            WRITE_CHUNK,
            WRITE_CHUNK + 7,
            2 * WRITE_CHUNK + BLOCK,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let mut w = RunWriter::new(create().unwrap(), len as u64);
            // Uneven pieces, as rows arrive.
            for piece in data.chunks(777) {
                w.write_all(piece).unwrap();
            }
            let (file, logical) = w.finish().unwrap();
            assert_eq!(logical, len as u64);
            let back = read_back(file, logical);
            assert_eq!(back.len(), data.len(), "length {len}");
            assert!(back == data, "content differs at length {len}");
        }
    }

    #[test]
    fn merge_buffers_stay_bounded() {
        for runs in [1, 12, 100, 10_000] {
            let c = read_chunk_for(runs);
            assert_eq!(c % BLOCK, 0);
            assert!((READ_CHUNK_MIN..=READ_CHUNK_MAX).contains(&c));
            // Within the shared budget, unless already at the smallest chunk.
            assert!(c == READ_CHUNK_MIN || c * runs * (READ_AHEAD + 1) <= MERGE_BUFFERS);
        }
        assert_eq!(read_chunk_for(1), READ_CHUNK_MAX);
    }

    #[test]
    fn a_buffered_file_takes_the_same_path() {
        let mut w = RunWriter::new(tempfile::tempfile().unwrap(), 10);
        w.write_all(b"0123456789").unwrap();
        let (file, len) = w.finish().unwrap();
        assert_eq!(read_back(file, len), b"0123456789");
    }
}
