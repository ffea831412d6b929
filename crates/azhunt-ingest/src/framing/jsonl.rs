//! JSON Lines: the shape of storage `PT1H.json` blobs and of most large exports.
//!
//! The producer cuts the stream at newline boundaries into batches of about
//! [`super::BATCH_BYTES`], so a single multi-gigabyte blob is still parsed on every core; it only
//! counts newlines to know each batch's first line number. Workers walk the lines.

use super::{BATCH_BYTES, BufferPool, Work};
use std::io::{self, BufRead, Read};

/// Cuts `reader` into [`Work::Lines`] batches (buffers taken from `pool`). A final line without
/// a newline is included.
pub fn chunk_lines(
    reader: &mut dyn BufRead,
    pool: &BufferPool,
    emit: &mut dyn FnMut(Work),
) -> io::Result<()> {
    let mut next_line: u64 = 1;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = pool.take(BATCH_BYTES + carry.len() + 4096);
        buf.append(&mut carry);
        let mut eof = false;
        // Fill to the batch size; keep reading past it only while no newline was seen.
        loop {
            let want = (BATCH_BYTES.saturating_sub(buf.len())).max(64 * 1024) as u64;
            let before = buf.len();
            (&mut *reader).take(want).read_to_end(&mut buf)?;
            if buf.len() == before {
                eof = true;
                break;
            }
            if buf.len() >= BATCH_BYTES && memchr::memrchr(b'\n', &buf[before..]).is_some() {
                break;
            }
            if buf.len() >= BATCH_BYTES && memchr::memrchr(b'\n', &buf).is_some() {
                break;
            }
        }
        if !eof && let Some(last) = memchr::memrchr(b'\n', &buf) {
            carry = buf.split_off(last + 1);
        }
        if !buf.is_empty() {
            let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
            emit(Work::Lines {
                buf,
                first_line: next_line,
                lines,
            });
            next_line += lines;
        }
        if eof {
            return Ok(());
        }
    }
}

/// Calls `f(line_number, line)` for each non-blank line of a batch (CR of CRLF removed).
pub fn for_each_line<'a>(buf: &'a [u8], first_line: u64, mut f: impl FnMut(u64, &'a [u8])) {
    let mut start = 0;
    let mut line = first_line;
    let mut visit = |line: u64, raw: &'a [u8]| {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().any(|b| !b.is_ascii_whitespace()) {
            f(line, raw);
        }
    };
    for nl in memchr::memchr_iter(b'\n', buf) {
        visit(line, &buf[start..nl]);
        start = nl + 1;
        line += 1;
    }
    if start < buf.len() {
        visit(line, &buf[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(data: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let mut works = Vec::new();
        chunk_lines(
            &mut io::Cursor::new(data),
            &BufferPool::default(),
            &mut |w| works.push(w),
        )
        .unwrap();
        let mut out = Vec::new();
        for w in works {
            if let Work::Lines {
                buf, first_line, ..
            } = w
            {
                for_each_line(&buf, first_line, |n, l| out.push((n, l.to_vec())));
            }
        }
        out
    }

    #[test]
    fn numbers_lines_and_skips_blanks() {
        let got = lines_of(b"{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}");
        assert_eq!(
            got,
            vec![
                (1, b"{\"a\":1}".to_vec()),
                (4, b"{\"b\":2}".to_vec()),
                (5, b"{\"c\":3}".to_vec())
            ]
        );
    }

    #[test]
    fn batches_keep_line_numbers_across_boundaries() {
        let mut data = Vec::new();
        let n = 30_000u64;
        for i in 0..n {
            data.extend_from_slice(
                format!("{{\"i\":{i},\"pad\":\"{}\"}}\n", "x".repeat(150)).as_bytes(),
            );
        }
        let got = lines_of(&data);
        assert_eq!(got.len() as u64, n);
        for (k, (line, text)) in got.iter().enumerate() {
            assert_eq!(*line, k as u64 + 1);
            assert!(text.starts_with(format!("{{\"i\":{k},").as_bytes()));
        }
    }

    #[test]
    fn a_line_longer_than_a_batch_stays_whole() {
        let long = format!("{{\"x\":\"{}\"}}", "y".repeat(BATCH_BYTES + 10));
        let data = format!("{{\"a\":1}}\n{long}\n{{\"b\":2}}\n");
        let got = lines_of(data.as_bytes());
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1.len(), long.len());
        assert_eq!(got[2].0, 3);
    }
}
