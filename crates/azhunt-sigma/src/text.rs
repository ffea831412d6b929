//! Small text helpers shared by the compiler and the evaluator: one case-folding function used
//! for both patterns (at load) and values (at match time) so the two always agree, scalar-to-text
//! without heap allocation, and the encodings the Sigma transformation modifiers need.

use crate::Scalar;
use std::io::Write;

/// Fixed buffer for formatting numbers without allocating.
pub(crate) type NumBuf = [u8; 64];

/// Lower-cases `s` into `out` (cleared first), the way case-insensitive patterns are folded.
/// ASCII takes a byte fast path.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    fold_append(s, out);
}

/// [`fold_into`] appending to `out` instead of replacing it.
pub(crate) fn fold_append(s: &str, out: &mut String) {
    if s.is_ascii() {
        // Copy then fold in place: both are vectorized, unlike pushing char by char.
        let start = out.len();
        out.push_str(s);
        if let Some(tail) = out.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Lower-cased copy (load time only).
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// The text form of a scalar used for string comparisons: numbers in their shortest decimal
/// form, booleans as `true`/`false`; `None` for null.
pub(crate) fn scalar_text<'x>(v: &'x Scalar<'_>, buf: &'x mut NumBuf) -> Option<&'x str> {
    let n = match v {
        Scalar::Str(s) => return Some(s),
        Scalar::Bool(true) => return Some("true"),
        Scalar::Bool(false) => return Some("false"),
        Scalar::Null => return None,
        Scalar::Int(i) => {
            let mut w: &mut [u8] = &mut buf[..];
            let total = w.len();
            write!(w, "{i}").ok()?;
            total - w.len()
        }
        Scalar::Float(f) => {
            let mut w: &mut [u8] = &mut buf[..];
            let total = w.len();
            write!(w, "{f}").ok()?;
            total - w.len()
        }
    };
    std::str::from_utf8(&buf[..n]).ok()
}

/// The numeric view of a scalar (strings that parse as numbers count).
pub(crate) fn scalar_number(v: &Scalar<'_>) -> Option<f64> {
    match v {
        Scalar::Int(i) => Some(*i as f64),
        Scalar::Float(f) => Some(*f),
        Scalar::Str(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Some(i as f64)
            } else {
                t.parse::<f64>().ok().filter(|f| f.is_finite())
            }
        }
        Scalar::Bool(_) | Scalar::Null => None,
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let idx = |shift: u32| char::from(B64[((n >> shift) & 63) as usize]);
        out.push(idx(18));
        out.push(idx(12));
        out.push(if chunk.len() > 1 { idx(6) } else { '=' });
        out.push(if chunk.len() > 2 { idx(0) } else { '=' });
    }
    out
}

/// The three shift variants of `base64offset`: the stable middle part of the encoding of `data`
/// when it is preceded by 0, 1 or 2 unknown bytes.
pub(crate) fn base64_offsets(data: &[u8]) -> Vec<String> {
    const START: [usize; 3] = [0, 2, 3];
    const END_TRIM: [usize; 3] = [0, 3, 2];
    let mut out = Vec::with_capacity(3);
    for shift in 0..3 {
        let mut padded = vec![0u8; shift];
        padded.extend_from_slice(data);
        let enc = base64(&padded);
        let trim = END_TRIM[(data.len() + shift) % 3];
        let end = enc.len().saturating_sub(trim);
        let start = START[shift];
        if start < end {
            out.push(enc[start..end].to_string());
        }
    }
    out.dedup();
    out
}

/// UTF-16 little-endian bytes of `s`.
pub(crate) fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// UTF-16 big-endian bytes of `s`.
pub(crate) fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn base64_offsets_are_substrings_of_shifted_encodings() {
        let needle = b"http://";
        let offs = base64_offsets(needle);
        assert_eq!(offs.len(), 3);
        for prefix in [&b""[..], b"a", b"ab", b"abc", b"abcd"] {
            let mut data = prefix.to_vec();
            data.extend_from_slice(needle);
            data.extend_from_slice(b"example.com");
            let enc = base64(&data);
            assert!(
                offs.iter().any(|o| enc.contains(o.as_str())),
                "{enc} vs {offs:?}"
            );
        }
    }

    #[test]
    fn scalar_text_formats_numbers() {
        let mut b = [0u8; 64];
        assert_eq!(scalar_text(&Scalar::Int(-42), &mut b), Some("-42"));
        let mut b = [0u8; 64];
        assert_eq!(scalar_text(&Scalar::Float(1.5), &mut b), Some("1.5"));
        let mut b = [0u8; 64];
        assert_eq!(scalar_text(&Scalar::Null, &mut b), None);
        assert_eq!(scalar_number(&Scalar::Str(" 12 ")), Some(12.0));
        assert_eq!(scalar_number(&Scalar::Str("x")), None);
    }

    #[test]
    fn utf16_encodings() {
        assert_eq!(utf16le("cmd"), b"c\0m\0d\0");
        assert_eq!(utf16be("cmd"), b"\0c\0m\0d");
    }
}
