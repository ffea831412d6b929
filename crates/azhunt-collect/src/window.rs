//! Time windows: how a collection range is cut, sized and written into filters.
//!
//! A range is pulled as consecutive windows (default one day) so a failure costs one window,
//! memory stays flat and a crash resumes at a window boundary (research §4.9, §13.5). The APIs
//! only document inclusive `ge`/`le` bounds (§13.9), so a half-open window `[start, end)` is
//! written as `ge start and le end − 1 tick` (100 ns, the resolution of Activity Log and Kusto
//! times): consecutive windows neither overlap nor leave a gap.
//!
//! The [`Sizer`] shrinks the window when one was throttled, slow or (Log Analytics) too large,
//! and grows it back after clean windows, never beyond the configured size.

use jiff::{SignedDuration, Timestamp};

/// 100 ns: one .NET tick, the finest time the Azure logs carry.
pub const TICK: SignedDuration = SignedDuration::from_nanos(100);

/// A half-open time window `[start, end)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    /// First instant included.
    pub start: Timestamp,
    /// First instant not included.
    pub end: Timestamp,
}

impl Window {
    /// The last instant included: `end − 1 tick`.
    pub fn last(&self) -> Timestamp {
        self.end
            .checked_sub(TICK)
            .unwrap_or(self.start)
            .max(self.start)
    }

    /// A directory name for the window's raw pages: `20260101T000000Z_20260102T000000Z`.
    pub fn dir_name(&self) -> String {
        format!("{}_{}", compact(self.start), compact(self.end))
    }

    /// Its length.
    pub fn len(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// Whether it contains no instant.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// `2026-01-01T00:00:00.0000000Z`: UTC with seven fractional digits, as the Activity Log's own
/// timestamps are written. Never locale-dependent (research §4.9).
pub fn iso_ticks(t: Timestamp) -> String {
    format!(
        "{}.{:07}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_nanosecond() / 100
    )
}

/// `20260101T000000Z`, with `.fffffff` only when the time has a fraction.
pub fn compact(t: Timestamp) -> String {
    let base = t.strftime("%Y%m%dT%H%M%S").to_string();
    match t.subsec_nanosecond() {
        0 => format!("{base}Z"),
        n => format!("{base}.{:07}Z", n / 100),
    }
}

/// Parses a duration: `90d`, `12h`, `30m`, `45s` (one unit).
pub fn parse_duration(text: &str) -> Option<SignedDuration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (num, unit) = t.split_at(split);
    let n: i64 = num.parse().ok()?;
    let secs = match unit {
        "d" => n.checked_mul(86_400)?,
        "h" => n.checked_mul(3_600)?,
        "m" => n.checked_mul(60)?,
        "s" => n,
        _ => return None,
    };
    (secs > 0).then(|| SignedDuration::from_secs(secs))
}

/// Human form of a duration for messages: `1d`, `6h`, `15m`, `30s`, `500ms`.
pub fn human(d: SignedDuration) -> String {
    let s = d.as_secs();
    if s == 0 {
        return format!("{}ms", d.as_millis());
    }
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s % n == 0 {
            return format!("{}{unit}", s / n);
        }
    }
    format!("{s}s")
}

/// Adaptive window length.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sizer {
    /// The configured (largest) length, in seconds.
    pub max_secs: i64,
    /// The length of the next window, in seconds.
    pub current_secs: i64,
    /// The smallest length shrinking may reach, in seconds.
    pub min_secs: i64,
}

impl Sizer {
    /// A sizer starting at (and never exceeding) `max`.
    pub fn new(max: SignedDuration, min: SignedDuration) -> Sizer {
        let max_secs = max.as_secs().max(1);
        Sizer {
            max_secs,
            current_secs: max_secs,
            min_secs: min.as_secs().clamp(1, max_secs),
        }
    }

    /// The next window from `cursor`, cut at `until`.
    pub fn next(&self, cursor: Timestamp, until: Timestamp) -> Window {
        let end = cursor
            .checked_add(SignedDuration::from_secs(self.current_secs))
            .unwrap_or(until)
            .min(until);
        Window { start: cursor, end }
    }

    /// Halves the length; `false` when it is already at the minimum.
    pub fn shrink(&mut self) -> bool {
        if self.current_secs <= self.min_secs {
            return false;
        }
        self.current_secs = (self.current_secs / 2).max(self.min_secs);
        true
    }

    /// Doubles the length, up to the configured size.
    pub fn grow(&mut self) {
        self.current_secs = self.current_secs.saturating_mul(2).min(self.max_secs);
    }

    /// The current length.
    pub fn current(&self) -> SignedDuration {
        SignedDuration::from_secs(self.current_secs)
    }
}

/// Days the Activity Log keeps events.
pub const ACTIVITY_RETENTION_DAYS: i64 = 90;
/// Days Entra keeps audit and sign-in logs with a P1/P2 licence (7 without).
pub const ENTRA_RETENTION_DAYS: i64 = 30;
/// Days Entra keeps them in a Free tenant.
pub const ENTRA_FREE_RETENTION_DAYS: i64 = 7;

/// Warnings for a range reaching past what the services keep; the events before the cut-off
/// cannot be collected from the API, only from an export (research §4.5, §8).
pub fn retention_warnings(
    since: Timestamp,
    now: Timestamp,
    activity: bool,
    entra: bool,
) -> Vec<String> {
    let age_days = now.duration_since(since).as_secs() / 86_400;
    let mut w = Vec::new();
    if activity && age_days > ACTIVITY_RETENTION_DAYS {
        w.push(format!(
            "--since is {age_days} days ago: the Activity Log keeps {ACTIVITY_RETENTION_DAYS} days; \
older events exist only in a diagnostic-settings export or Log Analytics"
        ));
    }
    if entra && age_days > ENTRA_RETENTION_DAYS {
        w.push(format!(
            "--since is {age_days} days ago: Entra keeps audit and sign-in logs {ENTRA_RETENTION_DAYS} days \
(P1/P2) or {ENTRA_FREE_RETENTION_DAYS} days (Free)"
        ));
    } else if entra && age_days > ENTRA_FREE_RETENTION_DAYS {
        w.push(format!(
            "--since is {age_days} days ago: a Free Entra tenant keeps audit and sign-in logs only \
{ENTRA_FREE_RETENTION_DAYS} days"
        ));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn windows_partition_the_range_without_overlap() {
        let since = ts("2026-01-01T00:00:00Z");
        let until = ts("2026-01-03T12:00:00Z");
        let s = Sizer::new(
            SignedDuration::from_hours(24),
            SignedDuration::from_secs(60),
        );
        let mut cursor = since;
        let mut windows = Vec::new();
        while cursor < until {
            let w = s.next(cursor, until);
            windows.push(w);
            cursor = w.end;
        }
        assert_eq!(windows.len(), 3);
        assert_eq!(windows[2].end, until);
        assert_eq!(iso_ticks(windows[0].last()), "2026-01-01T23:59:59.9999999Z");
        assert_eq!(iso_ticks(windows[1].start), "2026-01-02T00:00:00.0000000Z");
        assert_eq!(windows[0].dir_name(), "20260101T000000Z_20260102T000000Z");
    }

    #[test]
    fn sizer_shrinks_to_min_and_grows_back_to_max() {
        let mut s = Sizer::new(
            SignedDuration::from_hours(1),
            SignedDuration::from_secs(900),
        );
        assert!(s.shrink());
        assert_eq!(s.current(), SignedDuration::from_secs(1800));
        assert!(s.shrink());
        assert_eq!(s.current(), SignedDuration::from_secs(900));
        assert!(!s.shrink());
        s.grow();
        s.grow();
        s.grow();
        assert_eq!(s.current(), SignedDuration::from_hours(1));
    }

    #[test]
    fn durations_and_formats() {
        assert_eq!(parse_duration("1d"), Some(SignedDuration::from_hours(24)));
        assert_eq!(parse_duration("90m"), Some(SignedDuration::from_mins(90)));
        assert_eq!(parse_duration("0h"), None);
        assert_eq!(parse_duration("1w"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("99999999999999999d"), None);
        assert_eq!(human(SignedDuration::from_hours(48)), "2d");
        assert_eq!(human(SignedDuration::from_secs(90)), "90s");
        assert_eq!(
            compact(ts("2026-01-01T00:00:00.5Z")),
            "20260101T000000.5000000Z"
        );
    }

    #[test]
    fn retention_warnings_by_age() {
        let now = ts("2026-06-01T00:00:00Z");
        let old = now
            .checked_sub(SignedDuration::from_hours(24 * 100))
            .unwrap();
        assert_eq!(retention_warnings(old, now, true, true).len(), 2);
        let ten = now
            .checked_sub(SignedDuration::from_hours(24 * 10))
            .unwrap();
        let w = retention_warnings(ten, now, true, true);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("Free"));
        assert!(retention_warnings(ten, now, true, false).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parse_duration_never_panics(s in "\\PC{0,30}") {
            let _ = parse_duration(&s);
        }
    }
}
