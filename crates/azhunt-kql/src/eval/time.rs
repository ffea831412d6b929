//! Calendar helpers for datetime functions (`startofday`, `format_datetime`, `datetime_diff`).
//!
//! Values are UTC nanosecond counts; `jiff` civil types do the calendar arithmetic.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::value::{NS_DAY, NS_SECOND};

pub(crate) fn civil(ns: i64) -> Option<DateTime> {
    let ts = jiff::Timestamp::from_nanosecond(i128::from(ns)).ok()?;
    Some(ts.to_zoned(TimeZone::UTC).datetime())
}

pub(crate) fn from_civil(dt: DateTime) -> Option<i64> {
    let ts = dt.to_zoned(TimeZone::UTC).ok()?.timestamp();
    i64::try_from(ts.as_nanosecond()).ok()
}

fn date_ns(d: Date) -> Option<i64> {
    from_civil(d.to_datetime(Time::midnight()))
}

/// `startofday`, `startofweek` (Sunday), `startofmonth`, `startofyear`, with an offset in units.
pub(crate) fn start_of(unit: &str, ns: i64, offset: i64) -> Option<i64> {
    let dt = civil(ns)?;
    let d = dt.date();
    match unit {
        "day" => date_ns(
            d.checked_add(jiff::Span::new().try_days(offset).ok()?)
                .ok()?,
        ),
        "week" => {
            let back = i64::from(d.weekday().to_sunday_zero_offset());
            let sunday = d.checked_sub(jiff::Span::new().try_days(back).ok()?).ok()?;
            date_ns(
                sunday
                    .checked_add(jiff::Span::new().try_weeks(offset).ok()?)
                    .ok()?,
            )
        }
        "month" => {
            let first = Date::new(d.year(), d.month(), 1).ok()?;
            date_ns(
                first
                    .checked_add(jiff::Span::new().try_months(offset).ok()?)
                    .ok()?,
            )
        }
        "year" => {
            let first = Date::new(d.year(), 1, 1).ok()?;
            date_ns(
                first
                    .checked_add(jiff::Span::new().try_years(offset).ok()?)
                    .ok()?,
            )
        }
        _ => None,
    }
}

/// `endofday` etc.: the last tick (100 ns) of the period.
pub(crate) fn end_of(unit: &str, ns: i64, offset: i64) -> Option<i64> {
    start_of(unit, ns, offset.checked_add(1)?)?.checked_sub(100)
}

/// `datetime_diff(part, a, b)`: period boundaries crossed from `b` to `a`.
pub(crate) fn diff(part: &str, a: i64, b: i64) -> Option<i64> {
    let (da, db) = (civil(a)?, civil(b)?);
    let months = |x: &DateTime| i64::from(x.year()) * 12 + i64::from(x.month());
    Some(match part {
        "year" => i64::from(da.year()) - i64::from(db.year()),
        "quarter" => {
            let q = |x: &DateTime| i64::from(x.year()) * 4 + (i64::from(x.month()) - 1) / 3;
            q(&da) - q(&db)
        }
        "month" => months(&da) - months(&db),
        "week" => start_of("week", a, 0)?.checked_sub(start_of("week", b, 0)?)? / (7 * NS_DAY),
        "day" => a.div_euclid(NS_DAY) - b.div_euclid(NS_DAY),
        "hour" => a.div_euclid(3600 * NS_SECOND) - b.div_euclid(3600 * NS_SECOND),
        "minute" => a.div_euclid(60 * NS_SECOND) - b.div_euclid(60 * NS_SECOND),
        "second" => a.div_euclid(NS_SECOND) - b.div_euclid(NS_SECOND),
        "millisecond" => a.div_euclid(1_000_000) - b.div_euclid(1_000_000),
        "microsecond" => a.div_euclid(1_000) - b.div_euclid(1_000),
        "nanosecond" => a.checked_sub(b)?,
        _ => return None,
    })
}

/// `datetime_add(part, n, dt)`.
pub(crate) fn add(part: &str, n: i64, ns: i64) -> Option<i64> {
    let fixed = match part {
        "week" => Some(7 * NS_DAY),
        "day" => Some(NS_DAY),
        "hour" => Some(3600 * NS_SECOND),
        "minute" => Some(60 * NS_SECOND),
        "second" => Some(NS_SECOND),
        "millisecond" => Some(1_000_000),
        "microsecond" => Some(1_000),
        "nanosecond" => Some(1),
        _ => None,
    };
    if let Some(f) = fixed {
        return ns.checked_add(n.checked_mul(f)?);
    }
    let dt = civil(ns)?;
    let span = match part {
        "year" => jiff::Span::new().try_years(n).ok()?,
        "quarter" => jiff::Span::new().try_months(n.checked_mul(3)?).ok()?,
        "month" => jiff::Span::new().try_months(n).ok()?,
        _ => return None,
    };
    from_civil(dt.checked_add(span).ok()?)
}

/// `datetime_part(part, dt)` / `getyear` / `hourofday`, ….
pub(crate) fn part(part: &str, ns: i64) -> Option<i64> {
    let dt = civil(ns)?;
    Some(match part {
        "year" => i64::from(dt.year()),
        "quarter" => (i64::from(dt.month()) - 1) / 3 + 1,
        "month" => i64::from(dt.month()),
        "week_of_year" | "weekofyear" => i64::from(dt.date().iso_week_date().week()),
        "day" => i64::from(dt.day()),
        "dayofyear" => i64::from(dt.day_of_year()),
        "hour" => i64::from(dt.hour()),
        "minute" => i64::from(dt.minute()),
        "second" => i64::from(dt.second()),
        "millisecond" => ns.rem_euclid(NS_SECOND) / 1_000_000,
        "microsecond" => ns.rem_euclid(NS_SECOND) / 1_000,
        "nanosecond" => ns.rem_euclid(NS_SECOND),
        _ => return None,
    })
}

/// Day of week as days since Sunday.
pub(crate) fn day_of_week(ns: i64) -> Option<i64> {
    Some(i64::from(
        civil(ns)?.date().weekday().to_sunday_zero_offset(),
    ))
}

/// `format_datetime(dt, "yyyy-MM-dd HH:mm:ss.fff tt")`.
pub(crate) fn format(ns: i64, fmt: &str) -> Option<String> {
    let dt = civil(ns)?;
    let frac = ns.rem_euclid(NS_SECOND);
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let h12 = match dt.hour() % 12 {
            0 => 12,
            h => h,
        };
        match c {
            'y' => {
                if n <= 2 {
                    out.push_str(&format!("{:02}", dt.year() % 100));
                } else {
                    out.push_str(&format!("{:0w$}", dt.year(), w = n));
                }
            }
            'M' => out.push_str(&pad(i64::from(dt.month()), n)),
            'd' => out.push_str(&pad(i64::from(dt.day()), n)),
            'H' => out.push_str(&pad(i64::from(dt.hour()), n)),
            'h' => out.push_str(&pad(i64::from(h12), n)),
            'm' => out.push_str(&pad(i64::from(dt.minute()), n)),
            's' => out.push_str(&pad(i64::from(dt.second()), n)),
            'f' | 'F' => {
                let digits = format!("{frac:09}");
                let take = n.min(9);
                let mut s = digits[..take].to_string();
                if c == 'F' {
                    s = s.trim_end_matches('0').to_string();
                }
                out.push_str(&s);
            }
            't' => {
                let ampm = if dt.hour() < 12 { "AM" } else { "PM" };
                out.push_str(if n == 1 { &ampm[..1] } else { ampm });
            }
            other => {
                for _ in 0..n {
                    out.push(other);
                }
            }
        }
        i += n;
    }
    Some(out)
}

fn pad(v: i64, n: usize) -> String {
    if n >= 2 {
        format!("{v:02}")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_datetime;

    #[test]
    fn calendar() {
        let t = parse_datetime("2026-11-12T09:05:03.123Z").unwrap_or(0);
        assert_eq!(
            format(t, "yyyy-MM-dd HH:mm:ss.fff").as_deref(),
            Some("2026-11-12 09:05:03.123")
        );
        assert_eq!(
            format(t, "M/d/yy h:mm tt").as_deref(),
            Some("11/12/26 9:05 AM")
        );
        assert_eq!(start_of("day", t, 0), parse_datetime("2026-11-12"));
        assert_eq!(start_of("month", t, 0), parse_datetime("2026-11-01"));
        assert_eq!(start_of("week", t, 0), parse_datetime("2026-11-08"));
        let u = parse_datetime("2025-12-31T23:59:59Z").unwrap_or(0);
        assert_eq!(diff("year", t, u), Some(1));
        assert_eq!(diff("month", t, u), Some(11));
        assert_eq!(diff("day", t, u), Some(316));
        assert_eq!(add("month", 1, u), parse_datetime("2026-01-31T23:59:59Z"));
    }
}
