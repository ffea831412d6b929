//! The only ways text reaches the page.
//!
//! Markup comes from `&'static str` literals in this crate ([`Html::raw`], tag and attribute
//! names); every other string — all of it possibly attacker-controlled evidence — goes through
//! [`push_escaped`], in element text and attribute values alike. Numbers are written by
//! [`Html::num`], which only takes number types. Data for scripts is embedded as JSON by
//! [`json_for_script`], which cannot close the `<script>` element it sits in.

use serde::Serialize;
use std::fmt::Write as _;

/// Appends `s` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe as HTML
/// element text and inside a quoted attribute value (either quote).
pub fn push_escaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// [`push_escaped`] into a new string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// `value` as JSON text that can sit inside `<script type="application/json">`: `<`, `>`,
/// `&`, U+2028 and U+2029 are written as `\u` escapes. None of them can occur in JSON outside a
/// string, and inside one the escape means the same character, so `JSON.parse` reads the value
/// unchanged while the HTML parser never sees `</script`, `<!--` or a character reference.
pub fn json_for_script<T: Serialize>(value: &T) -> String {
    let json = match sonic_rs::to_string(value) {
        Ok(j) => j,
        // Serializing plain data structs cannot fail; an empty object keeps the page valid.
        Err(_) => return "{}".to_string(),
    };
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Number types [`Html::num`] accepts: their `Display` is digits, sign and a point only.
pub trait Number: std::fmt::Display + Copy {}
impl Number for u64 {}
impl Number for u32 {}
impl Number for usize {}
impl Number for i64 {}

/// An HTML document being written.
#[derive(Default)]
pub struct Html {
    out: String,
}

/// Attributes of an element: static names, values escaped when written.
pub type Attrs<'a> = &'a [(&'static str, &'a str)];

impl Html {
    pub fn new() -> Html {
        Html {
            out: String::with_capacity(1 << 16),
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Markup written by this crate (a literal: evidence is never `'static`).
    pub fn raw(&mut self, markup: &'static str) -> &mut Html {
        self.out.push_str(markup);
        self
    }

    /// Element text, escaped.
    pub fn text(&mut self, s: &str) -> &mut Html {
        push_escaped(&mut self.out, s);
        self
    }

    pub fn num<N: Number>(&mut self, n: N) -> &mut Html {
        let _ = write!(self.out, "{n}");
        self
    }

    /// A number with one decimal.
    pub fn dec1(&mut self, x: f64) -> &mut Html {
        let _ = write!(self.out, "{x:.1}");
        self
    }

    /// `<tag a="v" ...>` with every value escaped.
    pub fn open(&mut self, tag: &'static str, attrs: Attrs) -> &mut Html {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        self
    }

    pub fn close(&mut self, tag: &'static str) -> &mut Html {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn el(&mut self, tag: &'static str, attrs: Attrs, text: &str) -> &mut Html {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// `<tag attrs>` ... what `inner` writes ... `</tag>`.
    pub fn wrap(&mut self, tag: &'static str, attrs: Attrs, inner: impl FnOnce(&mut Html)) {
        self.open(tag, attrs);
        inner(self);
        self.close(tag);
    }

    /// `<script type="application/json" id="ID">` holding `value` as [`json_for_script`]
    /// writes it: the one place non-literal text enters the page unescaped by
    /// [`push_escaped`].
    pub fn script_json<T: Serialize>(&mut self, id: &'static str, value: &T) -> &mut Html {
        self.open("script", &[("type", "application/json"), ("id", id)]);
        self.out.push_str(&json_for_script(value));
        self.close("script")
    }

    /// A table cell of text; an absent value shows as a dash.
    pub fn td(&mut self, s: Option<&str>) -> &mut Html {
        match s {
            Some(s) if !s.is_empty() => self.el("td", &[], s),
            _ => self.raw("<td class=\"none\">–</td>"),
        }
    }

    /// A right-aligned table cell of a number.
    pub fn td_num<N: Number>(&mut self, n: N) -> &mut Html {
        self.raw("<td class=\"n\">").num(n).raw("</td>")
    }

    /// A table that scrolls sideways when too wide: `<thead>` with these column names
    /// (numeric columns are named with a leading `#`, not shown, so they align right), then
    /// the rows `rows` writes in `<tbody>`.
    pub fn grid(
        &mut self,
        class: &'static str,
        columns: &[&'static str],
        rows: impl FnOnce(&mut Html),
    ) {
        self.open("div", &[("class", "scroll")])
            .open("table", &[("class", class)]);
        self.raw("<thead><tr>");
        for c in columns {
            match c.strip_prefix('#') {
                Some(c) => self.raw("<th class=\"n\">").text(c),
                None => self.raw("<th>").text(c),
            };
            self.raw("</th>");
        }
        self.raw("</tr></thead><tbody>");
        rows(self);
        self.raw("</tbody></table></div>");
    }

    /// `empty` (markup: a note saying there is nothing) when `none`, else [`Html::grid`].
    pub fn grid_or(
        &mut self,
        empty: &'static str,
        none: bool,
        class: &'static str,
        columns: &[&'static str],
        rows: impl FnOnce(&mut Html),
    ) {
        if none {
            self.raw(empty);
        } else {
            self.grid(class, columns, rows);
        }
    }

    /// A time: the RFC 3339 text in `datetime` and `title`, shown to the second.
    pub fn time(&mut self, t: &str) -> &mut Html {
        self.open("time", &[("datetime", t), ("title", t)]);
        self.text(&short_time(t));
        self.close("time")
    }

    /// A table cell holding a [`Html::time`].
    pub fn td_time(&mut self, t: &str) -> &mut Html {
        if t.is_empty() {
            return self.td(None);
        }
        self.raw("<td class=\"t\">").time(t).raw("</td>")
    }
}

/// `2026-11-12T09:04:11.3697184Z` as `2026-11-12 09:04:11Z`; other text unchanged.
pub fn short_time(t: &str) -> String {
    let b = t.as_bytes();
    let rfc3339ish = b.len() >= 20 && b[10] == b'T' && b[..19].iter().all(|c| c.is_ascii_graphic());
    match (rfc3339ish, t.get(..10), t.get(11..19)) {
        (true, Some(day), Some(clock)) if t.ends_with('Z') => format!("{day} {clock}Z"),
        _ => t.to_string(),
    }
}

/// The CSS class of a detection level; anything else is `unknown` (data never becomes a
/// class name).
pub fn level_class(level: &str) -> &'static str {
    match level {
        "critical" => "critical",
        "high" => "high",
        "medium" => "medium",
        "low" => "low",
        "informational" => "informational",
        _ => "unknown",
    }
}

/// The levels, most severe first.
pub const LEVELS: [&str; 5] = ["critical", "high", "medium", "low", "informational"];

impl Html {
    /// A coloured badge naming a level.
    pub fn badge(&mut self, level: &str) -> &mut Html {
        let class = format!("lvl lvl-{}", level_class(level));
        self.open("span", &[("class", &class)])
            .text(level)
            .close("span")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escape("plain text, é ü 漢字"), "plain text, é ü 漢字");
        assert_eq!(escape(""), "");
        assert_eq!(escape("<<>>"), "&lt;&lt;&gt;&gt;");
    }

    #[test]
    fn attributes_and_text_share_the_escaping() {
        let mut h = Html::new();
        h.el(
            "td",
            &[("title", "\"><img src=x onerror=alert(1)>")],
            "<script>alert(1)</script>",
        );
        let s = h.finish();
        assert_eq!(
            s,
            "<td title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"
        );
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = vec![
            "</script><script>alert(1)</script>",
            "<!--",
            "a&b",
            "\u{2028}\u{2029}",
        ];
        let j = json_for_script(&v);
        assert!(!j.contains('<') && !j.contains('>') && !j.contains('&'));
        assert!(!j.contains('\u{2028}') && !j.contains('\u{2029}'));
        let back: Vec<String> = sonic_rs::from_str(&j).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn times_are_shortened_only_when_they_look_like_rfc3339() {
        assert_eq!(
            short_time("2026-11-12T09:04:11.3697184Z"),
            "2026-11-12 09:04:11Z"
        );
        assert_eq!(short_time("2026-11-12T09:04:11Z"), "2026-11-12 09:04:11Z");
        assert_eq!(short_time("<b>2026</b>"), "<b>2026</b>");
        assert_eq!(
            short_time("2026-11-12T09:04:1é.000Z"),
            "2026-11-12T09:04:1é.000Z"
        );
    }

    #[test]
    fn unknown_levels_get_no_class_from_data() {
        assert_eq!(level_class("high"), "high");
        assert_eq!(level_class("x\" onclick=\"y"), "unknown");
        let mut h = Html::new();
        h.badge("<b>");
        assert_eq!(
            h.finish(),
            "<span class=\"lvl lvl-unknown\">&lt;b&gt;</span>"
        );
    }
}
