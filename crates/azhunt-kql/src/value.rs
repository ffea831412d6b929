//! Scalar values and column types.
//!
//! KQL has a small set of scalar types plus `dynamic` (JSON-like arrays and property bags). One
//! enum covers all of them so that a `dynamic` column can hold any value and operators can work
//! on rows without per-type code paths. Date-times and time spans are kept as nanosecond counts
//! so arithmetic and hashing stay integer operations; `jiff` is used only to parse and format.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Nanoseconds per unit.
pub const NS_SECOND: i64 = 1_000_000_000;
/// Nanoseconds in a minute.
pub const NS_MINUTE: i64 = 60 * NS_SECOND;
/// Nanoseconds in an hour.
pub const NS_HOUR: i64 = 60 * NS_MINUTE;
/// Nanoseconds in a day.
pub const NS_DAY: i64 = 24 * NS_HOUR;

/// A KQL value (the `dynamic` scalar).
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// A missing value.
    #[default]
    Null,
    /// `bool`.
    Bool(bool),
    /// `int` and `long`.
    Int(i64),
    /// `real` / `double`.
    Real(f64),
    /// `string` and `guid`.
    String(Arc<str>),
    /// `datetime`, nanoseconds since the Unix epoch (UTC).
    DateTime(i64),
    /// `timespan`, nanoseconds.
    TimeSpan(i64),
    /// A `dynamic` array.
    Array(Arc<Vec<Value>>),
    /// A `dynamic` property bag (keys sorted).
    Bag(Arc<BTreeMap<String, Value>>),
}

/// A column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`
    Bool,
    /// `int` (32-bit in Kusto; stored as i64 here)
    Int,
    /// `long`
    Long,
    /// `real`
    Real,
    /// `string`
    String,
    /// `datetime`
    DateTime,
    /// `timespan`
    TimeSpan,
    /// `dynamic`
    Dynamic,
    /// `guid` (kept as a string)
    Guid,
}

impl Type {
    /// Parses a KQL type name (`string`, `long`, `datetime`, `date`, `double`, …).
    pub fn parse(name: &str) -> Option<Type> {
        Some(match name {
            "bool" | "boolean" => Type::Bool,
            "int" => Type::Int,
            "long" => Type::Long,
            "real" | "double" | "decimal" => Type::Real,
            "string" => Type::String,
            "datetime" | "date" => Type::DateTime,
            "timespan" | "time" => Type::TimeSpan,
            "dynamic" => Type::Dynamic,
            "guid" | "uniqueid" => Type::Guid,
            _ => return None,
        })
    }

    /// The KQL name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::Int => "int",
            Type::Long => "long",
            Type::Real => "real",
            Type::String => "string",
            Type::DateTime => "datetime",
            Type::TimeSpan => "timespan",
            Type::Dynamic => "dynamic",
            Type::Guid => "guid",
        }
    }

    /// The .NET type name `getschema` reports.
    pub fn clr_name(self) -> &'static str {
        match self {
            Type::Bool => "System.Boolean",
            Type::Int => "System.Int32",
            Type::Long => "System.Int64",
            Type::Real => "System.Double",
            Type::String => "System.String",
            Type::DateTime => "System.DateTime",
            Type::TimeSpan => "System.TimeSpan",
            Type::Dynamic => "System.Object",
            Type::Guid => "System.Guid",
        }
    }
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    /// A datetime value from a timestamp (saturating outside ±292 years of 1970).
    pub fn from_timestamp(ts: jiff::Timestamp) -> Value {
        Value::DateTime(
            i64::try_from(ts.as_nanosecond()).unwrap_or(if ts.as_nanosecond() < 0 {
                i64::MIN
            } else {
                i64::MAX
            }),
        )
    }

    /// The timestamp of a datetime value.
    pub fn as_timestamp(&self) -> Option<jiff::Timestamp> {
        match self {
            Value::DateTime(ns) => jiff::Timestamp::from_nanosecond(i128::from(*ns)).ok(),
            _ => None,
        }
    }

    /// A `dynamic` value from JSON text (`None` if the text is not JSON).
    pub fn from_json(text: &str) -> Option<Value> {
        crate::json::parse(text)
    }

    /// True for `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for null or the empty string (KQL `isempty`).
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        }
    }

    /// The type this value would have in a column.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null | Value::Array(_) | Value::Bag(_) => Type::Dynamic,
            Value::Bool(_) => Type::Bool,
            Value::Int(_) => Type::Long,
            Value::Real(_) => Type::Real,
            Value::String(_) => Type::String,
            Value::DateTime(_) => Type::DateTime,
            Value::TimeSpan(_) => Type::TimeSpan,
        }
    }

    /// `true` only for `Bool(true)` (null and other values are false, as in `where`).
    pub fn truthy(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    /// The value as a float, if numeric.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Real(r) => Some(*r),
            _ => None,
        }
    }

    /// KQL `tostring`: null becomes "", dynamic values become JSON.
    pub fn to_kql_string(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::String(s) => s.to_string(),
            other => {
                let mut out = String::new();
                other.write_plain(&mut out);
                out
            }
        }
    }

    fn write_plain(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Real(r) => out.push_str(&format_real(*r)),
            Value::String(s) => out.push_str(s),
            Value::DateTime(ns) => out.push_str(&format_datetime_iso(*ns)),
            Value::TimeSpan(ns) => out.push_str(&format_timespan(*ns)),
            Value::Array(_) | Value::Bag(_) => self.write_json(out),
        }
    }

    /// Serialises as JSON (strings quoted).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::String(s) => write_json_str(s, out),
            Value::DateTime(_) | Value::TimeSpan(_) => {
                let mut s = String::new();
                self.write_plain(&mut s);
                write_json_str(&s, out);
            }
            Value::Real(r) if !r.is_finite() => write_json_str(&format_real(*r), out),
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Value::Bag(b) => {
                out.push('{');
                for (i, (k, v)) in b.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_str(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
            other => other.write_plain(out),
        }
    }

    /// Equality used by `==` and by grouping: same type family and same value; strings exact.
    pub fn kql_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::DateTime(a), Value::DateTime(b)) | (Value::TimeSpan(a), Value::TimeSpan(b)) => {
                a == b
            }
            (Value::Int(a), Value::Int(b)) => a == b,
            (a, b) if a.as_f64().is_some() && b.as_f64().is_some() => a.as_f64() == b.as_f64(),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.kql_eq(y))
            }
            (Value::Bag(a), Value::Bag(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.kql_eq(v2))
            }
            _ => false,
        }
    }

    /// Ordering for comparisons and sorting; `None` when the values are not comparable.
    pub fn kql_cmp(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (a, b) if a.as_f64().is_some() && b.as_f64().is_some() => {
                a.as_f64()?.partial_cmp(&b.as_f64()?)
            }
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            (Value::DateTime(a), Value::DateTime(b)) | (Value::TimeSpan(a), Value::TimeSpan(b)) => {
                Some(a.cmp(b))
            }
            (Value::DateTime(a), Value::String(s)) => parse_datetime(s).map(|b| a.cmp(&b)),
            (Value::String(s), Value::DateTime(b)) => parse_datetime(s).map(|a| a.cmp(b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// A total order for `sort` (nulls handled by the caller): numbers < strings < others.
    pub fn sort_cmp(&self, other: &Value) -> Ordering {
        if let Some(o) = self.kql_cmp(other) {
            return o;
        }
        let rank = |v: &Value| match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Int(_) | Value::Real(_) => 2,
            Value::DateTime(_) => 3,
            Value::TimeSpan(_) => 4,
            Value::String(_) => 5,
            Value::Array(_) => 6,
            Value::Bag(_) => 7,
        };
        rank(self)
            .cmp(&rank(other))
            .then_with(|| self.to_json().cmp(&other.to_json()))
    }

    /// A hashable key with the same equality as [`Value::kql_eq`] (ints and whole reals unify).
    pub fn key(&self) -> Key {
        match self {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(*b),
            Value::Int(i) => Key::Int(*i),
            Value::Real(r) => {
                if r.fract() == 0.0 && r.abs() < 9.0e15 {
                    Key::Int(*r as i64)
                } else {
                    Key::Real(r.to_bits())
                }
            }
            Value::String(s) => Key::Str(s.clone()),
            Value::DateTime(n) => Key::DateTime(*n),
            Value::TimeSpan(n) => Key::TimeSpan(*n),
            other => Key::Json(other.to_json()),
        }
    }
}

/// Hashable form of a value (group keys, join keys, `dcount`, `make_set`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// null
    Null,
    /// bool
    Bool(bool),
    /// integer (or whole real)
    Int(i64),
    /// real bits
    Real(u64),
    /// string
    Str(Arc<str>),
    /// datetime
    DateTime(i64),
    /// timespan
    TimeSpan(i64),
    /// dynamic, as JSON
    Json(String),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.kql_eq(other)
    }
}

impl std::fmt::Display for Value {
    /// As KQL `tostring` renders it (null as "").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_kql_string())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(Arc::from(s))
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(r: f64) -> Value {
        Value::Real(r)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Formats a real the way Kusto prints it (integers without a fraction).
pub fn format_real(r: f64) -> String {
    if r.is_nan() {
        "NaN".into()
    } else if r.is_infinite() {
        if r > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        format!("{r}")
    }
}

/// `2026-11-12T09:00:00.0000000Z` (Kusto's default rendering, 7 fraction digits).
pub fn format_datetime_iso(ns: i64) -> String {
    let secs = ns.div_euclid(NS_SECOND);
    let frac = ns.rem_euclid(NS_SECOND) / 100;
    // Through an offset, not a zoned time: the same civil fields at a tenth of the cost.
    let Ok(dt) = jiff::Timestamp::from_second(secs).map(|t| jiff::tz::Offset::UTC.to_datetime(t))
    else {
        return String::new();
    };
    let mut b = *b"0000-00-00T00:00:00.0000000Z";
    let mut put = |at: usize, width: usize, v: i64| {
        let mut v = v.unsigned_abs();
        for slot in b.iter_mut().skip(at).take(width).rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, i64::from(dt.year()));
    put(5, 2, i64::from(dt.month()));
    put(8, 2, i64::from(dt.day()));
    put(11, 2, i64::from(dt.hour()));
    put(14, 2, i64::from(dt.minute()));
    put(17, 2, i64::from(dt.second()));
    put(20, 7, frac);
    String::from_utf8_lossy(&b).into_owned()
}

/// `[-][d.]hh:mm:ss[.fffffff]`.
pub fn format_timespan(ns: i64) -> String {
    let neg = ns < 0;
    let a = ns.unsigned_abs();
    let day = NS_DAY.unsigned_abs();
    let (d, rest) = (a / day, a % day);
    let (h, rest) = (rest / NS_HOUR as u64, rest % NS_HOUR as u64);
    let (m, rest) = (rest / NS_MINUTE as u64, rest % NS_MINUTE as u64);
    let (s, frac) = (rest / NS_SECOND as u64, rest % NS_SECOND as u64);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if d > 0 {
        let _ = write!(out, "{d}.");
    }
    let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    if frac > 0 {
        let _ = write!(out, ".{:07}", frac / 100);
    }
    out
}

/// Parses a datetime string (ISO 8601 with or without offset, date only, or space separator).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return i64::try_from(ts.as_nanosecond()).ok();
    }
    let civil = s.parse::<jiff::civil::DateTime>().ok().or_else(|| {
        s.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })?;
    let ts = civil.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    i64::try_from(ts.as_nanosecond()).ok()
}

/// Parses a timespan literal body: `1.02:03:04.5`, `02:03`, `1d`, `30m`, `100ms`, `1.5h`.
pub fn parse_timespan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = if s.contains(':') {
        let (days, clock) = match s.split_once(':') {
            Some((first, _)) if first.contains('.') => {
                let (d, _) = s.split_once('.')?;
                (d.parse::<i64>().ok()?, &s[d.len() + 1..])
            }
            _ => (0, s),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return None;
        }
        let h: i64 = parts[0].parse().ok()?;
        let m: i64 = parts[1].parse().ok()?;
        let sec: f64 = match parts.get(2) {
            Some(p) => p.parse().ok()?,
            None => 0.0,
        };
        days.checked_mul(NS_DAY)?
            .checked_add(h.checked_mul(NS_HOUR)?)?
            .checked_add(m.checked_mul(NS_MINUTE)?)?
            .checked_add((sec * NS_SECOND as f64) as i64)?
    } else {
        let idx = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
        let num: f64 = s[..idx].parse().ok()?;
        let unit = if idx == s.len() { "d" } else { &s[idx..] };
        let mult = timespan_unit(unit)?;
        let v = num * mult as f64;
        if !v.is_finite() || v.abs() > 9.2e18 {
            return None;
        }
        v as i64
    };
    Some(if neg { -v } else { v })
}

/// Nanoseconds for a timespan unit suffix.
pub fn timespan_unit(unit: &str) -> Option<i64> {
    Some(match unit {
        "d" | "day" | "days" => NS_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => NS_HOUR,
        "m" | "min" | "minute" | "minutes" => NS_MINUTE,
        "s" | "sec" | "second" | "seconds" => NS_SECOND,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1_000_000,
        "microsecond" | "microseconds" => 1_000,
        "tick" | "ticks" => 100,
        "nanosecond" | "nanoseconds" => 1,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_parsing_forms() {
        let a = parse_datetime("2026-11-12T09:00:00Z");
        assert_eq!(a, parse_datetime("2026-11-12 09:00:00"));
        assert_eq!(a, parse_datetime("2026-11-12T09:00:00"));
        assert!(parse_datetime("2026-11-12").is_some());
        assert!(parse_datetime("nope").is_none());
        assert_eq!(
            format_datetime_iso(a.unwrap_or(0)),
            "2026-11-12T09:00:00.0000000Z"
        );
    }

    #[test]
    fn timespan_parsing_forms() {
        assert_eq!(parse_timespan("1.00:00:00"), Some(NS_DAY));
        assert_eq!(parse_timespan("02:30"), Some(2 * NS_HOUR + 30 * NS_MINUTE));
        assert_eq!(parse_timespan("100ms"), Some(100_000_000));
        assert_eq!(parse_timespan("1.5h"), Some(NS_HOUR + 30 * NS_MINUTE));
        assert_eq!(parse_timespan("-1d"), Some(-NS_DAY));
        assert_eq!(format_timespan(NS_DAY + NS_HOUR), "1.01:00:00");
    }

    #[test]
    fn keys_unify_int_and_whole_real() {
        assert_eq!(Value::Int(3).key(), Value::Real(3.0).key());
        assert_ne!(Value::str("a").key(), Value::str("A").key());
    }

    /// The formatting of the engine before it computed dates itself: through jiff.
    fn iso_by_jiff(ns: i64) -> String {
        let ts = jiff::Timestamp::from_nanosecond(i128::from(ns)).unwrap();
        let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            ns.rem_euclid(NS_SECOND) / 100
        )
    }

    fn json_str_by_chars(s: &str) -> String {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn datetime_formatting_edges() {
        for ns in [0, -1, i64::MIN, i64::MAX, 951_782_400 * NS_SECOND, -NS_DAY] {
            assert_eq!(format_datetime_iso(ns), iso_by_jiff(ns), "{ns}");
        }
        assert_eq!(
            format_datetime_iso(1_790_812_816_917_238_800),
            "2026-10-01T00:00:16.9172388Z"
        );
    }

    proptest::proptest! {
        #[test]
        fn datetime_formatting_matches_jiff(ns in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(format_datetime_iso(ns), iso_by_jiff(ns));
        }

        #[test]
        fn json_strings_escape_as_per_character(s in "(?s).{0,40}") {
            let mut out = String::new();
            write_json_str(&s, &mut out);
            proptest::prop_assert_eq!(&out, &json_str_by_chars(&s));
        }
    }
}
