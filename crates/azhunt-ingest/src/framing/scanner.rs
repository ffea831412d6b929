//! A streaming scanner for structured JSON files.
//!
//! A PowerShell `ConvertTo-Json` export or an `az` dump is one huge array; a collector's output
//! may be many `{"value":[…],"nextLink":…}` pages back to back; a Log Analytics query-API answer
//! is one `{"tables":[…]}` object. Loading such files whole would make memory grow with the
//! evidence, so this scanner walks the top level of the stream and cuts out each record's bytes
//! (string- and escape-aware bracket matching) without building a document: elements of
//! top-level arrays, of envelope `value` / `records` arrays, and query-API `rows` (tagged with
//! their column names). Any other top-level value is one record. Parsing is left to the workers.
//! A record cut short by the end of the file is handed on marked broken, never dropped.

use super::container::column_names;
use super::{BATCH_BYTES, Item, Work};
use std::io::{self, BufRead};
use std::sync::Arc;

const LIST_KEYS: [&str; 2] = ["value", "records"];

/// Scans a structured JSON stream, emitting batches of records.
pub fn scan(reader: &mut dyn BufRead, emit: &mut dyn FnMut(Work)) -> io::Result<()> {
    let mut s = Scanner {
        src: reader,
        line: 1,
        record: 0,
        batch: Vec::new(),
        items: Vec::new(),
        emit,
    };
    let result = s.top_level();
    s.flush();
    result
}

struct Scanner<'a> {
    src: &'a mut dyn BufRead,
    line: u64,
    record: u64,
    batch: Vec<u8>,
    items: Vec<Item>,
    emit: &'a mut dyn FnMut(Work),
}

/// Where a value being copied has got to.
#[derive(Default)]
struct ValueState {
    started: bool,
    scalar: bool,
    in_str: bool,
    esc: bool,
    depth: u32,
}

impl ValueState {
    /// Feeds the next bytes; returns how many of them complete the value, if it ends here.
    fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            if !self.started {
                self.started = true;
                match b {
                    b'{' | b'[' => self.depth = 1,
                    b'"' => self.in_str = true,
                    _ => self.scalar = true,
                }
                i += 1;
                continue;
            }
            if self.scalar {
                if matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace() {
                    return Some(i);
                }
                i += 1;
                continue;
            }
            if self.in_str {
                if self.esc {
                    self.esc = false;
                    i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                    None => return None,
                    Some(k) => {
                        i += k;
                        if chunk[i] == b'\\' {
                            self.esc = true;
                        } else {
                            self.in_str = false;
                            if self.depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        i += 1;
                    }
                }
                continue;
            }
            match b {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A bare scalar (number, literal) is complete at end of input; anything else is cut short.
    fn complete_at_eof(&self) -> bool {
        self.scalar
    }
}

impl Scanner<'_> {
    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.src.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> io::Result<()> {
        if let Some(b) = self.peek()? {
            self.src.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(())
    }

    fn skip_ws(&mut self, mut copy: Option<&mut Vec<u8>>) -> io::Result<()> {
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(buf.len());
            self.line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            if let Some(c) = copy.as_deref_mut() {
                c.extend_from_slice(&buf[..n]);
            }
            let done = n < buf.len();
            self.src.consume(n);
            if done {
                return Ok(());
            }
        }
    }

    /// Copies one JSON value into `out`; `false` when the input ended first.
    fn copy_value(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        let mut st = ValueState::default();
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(st.complete_at_eof());
            }
            let (n, done) = match st.feed(buf) {
                Some(n) => (n, true),
                None => (buf.len(), false),
            };
            out.extend_from_slice(&buf[..n]);
            self.line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            self.src.consume(n);
            if done {
                return Ok(true);
            }
        }
    }

    fn top_level(&mut self) -> io::Result<()> {
        loop {
            self.skip_ws(None)?;
            match self.peek()? {
                None => return Ok(()),
                Some(b'[') => {
                    self.bump()?;
                    self.array(None)?;
                }
                Some(b'{') => self.top_object()?,
                Some(_) => self.junk_line("not a JSON value")?,
            }
        }
    }

    /// Elements of an array whose opening bracket was consumed.
    fn array(&mut self, columns: Option<Arc<Vec<String>>>) -> io::Result<()> {
        loop {
            self.skip_ws(None)?;
            match self.peek()? {
                None => {
                    self.note("the file ends inside a JSON array (truncated?)");
                    return Ok(());
                }
                Some(b']') => return self.bump(),
                Some(b',') => self.bump()?,
                Some(_) => self.element(columns.clone())?,
            }
        }
    }

    fn element(&mut self, columns: Option<Arc<Vec<String>>>) -> io::Result<()> {
        self.record += 1;
        let line = self.line;
        let start = self.batch.len();
        let mut batch = std::mem::take(&mut self.batch);
        let complete = self.copy_value(&mut batch);
        self.batch = batch;
        let complete = complete?;
        self.push_item(start, line, columns, complete);
        Ok(())
    }

    fn push_item(
        &mut self,
        start: usize,
        line: u64,
        columns: Option<Arc<Vec<String>>>,
        complete: bool,
    ) {
        self.items.push(Item {
            record: self.record,
            line,
            start,
            end: self.batch.len(),
            columns,
            broken: (!complete).then(|| "truncated: the file ends inside this record".to_string()),
        });
        if self.batch.len() >= BATCH_BYTES {
            self.flush();
        }
    }

    /// A top-level object: an envelope whose record list is streamed, or one record.
    fn top_object(&mut self) -> io::Result<()> {
        let line = self.line;
        let mut tmp = vec![b'{'];
        self.bump()?;
        let mut envelope = false;
        loop {
            self.skip_ws((!envelope).then_some(&mut tmp))?;
            match self.peek()? {
                None => {
                    if envelope {
                        self.note("the file ends inside a JSON object (truncated?)");
                    } else {
                        self.record_from(tmp, line, false);
                    }
                    return Ok(());
                }
                Some(b'}') => {
                    self.bump()?;
                    if !envelope {
                        tmp.push(b'}');
                        self.record_from(tmp, line, true);
                    }
                    return Ok(());
                }
                Some(b',') => {
                    self.bump()?;
                    if !envelope {
                        tmp.push(b',');
                    }
                }
                Some(b'"') => {
                    let mut key_raw = Vec::new();
                    self.copy_value(&mut key_raw)?;
                    let key: String = sonic_rs::from_slice(&key_raw).unwrap_or_default();
                    self.skip_ws(None)?;
                    if self.peek()? != Some(b':') {
                        tmp.extend_from_slice(&key_raw);
                        return self.broken_rest(tmp, line, envelope);
                    }
                    self.bump()?;
                    self.skip_ws(None)?;
                    let opens_array = self.peek()? == Some(b'[');
                    if opens_array && LIST_KEYS.iter().any(|k| k.eq_ignore_ascii_case(&key)) {
                        envelope = true;
                        self.bump()?;
                        self.array(None)?;
                    } else if opens_array && key.eq_ignore_ascii_case("tables") {
                        envelope = true;
                        self.bump()?;
                        self.tables()?;
                    } else if envelope {
                        let mut skipped = Vec::new();
                        self.copy_value(&mut skipped)?;
                    } else {
                        tmp.extend_from_slice(&key_raw);
                        tmp.push(b':');
                        self.copy_value(&mut tmp)?;
                    }
                }
                Some(_) => return self.broken_rest(tmp, line, envelope),
            }
        }
    }

    /// Malformed object: what was read plus the rest of the line becomes one broken record.
    fn broken_rest(&mut self, mut tmp: Vec<u8>, line: u64, envelope: bool) -> io::Result<()> {
        self.take_line(&mut tmp)?;
        if envelope {
            self.note(&format!(
                "line {line}: malformed JSON envelope; skipped to the next line"
            ));
        } else {
            self.record_from(tmp, line, false);
        }
        Ok(())
    }

    fn record_from(&mut self, bytes: Vec<u8>, line: u64, complete: bool) {
        self.record += 1;
        let start = self.batch.len();
        self.batch.extend_from_slice(&bytes);
        self.push_item(start, line, None, complete);
        if !complete && let Some(item) = self.items.last_mut() {
            item.broken = Some("malformed or truncated JSON object".into());
        }
    }

    /// `tables: [ {name, columns, rows}, … ]` of a Log Analytics query-API answer.
    fn tables(&mut self) -> io::Result<()> {
        loop {
            self.skip_ws(None)?;
            match self.peek()? {
                None => {
                    self.note("the file ends inside `tables` (truncated?)");
                    return Ok(());
                }
                Some(b']') => return self.bump(),
                Some(b',') => self.bump()?,
                Some(b'{') => {
                    self.bump()?;
                    self.table()?;
                }
                Some(_) => return self.junk_line("malformed `tables` entry"),
            }
        }
    }

    fn table(&mut self) -> io::Result<()> {
        let mut columns: Option<Arc<Vec<String>>> = None;
        loop {
            self.skip_ws(None)?;
            match self.peek()? {
                None => return Ok(()),
                Some(b'}') => return self.bump(),
                Some(b',') => self.bump()?,
                Some(b'"') => {
                    let mut key_raw = Vec::new();
                    self.copy_value(&mut key_raw)?;
                    let key: String = sonic_rs::from_slice(&key_raw).unwrap_or_default();
                    self.skip_ws(None)?;
                    self.bump()?; // ':'
                    self.skip_ws(None)?;
                    if key.eq_ignore_ascii_case("rows") && self.peek()? == Some(b'[') {
                        if columns.is_none() {
                            self.note(
                                "query-API rows come before their columns; rows read without names",
                            );
                        }
                        self.bump()?;
                        self.array(Some(columns.clone().unwrap_or_default()))?;
                    } else {
                        let mut raw = Vec::new();
                        self.copy_value(&mut raw)?;
                        if key.eq_ignore_ascii_case("columns") {
                            let v: Option<sonic_rs::Value> = sonic_rs::from_slice(&raw).ok();
                            columns = Some(Arc::new(column_names(v.as_ref())));
                        }
                    }
                }
                Some(_) => return self.junk_line("malformed query-API table"),
            }
        }
    }

    /// Text that is not JSON: the rest of the line becomes one broken record.
    fn junk_line(&mut self, reason: &str) -> io::Result<()> {
        let line = self.line;
        let mut tmp = Vec::new();
        self.take_line(&mut tmp)?;
        self.record_from(tmp, line, false);
        if let Some(item) = self.items.last_mut() {
            item.broken = Some(reason.to_string());
        }
        Ok(())
    }

    fn take_line(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    out.extend_from_slice(&buf[..i]);
                    self.src.consume(i + 1);
                    self.line += 1;
                    return Ok(());
                }
                None => {
                    out.extend_from_slice(buf);
                    let n = buf.len();
                    self.src.consume(n);
                }
            }
        }
    }

    fn note(&mut self, text: &str) {
        self.flush();
        (self.emit)(Work::Note(text.to_string()));
    }

    fn flush(&mut self) {
        if !self.items.is_empty() {
            let buf = std::mem::take(&mut self.batch);
            let items = std::mem::take(&mut self.items);
            (self.emit)(Work::Items { buf, items });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (record, line, text, broken) of one item.
    type Cut = (u64, u64, String, bool);

    /// Every item, plus notes.
    fn run(data: &str) -> (Vec<Cut>, Vec<String>) {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        scan(&mut io::Cursor::new(data.as_bytes()), &mut |w| match w {
            Work::Items { buf, items } => {
                for it in items {
                    let text = String::from_utf8_lossy(&buf[it.start..it.end]).to_string();
                    out.push((it.record, it.line, text, it.broken.is_some()));
                }
            }
            Work::Note(n) => notes.push(n),
            _ => {}
        })
        .unwrap();
        (out, notes)
    }

    #[test]
    fn array_elements_with_lines() {
        let (items, notes) = run("[\n  {\"a\": \"}]\\\"\"},\n  {\"b\": [1,2]}\n]\n");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].1, 2);
        assert_eq!(items[0].2, "{\"a\": \"}]\\\"\"}");
        assert_eq!(items[1], (2, 3, "{\"b\": [1,2]}".to_string(), false));
        assert!(notes.is_empty());
    }

    #[test]
    fn envelopes_stream_their_lists() {
        let (items, _) = run(
            "{\"@odata.context\":\"x\",\"value\":[{\"a\":1},{\"a\":2}],\"nextLink\":\"n\"}\n{\"value\":[{\"a\":3}],\"nextLink\":null}",
        );
        let texts: Vec<&str> = items.iter().map(|i| i.2.as_str()).collect();
        assert_eq!(texts, vec!["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        let (items, _) = run("{ \"records\": [ {\"r\":1} ] }");
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn plain_objects_are_records() {
        let (items, _) =
            run("{\n \"time\": \"t\",\n \"properties\": {\"value\": [1]}\n}\n{\"x\":1}");
        assert_eq!(items.len(), 2);
        let v: sonic_rs::Value = sonic_rs::from_str(&items[0].2).unwrap();
        assert!(azhunt_model::field::get_ci(&v, "properties").is_some());
    }

    #[test]
    fn query_api_rows_carry_columns() {
        let mut cols = Vec::new();
        scan(
            &mut io::Cursor::new(
                br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"A","type":"string"}],"rows":[["x"],["y"]]}]}"#.as_slice(),
            ),
            &mut |w| {
                if let Work::Items { items, .. } = w {
                    for it in items {
                        cols.push(it.columns.map(|c| c.as_ref().clone()));
                    }
                }
            },
        )
        .unwrap();
        assert_eq!(cols, vec![Some(vec!["A".to_string()]); 2]);
    }

    #[test]
    fn truncated_input_yields_a_broken_record() {
        let (items, notes) = run("[{\"a\":1},{\"b\":\"cut");
        assert_eq!(items.len(), 2);
        assert!(!items[0].3);
        assert!(items[1].3);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn junk_between_values_is_a_broken_record() {
        let (items, _) = run("{\"a\":1}\nnot json here\n{\"b\":2}\n");
        assert_eq!(items.len(), 3);
        assert!(items[1].3);
        assert_eq!(items[2].1, 3);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_always_progresses(data in "[\\[\\]{}\",:a-z0-9 \\n\\\\]{0,200}") {
            let _ = run(&data);
        }
    }
}
