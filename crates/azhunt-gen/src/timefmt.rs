//! Fast timestamp arithmetic and formatting for generated records.
//!
//! Records carry times in 100 ns "ticks" since the Unix epoch so the Activity Log's
//! 7-fractional-digit timestamps and .NET `ticks` event ids come out exact. Formatting
//! through a calendar library for millions of records would dominate generation time, so
//! this module formats civil dates itself (Howard Hinnant's days-from-civil algorithm).
//! It also maps a uniform position in the corpus onto a realistic busy-hours timeline.

/// 100 ns units per second.
pub const TICKS_PER_SEC: i64 = 10_000_000;
/// .NET `DateTime.Ticks` of the Unix epoch.
const DOTNET_EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// Civil date (year, month, day) from days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn push_digits(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    for &b in &buf[..width] {
        out.push(b as char);
    }
}

/// Appends `YYYY-MM-DDTHH:MM:SS` for `ticks`, returning the sub-second remainder in ticks.
fn push_seconds(out: &mut String, ticks: i64) -> i64 {
    let secs = ticks.div_euclid(TICKS_PER_SEC);
    let frac = ticks.rem_euclid(TICKS_PER_SEC);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u64;
    let (y, m, d) = civil_from_days(days);
    push_digits(out, y.max(0) as u64, 4);
    out.push('-');
    push_digits(out, u64::from(m), 2);
    out.push('-');
    push_digits(out, u64::from(d), 2);
    out.push('T');
    push_digits(out, sod / 3600, 2);
    out.push(':');
    push_digits(out, (sod / 60) % 60, 2);
    out.push(':');
    push_digits(out, sod % 60, 2);
    frac
}

/// Appends an ISO-8601 UTC timestamp with 7 fractional digits, e.g. `2026-10-01T08:15:02.1234567Z`.
pub fn push_ts7(out: &mut String, ticks: i64) {
    let frac = push_seconds(out, ticks);
    out.push('.');
    push_digits(out, frac as u64, 7);
    out.push('Z');
}

/// Appends an ISO-8601 UTC timestamp with whole seconds, e.g. `2026-10-01T08:15:02Z` (Graph style).
pub fn push_ts_secs(out: &mut String, ticks: i64) {
    push_seconds(out, ticks);
    out.push('Z');
}

/// .NET ticks (100 ns since 0001-01-01) for a Unix-epoch tick value.
pub fn dotnet_ticks(ticks: i64) -> i64 {
    ticks + DOTNET_EPOCH_TICKS
}

/// Maps a position `f` in `[0, 1)` of the corpus to a time, so that records are denser in
/// weekday business hours than at night or on weekends, like real tenants' activity.
pub struct Timeline {
    start: i64,
    /// Length of one bucket (about an hour).
    hour_ticks: i64,
    /// Cumulative weight at the end of each hour of the span.
    cumulative: Vec<f64>,
}

impl Timeline {
    /// A timeline over `[start, start + span)`, in roughly hour-long buckets (at least one).
    pub fn new(start: i64, span: i64) -> Self {
        let hour = 3600 * TICKS_PER_SEC;
        let span = span.max(1);
        let buckets = ((span + hour / 2) / hour).max(1);
        let bucket_ticks = span / buckets;
        let mut cumulative = Vec::with_capacity(buckets as usize);
        let mut acc = 0.0;
        for h in 0..buckets {
            let secs = (start + h * bucket_ticks).div_euclid(TICKS_PER_SEC);
            let hour_of_day = secs.rem_euclid(86_400) / 3600;
            // 1970-01-01 was a Thursday, so +3 makes 0 = Monday.
            let weekday = (secs.div_euclid(86_400) + 3).rem_euclid(7);
            let busy = (7..19).contains(&hour_of_day);
            let weekend = weekday >= 5;
            acc += match (weekend, busy) {
                (false, true) => 10.0,
                (false, false) => 2.0,
                (true, true) => 3.0,
                (true, false) => 1.0,
            };
            cumulative.push(acc);
        }
        Self {
            start,
            hour_ticks: bucket_ticks.max(1),
            cumulative,
        }
    }

    /// The time at fraction `f` (clamped to `[0, 1)`) of the activity mass.
    pub fn at(&self, f: f64) -> i64 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = f.clamp(0.0, 0.999_999_999) * total;
        let h = self.cumulative.partition_point(|&c| c <= target);
        let h = h.min(self.cumulative.len() - 1);
        let before = if h == 0 { 0.0 } else { self.cumulative[h - 1] };
        let within = (target - before) / (self.cumulative[h] - before);
        self.start + h as i64 * self.hour_ticks + (within * self.hour_ticks as f64) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt7(t: i64) -> String {
        let mut s = String::new();
        push_ts7(&mut s, t);
        s
    }

    #[test]
    fn matches_jiff() {
        for &secs in &[
            0i64,
            951_782_400,
            1_790_812_800,
            1_798_761_599,
            4_102_444_800,
        ] {
            let ticks = secs * TICKS_PER_SEC + 1_234_567;
            let ours = fmt7(ticks);
            let jiff_ts = jiff::Timestamp::from_second(secs).expect("valid");
            let expect = format!("{}", jiff_ts.strftime("%Y-%m-%dT%H:%M:%S.1234567Z"));
            assert_eq!(ours, expect);
        }
    }

    #[test]
    fn dotnet_ticks_of_known_date() {
        // 2023-07-24T14:06:07Z
        let t = 1_690_207_567 * TICKS_PER_SEC;
        assert_eq!(dotnet_ticks(t), 638_258_043_670_000_000);
    }

    #[test]
    fn timeline_is_monotone_and_bounded() {
        let start = 1_790_812_800 * TICKS_PER_SEC;
        let span = 30 * 86_400 * TICKS_PER_SEC;
        let tl = Timeline::new(start, span);
        let mut prev = i64::MIN;
        for i in 0..1000 {
            let t = tl.at(f64::from(i) / 1000.0);
            assert!(t >= prev && t >= start && t < start + span);
            prev = t;
        }
    }
}
