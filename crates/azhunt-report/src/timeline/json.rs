//! The JSON Lines row, written directly.
//!
//! Member names are constants, so they are copied as prepared bytes instead of being escaped
//! per row as a serializer does; string values are checked for characters JSON must escape 16
//! bytes at a time (a branch-free test the compiler vectorizes) and copied whole when they have
//! none, which is nearly always. Escaping follows serde_json / sonic-rs byte for byte (`\"`,
//! `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other controls as `\u00xx`), checked by a property test.

/// Appends `s` as a JSON string.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    if !needs_escape(b) {
        out.extend_from_slice(b);
    } else {
        push_escaped(out, b);
    }
    out.push(b'"');
}

fn needs_escape(b: &[u8]) -> bool {
    let special = |c: u8| (c < 0x20) | (c == b'"') | (c == b'\\');
    let mut chunks = b.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, c| any | special(*c)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|c| special(*c))
}

fn push_escaped(out: &mut Vec<u8>, b: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            c if c < 0x20 => b"",
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
}

/// Writes one object's members in order; the first call opens the object.
pub struct Members<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Members<'o> {
    pub fn new(out: &'o mut Vec<u8>) -> Members<'o> {
        out.push(b'{');
        Members { out, first: true }
    }

    /// `"name":` — `name` is a constant that needs no escaping.
    fn name(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    pub fn str(&mut self, name: &str, v: &str) {
        self.name(name);
        push_str(self.out, v);
    }

    /// A string or `null`.
    pub fn opt(&mut self, name: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(name, v),
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

    /// A member whose value is JSON text already (a nested object, the raw record).
    pub fn json(&mut self, name: &str, v: &[u8]) {
        self.name(name);
        self.out.extend_from_slice(v);
    }

    /// Opens a nested object as the value of `name`.
    pub fn object(&mut self, name: &str) -> Members<'_> {
        self.name(name);
        Members::new(self.out)
    }

    pub fn close(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        push_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_ascii_byte_escapes_like_sonic() {
        for c in 0u8..128 {
            let s = format!("a{}b{}", c as char, "x".repeat(20));
            assert_eq!(ours(&s), sonic_rs::to_string(&s).unwrap(), "byte {c}");
        }
    }

    proptest::proptest! {
        #[test]
        fn strings_escape_like_sonic(s in "\\PC*|[\\x00-\\x7f]{0,40}") {
            proptest::prop_assert_eq!(ours(&s), sonic_rs::to_string(&s).unwrap());
        }
    }
}
