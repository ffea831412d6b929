//! One request function for every API: retries, backoff, token refresh, provenance.
//!
//! Every call to Azure goes through [`Http::send`] so the rules hold everywhere (research §4.4,
//! §4.8, §8, §13.4):
//!
//! - **Transient failures are retried in place**: 429, 5xx, connection errors, time-outs,
//!   bodies cut short and 2xx bodies that are not what the API returns (the caller's `accept`
//!   check). The *same* URL is sent again — for paging that is the same `nextLink`, so a failure on
//!   page 3 never restarts the window.
//! - **Waiting**: a `Retry-After` (seconds or HTTP date), `retry-after-ms` or
//!   `x-ms-retry-after-ms` is honoured (up to [`RetryPolicy::max_retry_after`]); otherwise
//!   exponential backoff with jitter, capped by [`RetryPolicy::max_backoff`].
//! - **401** asks the token provider for a fresh token once per request, then gives up.
//! - **Provenance**: every attempt becomes an [`Exchange`] (URL, status, `x-ms-request-id`,
//!   bytes, error) for the manifest, successful or not.
//! - Redirects are not followed: a bearer token goes only to the endpoints the user chose.

use crate::auth::{Token, TokenProvider};
use crate::cloud::Audience;
use crate::error::{AuthError, CollectError, redact};
use crate::progress::LogFn;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// How hard to try, and how long to wait.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff delay; doubled per attempt.
    pub base_delay: Duration,
    /// Longest backoff delay (before jitter).
    pub max_backoff: Duration,
    /// Longest server-requested wait honoured; longer `Retry-After`s are cut to this.
    pub max_retry_after: Duration,
    /// Time-out of one attempt (connect, send, whole body).
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
            // Log Analytics queries may run 10 minutes (`Prefer: wait=600`).
            timeout: Duration::from_secs(660),
        }
    }
}

impl RetryPolicy {
    /// The backoff before attempt `attempt + 1` (1-based `attempt`), jittered into `[d/2, d]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let d = exp.min(self.max_backoff);
        let half = d / 2;
        let jitter = d.saturating_sub(half).as_micros();
        let extra = if jitter == 0 {
            0
        } else {
            fastrand::u64(0..=u64::try_from(jitter).unwrap_or(u64::MAX))
        };
        half + Duration::from_micros(extra)
    }
}

/// One attempt, as the manifest records it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Exchange {
    /// When it was sent (UTC).
    pub at: String,
    /// `GET` or `POST`.
    pub method: String,
    /// The URL exactly as sent.
    pub url: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// HTTP status, when a response arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `x-ms-request-id` (or `request-id`, `client-request-id`) of the response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Body bytes received.
    pub bytes: u64,
    /// Why this attempt did not count (transport error, cut body, retried status).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A final response: 2xx with an accepted body, or a non-retryable status for the caller to
/// classify (403, 400, 404, …).
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body exactly as received.
    pub body: Vec<u8>,
    /// `x-ms-request-id` of the final attempt.
    pub request_id: Option<String>,
    /// Whether any attempt was throttled (429) — the window sizer shrinks on it.
    pub throttled: bool,
}

/// Why a request produced no [`Reply`].
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// Every attempt failed transiently.
    #[error("gave up after {attempts} attempts: {last}")]
    Exhausted {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// 401 and no fresh token could be had.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// Rejected a second time after a token refresh.
    #[error("unauthorized (401) even with a fresh token")]
    Unauthorized,
}

/// A request to send.
pub struct Request<'a> {
    /// The URL, sent byte for byte (a `nextLink` is never re-encoded).
    pub url: &'a str,
    /// Which token to attach.
    pub audience: Audience,
    /// JSON body for `POST`; `None` sends `GET`.
    pub json_body: Option<&'a [u8]>,
    /// Extra headers.
    pub headers: &'a [(&'static str, &'a str)],
}

/// The HTTP client with its tokens and retry policy.
pub struct Http {
    client: reqwest::Client,
    runtime: Arc<tokio::runtime::Runtime>,
    policy: RetryPolicy,
    tokens: Box<dyn TokenProvider>,
    cache: BTreeMap<Audience, Token>,
    notify: LogFn,
}

/// The outcome of one attempt before the retry decision.
enum Attempt {
    Done(Reply),
    Retry {
        why: String,
        wait: Option<Duration>,
        throttled: bool,
    },
    Unauthorized,
}

impl Http {
    /// A client on `runtime` using `tokens`; `notify` receives one line per retry.
    pub fn new(
        runtime: Arc<tokio::runtime::Runtime>,
        tokens: Box<dyn TokenProvider>,
        policy: RetryPolicy,
        notify: LogFn,
    ) -> Result<Http, CollectError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(policy.timeout)
            .connect_timeout(Duration::from_secs(30))
            .user_agent(concat!("azhunt/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CollectError::Client(e.to_string()))?;
        Ok(Http {
            client,
            runtime,
            policy,
            tokens,
            cache: BTreeMap::new(),
            notify,
        })
    }

    /// The auth method's name.
    pub fn auth_method(&self) -> &'static str {
        self.tokens.method()
    }

    /// A token for `audience` (cached; fetched on first use).
    pub fn token(&mut self, audience: Audience) -> Result<Token, AuthError> {
        if let Some(t) = self.cache.get(&audience) {
            return Ok(t.clone());
        }
        let t = self.tokens.token(audience, false)?;
        self.cache.insert(audience, t.clone());
        Ok(t)
    }

    /// Sends `req` until it gives a final response, recording every attempt in `log`.
    /// `accept` checks a 2xx body; a body it refuses is retried like a cut connection.
    pub fn send(
        &mut self,
        req: &Request<'_>,
        accept: &dyn Fn(&[u8]) -> bool,
        log: &mut Vec<Exchange>,
    ) -> Result<Reply, RequestError> {
        let mut refreshed = false;
        let mut throttled = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let token = self.token(req.audience)?;
            let mut ex = Exchange {
                at: Timestamp::now().to_string(),
                method: if req.json_body.is_some() {
                    "POST"
                } else {
                    "GET"
                }
                .to_string(),
                url: req.url.to_string(),
                attempt,
                status: None,
                request_id: None,
                bytes: 0,
                error: None,
            };
            let outcome = self.attempt(req, &token, accept, &mut ex);
            match outcome {
                Attempt::Done(mut reply) => {
                    log.push(ex);
                    reply.throttled = throttled;
                    return Ok(reply);
                }
                Attempt::Unauthorized => {
                    ex.error = Some("401 unauthorized".into());
                    log.push(ex);
                    if refreshed {
                        return Err(RequestError::Unauthorized);
                    }
                    (self.notify)(&format!(
                        "401 from {}; getting a fresh {} token",
                        host_of(req.url),
                        req.audience.as_str()
                    ));
                    self.cache.remove(&req.audience);
                    let fresh = self.tokens.token(req.audience, true)?;
                    self.cache.insert(req.audience, fresh);
                    refreshed = true;
                    attempt -= 1; // a refresh does not use up a retry
                }
                Attempt::Retry {
                    why,
                    wait,
                    throttled: t,
                } => {
                    throttled |= t;
                    ex.error = Some(why.clone());
                    log.push(ex);
                    if attempt >= self.policy.max_attempts {
                        return Err(RequestError::Exhausted {
                            attempts: attempt,
                            last: why,
                        });
                    }
                    let delay = match wait {
                        Some(w) => w.min(self.policy.max_retry_after),
                        None => self.policy.backoff(attempt),
                    };
                    (self.notify)(&format!(
                        "{why} from {}; retrying the same request in {:.1}s (attempt {}/{})",
                        host_of(req.url),
                        delay.as_secs_f64(),
                        attempt + 1,
                        self.policy.max_attempts
                    ));
                    std::thread::sleep(delay);
                }
            }
        }
    }

    fn attempt(
        &self,
        req: &Request<'_>,
        token: &Token,
        accept: &dyn Fn(&[u8]) -> bool,
        ex: &mut Exchange,
    ) -> Attempt {
        let mut rb = match req.json_body {
            Some(b) => self
                .client
                .post(req.url)
                .header("content-type", "application/json")
                .body(b.to_vec()),
            None => self.client.get(req.url),
        };
        rb = rb
            .bearer_auth(token.secret())
            .header("accept", "application/json");
        for (k, v) in req.headers {
            rb = rb.header(*k, *v);
        }
        let result = self.runtime.block_on(async move {
            let resp = rb.send().await?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body = resp.bytes().await;
            Ok::<_, reqwest::Error>((status, headers, body))
        });
        let (status, headers, body) = match result {
            Ok(x) => x,
            Err(e) => {
                return Attempt::Retry {
                    why: format!("connection error: {}", redact(&error_chain(&e))),
                    wait: None,
                    throttled: false,
                };
            }
        };
        ex.status = Some(status);
        ex.request_id = request_id(&headers);
        let body = match body {
            Ok(b) => b.to_vec(),
            Err(e) => {
                return Attempt::Retry {
                    why: format!(
                        "HTTP {status}, body cut short: {}",
                        redact(&error_chain(&e))
                    ),
                    wait: None,
                    throttled: false,
                };
            }
        };
        ex.bytes = body.len() as u64;
        let wait = retry_after(&headers, Timestamp::now());
        match status {
            200..=299 if accept(&body) => Attempt::Done(Reply {
                status,
                body,
                request_id: ex.request_id.clone(),
                throttled: false,
            }),
            200..=299 => Attempt::Retry {
                why: format!(
                    "HTTP {status} with an incomplete or invalid body ({} bytes)",
                    body.len()
                ),
                wait: None,
                throttled: false,
            },
            401 => Attempt::Unauthorized,
            429 => Attempt::Retry {
                why: "HTTP 429 throttled".into(),
                wait,
                throttled: true,
            },
            408 | 500..=599 => Attempt::Retry {
                why: format!("HTTP {status}"),
                wait,
                throttled: status == 503,
            },
            _ => Attempt::Done(Reply {
                status,
                body,
                request_id: ex.request_id.clone(),
                throttled: false,
            }),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn request_id(h: &reqwest::header::HeaderMap) -> Option<String> {
    [
        "x-ms-request-id",
        "request-id",
        "x-ms-client-request-id",
        "client-request-id",
    ]
    .iter()
    .find_map(|k| h.get(*k).and_then(|v| v.to_str().ok()).map(str::to_string))
}

fn retry_after(h: &reqwest::header::HeaderMap, now: Timestamp) -> Option<Duration> {
    let get = |k: &str| h.get(k).and_then(|v| v.to_str().ok());
    for k in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = get(k).and_then(|v| v.trim().parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    get("retry-after").and_then(|v| parse_retry_after(v, now))
}

/// Parses a `Retry-After` value: delay seconds or an HTTP date (RFC 9110 §10.2.3). A date in
/// the past means "now"; anything else unparseable is ignored (`None`), never a panic.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(86_400)));
    }
    if let Ok(f) = v.parse::<f64>()
        && f.is_finite()
        && f >= 0.0
    {
        return Some(Duration::from_secs_f64(f.min(86_400.0)));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let d = when.duration_since(now);
    Some(if d.is_negative() {
        Duration::ZERO
    } else {
        Duration::try_from(d)
            .unwrap_or(Duration::ZERO)
            .min(Duration::from_secs(86_400))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 31 Dec 2025 23:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let d1 = p.backoff(1);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d4 = p.backoff(4);
            assert!(d4 >= Duration::from_millis(400) && d4 <= Duration::from_millis(800));
            assert!(p.backoff(40) <= Duration::from_millis(1000));
        }
    }

    proptest::proptest! {
        #[test]
        fn retry_after_never_panics(s in "\\PC{0,60}") {
            let _ = parse_retry_after(&s, Timestamp::now());
        }
        #[test]
        fn retry_after_numbers_roundtrip(n in 0u64..86_400) {
            proptest::prop_assert_eq!(
                parse_retry_after(&n.to_string(), Timestamp::now()),
                Some(Duration::from_secs(n))
            );
        }
    }
}
