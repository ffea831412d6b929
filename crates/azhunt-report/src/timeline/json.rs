//! The JSON Lines row, written directly.
//!
//! Member names are constants, so they are copied as prepared bytes instead of being escaped
//! per row as a serializer does. String values go through sonic-rs's string writer, which
//! checks and escapes with SIMD (the escaping of serde_json / sonic-rs: `\"`, `\\`, `\b`,
//! `\f`, `\n`, `\r`, `\t`, other controls as `\u00xx`). The scalar check per value it
//! replaced cost ≈3.4k more instructions a row (callgrind, `docs/PERFORMANCE.md`).

use azhunt_model::swar::{bytes_below, bytes_equal, word};

/// Appends `s` as a JSON string.
#[inline]
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    // Writing a `&str` into a `Vec` cannot fail.
    let _ = sonic_rs::to_writer(&mut *out, s);
}

/// Whether JSON writes some byte of `b` escaped: a control character (below 0x20), `"` or
/// `\` (what serde_json and sonic-rs escape; everything else, UTF-8 included, is written as
/// it is). Eight bytes at a time ([`azhunt_model::swar`]), the tests of every word OR-ed and
/// checked once.
pub fn needs_escape(b: &[u8]) -> bool {
    let mut found = 0u64;
    let mut chunks = b.chunks_exact(8);
    for c in chunks.by_ref() {
        let x = word(c);
        found |= bytes_below(x, 0x20) | bytes_equal(x, b'"') | bytes_equal(x, b'\\');
    }
    found != 0 || chunks.remainder().iter().copied().any(escaped_byte)
}

/// The byte-by-byte form of [`needs_escape`]'s test.
fn escaped_byte(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// Writes one object's members in order; the first call opens the object.
pub struct Members<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
    /// Every string value given needs no escaping ([`Members::plain`]).
    plain: bool,
}

impl<'o> Members<'o> {
    pub fn new(out: &'o mut Vec<u8>) -> Members<'o> {
        out.push(b'{');
        Members {
            out,
            first: true,
            plain: false,
        }
    }

    /// More members of an object opened elsewhere, after at least one member: each is
    /// preceded by a comma, and nothing opens or closes.
    pub fn continued(out: &'o mut Vec<u8>) -> Members<'o> {
        Members {
            out,
            first: false,
            plain: false,
        }
    }

    /// Declares that no string value given to these members (or to objects opened from
    /// them) has a byte [`needs_escape`] finds, so strings are copied between quotes without
    /// the escaper's per-value work. The caller must have checked every value: a timeline row
    /// checks all its text at once ([`super::compact::decode_checked`]).
    pub fn plain(mut self, plain: bool) -> Members<'o> {
        self.plain = plain;
        self
    }

    /// Bytes written so far to the buffer (where the next member's comma would go).
    pub fn written(&self) -> usize {
        self.out.len()
    }

    /// `"name":` — `name` is a constant that needs no escaping. Inlined, so the copies of
    /// constant length become a few moves instead of library calls.
    #[inline(always)]
    fn name(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    #[inline(always)]
    pub fn str(&mut self, name: &str, v: &str) {
        self.name(name);
        if self.plain {
            self.out.push(b'"');
            self.out.extend_from_slice(v.as_bytes());
            self.out.push(b'"');
        } else {
            push_str(self.out, v);
        }
    }

    /// A string or `null`.
    #[inline(always)]
    pub fn opt(&mut self, name: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(name, v),
            None => {
                self.name(name);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    /// A boolean or `null`.
    pub fn opt_bool(&mut self, name: &str, v: Option<bool>) {
        match v {
            Some(v) => self.bool(name, v),
            None => {
                self.name(name);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    pub fn bool(&mut self, name: &str, v: bool) {
        self.name(name);
        self.out
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
    }

    pub fn int(&mut self, name: &str, v: i64) {
        self.name(name);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    pub fn uint(&mut self, name: &str, v: u64) {
        self.name(name);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// An array of strings.
    pub fn strs(&mut self, name: &str, v: &[String]) {
        let mut a = self.array(name);
        for s in v {
            push_str(a.next(), s);
        }
        a.close();
    }

    /// Opens an array as the value of `name`.
    pub fn array(&mut self, name: &str) -> Elements<'_> {
        self.name(name);
        self.out.push(b'[');
        Elements {
            out: self.out,
            first: true,
        }
    }

    /// A member whose value is JSON text already (a nested object, the raw record).
    pub fn json(&mut self, name: &str, v: &[u8]) {
        self.name(name);
        self.out.extend_from_slice(v);
    }

    /// Opens a nested object as the value of `name`.
    pub fn object(&mut self, name: &str) -> Members<'_> {
        self.name(name);
        let plain = self.plain;
        Members::new(self.out).plain(plain)
    }

    pub fn close(self) {
        self.out.push(b'}');
    }
}

/// Writes one array's elements in order; the separators are its business.
pub struct Elements<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl Elements<'_> {
    /// The buffer to write the next element into.
    pub fn next(&mut self) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out
    }

    pub fn close(self) {
        self.out.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The word-at-a-time test agrees with the byte-by-byte definition, and with what
        /// the escaper does (a string that needs none is written as itself in quotes).
        #[test]
        fn needs_escape_is_exact(s in "(?s).{0,40}", bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let naive = |b: &[u8]| b.iter().any(|c| *c < 0x20 || *c == b'"' || *c == b'\\');
            prop_assert_eq!(needs_escape(&bytes), naive(&bytes));
            prop_assert_eq!(needs_escape(s.as_bytes()), naive(s.as_bytes()));
            let mut escaped = Vec::new();
            push_str(&mut escaped, &s);
            prop_assert_eq!(!needs_escape(s.as_bytes()), escaped == format!("\"{s}\"").into_bytes());
        }
    }

    /// `s` written after some bytes already in the buffer: they stay, the string follows.
    fn ours(s: &str) -> Vec<u8> {
        let mut out = b"{\"k\":".to_vec();
        push_str(&mut out, s);
        out
    }

    /// The escapes a JSON writer must produce for one ASCII byte.
    fn expected_escape(c: u8) -> String {
        match c {
            b'"' => "\\\"".to_string(),
            b'\\' => "\\\\".to_string(),
            b'\n' => "\\n".to_string(),
            b'\r' => "\\r".to_string(),
            b'\t' => "\\t".to_string(),
            0x08 => "\\b".to_string(),
            0x0c => "\\f".to_string(),
            c if c < 0x20 => format!("\\u{:04x}", c),
            c => (c as char).to_string(),
        }
    }

    #[test]
    fn every_ascii_byte_is_escaped_as_json_requires() {
        for c in 0u8..128 {
            let s = format!("a{}b{}", c as char, "x".repeat(20));
            let want = format!("{{\"k\":\"a{}b{}\"", expected_escape(c), "x".repeat(20));
            assert_eq!(String::from_utf8(ours(&s)).unwrap(), want, "byte {c}");
        }
    }

    proptest::proptest! {
        /// Whatever the text, the member reads back as exactly that text.
        #[test]
        fn strings_read_back_unchanged(s in "\\PC*|[\\x00-\\x7f]{0,40}") {
            let mut out = ours(&s);
            out.push(b'}');
            let v: sonic_rs::Value = sonic_rs::from_slice(&out).unwrap();
            proptest::prop_assert_eq!(sonic_rs::JsonValueTrait::as_str(&v["k"]), Some(s.as_str()));
            proptest::prop_assert!(!out.iter().any(|b| *b < 0x20));
        }
    }
}
