//! Inputs: files, directories (recursive), `.gz`, `.zip`, and `-` for standard input.
//!
//! Containers are recognized by their magic bytes, not their names, and may nest (a `.gz` inside
//! a `.zip` inside a directory). Each leaf is handed to a visitor as a buffered UTF-8 byte stream
//! with a display path such as `case/logs.zip!signins/part1.json`: a UTF-8 byte order mark is
//! removed and UTF-16 text (what Windows PowerShell's `Out-File` writes) is transcoded, so
//! framing and parsing only ever see UTF-8. Files are visited in a deterministic order (sorted
//! paths; archive members in archive order) and are never modified.

use crate::IngestError;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read buffer of each input. Kept small on purpose: `BufReader` hands reads at least this
/// large straight to the file, so the framing's large batch reads skip a copy through this
/// buffer (with 1 MiB, about half of every byte read was copied twice).
const BUF_SIZE: usize = 64 << 10;
/// Archives nested deeper than this are not opened (a guard against zip bombs made of nesting).
const MAX_NESTING: usize = 4;

/// Called once per leaf input with its display path and content.
pub trait Visitor {
    fn leaf(&mut self, path: Arc<str>, content: &mut dyn BufRead);
    /// An input that could not be opened or decoded; reading continues with the next one.
    fn failed(&mut self, path: Arc<str>, reason: String);
}

/// Visits every input. Top-level paths that do not exist are an error before anything is read.
pub fn visit_inputs(inputs: &[PathBuf], visitor: &mut dyn Visitor) -> Result<(), IngestError> {
    for input in inputs {
        if input.as_os_str() != "-" && !input.exists() {
            return Err(IngestError::NotFound(input.display().to_string()));
        }
    }
    for input in inputs {
        if input.as_os_str() == "-" {
            let stdin = io::stdin();
            let mut lock = stdin.lock();
            visit_stream(Arc::from("-"), &mut lock, visitor, 0);
        } else {
            visit_path(input, visitor);
        }
    }
    Ok(())
}

fn visit_path(path: &Path, visitor: &mut dyn Visitor) {
    let display: Arc<str> = Arc::from(path.display().to_string());
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return visitor.failed(display, e.to_string()),
    };
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return visitor.failed(display, e.to_string()),
        };
        entries.sort();
        if is_collection(path) {
            entries.retain(|e| !is_collection_control(e));
        }
        for entry in entries {
            // Symlinked directories are not followed (loops); symlinked files are.
            let is_link_dir = std::fs::symlink_metadata(&entry)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false)
                && entry.is_dir();
            if !is_link_dir {
                visit_path(&entry, visitor);
            }
        }
        return;
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return visitor.failed(display, e.to_string()),
    };
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut file, &mut magic);
    if file.rewind().is_err() {
        return visitor.failed(display, "cannot rewind file".into());
    }
    if n == 4 && is_zip(&magic) {
        visit_zip(display, file, visitor, 0);
    } else {
        let mut reader = BufReader::with_capacity(BUF_SIZE, file);
        visit_stream(display, &mut reader, visitor, 0);
    }
}

/// Whether `dir` is the output of `azhunt collect`: its `manifest.json` or `checkpoint.json`
/// names azhunt as the tool.
fn is_collection(dir: &Path) -> bool {
    ["manifest.json", "checkpoint.json"].iter().any(|name| {
        let Ok(mut f) = File::open(dir.join(name)) else {
            return false;
        };
        let mut head = [0u8; 4096];
        let n = read_up_to(&mut f, &mut head);
        let text = String::from_utf8_lossy(head.get(..n).unwrap_or(&[]));
        text.contains("\"tool\"") && text.contains("azhunt")
    })
}

/// The parts of a collection that are not evidence records to read again: the manifest, the
/// checkpoint, `raw/` (the response pages, whose records `events/` already holds) and
/// `.partial/` (files of an interrupted run, not yet complete). Given
/// explicitly (`azhunt timeline DIR/raw`), they are read like any other input.
fn is_collection_control(entry: &Path) -> bool {
    entry
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| matches!(n, "manifest.json" | "checkpoint.json" | "raw" | ".partial"))
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    n
}

fn is_zip(magic: &[u8]) -> bool {
    magic.starts_with(b"PK\x03\x04") || magic.starts_with(b"PK\x05\x06")
}

fn is_gzip(magic: &[u8]) -> bool {
    magic.starts_with(&[0x1f, 0x8b])
}

/// A stream that may itself be a container: gzip is unwrapped in place; zip (which needs
/// random access) is spooled to a temporary file first.
fn visit_stream(path: Arc<str>, reader: &mut dyn BufRead, visitor: &mut dyn Visitor, depth: usize) {
    let magic = match reader.fill_buf() {
        Ok(b) => b.get(..4.min(b.len())).unwrap_or_default().to_vec(),
        Err(e) => return visitor.failed(path, e.to_string()),
    };
    if is_gzip(&magic) {
        if depth >= MAX_NESTING {
            return visitor.failed(path, "containers nested too deeply".into());
        }
        let inner_name = strip_suffix_ci(&path, ".gz")
            .or_else(|| strip_suffix_ci(&path, ".gzip"))
            .map(|s| Arc::from(s.to_string()))
            .unwrap_or_else(|| Arc::from(format!("{path}!gunzip")));
        let mut dec = BufReader::with_capacity(BUF_SIZE, flate2::read::MultiGzDecoder::new(reader));
        return visit_stream(inner_name, &mut dec, visitor, depth + 1);
    }
    if is_zip(&magic) {
        if depth >= MAX_NESTING {
            return visitor.failed(path, "containers nested too deeply".into());
        }
        let mut spool = match tempfile::tempfile() {
            Ok(f) => f,
            Err(e) => return visitor.failed(path, format!("cannot spool archive: {e}")),
        };
        if let Err(e) = io::copy(reader, &mut spool).and_then(|_| spool.rewind()) {
            return visitor.failed(path, format!("cannot spool archive: {e}"));
        }
        return visit_zip(path, spool, visitor, depth);
    }
    visit_text(path, reader, visitor);
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

fn visit_zip<R: Read + Seek>(path: Arc<str>, file: R, visitor: &mut dyn Visitor, depth: usize) {
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(e) => return visitor.failed(path, format!("not a readable zip archive: {e}")),
    };
    for i in 0..archive.len() {
        let member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                visitor.failed(Arc::from(format!("{path}!#{i}")), e.to_string());
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let name: Arc<str> = Arc::from(format!("{path}!{}", member.name()));
        let mut reader = BufReader::with_capacity(BUF_SIZE, member);
        visit_stream(name, &mut reader, visitor, depth + 1);
    }
}

/// Removes a UTF-8 BOM, or transcodes UTF-16 (either byte order, BOM required) to UTF-8.
fn visit_text(path: Arc<str>, reader: &mut dyn BufRead, visitor: &mut dyn Visitor) {
    let head = match reader.fill_buf() {
        Ok(b) => b.get(..3.min(b.len())).unwrap_or_default().to_vec(),
        Err(e) => return visitor.failed(path, e.to_string()),
    };
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
        return visitor.leaf(path, reader);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .build(reader);
        let mut utf8 = BufReader::with_capacity(BUF_SIZE, decoder);
        return visitor.leaf(path, &mut utf8);
    }
    visitor.leaf(path, reader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[derive(Default)]
    struct Collect {
        leaves: Vec<(String, Vec<u8>)>,
        failures: Vec<(String, String)>,
    }

    impl Visitor for Collect {
        fn leaf(&mut self, path: Arc<str>, content: &mut dyn BufRead) {
            let mut buf = Vec::new();
            content.read_to_end(&mut buf).unwrap();
            self.leaves.push((path.to_string(), buf));
        }
        fn failed(&mut self, path: Arc<str>, reason: String) {
            self.failures.push((path.to_string(), reason));
        }
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, data) in members {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn collection_control_files_and_raw_pages_are_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"tool":"azhunt 0.1.0"}"#,
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("raw/activity")).unwrap();
        std::fs::write(dir.path().join("raw/activity/page-000001.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join("events")).unwrap();
        std::fs::write(dir.path().join("events/activity.jsonl"), "{}\n").unwrap();
        std::fs::create_dir_all(dir.path().join(".partial/events")).unwrap();
        std::fs::write(dir.path().join(".partial/events/half.jsonl"), "{}\n").unwrap();
        let mut v = Collect::default();
        visit_inputs(&[dir.path().to_path_buf()], &mut v).unwrap();
        let names: Vec<&str> = v.leaves.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].ends_with("activity.jsonl"));
        // Not a collection: everything is read.
        std::fs::write(dir.path().join("manifest.json"), "{}").unwrap();
        let mut v = Collect::default();
        visit_inputs(&[dir.path().to_path_buf()], &mut v).unwrap();
        assert_eq!(v.leaves.len(), 4);
        // Given explicitly, raw pages are read.
        std::fs::write(dir.path().join("manifest.json"), r#"{"tool":"azhunt"}"#).unwrap();
        let mut v = Collect::default();
        visit_inputs(&[dir.path().join("raw")], &mut v).unwrap();
        assert_eq!(v.leaves.len(), 1);
    }

    #[test]
    fn walks_directories_gz_zip_and_boms() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("b.json"), b"\xEF\xBB\xBF{\"a\":1}").unwrap();
        std::fs::write(root.join("sub/c.json.gz"), gz(b"{\"c\":1}\n")).unwrap();
        let inner_gz = gz(b"{\"z\":2}");
        std::fs::write(
            root.join("a.zip"),
            zip_of(&[("x.json", b"{\"x\":1}"), ("y.json.gz", &inner_gz)]),
        )
        .unwrap();
        // UTF-16LE with BOM.
        let mut u16 = vec![0xFF, 0xFE];
        for unit in "{\"u\":\"é\"}".encode_utf16() {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        std::fs::write(root.join("d.json"), u16).unwrap();

        let mut c = Collect::default();
        visit_inputs(&[root.to_path_buf()], &mut c).unwrap();
        let names: Vec<String> = c
            .leaves
            .iter()
            .map(|(p, _)| {
                p.strip_prefix(&root.display().to_string())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                "/a.zip!x.json",
                "/a.zip!y.json",
                "/b.json",
                "/d.json",
                "/sub/c.json"
            ]
        );
        let contents: Vec<&[u8]> = c.leaves.iter().map(|(_, b)| b.as_slice()).collect();
        assert_eq!(contents[0], b"{\"x\":1}");
        assert_eq!(contents[1], b"{\"z\":2}");
        assert_eq!(contents[2], b"{\"a\":1}");
        assert_eq!(contents[3], "{\"u\":\"é\"}".as_bytes());
        assert!(c.failures.is_empty(), "{:?}", c.failures);
    }

    #[test]
    fn missing_input_is_an_error() {
        let mut c = Collect::default();
        let err = visit_inputs(&[PathBuf::from("/no/such/azhunt/input")], &mut c).unwrap_err();
        assert!(matches!(err, IngestError::NotFound(_)));
    }

    #[test]
    fn corrupt_zip_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.zip"), b"PK\x03\x04garbage").unwrap();
        std::fs::write(dir.path().join("ok.json"), b"{}").unwrap();
        let mut c = Collect::default();
        visit_inputs(&[dir.path().to_path_buf()], &mut c).unwrap();
        assert_eq!(c.failures.len(), 1);
        assert_eq!(c.leaves.len(), 1);
    }
}
