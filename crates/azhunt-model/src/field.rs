//! Field access over raw records: one way to find a value, used by every reader and engine.
//!
//! The same fact is spelled differently by each export: `eventTimestamp` (REST),
//! `event_timestamp` (Python SDK dumps), `EventTimestamp` (PowerShell), `TimeGenerated [UTC]`
//! (Log Analytics portal CSV). Keys are therefore matched ASCII case-insensitively first and,
//! failing that, also ignoring underscores and a trailing ` [UTC]` annotation. Values that arrive
//! as JSON text inside strings (`requestbody`, `InitiatedBy`, `Properties_d` in CSV) are decoded
//! on the way down a path, so callers never care which shape they were handed.

use crate::swar::{bytes_equal, word};
use sonic_rs::{JsonContainerTrait, JsonValueTrait, Value};
use std::borrow::Cow;

/// True when `actual` names the same field as `wanted` ignoring ASCII case.
///
/// Rejected by length and last byte first — claim URIs share a 54-byte prefix
/// (`http://schemas.xmlsoap.org/ws/2005/05/identity/claims/…`) and differ at the end, where a
/// byte-by-byte comparison from the start arrives last — then compared as bytes (names usually
/// arrive in the spelling asked for) before the case-insensitive comparison.
pub fn eq_exact(actual: &str, wanted: &str) -> bool {
    let (a, w) = (actual.as_bytes(), wanted.as_bytes());
    a.len() == w.len()
        && a.last().map(u8::to_ascii_lowercase) == w.last().map(u8::to_ascii_lowercase)
        && (a == w || a.eq_ignore_ascii_case(w))
}

/// `name` folded the way [`get_ci`] compares names — ASCII lower case, underscores dropped, a
/// trailing ` [UTC]` dropped — into `buf`, with whether the fold changed anything but case
/// (`false`: `name` matches the folded form exactly, ignoring case). `None` when it does not
/// fit `buf`.
pub fn fold_name<'b>(name: &str, buf: &'b mut [u8]) -> Option<(&'b [u8], bool)> {
    let b = name.as_bytes();
    let (b, suffix) = match b
        .len()
        .checked_sub(6)
        .and_then(|i| b.get(i..).map(|t| (i, t)))
    {
        Some((i, tail)) if tail.eq_ignore_ascii_case(b" [UTC]") => (&b[..i], true),
        _ => (b, false),
    };
    if !b.contains(&b'_') {
        // The common case: copy and lower-case in place.
        let out = buf.get_mut(..b.len())?;
        out.copy_from_slice(b);
        out.make_ascii_lowercase();
        return Some((out, suffix));
    }
    let mut n = 0;
    for &c in b {
        if c == b'_' {
            continue;
        }
        *buf.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    Some((&buf[..n], true))
}

/// True when `actual` names the same field as `wanted` ignoring ASCII case, underscores and a
/// trailing ` [UTC]` (Log Analytics portal exports annotate time columns that way).
fn eq_loose(actual: &str, wanted: &str) -> bool {
    let mut a = actual.bytes().filter(|b| *b != b'_');
    let mut w = wanted.bytes().filter(|b| *b != b'_');
    loop {
        match (a.next(), w.next()) {
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y) => continue,
            (None, None) => return true,
            (Some(b' '), None) => {
                let rest: Vec<u8> = a.collect();
                return rest.eq_ignore_ascii_case(b"[UTC]");
            }
            _ => return false,
        }
    }
}

/// Member `key` of an object, matched case-insensitively (see the module doc).
///
/// One pass over the members: a same-length case-insensitive match returns at once; the first
/// loose match (underscores, ` [UTC]`) is kept as the answer if no exact match follows. Keys of
/// another length are rejected by length or by their first differing byte, so a miss costs
/// little — this lookup runs dozens of times per event.
pub fn get_ci<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let [found] = get_ci_many(value, [key]);
    found
}

/// [`get_ci`] of several names in one pass over the object: `out[i]` is what `get_ci(value,
/// keys[i])` gives. Walking a parsed object costs some 150 instructions a member, so
/// reading `action` and `scope` of one `authorization`, or `value` and `localizedValue` of one
/// operation name, in one walk halves the work of two lookups.
pub fn get_ci_many<'a, const N: usize>(
    value: &'a Value,
    keys: [&str; N],
) -> [Option<&'a Value>; N] {
    let mut exact: [Option<&'a Value>; N] = [None; N];
    let mut loose: [Option<&'a Value>; N] = [None; N];
    let Some(obj) = value.as_object() else {
        return exact;
    };
    for (k, v) in obj.iter() {
        for (i, key) in keys.iter().enumerate() {
            if exact[i].is_some() {
                continue;
            }
            if k.len() == key.len() {
                if eq_exact(k, key) {
                    exact[i] = Some(v);
                }
            } else if loose[i].is_none() && could_be_loose(k, key) && eq_loose(k, key) {
                loose[i] = Some(v);
            }
        }
        if exact.iter().all(Option::is_some) {
            break;
        }
    }
    let mut out = exact;
    for (o, l) in out.iter_mut().zip(loose) {
        if o.is_none() {
            *o = l;
        }
    }
    out
}

/// Cheap pre-check for [`eq_loose`]: only keys with an underscore or a space can differ in
/// length from the wanted name and still match it.
fn could_be_loose(actual: &str, wanted: &str) -> bool {
    let (a, w) = (actual.as_bytes(), wanted.as_bytes());
    let first_a = a.iter().find(|b| **b != b'_');
    let first_w = w.iter().find(|b| **b != b'_');
    match (first_a, first_w) {
        (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {
            a.iter().any(|b| *b == b'_' || *b == b' ') || w.contains(&b'_')
        }
        _ => false,
    }
}

/// Anything members can be looked up in by name, with [`get_ci`]'s matching rules: a JSON
/// value, or its [`Fields`] materialized once.
pub trait Lookup {
    fn member(&self, key: &str) -> Option<&Value>;
}

impl Lookup for Value {
    fn member(&self, key: &str) -> Option<&Value> {
        get_ci(self, key)
    }
}

/// An object's members materialized once into a flat list. Normalizers look up dozens of
/// fields per record; walking the parsed object's nodes for each lookup dominated the read
/// profile. Each member also gets a cheap [`signature`] (length, first and last byte, folded to
/// lower case), so a lookup compares one `u32` per member and compares names only on a match.
/// Names with an underscore or a space — the only ones that can match loosely at another
/// length — are marked and always compared by name.
pub struct Fields<'a> {
    pairs: Vec<(&'a str, &'a Value)>,
    signatures: Vec<u32>,
    /// Some member's name has an underscore or a space (its signature is [`SPECIAL`]).
    any_special: bool,
}

/// Marks a name that can only be matched by comparing it.
const SPECIAL: u32 = u32::MAX;

/// Whether a name holds an underscore or a space. Every member name of every record passes
/// here ([`Fields::of`]), so it reads eight bytes at a time: a word test per chunk, the last
/// (possibly overlapping) eight bytes as one more word, and a plain loop only for names shorter
/// than a word. The byte loop this replaced was two-thirds of materializing a record's members.
fn has_underscore_or_space(b: &[u8]) -> bool {
    if b.len() < 8 {
        return b.iter().any(|c| *c == b'_' || *c == b' ');
    }
    let mut chunks = b.chunks_exact(8);
    if chunks
        .by_ref()
        .any(|c| word_has_underscore_or_space(word(c)))
    {
        return true;
    }
    let tail = &b[b.len() - 8..];
    !chunks.remainder().is_empty() && word_has_underscore_or_space(word(tail))
}

/// Whether any byte of `x` is `_` or a space.
fn word_has_underscore_or_space(x: u64) -> bool {
    (bytes_equal(x, b'_') | bytes_equal(x, b' ')) != 0
}

/// The signature of a lower-case, underscore- and space-free name, at compile time (for
/// [`Fields::iter_maybe`]).
pub const fn plain_signature(name: &str) -> u32 {
    let b = name.as_bytes();
    if b.is_empty() {
        return 0;
    }
    ((b.len() as u32 & 0xffff) << 16) | ((b[0] as u32) << 8) | (b[b.len() - 1] as u32)
}

/// Length, first and last byte of a name (ASCII case folded), or [`SPECIAL`] for names with an
/// underscore or a space.
fn signature(name: &str) -> u32 {
    let b = name.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if !has_underscore_or_space(b) => {
            ((b.len() as u32 & 0xffff) << 16)
                | (u32::from(first.to_ascii_lowercase()) << 8)
                | u32::from(last.to_ascii_lowercase())
        }
        (None, _) | (_, None) => 0,
        _ => SPECIAL,
    }
}

impl<'a> Fields<'a> {
    /// The members of `value` (none when it is not an object).
    pub fn of(value: &'a Value) -> Fields<'a> {
        // Sized up front: the object iterator gives no size hint, and growing the list four
        // times per record was a tenth of the read's allocation work. (Filling both lists in
        // one loop measured 7% slower than two tight loops.)
        let pairs: Vec<(&'a str, &'a Value)> = match value.as_object() {
            Some(o) => {
                let mut v = Vec::with_capacity(o.len());
                v.extend(o.iter());
                v
            }
            None => Vec::new(),
        };
        let signatures: Vec<u32> = pairs.iter().map(|(k, _)| signature(k)).collect();
        let any_special = signatures.contains(&SPECIAL);
        Fields {
            pairs,
            signatures,
            any_special,
        }
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.pairs.iter().map(|(k, _)| *k)
    }

    /// The members in record order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a Value)> + '_ {
        self.pairs.iter().copied()
    }

    /// The members in record order whose name could match one of the lower-case,
    /// underscore-free `wanted` names (given by their [`plain_signature`]s) by [`get_ci`]'s
    /// rules, judged from the cheap signature alone, each with the index of the wanted
    /// signature it has — `None` for a name with an underscore or a space, which can match any
    /// of them loosely and must be folded. A name not yielded cannot match.
    pub fn iter_maybe<'w>(
        &'w self,
        wanted: &'w [u32],
    ) -> impl Iterator<Item = (Option<usize>, &'a str, &'a Value)> + 'w {
        self.pairs
            .iter()
            .zip(&self.signatures)
            .filter_map(move |((k, v), sig)| {
                if *sig == SPECIAL {
                    return Some((None, *k, *v));
                }
                let i = wanted.iter().position(|w| w == sig)?;
                Some((Some(i), *k, *v))
            })
    }
}

/// The signature a plain (underscore- and space-free) member name must have to match `key`:
/// that of `key` with its underscores removed (`unique_name` matches `uniquename`). Wanted
/// names with spaces stay [`SPECIAL`] and are compared with every member.
fn wanted_signature(key: &str) -> u32 {
    // One pass: the length, first and last byte of the name without its underscores.
    let (mut len, mut first, mut last) = (0u32, None, 0u8);
    for &c in key.as_bytes() {
        if c == b' ' {
            return SPECIAL;
        }
        if c != b'_' {
            first.get_or_insert(c);
            last = c;
            len += 1;
        }
    }
    let Some(first) = first else { return 0 };
    ((len & 0xffff) << 16)
        | (u32::from(first.to_ascii_lowercase()) << 8)
        | u32::from(last.to_ascii_lowercase())
}

impl Fields<'_> {
    /// The member a name matches, given the wanted signature. With no underscore- or
    /// space-named member and a plain wanted name, only equal signatures need a look.
    fn find(&self, key: &str, wanted: u32) -> Option<&Value> {
        let mut loose = None;
        let plain = wanted != SPECIAL && !self.any_special;
        for (i, sig) in self.signatures.iter().enumerate() {
            if *sig != wanted && (plain || (*sig != SPECIAL && wanted != SPECIAL)) {
                continue;
            }
            let (k, v) = self.pairs[i];
            if k.len() == key.len() && eq_exact(k, key) {
                return Some(v);
            }
            if loose.is_none() && could_be_loose(k, key) && eq_loose(k, key) {
                loose = Some(v);
            }
        }
        loose
    }
}

impl Lookup for Fields<'_> {
    fn member(&self, key: &str) -> Option<&Value> {
        self.find(key, wanted_signature(key))
    }
}

/// Picks several members in one pass over an object whose keys are data rather than schema
/// (JWT claims, dictionaries): names are matched ASCII case-insensitively only, and within each
/// group of alternative names the earlier one wins; members whose value `keep` refuses are
/// ignored. One walk over the members replaces a lookup per name — claims objects have some 25
/// long URI-named members and a dozen wanted names. Build it once (e.g. in a `LazyLock`): the
/// wanted names are filed by length, so a member is compared only with names of its length.
pub struct Picker<const N: usize> {
    /// Per name length: (group, rank in the group, name).
    by_len: Vec<Vec<(usize, usize, &'static str)>>,
}

impl<const N: usize> Picker<N> {
    pub fn new(groups: [&'static [&'static str]; N]) -> Picker<N> {
        let mut by_len: Vec<Vec<(usize, usize, &'static str)>> = Vec::new();
        for (g, names) in groups.iter().enumerate() {
            for (rank, name) in names.iter().enumerate() {
                if by_len.len() <= name.len() {
                    by_len.resize(name.len() + 1, Vec::new());
                }
                by_len[name.len()].push((g, rank, name));
            }
        }
        Picker { by_len }
    }

    /// The value of each group's best-ranked member present (and kept), in group order.
    pub fn pick<'a>(
        &self,
        value: &'a Value,
        keep: impl Fn(&Value) -> bool,
    ) -> [Option<&'a Value>; N] {
        let mut found: [Option<(usize, &'a Value)>; N] = [None; N];
        if let Some(obj) = value.as_object() {
            for (k, v) in obj.iter() {
                let Some(names) = self.by_len.get(k.len()) else {
                    continue;
                };
                for &(g, rank, name) in names {
                    if let Some(slot) = found.get_mut(g)
                        && slot.is_none_or(|(r, _)| rank < r)
                        && eq_exact(k, name)
                        && keep(v)
                    {
                        *slot = Some((rank, v));
                    }
                }
            }
        }
        found.map(|f| f.map(|(_, v)| v))
    }
}

/// Member `key` as a string slice, when it is a string.
pub fn get_str<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    get_ci(value, key).and_then(|v| v.as_str())
}

/// A scalar as text: strings as they are, numbers and booleans printed. `None` for null,
/// objects and arrays.
pub fn string_of(value: &Value) -> Option<Cow<'_, str>> {
    if let Some(s) = value.as_str() {
        return Some(Cow::Borrowed(s));
    }
    if let Some(b) = value.as_bool() {
        return Some(Cow::Borrowed(if b { "true" } else { "false" }));
    }
    if let Some(n) = value.as_i64() {
        return Some(Cow::Owned(n.to_string()));
    }
    if let Some(n) = value.as_u64() {
        return Some(Cow::Owned(n.to_string()));
    }
    value.as_f64().map(|n| Cow::Owned(n.to_string()))
}

/// Decodes a string that holds JSON (an object or array) into a value.
pub fn decode_embedded(text: &str) -> Option<Value> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        sonic_rs::from_str(t).ok()
    } else {
        None
    }
}

/// The value at a dotted path of member names (case-insensitive) and array indexes, descending
/// into JSON carried inside strings. `["properties", "requestbody", "Properties", "Scope"]`
/// works whether `requestbody` is an object or a string of JSON.
pub fn get_path<'a>(value: &'a Value, path: &[&str]) -> Option<Cow<'a, Value>> {
    let mut cur: Cow<'a, Value> = Cow::Borrowed(value);
    for seg in path {
        cur = step(cur, seg)?;
    }
    Some(cur)
}

fn step<'a>(cur: Cow<'a, Value>, seg: &str) -> Option<Cow<'a, Value>> {
    let expanded: Cow<'a, Value> = if cur.is_str() {
        Cow::Owned(decode_embedded(cur.as_str()?)?)
    } else {
        cur
    };
    match expanded {
        Cow::Borrowed(v) => child(v, seg).map(Cow::Borrowed),
        Cow::Owned(v) => child(&v, seg).cloned().map(Cow::Owned),
    }
}

fn child<'a>(v: &'a Value, seg: &str) -> Option<&'a Value> {
    if let Some(arr) = v.as_array() {
        let idx: usize = seg.parse().ok()?;
        return arr.get(idx);
    }
    get_ci(v, seg)
}

/// Trimmed, non-empty text or `None`: exports use `""`, `null` and whitespace for "absent".
pub fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(trim).filter(|s| !s.is_empty())
}

/// Whether `text` ends with `suffix`, ignoring ASCII case, without a lower-cased copy (hot
/// paths test every event's operation this way).
pub fn ends_with_ci(text: &str, suffix: &str) -> bool {
    let (t, s) = (text.as_bytes(), suffix.as_bytes());
    t.len() >= s.len() && t[t.len() - s.len()..].eq_ignore_ascii_case(s)
}

/// [`str::trim`], with a fast path for the usual value that starts and ends with a visible
/// ASCII character (the general trim walks Unicode whitespace from both ends; it was 3% of
/// reading an Activity Log record).
pub fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let b = text.as_bytes();
    if visible(b.first()) && visible(b.last()) {
        text
    } else {
        text.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        sonic_rs::from_str(s).unwrap()
    }

    #[test]
    fn case_and_underscore_insensitive() {
        let r = v(r#"{"event_timestamp":"a","TimeGenerated [UTC]":"b","Level":4}"#);
        assert_eq!(get_str(&r, "eventTimestamp"), Some("a"));
        assert_eq!(get_str(&r, "timegenerated"), Some("b"));
        assert!(get_ci(&r, "level").is_some());
        assert!(get_ci(&r, "lev").is_none());
    }

    #[test]
    fn fields_match_like_get_ci() {
        let r = v(
            r#"{"_ResourceId":"lower","ResourceId":"UPPER","event_timestamp":"t","TimeGenerated [UTC]":"g"}"#,
        );
        let f = Fields::of(&r);
        for key in [
            "ResourceId",
            "_ResourceId",
            "eventTimestamp",
            "timegenerated",
            "nope",
            "resource",
        ] {
            assert_eq!(f.member(key), get_ci(&r, key), "{key}");
        }
        assert_eq!(f.len(), 4);
    }

    #[test]
    fn pick_prefers_earlier_alternatives() {
        let r = v(r#"{"unique_name":"u","UPN":"p","oid":"o","other":1}"#);
        let picker = Picker::new([
            &["upn", "unique_name"],
            &["objectidentifier", "oid"],
            &["x"],
        ]);
        let [upn, oid, none] = picker.pick(&r, |_| true);
        assert_eq!(upn.and_then(|x| x.as_str()), Some("p"));
        assert_eq!(oid.and_then(|x| x.as_str()), Some("o"));
        assert!(none.is_none());
    }

    #[test]
    fn exact_match_wins_over_loose() {
        let r = v(r#"{"_ResourceId":"lower","ResourceId":"UPPER"}"#);
        assert_eq!(get_str(&r, "ResourceId"), Some("UPPER"));
        assert_eq!(get_str(&r, "_ResourceId"), Some("lower"));
        let r = v(r#"{"Properties_d":"x"}"#);
        assert!(get_ci(&r, "Properties").is_none());
    }

    #[test]
    fn path_descends_into_json_strings() {
        let r = v(
            r#"{"properties":{"requestbody":"{\"Properties\":{\"Scope\":\"/x\",\"L\":[1,{\"k\":\"deep\"}]}}"}}"#,
        );
        let got = get_path(&r, &["Properties", "RequestBody", "properties", "scope"]).unwrap();
        assert_eq!(got.as_str(), Some("/x"));
        let got = get_path(
            &r,
            &["properties", "requestbody", "Properties", "L", "1", "k"],
        )
        .unwrap();
        assert_eq!(got.as_str(), Some("deep"));
        assert!(get_path(&r, &["properties", "nope"]).is_none());
    }

    #[test]
    fn trim_matches_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\u{a0}x\u{2003}",
            "x\t",
            "\u{e9}t\u{e9}",
            "a b",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn scalars_as_text() {
        let r = v(r#"{"a":4,"b":"4","c":true,"d":null,"e":1.5}"#);
        assert_eq!(string_of(get_ci(&r, "a").unwrap()).as_deref(), Some("4"));
        assert_eq!(string_of(get_ci(&r, "b").unwrap()).as_deref(), Some("4"));
        assert_eq!(string_of(get_ci(&r, "c").unwrap()).as_deref(), Some("true"));
        assert!(string_of(get_ci(&r, "d").unwrap()).is_none());
        assert_eq!(string_of(get_ci(&r, "e").unwrap()).as_deref(), Some("1.5"));
    }

    proptest::proptest! {
        #[test]
        fn fields_agree_with_get_ci(keys in proptest::collection::vec("[A-Za-z_ ]{0,8}(\\[UTC\\])?", 0..6), wanted in "[A-Za-z_]{0,8}") {
            let mut obj = sonic_rs::Object::new();
            for (i, k) in keys.iter().enumerate() {
                obj.insert(k, Value::from(i as u64));
            }
            let v = Value::from(obj);
            let f = Fields::of(&v);
            let a = f.member(&wanted).map(|x| x.as_u64());
            let b = get_ci(&v, &wanted).map(|x| x.as_u64());
            // Either may pick another of several loose matches; both must agree on presence.
            proptest::prop_assert_eq!(a.is_some(), b.is_some());
        }

        #[test]
        fn trim_agrees_with_str_trim(s in "\\PC*") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn loose_match_never_panics(a in "\\PC*", b in "\\PC*") {
            let _ = eq_loose(&a, &b);
        }
    }

    proptest::proptest! {
        /// Several names in one walk find exactly what a lookup each finds.
        #[test]
        fn get_ci_many_agrees_with_get_ci(
            keys in proptest::collection::vec("(value|Value|VALUE|_value|localized_?[Vv]alue|LocalizedValue|valu|x_y|[Aa]ction|scope)( \\[UTC\\])?", 0..6)
        ) {
            let mut obj = sonic_rs::Object::new();
            for (i, k) in keys.iter().enumerate() {
                obj.insert(k, Value::from(i as u64));
            }
            let v = Value::from(obj);
            let wanted = ["value", "localizedValue", "action", "scope_x", "Value"];
            let many = get_ci_many(&v, wanted);
            for (i, key) in wanted.iter().enumerate() {
                let a = many[i].and_then(|x| x.as_u64());
                let b = get_ci(&v, key).and_then(|x| x.as_u64());
                proptest::prop_assert_eq!(a, b, "{}", key);
            }
        }
    }

    proptest::proptest! {
        /// The byte-first comparison answers as `eq_ignore_ascii_case`.
        #[test]
        fn eq_exact_is_ascii_case_insensitive_equality(a in "[aAbB/é_]{0,6}", b in "[aAbB/é_]{0,6}") {
            proptest::prop_assert_eq!(eq_exact(&a, &b), a.eq_ignore_ascii_case(&b));
            proptest::prop_assert!(eq_exact(&a, &a.to_ascii_uppercase()));
        }
    }

    proptest::proptest! {
        /// The word-at-a-time test answers as a byte loop, at every length and position
        /// (bytes next to `_` and space — `^`, `!`, `\x1f`, `\x7f`, `\xdf` — included).
        #[test]
        fn underscore_or_space_test_matches_a_byte_loop(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![b'_', b' ', b'^', b'!', 0x1f, 0x7f, 0xdf, 0x5e, 0xa0, 0]),
                proptest::num::u8::ANY,
                b'a'..=b'z',
            ], 0..40)
        ) {
            let expected = bytes.iter().any(|c| *c == b'_' || *c == b' ');
            proptest::prop_assert_eq!(has_underscore_or_space(&bytes), expected);
        }
    }

    #[test]
    fn underscore_or_space_is_found_at_every_position() {
        for len in 1..=33 {
            for at in 0..len {
                for c in [b'_', b' '] {
                    let mut b = vec![b'a'; len];
                    b[at] = c;
                    assert!(has_underscore_or_space(&b), "{len} {at} {c}");
                }
            }
            assert!(!has_underscore_or_space(&vec![b'^'; len]));
        }
    }
}
