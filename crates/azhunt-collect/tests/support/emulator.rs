//! A small emulator of the Azure endpoints azhunt collects from: a real HTTP/1.1 server on
//! loopback (one connection at a time, `Connection: close`), speaking the documented shapes —
//! ARM `value`/`nextLink` pages of Activity Log EventData at subscription, management-group and
//! tenant scope; Graph `value`/`@odata.nextLink` pages of directoryAudits and signIns (v1.0
//! interactive, beta `signInEventTypes` kinds); Log Analytics `tables` with a row limit that
//! answers `PartialError` — and checking what the client sends: api-versions, the exact
//! `$filter` pattern, no `$select`, the `Prefer` header, bearer tokens, and that every
//! `nextLink` comes back byte for byte as issued.
//!
//! Faults are injected per path: 429 with `Retry-After`, 500, connection resets, bodies cut
//! short (Content-Length larger than the bytes sent) or invalid, 403, licence errors, tokens that
//! expire after N uses.

#![allow(dead_code, clippy::unwrap_used)]

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a fault does to the matching request.
#[derive(Clone, Debug)]
pub enum FaultKind {
    /// Answer this status with an optional `Retry-After`.
    Status(u16, Option<&'static str>),
    /// Close the connection without answering.
    Reset,
    /// Send the real response's headers and half its body, then close.
    Truncate,
    /// 200 whose body is cut JSON with a matching Content-Length.
    InvalidBody,
}

/// Applies `kind` to the `nth` (1-based) request whose path+query contains `path_contains`.
#[derive(Clone, Debug)]
pub struct Fault {
    pub path_contains: String,
    pub nth: usize,
    pub kind: FaultKind,
    seen: usize,
}

impl Fault {
    pub fn new(path_contains: &str, nth: usize, kind: FaultKind) -> Fault {
        Fault {
            path_contains: path_contains.into(),
            nth,
            kind,
            seen: 0,
        }
    }
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub target: String,
    pub authorization: Option<String>,
    pub prefer: Option<String>,
    pub body: String,
    pub status: u16,
}

/// The emulated tenant.
#[derive(Default)]
pub struct State {
    /// Activity events per scope key: `sub:<id>`, `mg:<id>`, `tenant`.
    pub activity: HashMap<String, Vec<Value>>,
    /// Activity events that appear only when their window is queried a second time.
    pub late_activity: HashMap<String, Vec<Value>>,
    pub subscriptions: Vec<String>,
    pub management_groups: Vec<String>,
    pub audits: Vec<Value>,
    /// Sign-ins per kind name (`interactiveUser`, `nonInteractiveUser`, …).
    pub signins: HashMap<String, Vec<Value>>,
    /// Log Analytics rows per workspace: (columns, rows), `TimeGenerated` first.
    pub workspaces: HashMap<String, (Vec<String>, Vec<Vec<Value>>)>,
    pub valid_tokens: HashSet<String>,
    /// Token → uses left before it expires (401).
    pub expiring: HashMap<String, usize>,
    /// Path fragments answered 403 AuthorizationFailed.
    pub forbidden: Vec<String>,
    /// Graph answers the Entra licence error.
    pub unlicensed: bool,
    pub faults: Vec<Fault>,
    pub page_size: usize,
    pub la_max_rows: usize,
    /// Sleep before each response (lets a test kill the client mid-run).
    pub delay: Duration,
    pub log: Vec<Logged>,
    pub(super) issued: HashSet<String>,
    pub(super) first_pages: HashMap<String, usize>,
    pub(super) counter: u64,
}

pub struct Emulator {
    pub base: String,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    port: u16,
}

impl Emulator {
    pub fn start(state: State) -> Emulator {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(state));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp, b) = (Arc::clone(&state), Arc::clone(&stop), base.clone());
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    serve(stream, &st, &b);
                }
            }
        });
        Emulator {
            base,
            state,
            stop,
            handle: Some(handle),
            port,
        }
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

struct Req {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn header(&self, k: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    }
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    fn query(&self) -> Vec<(String, String)> {
        let q = self.target.split_once('?').map_or("", |(_, q)| q);
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }
    fn param(&self, k: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v)
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 2 < b.len())
            .then(|| std::str::from_utf8(&b[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(v) = hex {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn read_request(stream: &mut TcpStream) -> Option<Req> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Req {
        method,
        target,
        headers,
        body,
    })
}

struct Resp {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

fn json_resp(status: u16, v: Value) -> Resp {
    Resp {
        status,
        body: serde_json::to_vec_pretty(&v).unwrap(),
        headers: vec![],
    }
}

fn error(status: u16, code: &str, message: &str) -> Resp {
    json_resp(status, json!({"error": {"code": code, "message": message}}))
}

fn serve(mut stream: TcpStream, state: &Arc<Mutex<State>>, base: &str) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let (resp, fault, delay, id) = {
        let mut st = state.lock().unwrap();
        st.counter += 1;
        let id = st.counter;
        let mut fault = None;
        for f in st
            .faults
            .iter_mut()
            .filter(|f| req.target.contains(&f.path_contains))
        {
            f.seen += 1;
            if f.seen == f.nth && fault.is_none() {
                fault = Some(f.kind.clone());
            }
        }
        let resp = match &fault {
            Some(FaultKind::Status(code, ra)) => {
                let mut r = error(*code, "Injected", "injected fault");
                if let Some(ra) = ra {
                    r.headers.push(("Retry-After", ra.to_string()));
                }
                r
            }
            _ => route(&req, &mut st, base),
        };
        st.log.push(Logged {
            method: req.method.clone(),
            target: req.target.clone(),
            authorization: req.header("authorization"),
            prefer: req.header("prefer"),
            body: String::from_utf8_lossy(&req.body).into_owned(),
            status: resp.status,
        });
        (resp, fault, st.delay, id)
    };
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let mut body = resp.body;
    let declared = body.len();
    match fault {
        Some(FaultKind::Reset) => return,
        Some(FaultKind::Truncate) => body.truncate(declared / 2),
        Some(FaultKind::InvalidBody) => {
            body.truncate(declared / 2);
        }
        _ => {}
    }
    let content_length = match fault {
        Some(FaultKind::Truncate) => declared,
        _ => body.len(),
    };
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {content_length}\r\nx-ms-request-id: req-{id:06}\r\nConnection: close\r\n",
        resp.status
    );
    for (k, v) in resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn route(req: &Req, st: &mut State, base: &str) -> Resp {
    let auth = req.header("authorization").unwrap_or_default();
    let token = auth.strip_prefix("Bearer ").unwrap_or("").to_string();
    if let Some(left) = st.expiring.get_mut(&token) {
        if *left == 0 {
            return error(
                401,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.",
            );
        }
        *left -= 1;
    }
    if !st.valid_tokens.contains(&token) {
        return error(
            401,
            "InvalidAuthenticationToken",
            "The access token is invalid.",
        );
    }
    let path = req.path().to_string();
    if st.forbidden.iter().any(|f| path.contains(f.as_str())) {
        return error(
            403,
            "AuthorizationFailed",
            "The client does not have authorization to perform action 'Microsoft.Insights/eventtypes/values/read'.",
        );
    }
    let seg: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let api = req.param("api-version").unwrap_or_default();
    const VALUES: [&str; 5] = [
        "providers",
        "Microsoft.Insights",
        "eventtypes",
        "management",
        "values",
    ];
    if let Some(scope) = seg.strip_suffix(&VALUES[..]) {
        return match scope {
            ["subscriptions", id] => {
                activity(req, st, base, &format!("sub:{id}"), &api, "2015-04-01")
            }
            ["providers", "Microsoft.Management", "managementGroups", id] => activity(
                req,
                st,
                base,
                &format!("mg:{id}"),
                &api,
                "2017-03-01-preview",
            ),
            [] => activity(req, st, base, "tenant", &api, "2015-04-01"),
            _ => error(404, "NotFound", "no such scope"),
        };
    }
    match seg.as_slice() {
        ["subscriptions"] => list_subscriptions(req, st, base),
        ["subscriptions", id] => {
            if st.subscriptions.iter().any(|s| s == id) {
                json_resp(200, json!({"subscriptionId": id, "state": "Enabled"}))
            } else {
                error(
                    404,
                    "SubscriptionNotFound",
                    "The subscription could not be found.",
                )
            }
        }
        ["providers", "Microsoft.Management", "managementGroups", id] => {
            if st.management_groups.iter().any(|m| m == id) {
                json_resp(
                    200,
                    json!({"name": id, "type": "Microsoft.Management/managementGroups"}),
                )
            } else {
                error(
                    403,
                    "AuthorizationFailed",
                    "no access to the management group",
                )
            }
        }
        [ver @ ("v1.0" | "beta"), "auditLogs", log] => graph(req, st, base, ver, log),
        ["v1", "workspaces", ws, "query"] if req.method == "POST" => query(req, st, ws),
        _ => error(404, "NotFound", "no such route"),
    }
}

fn list_subscriptions(req: &Req, st: &mut State, base: &str) -> Resp {
    let off: usize = req
        .param("$skipToken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let value: Vec<Value> = st
        .subscriptions
        .iter()
        .skip(off)
        .take(1)
        .map(|s| json!({"id": format!("/subscriptions/{s}"), "subscriptionId": s, "displayName": s, "state": "Enabled"}))
        .collect();
    let mut v = json!({ "value": value });
    if off + 1 < st.subscriptions.len() {
        v["nextLink"] = json!(format!(
            "{base}/subscriptions?api-version=2022-12-01&$skipToken={}",
            off + 1
        ));
    }
    json_resp(200, v)
}

/// `'…'`-quoted value after `prefix` in `s`, and the rest.
fn quoted<'a>(s: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = s.strip_prefix(prefix)?.strip_prefix('\'')?;
    let end = rest.find('\'')?;
    Some((&rest[..end], &rest[end + 1..]))
}

fn ts(s: &str) -> Option<jiff::Timestamp> {
    s.parse().ok()
}

fn activity(req: &Req, st: &mut State, base: &str, scope: &str, api: &str, want_api: &str) -> Resp {
    if api != want_api {
        return error(
            400,
            "InvalidApiVersion",
            &format!("api-version {api} is not {want_api}"),
        );
    }
    if req
        .query()
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("$select"))
    {
        return error(
            400,
            "BadRequest",
            "$select is not expected by this emulator",
        );
    }
    let Some(filter) = req.param("$filter") else {
        return error(400, "BadRequest", "$filter is required");
    };
    let parsed = quoted(&filter, "eventTimestamp ge ").and_then(|(t1, rest)| {
        let (t2, rest) = quoted(rest, " and eventTimestamp le ")?;
        let rp = if rest.is_empty() {
            None
        } else {
            let (rp, tail) = quoted(rest, " and resourceProvider eq ")?;
            if !tail.is_empty() {
                return None;
            }
            Some(rp.to_string())
        };
        Some((ts(t1)?, ts(t2)?, rp))
    });
    let Some((t1, t2, rp)) = parsed else {
        return error(
            400,
            "BadRequest",
            &format!("filter not in the documented pattern: {filter}"),
        );
    };
    let skip = req.param("$skipToken");
    if skip.is_some() && !st.issued.contains(&req.target) {
        return error(
            400,
            "BadRequest",
            "nextLink was not followed exactly as issued",
        );
    }
    let key = format!("{scope}|{filter}");
    let mut events: Vec<Value> = st.activity.get(scope).cloned().unwrap_or_default();
    let queried_before = *st.first_pages.get(&key).unwrap_or(&0) > 0;
    if skip.is_none() {
        *st.first_pages.entry(key.clone()).or_default() += 1;
    }
    let late_visible =
        queried_before || skip.is_some() && *st.first_pages.get(&key).unwrap_or(&0) > 1;
    if late_visible {
        events.extend(st.late_activity.get(scope).cloned().unwrap_or_default());
    }
    let mut matching: Vec<Value> = events
        .into_iter()
        .filter(|e| {
            let t = e["eventTimestamp"].as_str().and_then(ts);
            t.is_some_and(|t| t >= t1 && t <= t2)
                && rp.as_deref().is_none_or(|rp| {
                    e["resourceProviderName"]["value"]
                        .as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case(rp))
                })
        })
        .collect();
    matching.sort_by(|a, b| {
        b["eventTimestamp"]
            .as_str()
            .cmp(&a["eventTimestamp"].as_str())
    });
    let off: usize = skip
        .as_deref()
        .and_then(|s| s.strip_prefix("US1:"))
        .and_then(|s| s.split('!').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let n = st.page_size.max(1);
    let page: Vec<Value> = matching.iter().skip(off).take(n).cloned().collect();
    let mut v = json!({ "value": page });
    if off + n < matching.len() {
        let token = format!("US1:{}!;EU1:-1:FFFFFFFF;AS1:-1", off + n);
        let path_query = format!(
            "{}?api-version={api}&$filter={}&$skipToken={}",
            req.path(),
            encode(&filter),
            encode(&token)
        );
        st.issued.insert(path_query.clone());
        v["nextLink"] = json!(format!("{base}{path_query}"));
    }
    json_resp(200, v)
}

fn graph(req: &Req, st: &mut State, base: &str, ver: &str, log: &str) -> Resp {
    if !req
        .header("prefer")
        .is_some_and(|p| p.contains("include-unknown-enum-members"))
    {
        return error(
            400,
            "BadRequest",
            "Prefer: include-unknown-enum-members missing",
        );
    }
    if st.unlicensed {
        return error(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        );
    }
    let filter = req.param("$filter").unwrap_or_default();
    let (field, records) = match (ver, log) {
        ("v1.0", "directoryAudits") => ("activityDateTime", st.audits.clone()),
        (_, "signIns") => {
            let (kind, rest) = match filter.strip_prefix("(signInEventTypes/any(t: t eq '") {
                Some(r) if ver == "beta" => {
                    let Some((k, rest)) = r.split_once("')) and ") else {
                        return error(400, "BadRequest", "bad signInEventTypes filter");
                    };
                    (k.to_string(), rest.to_string())
                }
                Some(_) => return error(400, "BadRequest", "signInEventTypes needs beta"),
                None => ("interactiveUser".to_string(), filter.clone()),
            };
            let _ = rest;
            (
                "createdDateTime",
                st.signins.get(&kind).cloned().unwrap_or_default(),
            )
        }
        _ => return error(404, "NotFound", "no such log"),
    };
    let time_part = filter
        .rsplit_once(") and ")
        .map_or(filter.as_str(), |(_, t)| t);
    let parts: Vec<&str> = time_part.split(' ').collect();
    let (t1, t2) = match parts.as_slice() {
        [f1, "ge", a, "and", f2, "le", b] if *f1 == field && *f2 == field => match (ts(a), ts(b)) {
            (Some(a), Some(b)) => (a, b),
            _ => return error(400, "BadRequest", "bad datetime"),
        },
        _ => return error(400, "BadRequest", &format!("unsupported filter {filter}")),
    };
    let mut matching: Vec<Value> = records
        .into_iter()
        .filter(|r| {
            r[field]
                .as_str()
                .and_then(ts)
                .is_some_and(|t| t >= t1 && t <= t2)
        })
        .collect();
    matching.sort_by(|a, b| b[field].as_str().cmp(&a[field].as_str()));
    let top: usize = req
        .param("$top")
        .and_then(|t| t.parse().ok())
        .unwrap_or(st.page_size.max(1));
    let off: usize = req
        .param("$skiptoken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if req.param("$skiptoken").is_some() && !st.issued.contains(&req.target) {
        return error(
            400,
            "BadRequest",
            "@odata.nextLink was not followed exactly",
        );
    }
    let page: Vec<Value> = matching.iter().skip(off).take(top).cloned().collect();
    let mut v =
        json!({"@odata.context": format!("{base}/{ver}/$metadata#auditLogs/{log}"), "value": page});
    if off + top < matching.len() && req.param("$top").is_none() {
        let path_query = format!(
            "{}?$filter={}&$skiptoken={}",
            req.path(),
            encode(&filter),
            off + top
        );
        st.issued.insert(path_query.clone());
        v["@odata.nextLink"] = json!(format!("{base}{path_query}"));
    }
    json_resp(200, v)
}

fn query(req: &Req, st: &mut State, ws: &str) -> Resp {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "BadArgumentError", "body is not JSON");
    };
    let q = body["query"].as_str().unwrap_or("");
    if q.starts_with("print azhunt_probe") {
        return json_resp(
            200,
            json!({"tables":[{"name":"PrimaryResult","columns":[{"name":"azhunt_probe","type":"long"}],"rows":[[1]]}]}),
        );
    }
    let Some((cols, rows)) = st.workspaces.get(ws).cloned() else {
        return error(404, "WorkspaceNotFoundError", "no such workspace");
    };
    let span = body["timespan"].as_str().unwrap_or("");
    let Some((a, b)) = span
        .split_once('/')
        .and_then(|(a, b)| Some((ts(a)?, ts(b)?)))
    else {
        return error(400, "BadArgumentError", "timespan must be start/end");
    };
    // Both ends inclusive, so a row on a boundary comes back in two windows.
    let matching: Vec<Vec<Value>> = rows
        .into_iter()
        .filter(|r| r[0].as_str().and_then(ts).is_some_and(|t| t >= a && t <= b))
        .collect();
    let columns: Vec<Value> = cols
        .iter()
        .map(|c| json!({"name": c, "type": "string"}))
        .collect();
    let limit = st.la_max_rows.max(1);
    if matching.len() > limit {
        let part: Vec<Vec<Value>> = matching.into_iter().take(limit).collect();
        return json_resp(
            200,
            json!({
                "tables": [{"name": "PrimaryResult", "columns": columns, "rows": part}],
                "error": {"code": "PartialError", "message": "There were some errors when processing your query.",
                          "details": [{"code": "E_QUERY_RESULT_SET_TOO_LARGE", "message": "result set exceeds the limit"}]}
            }),
        );
    }
    json_resp(
        200,
        json!({"tables": [{"name": "PrimaryResult", "columns": columns, "rows": matching}]}),
    )
}
