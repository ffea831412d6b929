//! Timestamp parsing and formatting for Azure log exports.
//!
//! Azure logs reach an investigator in many hands-made shapes: RFC 3339 from
//! the Activity Log API, US-style `M/D/YYYY h:mm:ss AM` from diagnostic
//! records and PowerShell, the Log Analytics portal's `4/28/2021, 2:32:14.029
//! PM` CSV cells, RFC 1123 from HTTP headers, and `/Date(ms)/` from Windows
//! PowerShell 5.1's `ConvertTo-Json`. Every event needs one comparable UTC
//! instant, so this module turns each of those shapes into a
//! [`jiff::Timestamp`] and records whether the zone had to be assumed.
//!
//! Parsing runs once per event over millions of events, so every shape is
//! parsed by hand over bytes without allocating; jiff only supplies the
//! `Timestamp` type and its range checks.

use jiff::Timestamp;

/// A parsed instant and whether its zone was assumed (the text had no offset, so UTC was assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    /// The instant, in UTC.
    pub ts: Timestamp,
    /// True when the text carried no zone or offset and UTC was assumed.
    pub zone_assumed: bool,
}

/// Parse one timestamp text. Returns None when the text is not a timestamp in a known shape. Never panics.
pub fn parse_time(text: &str) -> Option<ParsedTime> {
    let text = crate::field::trim(text);
    let b = text.as_bytes();
    let first = *b.first()?;
    if first == b'/' || first == b'\\' {
        parse_ms_date(b)
    } else if first.is_ascii_alphabetic() {
        parse_rfc2822(b)
    } else if first.is_ascii_digit() {
        // The first non-digit and where it sits tell the shapes apart.
        let sep = b.iter().enumerate().find(|(_, c)| !c.is_ascii_digit());
        match sep {
            Some((4, b'-')) | Some((8, b'T' | b't')) => parse_iso(b),
            Some((1 | 2, b'/')) => parse_us(b),
            Some((1 | 2, b' ')) => parse_rfc2822(b),
            _ => None,
        }
    } else {
        None
    }
}

/// Format as RFC 3339 UTC, `Z` suffix, with fractional digits only as many as needed
/// in groups of 3 (none, .fff, .ffffff, .fffffffff), e.g. `2021-04-28T14:32:14.029Z`.
pub fn format_rfc3339(ts: Timestamp) -> String {
    let mut out = String::with_capacity(30);
    write_rfc3339(ts, &mut out);
    out
}

/// Same, appending to a buffer (hot path, no allocation beyond the buffer).
pub fn write_rfc3339(ts: Timestamp, out: &mut String) {
    let mut secs = ts.as_second();
    let mut nanos = ts.subsec_nanosecond();
    if nanos < 0 {
        secs -= 1;
        nanos += 1_000_000_000;
    }
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if (0..=9999).contains(&year) {
        push_digits(out, year.unsigned_abs(), 4);
    } else {
        out.push(if year < 0 { '-' } else { '+' });
        push_digits(out, year.unsigned_abs(), 6);
    }
    out.push('-');
    push_digits(out, u64::from(month), 2);
    out.push('-');
    push_digits(out, u64::from(day), 2);
    out.push('T');
    push_digits(out, sod.unsigned_abs() / 3600, 2);
    out.push(':');
    push_digits(out, sod.unsigned_abs() / 60 % 60, 2);
    out.push(':');
    push_digits(out, sod.unsigned_abs() % 60, 2);
    let nanos = nanos.unsigned_abs();
    if nanos != 0 {
        out.push('.');
        if nanos.is_multiple_of(1_000_000) {
            push_digits(out, u64::from(nanos / 1_000_000), 3);
        } else if nanos.is_multiple_of(1_000) {
            push_digits(out, u64::from(nanos / 1_000), 6);
        } else {
            push_digits(out, u64::from(nanos), 9);
        }
    }
    out.push('Z');
}

/// Append `value` as exactly `width` decimal digits (left-padded with zeros;
/// higher digits beyond `width` are dropped, which callers never need).
fn push_digits(out: &mut String, value: u64, width: u32) {
    let mut div = 10u64.pow(width.saturating_sub(1));
    while div > 0 {
        let digit = (value / div % 10) as u8;
        out.push(char::from(b'0' + digit));
        div /= 10;
    }
}

/// A byte cursor over the trimmed input; every accessor is bounds-checked.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(b: &'a [u8]) -> Self {
        Cur { b, i: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i >= self.b.len()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    /// Consume `c`, or fail.
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// Consume one or more spaces, or fail.
    fn gap(&mut self) -> Option<()> {
        (self.spaces() > 0).then_some(())
    }

    /// Consume a run of ASCII spaces and return how many there were.
    fn spaces(&mut self) -> usize {
        let start = self.i;
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        self.i - start
    }

    /// Consume between `min` and `max` ASCII digits and return their value.
    /// On failure nothing is consumed.
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        if self.i - start < min {
            self.i = start;
            return None;
        }
        Some(v)
    }

    /// Consume an optional `.`/`,` fraction as nanoseconds (zero when
    /// absent): keeps the first nine digits, drops the rest, needs one.
    fn opt_fraction(&mut self) -> Option<u32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let start = self.i;
        let mut nanos: u32 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if self.i - start < 9 {
                nanos = nanos * 10 + u32::from(c - b'0');
            }
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 {
            return None;
        }
        for _ in n..9 {
            nanos *= 10;
        }
        Some(nanos)
    }

    /// Consume `word` case-insensitively if it comes next.
    fn word(&mut self, word: &[u8]) -> bool {
        let end = self.i + word.len();
        let hit = self
            .b
            .get(self.i..end)
            .is_some_and(|s| s.eq_ignore_ascii_case(word));
        if hit {
            self.i = end;
        }
        hit
    }

    /// Consume a run of ASCII letters and return it.
    fn letters(&mut self) -> &'a [u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        self.b.get(start..self.i).unwrap_or_default()
    }

    /// Parse what remains as an optional zone: nothing at all (`Some(None)`),
    /// or one optional space then `Z`, `UTC`, `GMT`, `UT`, `±hh`, `±hhmm` or
    /// `±hh:mm`, then the end. Returns the offset east of UTC in seconds.
    fn zone_to_end(&mut self) -> Option<Option<i32>> {
        if self.done() {
            return Some(None);
        }
        self.eat(b' ');
        let utc = [&b"Z"[..], b"UTC", b"GMT", b"UT"];
        let off = if matches!(self.peek(), Some(b'+' | b'-')) {
            self.numeric_offset()?
        } else if utc.iter().any(|name| self.word(name)) {
            0
        } else {
            return None;
        };
        self.done().then_some(Some(off))
    }

    fn numeric_offset(&mut self) -> Option<i32> {
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.i += 1;
        let hh = self.num(2, 2)?;
        let mm = if self.eat(b':') {
            self.num(2, 2)?
        } else {
            self.num(2, 2).unwrap_or(0)
        };
        if hh > 23 || mm > 59 {
            return None;
        }
        Some(sign * (hh * 3600 + mm * 60) as i32)
    }
}

/// Calendar fields as written in the text, before validation.
#[derive(Default)]
struct Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Fields {
    /// Validate the fields and convert to an instant, given the offset east
    /// of UTC (`None` means UTC was assumed).
    fn finish(&self, offset: Option<i32>) -> Option<ParsedTime> {
        let valid = (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60
            && self.nanos < 1_000_000_000;
        if !valid {
            return None;
        }
        // A leap second has no representation in a Timestamp; like jiff,
        // clamp it to the last second of the minute.
        let second = self.second.min(59);
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        let secs = days * 86_400 + i64::from(self.hour * 3600 + self.minute * 60 + second)
            - i64::from(offset.unwrap_or(0));
        let ts = Timestamp::new(secs, i32::try_from(self.nanos).ok()?).ok()?;
        Some(ParsedTime {
            ts,
            zone_assumed: offset.is_none(),
        })
    }
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `HH:MM[:SS[.fff]]` with a 1–2 digit hour (`min_hour_digits` tells whether
/// a single digit is allowed).
fn parse_clock(c: &mut Cur<'_>, f: &mut Fields, min_hour_digits: usize) -> Option<()> {
    f.hour = c.num(min_hour_digits, 2)?;
    c.expect(b':')?;
    f.minute = c.num(2, 2)?;
    if c.eat(b':') {
        f.second = c.num(2, 2)?;
        f.nanos = c.opt_fraction()?;
    }
    Some(())
}

/// ISO 8601 / RFC 3339: `YYYY-MM-DD[(T|t| )HH:MM[:SS[.f…]]][zone]`, the
/// basic form `YYYYMMDDTHHMM[SS[.f…]][zone]`, and an RFC 9557 `[…]` suffix
/// after an explicit offset (the suffix is ignored: the offset fixes the
/// instant).
fn parse_iso(b: &[u8]) -> Option<ParsedTime> {
    if b.last() == Some(&b']') {
        let open = b.iter().position(|&c| c == b'[')?;
        let parsed = parse_iso(b.get(..open)?)?;
        return (!parsed.zone_assumed).then_some(parsed);
    }
    if let Some(mut f) = b.first_chunk().and_then(canonical_head) {
        let mut c = Cur { b, i: 19 };
        f.nanos = c.opt_fraction()?;
        let offset = c.zone_to_end()?;
        return f.finish(offset);
    }
    let mut c = Cur::new(b);
    let mut f = Fields {
        year: c.num(4, 4)?,
        ..Fields::default()
    };
    let extended = c.eat(b'-');
    f.month = c.num(2, 2)?;
    if extended && !c.eat(b'-') {
        return None;
    }
    f.day = c.num(2, 2)?;
    if c.done() && extended {
        return f.finish(None);
    }
    if !(c.eat(b'T') || c.eat(b't') || (extended && c.eat(b' '))) {
        return None;
    }
    if extended {
        parse_clock(&mut c, &mut f, 2)?;
    } else {
        f.hour = c.num(2, 2)?;
        f.minute = c.num(2, 2)?;
        if let Some(second) = c.num(2, 2) {
            f.second = second;
            f.nanos = c.opt_fraction()?;
        }
    }
    let offset = c.zone_to_end()?;
    f.finish(offset)
}

/// Fixed-position read of the common `YYYY-MM-DD[T ]HH:MM:SS` head.
#[rustfmt::skip]
fn canonical_head(head: &[u8; 19]) -> Option<Fields> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T' | b't' | b' ',
        h0, h1, b':', n0, n1, b':', s0, s1] = *head else { return None };
    Some(Fields {
        year: two(y0, y1)? * 100 + two(y2, y3)?, month: two(m0, m1)?, day: two(d0, d1)?,
        hour: two(h0, h1)?, minute: two(n0, n1)?, second: two(s0, s1)?, nanos: 0,
    })
}

/// Value of two ASCII digits.
fn two(a: u8, b: u8) -> Option<u32> {
    let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
    (a < 10 && b < 10).then_some(u32::from(a) * 10 + u32::from(b))
}

/// US style, month first: `M/D/YYYY[,] h:mm[:ss[.fff]] [AM|PM] [zone]`, or a
/// bare `M/D/YYYY`.
fn parse_us(b: &[u8]) -> Option<ParsedTime> {
    let mut c = Cur::new(b);
    let mut f = Fields {
        month: c.num(1, 2)?,
        ..Fields::default()
    };
    c.expect(b'/')?;
    f.day = c.num(1, 2)?;
    c.expect(b'/')?;
    f.year = c.num(4, 4)?;
    if c.done() {
        return f.finish(None);
    }
    let comma = c.eat(b',');
    if c.spaces() == 0 && !comma {
        return None;
    }
    parse_clock(&mut c, &mut f, 1)?;
    let before_meridiem = c.i;
    c.spaces();
    let pm = if c.word(b"AM") {
        Some(false)
    } else if c.word(b"PM") {
        Some(true)
    } else {
        c.i = before_meridiem;
        None
    };
    if let Some(pm) = pm {
        if !(1..=12).contains(&f.hour) {
            return None;
        }
        f.hour = match (f.hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, false) => h,
            (h, true) => h + 12,
        };
    }
    let offset = c.zone_to_end()?;
    f.finish(offset)
}

#[rustfmt::skip]
const MONTHS: [&[u8]; 12] =
    [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
#[rustfmt::skip]
const WEEKDAYS: [&[u8]; 7] =
    [b"monday", b"tuesday", b"wednesday", b"thursday", b"friday", b"saturday", b"sunday"];
/// Zone names RFC 2822 allows, with their offsets in hours.
#[rustfmt::skip]
const NAMED_ZONES: [(&[u8], i32); 12] = [
    (b"GMT", 0), (b"UT", 0), (b"UTC", 0), (b"Z", 0), (b"EDT", -4), (b"EST", -5),
    (b"CDT", -5), (b"CST", -6), (b"MDT", -6), (b"MST", -7), (b"PDT", -7), (b"PST", -8),
];

/// RFC 1123 / RFC 2822: `[Www, ]D Mon YYYY HH:MM[:SS] zone`, where zone is
/// `GMT`/`UT`/`UTC`/`Z`, a numeric `±hhmm`, or one of the US zone names the
/// RFC keeps. A missing zone is taken as assumed UTC.
fn parse_rfc2822(b: &[u8]) -> Option<ParsedTime> {
    let mut c = Cur::new(b);
    if c.peek().is_some_and(|x| x.is_ascii_alphabetic()) {
        let name = c.letters();
        let known = WEEKDAYS.iter().any(|full| {
            name.eq_ignore_ascii_case(full)
                || (name.len() == 3 && full.get(..3).is_some_and(|s| name.eq_ignore_ascii_case(s)))
        });
        if !known || !c.eat(b',') {
            return None;
        }
        c.spaces();
    }
    let mut f = Fields {
        day: c.num(1, 2)?,
        ..Fields::default()
    };
    c.gap()?;
    let month = c.letters();
    let pos = MONTHS.iter().position(|m| month.eq_ignore_ascii_case(m))?;
    f.month = u32::try_from(pos).ok()? + 1;
    c.gap()?;
    f.year = c.num(4, 4)?;
    c.gap()?;
    parse_clock(&mut c, &mut f, 2)?;
    c.spaces();
    if c.done() {
        return f.finish(None);
    }
    let offset = if c.peek().is_some_and(|x| x.is_ascii_alphabetic()) {
        let name = c.letters();
        let (_, hours) = NAMED_ZONES
            .iter()
            .find(|(zone, _)| name.eq_ignore_ascii_case(zone))?;
        hours * 3600
    } else {
        c.numeric_offset()?
    };
    c.done().then_some(())?;
    f.finish(Some(offset))
}

/// Windows PowerShell 5.1 `ConvertTo-Json`: `/Date(ms[±hhmm])/`, optionally
/// with JSON-escaped slashes (`\/Date(…)\/`). The milliseconds are already
/// UTC; the offset only says where the writer was and is ignored.
fn parse_ms_date(b: &[u8]) -> Option<ParsedTime> {
    let mut c = Cur::new(b);
    c.eat(b'\\');
    if !c.word(b"/Date(") {
        return None;
    }
    let negative = c.eat(b'-');
    let start = c.i;
    let mut ms: i64 = 0;
    while let Some(d @ b'0'..=b'9') = c.peek() {
        ms = ms.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
        c.i += 1;
    }
    (c.i > start).then_some(())?;
    if c.eat(b'+') || c.eat(b'-') {
        c.num(4, 4)?;
    }
    c.expect(b')')?;
    c.eat(b'\\');
    c.expect(b'/')?;
    c.done().then_some(())?;
    let ms = if negative { -ms } else { ms };
    let ts = Timestamp::from_millisecond(ms).ok()?;
    Some(ParsedTime {
        ts,
        zone_assumed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Parse and render back as RFC 3339, with the assumed-zone flag.
    fn p(text: &str) -> Option<(String, bool)> {
        parse_time(text).map(|t| (format_rfc3339(t.ts), t.zone_assumed))
    }

    fn check(cases: &[(&str, &str, bool)]) {
        for &(text, want, assumed) in cases {
            assert_eq!(p(text), Some((want.to_string(), assumed)), "input {text:?}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn iso_shapes() {
        check(&[
            ("2021-04-28T14:32:14Z", "2021-04-28T14:32:14Z", false),
            ("2021-04-28t14:32:14z", "2021-04-28T14:32:14Z", false),
            ("  2021-04-28T14:32:14Z \n", "2021-04-28T14:32:14Z", false),
            ("2021-04-28T14:32:14.1Z", "2021-04-28T14:32:14.100Z", false),
            ("2021-04-28T14:32:14.029Z", "2021-04-28T14:32:14.029Z", false),
            ("2021-04-28T14:32:14.2978530Z", "2021-04-28T14:32:14.297853Z", false),
            ("2021-04-28T14:32:14.123456789Z", "2021-04-28T14:32:14.123456789Z", false),
            ("2021-04-28T14:32:14.1234567891234Z", "2021-04-28T14:32:14.123456789Z", false),
            ("2021-04-28T14:32:14+00:00", "2021-04-28T14:32:14Z", false),
            ("2021-04-28T09:32:14-05:00", "2021-04-28T14:32:14Z", false),
            ("2021-04-28T16:32:14+0200", "2021-04-28T14:32:14Z", false),
            ("2021-04-28T16:32:14+02", "2021-04-28T14:32:14Z", false),
            ("2021-04-28T14:32:14", "2021-04-28T14:32:14Z", true),
            ("2021-04-28T14:32", "2021-04-28T14:32:00Z", true),
            ("2024-01-01 12:00:00.000", "2024-01-01T12:00:00Z", true),
            ("2024-01-01 12:00:00 +00:00", "2024-01-01T12:00:00Z", false),
            ("2024-01-01 12:00:00 UTC", "2024-01-01T12:00:00Z", false),
            ("2021-04-28", "2021-04-28T00:00:00Z", true),
            ("2021-01-01T00:30:00+01:00", "2020-12-31T23:30:00Z", false),
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z", false),
            ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z", false),
            // ISO 8601 basic format and RFC 9557 annotations.
            ("20210428T143214Z", "2021-04-28T14:32:14Z", false),
            ("20210428T163214.5+0200", "2021-04-28T14:32:14.500Z", false),
            ("20210428T1432", "2021-04-28T14:32:00Z", true),
            ("2021-04-28T14:32:14+00:00[UTC]", "2021-04-28T14:32:14Z", false),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn us_shapes() {
        check(&[
            ("1/9/2007 9:41:00 AM", "2007-01-09T09:41:00Z", true),
            ("01/09/2007 09:41:00", "2007-01-09T09:41:00Z", true),
            ("1/9/2007 10:41:00 AM +01:00", "2007-01-09T09:41:00Z", false),
            ("11/14/2025 1:48:53 AM", "2025-11-14T01:48:53Z", true),
            ("12/12/2025 3:03:58 PM", "2025-12-12T15:03:58Z", true),
            ("12/12/2025 12:03:58 AM", "2025-12-12T00:03:58Z", true),
            ("12/12/2025 12:03:58 PM", "2025-12-12T12:03:58Z", true),
            ("12/12/2025 3:03:58 pm", "2025-12-12T15:03:58Z", true),
            ("12/12/2025 3:03:58.5 PM", "2025-12-12T15:03:58.500Z", true),
            ("12/12/2025 23:03:58", "2025-12-12T23:03:58Z", true),
            ("12/12/2025 3:03 PM", "2025-12-12T15:03:00Z", true),
            ("12/12/2025 3:03:58 PM Z", "2025-12-12T15:03:58Z", false),
            ("12/12/2025", "2025-12-12T00:00:00Z", true),
            // Log Analytics portal CSV export.
            ("4/28/2021, 2:32:14.029 PM", "2021-04-28T14:32:14.029Z", true),
            ("4/28/2021, 12:00:00.000 AM", "2021-04-28T00:00:00Z", true),
            ("4/28/2021,2:32:14 PM", "2021-04-28T14:32:14Z", true),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn rfc2822_shapes() {
        check(&[
            ("Fri, 21 Jul 2017 01:00:51 GMT", "2017-07-21T01:00:51Z", false),
            ("Fri, 21 Jul 2017 01:00:51 +0000", "2017-07-21T01:00:51Z", false),
            ("Fri, 21 Jul 2017 03:00:51 +0200", "2017-07-21T01:00:51Z", false),
            ("Thu, 20 Jul 2017 21:00:51 EDT", "2017-07-21T01:00:51Z", false),
            ("friday, 21 jul 2017 01:00:51 utc", "2017-07-21T01:00:51Z", false),
            ("21 Jul 2017 01:00:51 GMT", "2017-07-21T01:00:51Z", false),
            ("Fri, 1 Jul 2017 01:00 GMT", "2017-07-01T01:00:00Z", false),
            ("Fri, 21 Jul 2017 01:00:51", "2017-07-21T01:00:51Z", true),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn powershell_ms_dates() {
        check(&[
            ("/Date(1637712000000)/", "2021-11-24T00:00:00Z", false),
            ("\\/Date(1637712000000)\\/", "2021-11-24T00:00:00Z", false),
            ("/Date(1637712000000+0100)/", "2021-11-24T00:00:00Z", false),
            ("/Date(1637712000123-0500)/", "2021-11-24T00:00:00.123Z", false),
            ("/Date(-1000)/", "1969-12-31T23:59:59Z", false),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn rejects_non_timestamps() {
        let bad = [
            "", "   ", "garbage", "T", "null", "2021", "1637712000", "1637712000000", "20210428",
            "20210428143214", "1637712000.5", "-5", "2021-13-01T00:00:00Z", "2021-04-32T00:00:00Z",
            "2021-02-30T00:00:00Z", "2023-02-29", "2021-04-28T25:00:00Z", "2021-04-28T24:00:00Z",
            "2021-04-28T12:60:00Z", "2021-04-28T12:00:61Z", "2021-04-28T", "2021-04-28T12",
            "2021-04-28T12:00:00.Z", "2021-04-28T12:00:00+25:00", "2021-04-28T12:00:00 junk",
            "2021-4-28", "2021-04-28T14:32:14[America/New_York]", "20210428T14321Z", "20210428",
            "2021-04-28T14:32:14+00:00]", "13/9/2007 9:41:00 AM", "2/30/2007 9:41:00",
            "1/9/2007 13:41:00 PM", "1/9/2007 0:41:00 AM", "1/9/2007 25:41:00", "1/9/07 9:41:00",
            "1/9/2007 9:41:00 XM", "1/9/2007 9:41:00 AM +1", "1/9/2007 9:4:00",
            "Fri, 21 Foo 2017 01:00:51 GMT", "Fri, 21 Jul 2017 01:00:51 XYZ",
            "Fry, 21 Jul 2017 01:00:51 GMT", "Fri, 31 Jun 2017 01:00:51 GMT", "/Date()/",
            "/Date(abc)/", "/Date(1637712000000", "/Date(1637712000000)/x",
            "/Date(99999999999999999999)/", "/Date(999999999999999999)/",
        ];
        for text in bad {
            assert_eq!(parse_time(text), None, "input {text:?}");
        }
    }

    #[test]
    fn formats_in_groups_of_three() {
        let cases = [
            (0, 0, "1970-01-01T00:00:00Z"),
            (1_619_620_334, 29_000_000, "2021-04-28T14:32:14.029Z"),
            (1_619_620_334, 297_853_000, "2021-04-28T14:32:14.297853Z"),
            (1_619_620_334, 1, "2021-04-28T14:32:14.000000001Z"),
            (-1, 999_000_000, "1969-12-31T23:59:59.999Z"),
            (-1, -1, "1969-12-31T23:59:58.999999999Z"),
            (253_402_207_200, 0, "9999-12-30T22:00:00Z"),
        ];
        for (secs, nanos, want) in cases {
            let ts = Timestamp::new(secs, nanos).unwrap();
            assert_eq!(format_rfc3339(ts), want);
        }
        let mut buf = String::from("at ");
        write_rfc3339(Timestamp::UNIX_EPOCH, &mut buf);
        assert_eq!(buf, "at 1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(Timestamp::MIN), "-009999-01-02T01:59:59Z");
    }

    /// Every line of the Elastic Azure integration's time-format corner cases
    /// names the same instant, 2007-01-09T09:41:00 UTC, in a different shape.
    #[test]
    fn elastic_corner_cases_corpus() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../../shared/corpus/samples/elastic-integrations/packages/azure/data_stream/\
             activitylogs/_dev/test/pipeline/test-time-formats-corner-cases.log",
        );
        let text = std::fs::read_to_string(&path).expect("corpus file (CI always has ../shared)");
        // Fraction and zone-assumed flag expected for each line, in file order.
        #[rustfmt::skip]
        let want = [("", true), ("", true), ("", true), ("", true), ("", false), ("", true),
            (".220", false), (".681666300", false), (".535404056", false), (".992099", false),
            ("", false)];
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), want.len());
        for (line, (frac, assumed)) in lines.into_iter().zip(want) {
            let v: sonic_rs::Value = sonic_rs::from_str(line).unwrap();
            let raw = sonic_rs::JsonValueTrait::as_str(&v["time"]).unwrap();
            let expected = (format!("2007-01-09T09:41:00{frac}Z"), assumed);
            assert_eq!(p(raw), Some(expected), "input {raw:?}");
        }
    }

    /// Seconds of 1900-01-01 and 2200-01-01.
    const Y1900: i64 = -2_208_988_800;
    const Y2200: i64 = 7_258_118_400;

    proptest! {
        #[test]
        fn roundtrips_through_rfc3339(secs in Y1900..Y2200, nanos in 0i32..1_000_000_000) {
            let ts = Timestamp::new(secs, nanos).unwrap();
            let text = format_rfc3339(ts);
            prop_assert_eq!(parse_time(&text), Some(ParsedTime { ts, zone_assumed: false }));
            // jiff reads our output as the same instant.
            prop_assert_eq!(text.parse::<Timestamp>().ok(), Some(ts));
        }

        #[test]
        fn never_panics(
            text in "\\PC*",
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            near_miss in "[0-9/:.,+\\-TZ APMD()\\\\a-z]{0,40}",
        ) {
            let _ = parse_time(&text);
            let _ = parse_time(&String::from_utf8_lossy(&bytes));
            let _ = parse_time(&near_miss);
        }

        #[test]
        fn us_matches_iso(
            secs in Y1900..Y2200,
            millis in 0u32..1000,
            comma in any::<bool>(),
            pad in any::<bool>(),
        ) {
            let ts = Timestamp::new(secs, 0).unwrap();
            let iso = format!("{}.{millis:03}", ts.strftime("%Y-%m-%dT%H:%M:%S"));
            let (hour, ampm) = match ts.strftime("%H").to_string().parse::<u32>().unwrap() {
                0 => (12, "AM"),
                h @ 1..=11 => (h, "AM"),
                12 => (12, "PM"),
                h => (h - 12, "PM"),
            };
            let date = if pad { ts.strftime("%m/%d/%Y") } else { ts.strftime("%-m/%-d/%Y") };
            let sep = if comma { "," } else { "" };
            let us = format!("{date}{sep} {hour}:{}.{millis:03} {ampm}", ts.strftime("%M:%S"));
            let us24 = format!("{date} {}.{millis:03}", ts.strftime("%H:%M:%S"));
            let want = parse_time(&iso);
            prop_assert!(want.is_some());
            prop_assert_eq!(parse_time(&us), want, "{} vs {}", us, iso);
            prop_assert_eq!(parse_time(&us24), want, "{} vs {}", us24, iso);
        }
    }
}
