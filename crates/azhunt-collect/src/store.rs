//! The output directory, written so that an interrupted run never leaves a file that looks
//! complete but is not.
//!
//! ```text
//! DIR/manifest.json                         written last, atomically
//! DIR/checkpoint.json                       resume state, replaced atomically after each window
//! DIR/raw/<target>/<window>/page-000001.json.gz   response bodies as received, gzip
//! DIR/events/<target>.jsonl                 one record per line, de-duplicated
//! DIR/.partial/                             work in progress (never read by other commands)
//! ```
//!
//! Every file outside `.partial/` appears by `rename` of a complete, fsynced temporary file
//! from `.partial/`, so it is whole or absent. Event files grow in `.partial/events/` while
//! their scope is collected; the checkpoint records their committed length, and a resumed run
//! cuts them back to it. They move to `events/` when the run finishes.

use crate::error::CollectError;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The work-in-progress directory name.
pub const PARTIAL_DIR: &str = ".partial";
/// The manifest file name.
pub const MANIFEST: &str = "manifest.json";
/// The checkpoint file name.
pub const CHECKPOINT: &str = "checkpoint.json";

/// A file written into the directory, as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileRecord {
    /// Path relative to the directory, `/`-separated.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// For a raw page: SHA-256 of the uncompressed response body.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub body_sha256: Option<String>,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 and size of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex(&h.finalize()), n))
}

/// Keeps a name safe as one path component: ASCII letters, digits, `-`, `_`, `.`; anything
/// else becomes `_`. Never empty, never `.` or `..`.
pub fn safe_component(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        format!("_{s}")
    } else {
        s
    }
}

/// The output directory.
pub struct Store {
    root: PathBuf,
    counter: std::cell::Cell<u64>,
}

impl Store {
    /// Opens `root`, creating it and its `.partial/` directory.
    pub fn open(root: &Path) -> Result<Store, CollectError> {
        for d in [root.to_path_buf(), root.join(PARTIAL_DIR).join("events")] {
            fs::create_dir_all(&d).map_err(|e| CollectError::io("creating", &d, e))?;
        }
        Ok(Store {
            root: root.to_path_buf(),
            counter: std::cell::Cell::new(0),
        })
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute path of a relative one.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes `bytes` to `rel` atomically: a temporary file in `.partial/`, fsync, rename.
    pub fn write_atomic(&self, rel: &str, bytes: &[u8]) -> Result<FileRecord, CollectError> {
        let dest = self.path(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| CollectError::io("creating", parent, e))?;
        }
        let n = self.counter.get() + 1;
        self.counter.set(n);
        let partial = self.root.join(PARTIAL_DIR);
        let tmp = partial.join(format!("tmp-{}-{n}", std::process::id()));
        let write = || -> std::io::Result<()> {
            fs::create_dir_all(&partial)?;
            let mut f = File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &dest)
        };
        write().map_err(|e| CollectError::io("writing", &dest, e))?;
        Ok(FileRecord {
            path: rel.to_string(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
            body_sha256: None,
        })
    }

    /// Stores a response body unmodified, gzip-compressed, at `rel` (which ends `.json.gz`).
    pub fn write_raw_page(&self, rel: &str, body: &[u8]) -> Result<FileRecord, CollectError> {
        let mut gz = GzEncoder::new(
            Vec::with_capacity(body.len() / 4 + 64),
            Compression::default(),
        );
        let compressed = gz
            .write_all(body)
            .and_then(|()| gz.finish())
            .map_err(|e| CollectError::io("compressing", self.path(rel), e))?;
        let mut rec = self.write_atomic(rel, &compressed)?;
        rec.body_sha256 = Some(sha256_hex(body));
        Ok(rec)
    }

    /// The work-in-progress events file of a target.
    pub fn partial_events(&self, target: &str) -> PathBuf {
        self.root
            .join(PARTIAL_DIR)
            .join("events")
            .join(format!("{target}.jsonl"))
    }

    /// The published events file of a target, relative.
    pub fn events_rel(target: &str) -> String {
        format!("events/{target}.jsonl")
    }

    /// Opens a target's work-in-progress events file for appending after cutting it back to
    /// `committed` bytes (what the checkpoint says was written before a crash).
    pub fn open_events(&self, target: &str, committed: u64) -> Result<EventsFile, CollectError> {
        let path = self.partial_events(target);
        let mut f = OpenOptions::new()
            .create(true)
            .read(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| CollectError::io("opening", &path, e))?;
        let len = f
            .metadata()
            .map_err(|e| CollectError::io("reading", &path, e))?
            .len();
        if len < committed {
            return Err(CollectError::Corrupt {
                what: "events file",
                path,
                detail: format!("{len} bytes, the checkpoint says {committed} were written"),
            });
        }
        f.set_len(committed)
            .and_then(|()| f.seek(SeekFrom::Start(committed)).map(drop))
            .map_err(|e| CollectError::io("truncating", &path, e))?;
        Ok(EventsFile {
            path,
            out: BufWriter::with_capacity(1 << 20, f),
            len: committed,
        })
    }

    /// Moves a finished target's events file from `.partial/` to `events/`.
    pub fn publish_events(&self, target: &str) -> Result<String, CollectError> {
        let from = self.partial_events(target);
        let rel = Store::events_rel(target);
        let to = self.path(&rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| CollectError::io("creating", parent, e))?;
        }
        if !from.exists() {
            File::create(&from).map_err(|e| CollectError::io("creating", &from, e))?;
        }
        fs::rename(&from, &to).map_err(|e| CollectError::io("publishing", &to, e))?;
        Ok(rel)
    }

    /// Moves a published events file back to `.partial/` so a resumed run can extend it.
    pub fn unpublish_events(&self, target: &str) -> Result<(), CollectError> {
        let from = self.path(&Store::events_rel(target));
        if from.exists() {
            let to = self.partial_events(target);
            fs::rename(&from, &to).map_err(|e| CollectError::io("moving", &to, e))?;
        }
        Ok(())
    }

    /// Deletes files under `raw/` that are not in `keep` (pages of a window a crash cut off).
    pub fn prune_raw(&self, keep: &std::collections::HashSet<String>) -> Result<u64, CollectError> {
        let mut removed = 0;
        let raw = self.root.join("raw");
        for rel in walk(&self.root, &raw)? {
            if !keep.contains(&rel) {
                let p = self.path(&rel);
                fs::remove_file(&p).map_err(|e| CollectError::io("removing", &p, e))?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Removes leftover temporary files in `.partial/`.
    pub fn clean_temporaries(&self) -> Result<(), CollectError> {
        let dir = self.root.join(PARTIAL_DIR);
        let entries = fs::read_dir(&dir).map_err(|e| CollectError::io("listing", &dir, e))?;
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with("tmp-") {
                let p = e.path();
                fs::remove_file(&p).map_err(|e| CollectError::io("removing", &p, e))?;
            }
        }
        Ok(())
    }

    /// Removes `.partial/` once nothing is left in progress.
    pub fn remove_partial_dir(&self) -> Result<(), CollectError> {
        let dir = self.root.join(PARTIAL_DIR);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| CollectError::io("removing", &dir, e))?;
        }
        Ok(())
    }
}

/// Every regular file under `dir`, as `/`-separated paths relative to `root`, sorted.
pub fn walk(root: &Path, dir: &Path) -> Result<Vec<String>, CollectError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(CollectError::io("listing", &d, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| CollectError::io("listing", &d, e))?;
            let p = entry.path();
            let ft = entry
                .file_type()
                .map_err(|e| CollectError::io("reading", &p, e))?;
            if ft.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A target's work-in-progress events file.
pub struct EventsFile {
    path: PathBuf,
    out: BufWriter<File>,
    len: u64,
}

impl EventsFile {
    /// Appends one record line.
    pub fn append(&mut self, line: &str) -> Result<(), CollectError> {
        self.out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|e| CollectError::io("writing", &self.path, e))?;
        self.len += line.len() as u64 + 1;
        Ok(())
    }

    /// Flushes and fsyncs; returns the committed length for the checkpoint.
    pub fn commit(&mut self) -> Result<u64, CollectError> {
        self.out
            .flush()
            .and_then(|()| self.out.get_ref().sync_data())
            .map_err(|e| CollectError::io("writing", &self.path, e))?;
        Ok(self.len)
    }

    /// The committed lines of a target's work-in-progress events file, for rebuilding the
    /// de-duplication set on resume.
    pub fn read_lines(path: &Path, committed: u64) -> Result<Vec<String>, CollectError> {
        let mut buf = Vec::new();
        match File::open(path) {
            Ok(f) => {
                f.take(committed)
                    .read_to_end(&mut buf)
                    .map_err(|e| CollectError::io("reading", path, e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CollectError::io("reading", path, e)),
        }
        Ok(String::from_utf8_lossy(&buf)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;

    #[test]
    fn raw_pages_roundtrip_and_hash() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let body = br#"{"value":[{"a":1}]}"#;
        let rec = s
            .write_raw_page("raw/t/w/page-000001.json.gz", body)
            .unwrap();
        let bytes = fs::read(s.path(&rec.path)).unwrap();
        assert_eq!(rec.sha256, sha256_hex(&bytes));
        assert_eq!(
            hash_file(&s.path(&rec.path)).unwrap(),
            (rec.sha256.clone(), rec.bytes)
        );
        let mut back = Vec::new();
        GzDecoder::new(&bytes[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, body);
        assert_eq!(rec.body_sha256, Some(sha256_hex(body)));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn events_are_cut_back_to_the_committed_length() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let mut e = s.open_events("t", 0).unwrap();
        e.append("{\"a\":1}").unwrap();
        let committed = e.commit().unwrap();
        e.append("{\"a\":2}").unwrap();
        e.commit().unwrap();
        drop(e);
        let mut again = s.open_events("t", committed).unwrap();
        again.append("{\"a\":3}").unwrap();
        let len = again.commit().unwrap();
        let lines = EventsFile::read_lines(&s.partial_events("t"), len).unwrap();
        assert_eq!(lines, vec!["{\"a\":1}", "{\"a\":3}"]);
        assert!(s.open_events("t", len + 100).is_err());
        let rel = s.publish_events("t").unwrap();
        assert!(s.path(&rel).exists());
        s.unpublish_events("t").unwrap();
        assert!(s.partial_events("t").exists());
    }

    #[test]
    fn prune_keeps_listed_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let a = s
            .write_raw_page("raw/t/w1/page-000001.json.gz", b"{}")
            .unwrap();
        s.write_raw_page("raw/t/w2/page-000001.json.gz", b"{}")
            .unwrap();
        let keep = [a.path.clone()].into_iter().collect();
        assert_eq!(s.prune_raw(&keep).unwrap(), 1);
        assert_eq!(
            walk(dir.path(), &dir.path().join("raw")).unwrap(),
            vec![a.path]
        );
    }

    #[test]
    fn safe_components() {
        assert_eq!(safe_component("a/b c"), "a_b_c");
        assert_eq!(safe_component(".."), "_..");
        assert_eq!(safe_component(""), "_");
        assert_eq!(safe_component("mg-1.x"), "mg-1.x");
    }
}
