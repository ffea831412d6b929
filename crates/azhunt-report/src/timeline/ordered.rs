//! Rendering ordered rows on every core, written in order.
//!
//! After the merge the rows come out of the sorter one at a time, in time order, as compact
//! encodings; [`crate::in_order`] decodes and renders them on every core (JSON
//! serialization, CSV quoting, the message text are most of the work left) and writes them in
//! the merge's order.

use super::compact::{Scratch, decode_checked};
use super::{RowOptions, render_decoded};
use crate::in_order::render_in_order;
use crate::sort::Sorter;
use std::io::{self, Write};

/// Writes every row of `sorter` in order, rendered as `opts` says, using `threads` render
/// threads (rendering inline when `threads` is 1).
pub fn write_in_order(
    sorter: Sorter,
    opts: RowOptions,
    threads: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let make = || {
        let mut scratch = Scratch::default();
        move |_: u64, row: &[u8], out: &mut Vec<u8>| -> io::Result<()> {
            let d = decode_checked(row, &mut scratch).map_err(io::Error::other)?;
            render_decoded(&d, opts, out);
            Ok(())
        }
    };
    render_in_order(threads, out, make, |feed| {
        sorter.finish_rows(&mut |row| feed.row(row))
    })
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
