//! Opening a report in headless Chromium (Debian's `chromium` package): the DOM after the
//! page's scripts ran, and a screenshot. Shared by the renderer's own test
//! (`azhunt-report`, on a hand-built fixture) and the CLI test
//! (`crates/azhunt/tests/report_html.rs`, which includes this file by path), so it uses the
//! standard library only.
//!
//! Without `/usr/bin/chromium` the tests fail with a message saying how to install it, unless
//! `AZHUNT_SKIP_BROWSER_TESTS=1` is set.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
const TIMEOUT: Duration = Duration::from_secs(120);

/// Whether the browser tests run: true when Chromium is there; false when it is missing and
/// `AZHUNT_SKIP_BROWSER_TESTS=1`; otherwise a failure that says what to do.
pub fn available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var("AZHUNT_SKIP_BROWSER_TESTS").is_ok_and(|v| v == "1") {
        eprintln!("{CHROMIUM} is missing; browser test skipped (AZHUNT_SKIP_BROWSER_TESTS=1)");
        return false;
    }
    panic!(
        "{CHROMIUM} is missing: install Debian's chromium package \
         (`apt-get install -y chromium`; .ci/run does) or set AZHUNT_SKIP_BROWSER_TESTS=1 to skip"
    );
}

/// Where screenshots go: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

fn file_url(page: &Path) -> String {
    let abs = std::fs::canonicalize(page).unwrap();
    format!("file://{}", abs.display())
}

/// Runs Chromium headless on `page` with `mode` (e.g. `--dump-dom`), a fresh profile in
/// `scratch`, and returns its standard output. Output goes to files (a pipe nobody reads
/// while waiting would fill up and stall the browser).
fn run(page: &Path, scratch: &Path, mode: &[String]) -> Vec<u8> {
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let profile = scratch.join(format!("chromium-profile-{n}"));
    let stdout = scratch.join(format!("chromium-{n}.out"));
    let stderr = scratch.join(format!("chromium-{n}.err"));
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--mute-audio",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(mode)
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed ({status}): {}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    std::fs::read(&stdout).unwrap()
}

static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The serialized DOM of `page` after its scripts ran.
pub fn dump_dom(page: &Path, scratch: &Path) -> String {
    let out = run(page, scratch, &["--dump-dom".to_string()]);
    String::from_utf8(out).unwrap()
}

/// A 1280 px wide screenshot of `page` saved as `png`; returns its size in bytes.
pub fn screenshot(page: &Path, scratch: &Path, png: &Path, height: u32) -> u64 {
    if let Some(dir) = png.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let _ = std::fs::remove_file(png);
    run(
        page,
        scratch,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size=1280,{height}"),
        ],
    );
    let bytes = std::fs::read(png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        png.display()
    );
    bytes.len() as u64
}

/// What must hold for any rendered report once a browser ran it: the title is the report's
/// (no script from the evidence set it), no element that evidence markup would have created
/// exists, the page's script drew `charts` charts, and no Content-Security-Policy violation
/// was reported.
pub fn check_dom(dom: &str, title: &str, charts: usize) {
    let want_title = format!("<title>{title}</title>");
    assert!(
        dom.contains(&want_title),
        "the title changed (expected {want_title}): {}",
        dom.get(..600).unwrap_or(dom)
    );
    assert!(
        !dom.contains("<title>pwned"),
        "a script from the evidence ran"
    );
    for tag in [
        "<img", "<svg", "<iframe", "<object", "<embed", "<form", "<link",
    ] {
        assert!(!dom.contains(tag), "the DOM has an element {tag}");
    }
    for id in [
        "overview",
        "detections",
        "activity",
        "identities",
        "coverage",
    ] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\"")),
            "section {id} missing"
        );
    }
    let drawn = format!("data-charts=\"{charts}\"");
    assert!(
        dom.contains(&drawn),
        "the page's script did not draw {charts} charts"
    );
    assert!(
        dom.contains("data-styled=\"yes\""),
        "a stylesheet did not apply (is its hash in the CSP?)"
    );
    assert_eq!(
        dom.matches("class=\"uplot").count(),
        charts,
        "uPlot charts in the DOM"
    );
    assert!(
        dom.contains("<div id=\"csp-violations\" hidden=\"\"></div>"),
        "Content-Security-Policy violations were reported: {}",
        dom.split("id=\"csp-violations\"")
            .nth(1)
            .and_then(|s| s.get(..400))
            .unwrap_or("")
    );
}
