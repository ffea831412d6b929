//! CLI behaviour on fixtures written here: containers, stdin, bad input, accounting, flags.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sonic_rs::JsonValueTrait;
use std::io::Write;
use std::process::{Command, Stdio};

mod support;
use support::{azhunt, json_lines};

const REST: &str = r#"{"eventTimestamp":"2026-11-10T10:00:00.0000000Z","eventDataId":"EVT","correlationId":"c1","operationName":{"value":"Microsoft.Compute/virtualMachines/write","localizedValue":"Create or Update Virtual Machine"},"status":{"value":"Succeeded"},"caller":"ops@fabrikam.example","httpRequest":{"clientIpAddress":"198.51.100.4"},"resourceId":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1","category":{"value":"Administrative"}}"#;

fn rest(id: &str, time: &str) -> String {
    REST.replace("EVT", id).replace("2026-11-10T10:00:00", time)
}

#[test]
fn gz_zip_and_stdin_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("ev");
    std::fs::create_dir(&ev).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(format!("{}\n", rest("a", "2026-11-10T10:00:03")).as_bytes())
        .unwrap();
    std::fs::write(ev.join("PT1H.json.gz"), gz.finish().unwrap()).unwrap();
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zw.start_file("page.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    zw.write_all(
        format!(
            "{{\"value\":[{},{}],\"nextLink\":null}}",
            rest("b", "2026-11-10T10:00:02"),
            rest("c", "2026-11-10T10:00:01")
        )
        .as_bytes(),
    )
    .unwrap();
    std::fs::write(ev.join("export.zip"), zw.finish().unwrap().into_inner()).unwrap();
    let out = azhunt(&["timeline", "--format", "jsonl", "ev"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|v| v["event_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["c", "b", "a"], "time order across containers");
    let src = json_lines(&out)[0]["source"]["path"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(src.ends_with("export.zip!page.json"), "{src}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_azhunt"))
        .args(["timeline", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(rest("s", "2026-11-10T10:00:00").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(json_lines(&out)[0]["source"]["path"].as_str(), Some("-"));
}

#[test]
fn bad_records_are_named_counted_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    data.extend_from_slice(rest("1", "2026-11-10T10:00:00").as_bytes());
    data.extend_from_slice(b"\n{\"eventTimestamp\": broken json}\n");
    data.extend_from_slice(b"{\"eventTimestamp\":\"not a time\",\"operationName\":\"x\"}\n");
    data.extend_from_slice(
        b"{\"eventTimestamp\":\"2026-11-10T10:00:00Z\",\"caller\":\"bad\xff utf8\"}\n",
    );
    data.extend_from_slice(rest("2", "2026-11-10T10:00:05").as_bytes());
    data.extend_from_slice(b"\n");
    data.extend_from_slice(rest("1", "2026-11-10T10:00:00").as_bytes()); // duplicate
    data.extend_from_slice(b"\n{\"eventTimestamp\":\"2026-11-10T10:00:09Z\",\"truncat");
    std::fs::write(dir.path().join("in.jsonl"), &data).unwrap();
    let out = azhunt(
        &[
            "timeline",
            "--format",
            "jsonl",
            "--rejects",
            "rej.jsonl",
            "--summary-json",
            "sum.json",
            "in.jsonl",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    assert_eq!(json_lines(&out).len(), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in.jsonl:2: rejected: invalid JSON"), "{err}");
    assert!(
        err.contains("in.jsonl:3: rejected: unparseable time \"not a time\""),
        "{err}"
    );
    assert!(err.contains("in.jsonl:4: rejected: invalid JSON"), "{err}");
    assert!(err.contains("in.jsonl:7: rejected"), "{err}");
    let sum: sonic_rs::Value =
        sonic_rs::from_slice(&std::fs::read(dir.path().join("sum.json")).unwrap()).unwrap();
    let f = &sum[0];
    assert_eq!(
        (
            f["read"].as_u64(),
            f["normalized"].as_u64(),
            f["duplicates"].as_u64(),
            f["rejected"].as_u64()
        ),
        (Some(7), Some(2), Some(1), Some(4))
    );
    let rejects = std::fs::read_to_string(dir.path().join("rej.jsonl")).unwrap();
    assert_eq!(rejects.lines().count(), 4);
    assert!(rejects.contains("\"line\":2"));

    let strict = azhunt(
        &[
            "timeline", "--strict", "--quiet", "--format", "jsonl", "in.jsonl",
        ],
        dir.path(),
    );
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict: 4 rejected"));
}

#[test]
fn truncated_array_keeps_complete_records() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "\u{feff}[\r\n  {},\r\n  {},\r\n  {{\"eventTimestamp\": \"2026-",
        rest("a", "2026-11-10T10:00:00"),
        rest("b", "2026-11-10T10:00:01")
    );
    std::fs::write(dir.path().join("ps.json"), text).unwrap();
    let out = azhunt(&["timeline", "--format", "jsonl", "ps.json"], dir.path());
    assert!(out.status.success());
    assert_eq!(json_lines(&out).len(), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ps.json:4: rejected: truncated"), "{err}");
}

#[test]
fn csv_output_cannot_execute_and_unrecognized_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let evil = REST.replace("ops@fabrikam.example", "=HYPERLINK(\\\"http://x\\\")");
    std::fs::write(dir.path().join("a.json"), evil).unwrap();
    std::fs::write(dir.path().join("notes.md"), "# case notes\nnothing here").unwrap();
    std::fs::write(
        dir.path().join("summary.csv"),
        "StartTime [UTC],EndTime [UTC],IPAddress\n\"4/19/2021, 12:13:19.483 PM\",x,1.2.3.4\n",
    )
    .unwrap();
    let out = azhunt(&["timeline", "--format", "csv", "."], dir.path());
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.md") && err.contains("not JSON or CSV"),
        "{err}"
    );
    assert!(
        err.contains("summary.csv") && err.contains("record shape not recognized"),
        "{err}"
    );
}

#[test]
fn since_until_and_output_safety() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("ev");
    std::fs::create_dir(&ev).unwrap();
    let data = [
        rest("1", "2026-11-09T10:00:00"),
        rest("2", "2026-11-10T10:00:00"),
        rest("3", "2026-11-11T10:00:00"),
    ]
    .join("\n");
    std::fs::write(ev.join("a.jsonl"), data).unwrap();
    let out = azhunt(
        &[
            "timeline",
            "--format",
            "jsonl",
            "--since",
            "2026-11-10T00:00:00Z",
            "--until",
            "11/11/2026 12:00:00 AM",
            "ev",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|v| v["event_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["2"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 outside --since/--until"));
    let refused = azhunt(&["timeline", "-o", "ev/timeline.jsonl", "ev"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(!ev.join("timeline.jsonl").exists());
    let missing = azhunt(&["timeline", "no-such-dir"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no such file or directory: no-such-dir")
    );
    let bad = azhunt(&["timeline", "--since", "yesterday", "ev"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn raw_keeps_the_original_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), rest("r", "2026-11-10T10:00:00")).unwrap();
    let out = azhunt(
        &["timeline", "--raw", "--format", "jsonl", "a.json"],
        dir.path(),
    );
    let v = &json_lines(&out)[0];
    let original: sonic_rs::Value = sonic_rs::from_str(&rest("r", "2026-11-10T10:00:00")).unwrap();
    assert_eq!(v["raw"], original);
    assert_eq!(v["datetime"].as_str(), Some("2026-11-10T10:00:00Z"));
    assert_eq!(v["timestamp"].as_i64(), Some(1_794_304_800_000_000));
    assert_eq!(v["timestamp_desc"].as_str(), Some("Event Time"));
}
