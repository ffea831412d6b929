//! A minimal streaming JSON writer that appends straight into a reused `String`.
//!
//! Generating gigabytes of records must not build a serde DOM per record, so every shape
//! writes its records through this writer. It supports compact output (JSON Lines) and the
//! two-space pretty layout `az` prints, so one record builder serves every shape.

use std::fmt::Write as _;

/// Appends `s` JSON-escaped (without surrounding quotes).
pub fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
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
}

/// Streaming writer over a borrowed output buffer.
pub struct JsonW<'a> {
    out: &'a mut String,
    pretty: bool,
    depth: usize,
    /// No element has been written yet in the innermost container.
    first: bool,
    /// A key was just written; the next value needs no separator.
    after_key: bool,
}

impl<'a> JsonW<'a> {
    /// A writer appending to `out`; `depth` is the starting indent level for pretty output.
    pub fn new(out: &'a mut String, pretty: bool, depth: usize) -> Self {
        Self {
            out,
            pretty,
            depth,
            first: true,
            after_key: false,
        }
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    /// Separator before a value (array element, or nothing right after a key).
    fn before_value(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if self.depth > 0 && !self.first {
            self.out.push(',');
        }
        if self.depth > 0 && self.pretty {
            self.newline();
        }
        self.first = false;
    }

    /// Opens an object.
    pub fn obj(&mut self) -> &mut Self {
        self.before_value();
        self.out.push('{');
        self.depth += 1;
        self.first = true;
        self
    }

    /// Opens an array.
    pub fn arr(&mut self) -> &mut Self {
        self.before_value();
        self.out.push('[');
        self.depth += 1;
        self.first = true;
        self
    }

    fn close(&mut self, c: char) -> &mut Self {
        self.depth -= 1;
        if !self.first {
            self.newline();
        }
        self.out.push(c);
        self.first = false;
        self
    }

    /// Closes the current object.
    pub fn end_obj(&mut self) -> &mut Self {
        self.close('}')
    }

    /// Closes the current array.
    pub fn end_arr(&mut self) -> &mut Self {
        self.close(']')
    }

    /// Writes an object key (a plain ASCII literal needing no escaping).
    pub fn key(&mut self, k: &str) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.newline();
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str(if self.pretty { "\": " } else { "\":" });
        self.after_key = true;
        self
    }

    /// Writes a string value that needs no escaping (identifiers, GUIDs, timestamps).
    pub fn raw_str(&mut self, v: &str) -> &mut Self {
        self.before_value();
        self.out.push('"');
        self.out.push_str(v);
        self.out.push('"');
        self
    }

    /// Writes an arbitrary string value, escaped.
    pub fn str(&mut self, v: &str) -> &mut Self {
        self.before_value();
        self.out.push('"');
        push_escaped(self.out, v);
        self.out.push('"');
        self
    }

    /// Writes a string value produced by `f` appending unescaped ASCII to the buffer.
    pub fn str_with(&mut self, f: impl FnOnce(&mut String)) -> &mut Self {
        self.before_value();
        self.out.push('"');
        f(self.out);
        self.out.push('"');
        self
    }

    /// Writes a GUID string value.
    pub fn guid(&mut self, g: u128) -> &mut Self {
        self.str_with(|o| crate::rng::push_guid(o, g))
    }

    /// Writes a literal JSON token (number, `true`, `null`, …) verbatim.
    pub fn lit(&mut self, v: &str) -> &mut Self {
        self.before_value();
        self.out.push_str(v);
        self
    }

    /// Writes an integer.
    pub fn int(&mut self, v: i64) -> &mut Self {
        self.before_value();
        let _ = write!(self.out, "{v}");
        self
    }

    /// Writes a float with fixed decimals.
    pub fn float(&mut self, v: f64, decimals: usize) -> &mut Self {
        self.before_value();
        let _ = write!(self.out, "{v:.decimals$}");
        self
    }

    /// Writes a boolean.
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.lit(if v { "true" } else { "false" })
    }

    /// Writes `{"value": v, "localizedValue": l}`, the Activity Log's localizable pair.
    pub fn localized(&mut self, k: &str, value: &str, localized: &str) -> &mut Self {
        self.key(k).obj();
        self.key("value").str(value);
        self.key("localizedValue").str(localized);
        self.end_obj()
    }

    /// `key: "string"` shorthand (escaped).
    pub fn kv(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k).str(v)
    }

    /// `key: "string"` shorthand for values that need no escaping.
    pub fn kv_raw(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k).raw_str(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_pretty() {
        let mut s = String::new();
        {
            let mut w = JsonW::new(&mut s, false, 0);
            w.obj()
                .kv("a", "x\"y")
                .key("b")
                .arr()
                .int(1)
                .int(2)
                .end_arr();
            w.key("c").obj().end_obj().end_obj();
        }
        assert_eq!(s, r#"{"a":"x\"y","b":[1,2],"c":{}}"#);
        let mut p = String::new();
        {
            let mut w = JsonW::new(&mut p, true, 0);
            w.obj()
                .kv("a", "x")
                .key("b")
                .arr()
                .int(1)
                .end_arr()
                .end_obj();
        }
        assert_eq!(p, "{\n  \"a\": \"x\",\n  \"b\": [\n    1\n  ]\n}");
    }

    #[test]
    fn escapes_control_characters() {
        let mut s = String::new();
        push_escaped(&mut s, "a\u{1}b\\c\n");
        assert_eq!(s, "a\\u0001b\\\\c\\n");
    }
}
