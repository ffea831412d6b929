//! Sign-in context for detections: did the identity that changed the control plane sign in
//! around that time, from where, with which application, and did the control-plane IP appear
//! in those sign-ins at all?
//!
//! Every sign-in is kept as a compact record (interned strings, about 48 bytes), sorted per
//! identity at the end; a detection's context is a binary search into its identity's run.
//! A detection is described by a [`ContextRequest`] — the caller's keys, its IP and the time —
//! small enough to travel with the detection's rendered row through the bounded-memory sorter
//! and be answered when the rows are written, after every sign-in has been read.

use crate::observe::{Observation, SigninKind, Who};
use crate::{Insight, fmt_ms};
use azhunt_detect::EventRef;
use azhunt_model::CallerType;
use serde::Serialize;
use std::collections::HashSet;

/// Sign-ins listed in one detection's context (all are counted).
pub const SIGNINS_SHOWN: usize = 10;
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub(crate) struct SigninRec {
    ms: i64,
    who: u32,
    ip: u32,
    location: u32,
    app: u32,
    code: u32,
    conditional_access: u32,
    authentication: u32,
    risk: u32,
    kind: SigninKind,
    succeeded: bool,
}

/// One sign-in as a detection's context shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigninBrief {
    pub time: String,
    pub kind: &'static str,
    pub ip: Option<String>,
    pub location: Option<String>,
    pub app: Option<String>,
    /// success or failure.
    pub result: &'static str,
    pub error_code: Option<String>,
    pub conditional_access: Option<String>,
    pub authentication: Option<String>,
    pub risk: Option<String>,
}

/// The sign-ins of a detection's identity in the window before it (JSONL `context.signins`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigninContext {
    pub window_hours: u32,
    /// Sign-ins of the identity in the window.
    pub total: usize,
    pub failed: usize,
    /// The most recent [`SIGNINS_SHOWN`], newest first.
    pub recent: Vec<SigninBrief>,
    /// Distinct IPs of those sign-ins.
    pub ips: Vec<String>,
    /// The IP of the control-plane event.
    pub ip: Option<String>,
    /// Whether that IP appears among the window's sign-ins (`null`: no IP or no sign-ins).
    pub ip_in_signins: Option<bool>,
    /// Whether that IP appears in any sign-in of the identity in the evidence.
    pub ip_in_any_signin: Option<bool>,
    /// The plain-words finding, when there is one.
    pub flag: Option<String>,
}

/// What a detection needs answered: who (keys, lower case), from which IP, when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextRequest {
    pub keys: Vec<String>,
    pub ip: Option<String>,
    pub ms: i64,
}

impl ContextRequest {
    /// A request for callers that sign in (users and workload identities); `None` otherwise.
    pub fn new(
        kind: CallerType,
        keys: Vec<String>,
        ip: Option<&str>,
        ms: i64,
    ) -> Option<ContextRequest> {
        let keys: Vec<String> = keys
            .into_iter()
            .map(|k| k.trim().to_ascii_lowercase())
            .filter(|k| !k.is_empty())
            .collect();
        (kind != CallerType::Unknown && !keys.is_empty()).then(|| ContextRequest {
            keys,
            ip: ip
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            ms,
        })
    }

    /// The request of a detection on an event whose caller is `who`.
    pub fn of_caller(who: &Who, ip: Option<&str>, ms: i64) -> Option<ContextRequest> {
        let keys = who.keys.iter().map(|k| k.to_string()).collect();
        ContextRequest::new(who.kind, keys, ip, ms)
    }

    /// [`ContextRequest::of_caller`] of the caller of `e` ([`Who::of`]), from `e`'s IP at its
    /// time, encoded: the same bytes, without building the [`Who`] or the request.
    pub fn bytes_for(e: &azhunt_model::Event) -> Option<Vec<u8>> {
        let (keys, n) = crate::observe::key_sources(&e.caller);
        if e.caller.kind == CallerType::Unknown || n == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(96);
        let ip = e.ip.as_deref().map_or("", str::trim);
        write_request(e.time.as_millisecond(), ip, &keys[..n], true, &mut out);
        Some(out)
    }

    /// The request of a detection citing `event` (multi-event detections keep only the
    /// caller as shown, which is one of its keys or its display name).
    pub fn of_event(event: &EventRef) -> Option<ContextRequest> {
        let caller = event.caller.as_deref()?;
        let kind = ContextRequest::caller_kind(event.caller_type);
        let ms = i64::try_from(event.nanos.div_euclid(1_000_000)).unwrap_or(0);
        ContextRequest::new(kind, vec![caller.to_string()], event.ip.as_deref(), ms)
    }

    /// [`ContextRequest::encode`] into a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(96);
        self.encode(&mut b);
        b
    }

    /// `kind` given as the contract's caller_type word.
    pub fn caller_kind(word: &str) -> CallerType {
        match word {
            "user" => CallerType::User,
            "service_principal" => CallerType::ServicePrincipal,
            "managed_identity" => CallerType::ManagedIdentity,
            _ => CallerType::Unknown,
        }
    }

    /// Appends the request as bytes: `ms`, then length-prefixed strings (IP first, empty when none).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let keys: Vec<&str> = self.keys.iter().map(String::as_str).collect();
        write_request(self.ms, self.ip.as_deref().unwrap_or(""), &keys, false, out);
    }

    /// Reads what [`ContextRequest::encode`] wrote; `None` on anything else.
    pub fn decode(mut b: &[u8]) -> Option<ContextRequest> {
        fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            let (head, tail) = b.split_at_checked(n)?;
            *b = tail;
            Some(head)
        }
        let ms = i64::from_le_bytes(take(&mut b, 8)?.try_into().ok()?);
        let n = u16::from_le_bytes(take(&mut b, 2)?.try_into().ok()?);
        let mut strings = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let len = u16::from_le_bytes(take(&mut b, 2)?.try_into().ok()?);
            strings.push(String::from_utf8_lossy(take(&mut b, len as usize)?).into_owned());
        }
        if !b.is_empty() || strings.is_empty() {
            return None;
        }
        let ip = strings.remove(0);
        Some(ContextRequest {
            keys: strings,
            ip: (!ip.is_empty()).then_some(ip),
            ms,
        })
    }
}

/// The bytes of a request ([`ContextRequest::encode`]): `ms`, the string count, then each
/// string (IP first, empty when none) length-prefixed; keys lower-cased on the way when
/// `lower_keys` (callers' keys as they appear in the event).
fn write_request(ms: i64, ip: &str, keys: &[&str], lower_keys: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(&ms.to_le_bytes());
    let n = u16::try_from(keys.len() + 1).unwrap_or(u16::MAX);
    out.extend_from_slice(&n.to_le_bytes());
    for (i, s) in std::iter::once(ip)
        .chain(keys.iter().copied())
        .take(n as usize)
        .enumerate()
    {
        let b = s.as_bytes();
        let len = u16::try_from(b.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        let start = out.len();
        out.extend_from_slice(b.get(..len as usize).unwrap_or(b));
        if lower_keys && i > 0 {
            out[start..].make_ascii_lowercase();
        }
    }
}

/// Sign-ins sorted by (identity root, time), built once all are read.
#[derive(Debug, Default)]
pub(crate) struct SigninTable {
    pub(crate) rows: Vec<SigninRec>,
    /// (identity root, IP) pairs seen in any sign-in.
    pub(crate) pairs: HashSet<(u32, u32)>,
    /// Identity roots with at least one sign-in IP.
    roots_with_ip: HashSet<u32>,
    sorted: bool,
}

fn opt(strings: &mut crate::intern::Strings, s: Option<&str>) -> u32 {
    s.map_or(NONE, |s| strings.id(s))
}

impl Insight {
    pub(crate) fn observe_signin(&mut self, o: &Observation) {
        let (Some(s), Some(who), crate::observe::SourceKind::SignIn(kind)) =
            (&o.signin, &o.who, o.source.kind)
        else {
            return;
        };
        let who_id = self.identity_of(who);
        let st = &mut self.strings;
        let rec = SigninRec {
            ms: o.ms,
            who: who_id,
            ip: opt(st, o.ip.as_deref()),
            location: opt(st, o.location.as_deref()),
            app: opt(st, s.app.as_deref()),
            code: opt(st, s.code.as_deref()),
            conditional_access: opt(st, s.conditional_access.as_deref()),
            authentication: opt(st, s.authentication.as_deref()),
            risk: opt(st, s.risk.as_deref()),
            kind,
            succeeded: s.succeeded,
        };
        self.signins.rows.push(rec);
        self.signins.sorted = false;
    }

    /// Sorts the sign-ins by identity root and time (after every alias is known).
    pub(crate) fn seal_signins(&mut self) {
        if self.signins.sorted {
            return;
        }
        let mut rows = std::mem::take(&mut self.signins.rows);
        for r in &mut rows {
            r.who = self.aliases.root(r.who);
        }
        rows.sort_by_key(|r| (r.who, r.ms));
        self.signins.pairs = rows
            .iter()
            .filter(|r| r.ip != NONE)
            .map(|r| (r.who, r.ip))
            .collect();
        self.signins.roots_with_ip = self.signins.pairs.iter().map(|(w, _)| *w).collect();
        self.signins.rows = rows;
        self.signins.sorted = true;
    }

    /// Number of sign-ins read.
    pub fn signin_count(&self) -> usize {
        self.signins.rows.len()
    }

    /// The identity root of the first key azhunt knows (read-only: no path compression, so
    /// that sealed contexts can be answered from several threads).
    fn root_of_keys(&self, keys: &[String]) -> Option<u32> {
        let id = keys.iter().find_map(|k| self.strings.find(k))?;
        Some(self.aliases.find(id))
    }

    fn text(&self, id: u32) -> Option<String> {
        (id != NONE).then(|| self.strings.get(id).to_string())
    }

    /// The sign-in context of a detection: the identity's sign-ins in the `window_hours` before
    /// the request's time (and up to five minutes after, as sign-in and operation clocks differ).
    pub fn signin_context(&mut self, req: &ContextRequest, window_hours: u32) -> SigninContext {
        self.contexts().signin_context(req, window_hours)
    }

    /// The sign-ins sealed (sorted by identity and time), for answering
    /// [`Contexts::signin_context`] from any number of threads.
    pub fn contexts(&mut self) -> Contexts<'_> {
        self.seal_signins();
        Contexts { insight: self }
    }
}

/// Sign-in contexts over sealed sign-ins ([`Insight::contexts`]): read-only, shareable between
/// threads.
#[derive(Clone, Copy)]
pub struct Contexts<'a> {
    insight: &'a Insight,
}

impl Contexts<'_> {
    /// [`Insight::signin_context`] without the `&mut`.
    pub fn signin_context(&self, req: &ContextRequest, window_hours: u32) -> SigninContext {
        let ins = self.insight;
        let root = ins.root_of_keys(&req.keys);
        let from = req.ms.saturating_sub(i64::from(window_hours) * 3_600_000);
        let to = req.ms.saturating_add(300_000);
        let rows: &[SigninRec] = match root {
            Some(r) => {
                let rows = &ins.signins.rows;
                let lo = rows.partition_point(|x| (x.who, x.ms) < (r, from));
                let hi = rows.partition_point(|x| (x.who, x.ms) <= (r, to));
                rows.get(lo..hi).unwrap_or(&[])
            }
            None => &[],
        };
        let ip_id = req.ip.as_deref().and_then(|ip| ins.strings.find(ip));
        let mut ips: Vec<String> = Vec::new();
        let mut seen: HashSet<u32> = HashSet::new();
        for r in rows.iter().rev() {
            if r.ip != NONE && seen.insert(r.ip) {
                ips.push(ins.strings.get(r.ip).to_string());
            }
        }
        let recent: Vec<SigninBrief> = rows
            .iter()
            .rev()
            .take(SIGNINS_SHOWN)
            .map(|r| SigninBrief {
                time: fmt_ms(r.ms),
                kind: r.kind.as_str(),
                ip: ins.text(r.ip),
                location: ins.text(r.location),
                app: ins.text(r.app),
                result: if r.succeeded { "success" } else { "failure" },
                error_code: ins.text(r.code),
                conditional_access: ins.text(r.conditional_access),
                authentication: ins.text(r.authentication),
                risk: ins.text(r.risk),
            })
            .collect();
        let failed = rows.iter().filter(|r| !r.succeeded).count();
        let ip_in_signins = match (&req.ip, rows.is_empty()) {
            (Some(_), false) => Some(ip_id.is_some_and(|i| seen.contains(&i))),
            _ => None,
        };
        let ip_in_any_signin = match (req.ip.as_ref(), root) {
            (Some(_), Some(r)) if ins.signins.roots_with_ip.contains(&r) => {
                Some(ip_id.is_some_and(|i| ins.signins.pairs.contains(&(r, i))))
            }
            _ => None,
        };
        let ip = req.ip.clone();
        let flag = match (ip.as_deref(), ip_in_signins, ip_in_any_signin) {
            (Some(ip), Some(false), Some(false)) => Some(format!(
                "control-plane IP {ip} never appears in this identity's sign-ins"
            )),
            (Some(ip), Some(false), _) => Some(format!(
                "control-plane IP {ip} does not appear in this identity's sign-ins of the {window_hours} h before"
            )),
            (Some(ip), None, Some(false)) => Some(format!(
                "no sign-in of this identity in the {window_hours} h before, and IP {ip} never appears in its sign-ins"
            )),
            _ => None,
        };
        SigninContext {
            window_hours,
            total: rows.len(),
            failed,
            recent,
            ips,
            ip,
            ip_in_signins,
            ip_in_any_signin,
            flag,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn requests_round_trip() {
        let r = ContextRequest {
            keys: vec!["a@b.c".into(), "oid".into()],
            ip: Some("203.0.113.9".into()),
            ms: -5,
        };
        let mut b = Vec::new();
        r.encode(&mut b);
        assert_eq!(ContextRequest::decode(&b), Some(r));
        let none = ContextRequest {
            keys: vec!["x".into()],
            ip: None,
            ms: 7,
        };
        let mut b = Vec::new();
        none.encode(&mut b);
        assert_eq!(ContextRequest::decode(&b), Some(none));
        assert_eq!(ContextRequest::decode(&b[..b.len() - 1]), None);
    }

    #[test]
    fn only_identities_that_sign_in_get_requests() {
        assert!(ContextRequest::new(CallerType::Unknown, vec!["x".into()], None, 0).is_none());
        assert!(ContextRequest::new(CallerType::User, vec![" ".into()], None, 0).is_none());
        let r = ContextRequest::new(CallerType::User, vec!["A@B".into()], Some(" 1.2.3.4 "), 0);
        assert_eq!(
            r.map(|r| (r.keys, r.ip)),
            Some((vec!["a@b".to_string()], Some("1.2.3.4".to_string())))
        );
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = ContextRequest::decode(&bytes);
        }
    }
}
