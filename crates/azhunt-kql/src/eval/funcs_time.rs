//! Built-in datetime, timespan and IPv4 functions (`ago`, `bin`, `startofday`,
//! `datetime_diff`, `format_datetime`, `ipv4_is_in_range`, …) and the `range` source.
//! Datetimes are UTC nanosecond counts; all arithmetic is overflow-checked.

use super::funcs::arity;
use super::time;
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Type, Value, parse_datetime, parse_timespan};

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// Returns `Ok(None)` when `name` is not one of these functions.
pub(crate) fn call(now: i64, name: &str, a: &[Value], off: usize) -> Result<Option<Value>> {
    let ar = |min, max| arity(name, a, min, max, off);
    Ok(Some(match name {
        "now" => {
            ar(0, 1)?;
            Value::DateTime(now.saturating_add(ts(&arg(a, 0)).unwrap_or(0)))
        }
        "ago" => {
            ar(1, 1)?;
            match ts(&a[0]) {
                Some(t) => Value::DateTime(now.saturating_sub(t)),
                None => Value::Null,
            }
        }
        "bin" | "floor" => {
            ar(2, 2)?;
            bin(&a[0], &a[1])
        }
        "bin_at" => {
            ar(3, 3)?;
            match (&a[0], ts(&a[1]), &a[2]) {
                (Value::DateTime(v), Some(s), Value::DateTime(at)) if s > 0 => v
                    .checked_sub(*at)
                    .and_then(|d| d.div_euclid(s).checked_mul(s))
                    .and_then(|d| d.checked_add(*at))
                    .map_or(Value::Null, Value::DateTime),
                _ => bin(&a[0], &a[1]),
            }
        }
        "startofday" | "startofweek" | "startofmonth" | "startofyear" | "endofday"
        | "endofweek" | "endofmonth" | "endofyear" => {
            ar(1, 2)?;
            let unit = name
                .trim_start_matches("startof")
                .trim_start_matches("endof");
            let offset = match arg(a, 1) {
                Value::Int(i) => i,
                _ => 0,
            };
            match dt(&a[0]) {
                Some(t) => {
                    let r = if name.starts_with("start") {
                        time::start_of(unit, t, offset)
                    } else {
                        time::end_of(unit, t, offset)
                    };
                    r.map_or(Value::Null, Value::DateTime)
                }
                None => Value::Null,
            }
        }
        "datetime_diff" => {
            ar(3, 3)?;
            match (dt(&a[1]), dt(&a[2])) {
                (Some(x), Some(y)) => {
                    time::diff(&part_name(&a[0]), x, y).map_or(Value::Null, Value::Int)
                }
                _ => Value::Null,
            }
        }
        "datetime_add" => {
            ar(3, 3)?;
            match (&a[1], dt(&a[2])) {
                (Value::Int(n), Some(t)) => {
                    time::add(&part_name(&a[0]), *n, t).map_or(Value::Null, Value::DateTime)
                }
                _ => Value::Null,
            }
        }
        "datetime_part" | "datepart" => {
            ar(2, 2)?;
            dt(&a[1])
                .and_then(|t| time::part(&part_name(&a[0]), t))
                .map_or(Value::Null, Value::Int)
        }
        "getyear" | "getmonth" | "dayofmonth" | "dayofyear" | "hourofday" | "week_of_year" => {
            ar(1, 1)?;
            let p = match name {
                "getyear" => "year",
                "getmonth" => "month",
                "dayofmonth" => "day",
                "dayofyear" => "dayofyear",
                "hourofday" => "hour",
                _ => "week_of_year",
            };
            dt(&a[0])
                .and_then(|t| time::part(p, t))
                .map_or(Value::Null, Value::Int)
        }
        "dayofweek" => {
            ar(1, 1)?;
            dt(&a[0])
                .and_then(time::day_of_week)
                .map_or(Value::Null, |d| Value::TimeSpan(d * crate::value::NS_DAY))
        }
        "format_datetime" => {
            ar(2, 2)?;
            match dt(&a[0]) {
                Some(t) => time::format(t, &a[1].to_kql_string()).map_or(Value::Null, Value::from),
                None => Value::str(""),
            }
        }
        "format_timespan" => {
            ar(1, 2)?;
            ts(&a[0]).map_or(Value::str(""), |t| {
                Value::from(crate::value::format_timespan(t))
            })
        }
        "unixtime_seconds_todatetime" => {
            ar(1, 1)?;
            a[0].as_f64()
                .map_or(Value::Null, |s| Value::DateTime((s * 1e9) as i64))
        }
        "ipv4_is_private" => {
            ar(1, 1)?;
            match parse_ipv4(&a[0].to_kql_string()) {
                Some((ip, _)) => Value::Bool(
                    in_cidr(ip, 0x0A00_0000, 8)
                        || in_cidr(ip, 0xAC10_0000, 12)
                        || in_cidr(ip, 0xC0A8_0000, 16),
                ),
                None => Value::Null,
            }
        }
        "ipv4_is_in_range" => {
            ar(2, 2)?;
            match (
                parse_ipv4(&a[0].to_kql_string()),
                parse_ipv4(&a[1].to_kql_string()),
            ) {
                (Some((ip, _)), Some((net, bits))) => Value::Bool(in_cidr(ip, net, bits)),
                _ => Value::Null,
            }
        }
        "ipv4_is_in_any_range" => {
            let Some((ip, _)) = parse_ipv4(&arg(a, 0).to_kql_string()) else {
                return Ok(Some(Value::Null));
            };
            let mut ranges = Vec::new();
            for v in a.iter().skip(1) {
                match v {
                    Value::Array(x) => ranges.extend(x.iter().cloned()),
                    other => ranges.push(other.clone()),
                }
            }
            Value::Bool(ranges.iter().any(|r| {
                parse_ipv4(&r.to_kql_string()).is_some_and(|(net, bits)| in_cidr(ip, net, bits))
            }))
        }
        "format_ipv4_mask" | "format_ipv4" => {
            ar(1, 2)?;
            let bits = match arg(a, 1) {
                Value::Int(b) if (0..=32).contains(&b) => b as u32,
                Value::Null => 32,
                _ => return Ok(Some(Value::str(""))),
            };
            match parse_ipv4(&a[0].to_kql_string()) {
                Some((ip, own)) => {
                    let bits = bits.min(own);
                    let mask = if bits == 0 {
                        0
                    } else {
                        u32::MAX << (32 - bits)
                    };
                    let addr = std::net::Ipv4Addr::from(ip & mask);
                    if name == "format_ipv4" {
                        Value::from(addr.to_string())
                    } else {
                        Value::from(format!("{addr}/{bits}"))
                    }
                }
                None => Value::str(""),
            }
        }
        "parse_ipv4" => {
            ar(1, 1)?;
            parse_ipv4(&a[0].to_kql_string())
                .map_or(Value::Null, |(ip, _)| Value::Int(i64::from(ip)))
        }
        _ => return Ok(None),
    }))
}

fn part_name(v: &Value) -> String {
    let s = v.to_kql_string().to_lowercase();
    match s.as_str() {
        "years" => "year".into(),
        "months" => "month".into(),
        "weeks" => "week".into(),
        "days" => "day".into(),
        "hours" => "hour".into(),
        "minutes" => "minute".into(),
        "seconds" => "second".into(),
        _ => s,
    }
}

fn dt(v: &Value) -> Option<i64> {
    match v {
        Value::DateTime(t) => Some(*t),
        Value::String(s) => parse_datetime(s),
        _ => None,
    }
}

fn ts(v: &Value) -> Option<i64> {
    match v {
        Value::TimeSpan(t) => Some(*t),
        Value::Int(i) => Some(i.saturating_mul(crate::value::NS_DAY)),
        Value::String(s) => parse_timespan(s),
        _ => None,
    }
}

/// `bin(value, size)` for numbers, datetimes and timespans.
pub(crate) fn bin(v: &Value, size: &Value) -> Value {
    match (v, size) {
        (Value::DateTime(t), Value::TimeSpan(s)) if *s > 0 => t
            .div_euclid(*s)
            .checked_mul(*s)
            .map_or(Value::Null, Value::DateTime),
        (Value::TimeSpan(t), Value::TimeSpan(s)) if *s > 0 => t
            .div_euclid(*s)
            .checked_mul(*s)
            .map_or(Value::Null, Value::TimeSpan),
        (Value::Int(i), Value::Int(s)) if *s > 0 => i
            .div_euclid(*s)
            .checked_mul(*s)
            .map_or(Value::Null, Value::Int),
        (x, s) => match (x.as_f64(), s.as_f64()) {
            (Some(x), Some(s)) if s > 0.0 => Value::Real((x / s).floor() * s),
            _ => Value::Null,
        },
    }
}

/// IPv4 address or CIDR → (address, prefix bits).
pub(crate) fn parse_ipv4(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (ip, bits) = match s.split_once('/') {
        Some((i, b)) => (i, b.trim().parse::<u32>().ok().filter(|b| *b <= 32)?),
        None => (s, 32),
    };
    let addr: std::net::Ipv4Addr = ip.trim().parse().ok()?;
    Some((u32::from(addr), bits))
}

fn in_cidr(ip: u32, net: u32, bits: u32) -> bool {
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    ip & mask == net & mask
}

/// `range x from a to b step s`.
pub(crate) fn range_table(name: &str, vals: &[Value], off: usize) -> Result<Table> {
    let too_big = || {
        KqlError::new(
            ErrorKind::Eval,
            off,
            "range produces too many rows (limit 1,000,000)",
        )
    };
    let (from, to, step) = (arg(vals, 0), arg(vals, 1), arg(vals, 2));
    let mut rows = Vec::new();
    let ty;
    match (&from, &to, &step) {
        (Value::Int(a), Value::Int(b), Value::Int(s)) if *s != 0 => {
            ty = Type::Long;
            let mut x = *a;
            while (*s > 0 && x <= *b) || (*s < 0 && x >= *b) {
                rows.push(vec![Value::Int(x)]);
                if rows.len() > 1_000_000 {
                    return Err(too_big());
                }
                x = x.saturating_add(*s);
            }
        }
        (Value::DateTime(a), Value::DateTime(b), Value::TimeSpan(s)) if *s > 0 => {
            ty = Type::DateTime;
            let mut x = *a;
            while x <= *b {
                rows.push(vec![Value::DateTime(x)]);
                if rows.len() > 1_000_000 {
                    return Err(too_big());
                }
                x = x.saturating_add(*s);
            }
        }
        _ => {
            return Err(KqlError::new(
                ErrorKind::Eval,
                off,
                "range expects numbers or datetimes with a non-zero step",
            ));
        }
    }
    Ok(Table {
        name: "range".into(),
        columns: vec![(name.to_string(), ty)],
        rows,
    })
}
