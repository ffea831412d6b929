//! `azhunt collect` and `azhunt verify` end to end: the built binary against the emulator of
//! the Azure endpoints (shared with azhunt-collect's tests), with `AZHUNT_ACCESS_TOKEN` and the
//! endpoint overrides; the output read back by `azhunt timeline`; a killed run resumed.

#![allow(clippy::unwrap_used)]

#[path = "../../azhunt-collect/tests/support/mod.rs"]
mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::data::standard;
use support::emulator::{Emulator, Fault, FaultKind};

const SINCE: &str = "2026-03-01T00:00:00Z";
const UNTIL: &str = "2026-03-03T00:00:00Z";
const TOKEN: &str = "good-token";

fn azhunt() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_azhunt"));
    c.env_remove("AZHUNT_ACCESS_TOKEN")
        .env_remove("AZHUNT_ARM_TOKEN")
        .env_remove("AZHUNT_GRAPH_TOKEN")
        .env_remove("AZHUNT_LOGANALYTICS_TOKEN");
    c
}

fn collect_cmd(emu: &Emulator, out: &Path, kql: &Path) -> Command {
    let mut c = azhunt();
    c.env("AZHUNT_ACCESS_TOKEN", TOKEN).args([
        "collect",
        "--auth",
        "env",
        "-o",
        out.to_str().unwrap(),
        "--subscription",
        "sub-a,sub-b,sub-empty",
        "--management-group",
        "mg-root",
        "--tenant",
        "--workspace",
        "ws-1",
        "--kql",
        &format!("@{}", kql.display()),
        "--entra",
        "audit,signins",
        "--since",
        SINCE,
        "--until",
        UNTIL,
    ]);
    c.args(endpoints(emu));
    c
}

/// The emulator as every endpoint, and fast backoff.
fn endpoints(emu: &Emulator) -> Vec<String> {
    let mut v = vec!["--max-backoff-ms".to_string(), "5".into()];
    for flag in ["--arm-url", "--graph-url", "--loganalytics-url"] {
        v.push(flag.into());
        v.push(emu.base.clone());
    }
    v
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn kql_file(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("q.kql");
    std::fs::write(
        &p,
        "AzureActivity\n| where CategoryValue == 'Administrative'\n",
    )
    .unwrap();
    p
}

/// Lines of every events file; panics on a doubled Activity `eventDataId` or Graph `id`.
fn event_lines(out: &Path) -> usize {
    let mut ids = std::collections::HashSet::new();
    let mut n = 0;
    for e in std::fs::read_dir(out.join("events")).unwrap() {
        let p = e.unwrap().path();
        for line in std::fs::read_to_string(&p).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = ["eventDataId", "EventDataId", "id"]
                .iter()
                .find_map(|k| v[*k].as_str())
                .unwrap()
                .to_string();
            assert!(ids.insert(id.clone()), "{id} twice");
            n += 1;
        }
    }
    n
}

fn assert_no_token(out: &Path, outputs: &[&Output]) {
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            let mut plain = Vec::new();
            if p.extension().is_some_and(|x| x == "gz") {
                use std::io::Read;
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .unwrap();
            } else {
                plain = bytes;
            }
            assert!(
                !String::from_utf8_lossy(&plain).contains(TOKEN),
                "token in {}",
                p.display()
            );
        }
    }
    for o in outputs {
        assert!(!text(o).contains(TOKEN));
    }
}

#[test]
fn collect_verify_and_timeline_end_to_end() {
    let emu = Emulator::start(standard(SINCE.parse().unwrap(), 2));
    emu.with(|s| {
        s.faults = vec![
            Fault::new("sub-a/providers", 2, FaultKind::Status(429, Some("0"))),
            Fault::new("beta/auditLogs", 2, FaultKind::Reset),
            Fault::new("/query", 1, FaultKind::Status(500, None)),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case");
    let started = Instant::now();
    let o = collect_cmd(&emu, &out, &kql_file(dir.path()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(started.elapsed() < Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("manifest") && stderr.contains("sha256"),
        "{stderr}"
    );
    assert!(stderr.contains("empty") && stderr.contains("activity-subscription-sub-empty"));
    let m: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["tool"], "azhunt");
    assert_eq!(m["complete"], true);
    assert_eq!(m["principal"]["auth_method"], "env");
    assert!(m["requests"].as_array().unwrap().len() > 20);
    // The LA query came from the file, unchanged.
    let la = emu
        .log()
        .into_iter()
        .find(|l| l.target.ends_with("/query") && l.body.contains("Administrative"))
        .unwrap();
    assert!(
        la.body
            .contains("AzureActivity\\n| where CategoryValue == 'Administrative'\\n"),
        "{}",
        la.body
    );

    let v = azhunt()
        .args(["verify", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));

    // Every collected event reads back normalized, none rejected or doubled.
    let lines = event_lines(&out);
    let summary = dir.path().join("summary.json");
    let t = azhunt()
        .args(["timeline", "--format", "jsonl", "--summary-json"])
        .arg(&summary)
        .arg(out.join("events"))
        .output()
        .unwrap();
    assert_eq!(t.status.code(), Some(0), "{}", text(&t));
    let files: Vec<Value> = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    let sum = |k: &str| {
        files
            .iter()
            .map(|f| f[k].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(sum("rejected"), 0, "{files:#?}");
    assert_eq!(sum("duplicates"), 0, "{files:#?}");
    assert_eq!(sum("normalized"), lines as u64, "{files:#?}");
    assert_eq!(String::from_utf8_lossy(&t.stdout).lines().count(), lines);
    assert_no_token(&out, &[&o, &v, &t]);

    // verify names a changed, a deleted and an added file, and exits 1.
    std::fs::write(out.join("events/entra-audit.jsonl"), "{}\n").unwrap();
    let raw = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .starts_with("raw/activity-tenant/")
        })
        .unwrap();
    std::fs::remove_file(out.join(raw["path"].as_str().unwrap())).unwrap();
    std::fs::write(out.join("raw/extra.json.gz"), "x").unwrap();
    let v = azhunt()
        .args(["verify", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    let report = String::from_utf8_lossy(&v.stdout);
    assert!(
        report.contains("changed  events/entra-audit.jsonl"),
        "{report}"
    );
    assert!(
        report.contains(&format!("missing  {}", raw["path"].as_str().unwrap())),
        "{report}"
    );
    assert!(report.contains("extra    raw/extra.json.gz"), "{report}");
}

#[test]
fn a_killed_run_resumes_losslessly() {
    let emu = Emulator::start(standard(SINCE.parse().unwrap(), 2));
    emu.with(|s| s.delay = Duration::from_millis(25));
    let dir = tempfile::tempdir().unwrap();
    let kql = kql_file(dir.path());
    // The same collection without interruption, for comparison.
    let whole = dir.path().join("whole");
    let o = collect_cmd(&emu, &whole, &kql).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let want = event_lines(&whole);

    let out = dir.path().join("case");
    let before = emu.log().len();
    let mut child = collect_cmd(&emu, &out, &kql)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while emu.log().len() < before + 25 {
        assert!(Instant::now() < deadline, "the run made no progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !out.join("manifest.json").exists(),
        "a killed run must not look complete"
    );
    assert!(out.join("checkpoint.json").exists());

    let mut resume = azhunt();
    resume
        .env("AZHUNT_ACCESS_TOKEN", TOKEN)
        .args(["collect", "--resume", "-o", out.to_str().unwrap()])
        .args(endpoints(&emu));
    let r = resume.output().unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    assert_eq!(
        event_lines(&out),
        want,
        "resumed collection differs from an uninterrupted one"
    );
    let mut a: Vec<String> = Vec::new();
    let mut b: Vec<String> = Vec::new();
    for (dir, acc) in [(&whole, &mut a), (&out, &mut b)] {
        for e in std::fs::read_dir(dir.join("events")).unwrap() {
            let p = e.unwrap().path();
            let mut lines: Vec<String> = std::fs::read_to_string(&p)
                .unwrap()
                .lines()
                .map(String::from)
                .collect();
            lines.sort();
            acc.push(format!(
                "{}:{}",
                p.file_name().unwrap().to_string_lossy(),
                lines.join("\n")
            ));
        }
        acc.sort();
    }
    assert_eq!(a, b, "same events, same files");
    let v = azhunt()
        .args(["verify", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert_no_token(&out, &[&r, &v]);
}

#[test]
fn an_incomplete_collection_exits_1_and_bad_flags_exit_2() {
    let emu = Emulator::start(standard(SINCE.parse().unwrap(), 1));
    emu.with(|s| s.unlicensed = true);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let o = azhunt()
        .env("AZHUNT_ACCESS_TOKEN", TOKEN)
        .args([
            "collect",
            "-o",
            out.to_str().unwrap(),
            "--entra",
            "audit",
            "--tenant",
            "--since",
            SINCE,
            "--until",
            "2026-03-02T00:00:00Z",
            "--arm-url",
            &emu.base,
            "--graph-url",
            &emu.base,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unlicensed") && err.contains("INCOMPLETE"),
        "{err}"
    );
    assert!(out.join("events/activity-tenant.jsonl").exists());

    for bad in [
        vec!["collect", "-o", "x", "--kql", "q"],
        vec!["collect", "-o", "x", "--window", "1w"],
        vec![
            "collect",
            "-o",
            "x",
            "--since",
            "2026-03-02T00:00:00Z",
            "--until",
            "2026-03-01T00:00:00Z",
        ],
        vec!["collect", "-o", "x", "--auth", "env", "--tenant"],
        vec!["verify", "/nonexistent/dir"],
    ] {
        let o = azhunt().args(&bad).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o));
    }
}
