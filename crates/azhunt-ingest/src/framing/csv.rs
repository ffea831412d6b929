//! CSV exports: Log Analytics portal downloads, the portal's Activity Log download, PowerShell
//! `Export-Csv`.
//!
//! Cells hold multi-line JSON with CRLF inside quotes, so only a real CSV reader will do. Header
//! names are kept as written (`TimeGenerated [UTC]`), except that empty or repeated names (the
//! Entra portal download repeats `Incoming token type`) get a suffix so no cell is lost. The
//! `#TYPE …` line Windows PowerShell writes above the header is skipped. Each row becomes a JSON
//! object of header → cell text; UTF-8 is checked per row so one bad row is one rejected record.

use super::container::ordered_object;
use super::{BATCH_BYTES, CsvRow, Work};
use sonic_rs::Value;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::rc::Rc;
use std::sync::Arc;

/// Why a CSV file was not read.
#[derive(Debug)]
pub enum CsvStop {
    /// The header does not describe a log export azhunt knows.
    Unrecognized(String),
    Io(std::io::Error),
}

/// Reads a CSV stream. `recognize` sees the first row as an object and may refuse the file.
pub fn read_csv(
    reader: &mut dyn BufRead,
    recognize: &dyn Fn(&Value) -> Result<(), String>,
    emit: &mut dyn FnMut(Work),
) -> Result<(), CsvStop> {
    let mut header_line = 1u64;
    // Skip the `#TYPE` line Windows PowerShell's Export-Csv writes by default.
    if reader
        .fill_buf()
        .map_err(CsvStop::Io)?
        .starts_with(b"#TYPE")
    {
        let mut skipped = Vec::new();
        reader
            .read_until(b'\n', &mut skipped)
            .map_err(CsvStop::Io)?;
        header_line = 2;
    }
    let window = Rc::new(RefCell::new(Window {
        base_line: header_line,
        ..Window::default()
    }));
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter {
            inner: reader,
            window: window.clone(),
        });
    let mut header = ::csv::ByteRecord::new();
    match rdr.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(CsvStop::Unrecognized("empty CSV file".into())),
        Err(e) => return Err(CsvStop::Unrecognized(format!("unreadable CSV header: {e}"))),
    }
    let headers = Arc::new(header_names(&header));
    let mut rows: Vec<CsvRow> = Vec::new();
    let mut bytes = 0usize;
    let mut record = 0u64;
    let mut checked = false;
    loop {
        let mut cells = ::csv::ByteRecord::new();
        match rdr.read_byte_record(&mut cells) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The csv crate only fails on I/O; a malformed quote just ends the record.
                return Err(match e.into_kind() {
                    ::csv::ErrorKind::Io(io) => CsvStop::Io(io),
                    other => CsvStop::Unrecognized(format!("CSV error: {other:?}")),
                });
            }
        }
        if cells.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        record += 1;
        let line = cells
            .position()
            .map(|p| window.borrow_mut().line_at(p.byte()))
            .unwrap_or(0);
        if !checked {
            checked = true;
            if let Ok(first) = row_to_value(&headers, &cells) {
                recognize(&first).map_err(CsvStop::Unrecognized)?;
            }
        }
        bytes += cells.as_slice().len();
        rows.push(CsvRow {
            record,
            line,
            cells,
        });
        if bytes >= BATCH_BYTES / 2 {
            emit(Work::Csv {
                headers: headers.clone(),
                rows: std::mem::take(&mut rows),
            });
            bytes = 0;
        }
    }
    if !checked {
        return Err(CsvStop::Unrecognized(
            "CSV file has a header but no rows".into(),
        ));
    }
    if !rows.is_empty() {
        emit(Work::Csv { headers, rows });
    }
    Ok(())
}

/// Header names, with empty ones named by position and repeats numbered.
fn header_names(header: &::csv::ByteRecord) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let mut name = String::from_utf8_lossy(raw).trim().to_string();
        if name.is_empty() {
            name = format!("column {}", i + 1);
        }
        if names.iter().any(|n| n == &name) {
            let mut k = 2;
            while names.iter().any(|n| *n == format!("{name} ({k})")) {
                k += 1;
            }
            name = format!("{name} ({k})");
        }
        names.push(name);
    }
    names
}

/// A row as an object of header → cell text. Fails on invalid UTF-8, naming the column.
pub fn row_to_value(headers: &[String], cells: &::csv::ByteRecord) -> Result<Value, String> {
    let mut pairs: Vec<(std::borrow::Cow<'_, str>, String)> = Vec::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        let text = std::str::from_utf8(cell).map_err(|e| {
            let col = headers.get(i).map(String::as_str).unwrap_or("?");
            format!(
                "invalid UTF-8 in column {col:?} at byte {}",
                e.valid_up_to()
            )
        })?;
        let name = match headers.get(i) {
            Some(h) => std::borrow::Cow::Borrowed(h.as_str()),
            None => std::borrow::Cow::Owned(format!("column {}", i + 1)),
        };
        pairs.push((name, sonic_rs::to_string(text).unwrap_or_default()));
    }
    Ok(ordered_object(pairs.into_iter()))
}

/// Counts lines of the bytes the CSV parser consumes, so each row can name the line it starts
/// on (the csv crate's own line numbers drift on CRLF files).
struct LineCounter<R> {
    inner: R,
    window: Rc<RefCell<Window>>,
}

#[derive(Default)]
struct Window {
    bytes: VecDeque<u8>,
    /// File offset of `bytes[0]` and the line it is on.
    base_offset: u64,
    base_line: u64,
}

impl Window {
    /// The line of the byte at `offset` (which must not precede earlier queries).
    fn line_at(&mut self, offset: u64) -> u64 {
        let n = offset
            .saturating_sub(self.base_offset)
            .min(self.bytes.len() as u64) as usize;
        let mut n = n;
        // On CRLF files the csv crate reports a record as starting at the `\n` of the previous
        // terminator; a record never starts with `\n`, so that byte belongs before it.
        if self.bytes.get(n) == Some(&b'\n') {
            n += 1;
        }
        let newlines = self.bytes.drain(..n).filter(|b| *b == b'\n').count() as u64;
        self.base_offset += n as u64;
        self.base_line += newlines;
        self.base_line
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.borrow_mut().bytes.extend(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azhunt_model::field::get_str;

    fn read(data: &[u8]) -> Result<Vec<(u64, u64, Value)>, String> {
        let mut out = Vec::new();
        let r = read_csv(&mut std::io::Cursor::new(data), &|_| Ok(()), &mut |w| {
            if let Work::Csv { headers, rows } = w {
                for r in rows {
                    if let Ok(v) = row_to_value(&headers, &r.cells) {
                        out.push((r.record, r.line, v));
                    }
                }
            }
        });
        r.map_err(|e| format!("{e:?}"))?;
        Ok(out)
    }

    #[test]
    fn multiline_cells_repeated_headers_and_type_line() {
        let data = b"#TYPE X.Y\r\nA,B,A,\r\n1,\"{\r\n  \"\"k\"\": 1\r\n}\",3,4\r\n5,6,7,8\r\n";
        let rows = read(data).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, 3);
        assert_eq!(rows[1].1, 6);
        assert_eq!(get_str(&rows[0].2, "B"), Some("{\r\n  \"k\": 1\r\n}"));
        assert_eq!(get_str(&rows[0].2, "A (2)"), Some("3"));
        assert_eq!(get_str(&rows[0].2, "column 4"), Some("4"));
    }

    #[test]
    fn invalid_utf8_names_the_column() {
        let headers = vec!["A".to_string()];
        let mut rec = ::csv::ByteRecord::new();
        rec.push_field(b"ok\xff");
        assert!(row_to_value(&headers, &rec).unwrap_err().contains("\"A\""));
    }

    #[test]
    fn refusal_and_empty_files() {
        let r = read_csv(
            &mut std::io::Cursor::new(b"a,b\n1,2\n".as_slice()),
            &|_| Err("nope".into()),
            &mut |_| {},
        );
        assert!(matches!(r, Err(CsvStop::Unrecognized(m)) if m == "nope"));
        assert!(read(b"a,b\n").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read(&data);
        }
    }
}
