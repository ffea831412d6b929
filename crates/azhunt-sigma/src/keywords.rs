//! One search for every keyword (field-less) literal of a rule set.
//!
//! A keyword search asks whether any string of the record contains a literal, case-insensitively.
//! Tested rule by rule, each keyword rule walks every string of every record again. A rule set
//! instead collects the literals of all its keyword items into one searcher ([`Searcher`]) and,
//! the first time a record needs a keyword answer, scans the record once, noting which literals
//! occur; each keyword item then reads its answer off that bit set.
//!
//! The scan has two paths with the same answer:
//! - **JSON text** ([`Document::raw_json`]): when the record's JSON is ASCII and its only escapes
//!   are `\" \\ \b \f \n \r \t`, a literal free of quotes, backslashes and control characters
//!   occurs in a decoded string value exactly when it occurs in the JSON text inside that
//!   string's token (an escape inside the match would have to produce one of those characters).
//!   The text is lower-cased in one pass, searched once, and every hit is checked to lie inside a
//!   string that is a value, not a key.
//! - **Values**: otherwise every string is folded exactly as the per-value path folds it, joined
//!   by `'\n'` (no indexed literal contains one, so no match can span two values), and searched.
//!
//! Literals are stored folded, as every case-insensitive pattern is; every occurrence is
//! reported, so a literal inside or overlapping another literal's match is found too. Items that are not plain
//! OR-lists of literals (`all`, negated lists, regexes, wildcards in the middle) keep the
//! per-value path, as does a rule evaluated on its own with [`crate::Rule::is_match`].

use crate::Document;
use crate::matcher::{FieldItem, FieldTest, Search, StrKind, ValueMatcher};
use crate::rule::Rule;
use crate::text::fold_append;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::Arc;

/// How the folded text is searched.
#[derive(Debug)]
enum Searcher {
    /// SIMD multi-literal search (Teddy) for one anchor of each literal — a short window of it,
    /// chosen to be rare — each match checked against the literals anchored there. The search
    /// resumes one byte after each match's start, so every position where an anchor starts is
    /// reported; it is exact when no anchor is a prefix of another (two anchors starting at one
    /// position would otherwise report only one).
    Anchored {
        teddy: aho_corasick::packed::Searcher,
        /// Per anchor: (literal, offset of the anchor in it).
        anchors: Vec<Vec<(usize, usize)>>,
        literals: Vec<String>,
    },
    /// Every overlapping match, for literal sets where one can hide another.
    Automaton(AhoCorasick),
}

/// Length of an anchor window: Teddy fingerprints at most the first three bytes of a pattern,
/// so a longer window only lengthens its check, and the rarest three bytes make the fewest
/// candidates.
const ANCHOR: usize = 3;

/// A rough rank of how common a byte is in folded Azure JSON (higher is more common): letters
/// by English frequency, path punctuation, then JSON punctuation and digits.
fn rank(b: u8) -> u32 {
    const LETTERS: &[u8] = b"zqjxkvbpygfwmucldrhsnioate";
    match b {
        b'a'..=b'z' => LETTERS
            .iter()
            .position(|c| *c == b)
            .map_or(30, |i| i as u32 + 4),
        b'/' | b'.' | b'-' => 20,
        b'"' | b':' | b',' | b' ' | b'0'..=b'9' => 32,
        _ => 2,
    }
}

/// Words that fill folded Azure records (member names, resource-id segments, operation
/// verbs): a window inside one of them would be a candidate in nearly every record.
const COMMON_WORDS: &[&str] = &[
    "microsoft.",
    "authorization",
    "/subscriptions/",
    "/resourcegroups/",
    "/providers/",
    "properties",
    "operationname",
    "compute",
    "network",
    "storage",
    "accounts",
    "/write",
    "/action",
    "/delete",
    "/read",
    "succeeded",
    "started",
    "accepted",
    "administrative",
    "localizedvalue",
    "eventtimestamp",
    "correlationid",
    "claims",
    "http",
    "schemas",
    "identity",
    "caller",
    "status",
    "category",
    "informational",
    "resourceid",
    "tenantid",
    "evidence",
    "principal",
    "scope",
    "management",
    "resources",
    "entity",
    "ipaddress",
    "useragent",
    "request",
    "response",
];

/// How poor a window is as an anchor: its bytes' [`rank`]s, plus a penalty when a
/// [`COMMON_WORDS`] word contains it.
fn score(w: &[u8]) -> u32 {
    let base: u32 = w.iter().map(|c| rank(*c)).sum();
    let common = COMMON_WORDS
        .iter()
        .any(|word| word.as_bytes().windows(w.len()).any(|x| x == w));
    if common { base + 100 } else { base }
}

/// The rarest window of a literal by [`score`], on character boundaries: (offset, length).
fn window(lit: &str) -> (usize, usize) {
    let b = lit.as_bytes();
    let len = b.len().min(ANCHOR);
    (0..=b.len() - len)
        .filter(|&i| lit.is_char_boundary(i) && lit.is_char_boundary(i + len))
        .min_by_key(|&i| score(&b[i..i + len]))
        .map_or((0, b.len()), |i| (i, len))
}

/// Anchors for `patterns` (their rarest windows) with the Teddy searcher over them, when no
/// anchor is a prefix of another.
fn anchored(patterns: &[String]) -> Option<Searcher> {
    let mut names: Vec<String> = Vec::new();
    let mut anchors: Vec<Vec<(usize, usize)>> = Vec::new();
    for (lit, p) in patterns.iter().enumerate() {
        let (off, len) = window(p);
        let w = p.get(off..off + len)?;
        match names.iter().position(|n| n == w) {
            Some(i) => anchors[i].push((lit, off)),
            None => {
                names.push(w.to_string());
                anchors.push(vec![(lit, off)]);
            }
        }
    }
    let prefix = names.iter().enumerate().any(|(i, a)| {
        names
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && b.starts_with(a.as_str()))
    });
    if prefix {
        return None;
    }
    let teddy = aho_corasick::packed::Config::new()
        .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(&names)
        .build()?;
    Some(Searcher::Anchored {
        teddy,
        anchors,
        literals: patterns.to_vec(),
    })
}

impl Searcher {
    fn build(patterns: &[String]) -> Option<Searcher> {
        anchored(patterns).or_else(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns)
                .ok()
                .map(Searcher::Automaton)
        })
    }

    /// Calls `f(literal, start)` for every occurrence of a literal in `hay`.
    fn each(&self, hay: &[u8], f: &mut dyn FnMut(usize, usize)) {
        match self {
            Searcher::Anchored {
                teddy,
                anchors,
                literals,
            } => {
                let mut at = 0;
                while let Some(m) = teddy.find_in(hay, aho_corasick::Span::from(at..hay.len())) {
                    at = m.start() + 1;
                    for &(lit, off) in anchors.get(m.pattern().as_usize()).into_iter().flatten() {
                        let Some(start) = m.start().checked_sub(off) else {
                            continue;
                        };
                        let whole = literals.get(lit).map(String::as_bytes);
                        if whole.is_some_and(|w| hay.get(start..).is_some_and(|h| h.starts_with(w)))
                        {
                            f(lit, start);
                        }
                    }
                }
            }
            Searcher::Automaton(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    f(m.pattern().as_usize(), m.start());
                }
            }
        }
    }
}

/// The shared searcher over the folded keyword literals of a rule set; literal id = bit.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    searcher: Searcher,
    words: usize,
    /// No literal holds a quote, backslash or control character: the JSON-text path is exact.
    text_safe: bool,
}

/// A keyword item's share of the index: the bits of its literals.
#[derive(Debug, Clone)]
pub(crate) struct KeywordSlot {
    pub(crate) index: Arc<KeywordIndex>,
    pub(crate) bits: Vec<u32>,
}

/// Per-thread state: which record the bit set describes.
#[derive(Debug, Default)]
pub(crate) struct KeywordScratch {
    /// Bumped by [`crate::RuleSet`] for every record it evaluates.
    record: u64,
    /// Inside a rule set's evaluation (else keyword items take the per-value path).
    active: bool,
    computed_for: u64,
    owner: usize,
    hits: Vec<u64>,
    /// The folded strings searched (kept for its capacity).
    text: String,
    /// The lower-cased JSON text searched (kept for its capacity).
    json: Vec<u8>,
}

impl KeywordScratch {
    /// Marks the start of one record's evaluation by a rule set.
    pub(crate) fn begin(&mut self) {
        self.record = self.record.wrapping_add(1);
        self.active = true;
    }

    pub(crate) fn end(&mut self) {
        self.active = false;
    }
}

impl KeywordSlot {
    /// The item's answer from the record's bit set, or `None` outside a rule-set evaluation.
    pub(crate) fn hit(&self, doc: &dyn Document, s: &mut KeywordScratch) -> Option<bool> {
        if !s.active {
            return None;
        }
        let owner = Arc::as_ptr(&self.index) as usize;
        if s.computed_for != s.record || s.owner != owner {
            self.index.scan(doc, &mut s.hits, &mut s.text, &mut s.json);
            s.computed_for = s.record;
            s.owner = owner;
        }
        Some(self.bits.iter().any(|&b| is_set(&s.hits, b as usize)))
    }
}

impl KeywordIndex {
    fn scan(&self, doc: &dyn Document, hits: &mut Vec<u64>, buf: &mut String, hay: &mut Vec<u8>) {
        hits.clear();
        hits.resize(self.words, 0);
        buf.clear();
        match doc.raw_json() {
            Some(json) if self.text_safe && plain_json(json) => {
                doc.extra_text(&mut |t: &str| push_folded(buf, t));
                // ASCII: folding is lower-casing, and positions stay those of `json`. Searched
                // as bytes: the text was checked to be ASCII, so no UTF-8 validation is needed.
                hay.clear();
                hay.extend_from_slice(buf.as_bytes());
                let extra = hay.len();
                // Copied and lower-cased in one vectorized pass.
                hay.extend(json.iter().map(u8::to_ascii_lowercase));
                let mut strings = StringTokens::new(json);
                self.searcher.each(hay, &mut |p, start| {
                    // A settled literal needs no token check; text before `extra` is extra text.
                    if is_set(hits, p) {
                        return;
                    }
                    let hit = match start.checked_sub(extra) {
                        None => true,
                        // The first byte matched is the letter of an escape (`\t` is a tab).
                        Some(at) if escaped(json, at) => false,
                        Some(at) => strings.in_value(at),
                    };
                    if hit {
                        set(hits, p);
                    }
                });
            }
            _ => {
                doc.any_text(&mut |t: &str| push_folded(buf, t));
                self.searcher.each(buf.as_bytes(), &mut |p, _| set(hits, p));
            }
        }
    }
}

fn is_set(bits: &[u64], b: usize) -> bool {
    bits.get(b / 64).is_some_and(|w| w & (1 << (b % 64)) != 0)
}

fn set(bits: &mut [u64], b: usize) {
    if let Some(w) = bits.get_mut(b / 64) {
        *w |= 1 << (b % 64);
    }
}

/// Appends `t` folded and a `'\n'`; never stops the walk.
fn push_folded(buf: &mut String, t: &str) -> bool {
    fold_append(t, buf);
    buf.push('\n');
    false
}

/// ASCII JSON whose escapes are only `\" \\ \b \f \n \r \t` (no `\/`, no `\uXXXX`).
fn plain_json(json: &[u8]) -> bool {
    if !json.is_ascii() {
        return false;
    }
    let mut at = 0;
    while let Some(i) = json.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let i = at + i;
        match json.get(i + 1) {
            Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't') => at = i + 2,
            _ => return false,
        }
    }
    true
}

/// Whether byte `at` of a [`plain_json`] text is the letter of an escape sequence: it follows
/// an odd run of backslashes.
fn escaped(json: &[u8], at: usize) -> bool {
    let before = json.get(..at).unwrap_or_default();
    before.iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1
}

/// Finds the string token around a position of a JSON text, scanning forward once for
/// positions that mostly ascend (restarting from the top when one goes back past the cursor).
struct StringTokens<'a> {
    json: &'a [u8],
    /// Scanned up to here, outside any string.
    pos: usize,
    /// The last token found: (opening quote, closing quote, is a value).
    last: Option<(usize, usize, bool)>,
}

impl<'a> StringTokens<'a> {
    fn new(json: &'a [u8]) -> StringTokens<'a> {
        StringTokens {
            json,
            pos: 0,
            last: None,
        }
    }

    /// Whether byte `p` lies inside a string token that is a value (not an object key).
    fn in_value(&mut self, p: usize) -> bool {
        if let Some((open, close, value)) = self.last
            && open < p
            && p < close
        {
            return value;
        }
        if p < self.pos {
            self.pos = 0;
            self.last = None;
        }
        loop {
            let Some(open) = self
                .json
                .get(self.pos..)
                .and_then(|rest| memchr::memchr(b'"', rest))
                .map(|i| self.pos + i)
            else {
                return false;
            };
            if open >= p {
                return false;
            }
            let Some(close) = self.closing_quote(open + 1) else {
                return false;
            };
            let after = self.json.get(close + 1..).unwrap_or_default();
            let key = after
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| *b == b':');
            self.last = Some((open, close, !key));
            self.pos = close + 1;
            if p < close {
                return !key;
            }
        }
    }

    fn closing_quote(&self, mut at: usize) -> Option<usize> {
        loop {
            let i = at + memchr::memchr2(b'"', b'\\', self.json.get(at..)?)?;
            if self.json.get(i) == Some(&b'"') {
                return Some(i);
            }
            at = i + 2;
        }
    }
}

/// The folded literals of a keyword item that the index can answer for, or `None`.
fn literals(item: &FieldItem) -> Option<Vec<&str>> {
    if item.key.is_some() {
        return None;
    }
    let FieldTest::Values {
        matchers,
        ac: None,
        all: false,
        neq: false,
    } = &item.test
    else {
        return None;
    };
    if matchers.is_empty() {
        return None;
    }
    matchers
        .iter()
        .map(|m| match m {
            ValueMatcher::Str(p) if !p.cased => match &p.kind {
                StrKind::Contains(lit, _) if !lit.is_empty() && !lit.contains('\n') => {
                    Some(lit.as_str())
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn items_mut(rules: &mut [Rule]) -> impl Iterator<Item = &mut FieldItem> {
    rules
        .iter_mut()
        .flat_map(|r| r.searches.iter_mut())
        .flat_map(|s: &mut Search| s.alternatives.iter_mut())
        .flatten()
}

/// Builds the index over `rules` and gives every eligible keyword item its slot. No keyword
/// items (or an automaton that cannot be built) leaves every item on the per-value path.
pub(crate) fn index_keywords(rules: &mut [Rule]) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut per_item: Vec<Option<Vec<u32>>> = Vec::new();
    for item in items_mut(rules) {
        let bits = literals(item).map(|lits| {
            lits.into_iter()
                .map(|l| {
                    *ids.entry(l.to_string()).or_insert_with(|| {
                        patterns.push(l.to_string());
                        (patterns.len() - 1) as u32
                    })
                })
                .collect::<Vec<u32>>()
        });
        per_item.push(bits);
    }
    if patterns.is_empty() {
        return;
    }
    let text_safe = patterns
        .iter()
        .all(|p| !p.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20));
    let Some(searcher) = Searcher::build(&patterns) else {
        return;
    };
    let index = Arc::new(KeywordIndex {
        searcher,
        words: patterns.len().div_ceil(64),
        text_safe,
    });
    for (item, bits) in items_mut(rules).zip(per_item) {
        item.keyword = bits.map(|bits| KeywordSlot {
            index: index.clone(),
            bits,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::one;
    use crate::{FieldKey, JsonDocument, Scalar};
    use proptest::prelude::*;

    /// A JSON document that also offers the text it was parsed from.
    struct WithJson<'a> {
        inner: JsonDocument<'a>,
        json: &'a [u8],
    }

    impl Document for WithJson<'_> {
        fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
            self.inner.any_value(key, f)
        }
        fn has(&self, key: FieldKey) -> bool {
            self.inner.has(key)
        }
        fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
            self.inner.any_text(f)
        }
        fn time_ms(&self) -> i64 {
            0
        }
        fn raw_json(&self) -> Option<&[u8]> {
            Some(self.json)
        }
    }

    /// JSON string token for `s`, each character escaped the way `style` picks (0 plain,
    /// 1 `\uXXXX`, 2 `\/` for slashes); quotes, backslashes and controls always escaped.
    fn token(s: &str, styles: &[u8]) -> String {
        let mut out = String::from("\"");
        for (i, c) in s.chars().enumerate() {
            let style = styles.get(i % styles.len().max(1)).copied().unwrap_or(0);
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '/' if style == 2 => out.push_str("\\/"),
                c if style == 1 && (c as u32) < 0x10000 => {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    fn run(json: &str, yaml: &str) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let (set, r) = one(yaml);
        let v: sonic_rs::Value = sonic_rs::from_str(json).unwrap();
        let plain = JsonDocument::new(&v, &r);
        let with = WithJson {
            inner: JsonDocument::new(&v, &r),
            json: json.as_bytes(),
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        set.matches(&plain, u32::MAX, &mut |i| a.push(i));
        set.matches(&with, u32::MAX, &mut |i| b.push(i));
        let alone = (0..set.len())
            .filter(|&i| set.rule(i).is_some_and(|rule| rule.is_match(&plain)))
            .collect();
        (a, b, alone)
    }

    const TWO: &str = "title: a\ndetection:\n  keywords: ['ab/c', 'x-y']\n  condition: keywords\n---\ntitle: b\ndetection:\n  keywords: [b/cd, 'Kz']\n  condition: keywords\n";
    const QUOTE: &str = "title: q\ndetection:\n  keywords: ['x\"y']\n  condition: keywords\n";

    #[test]
    fn keys_are_not_values_and_overlaps_are_found() {
        // In a key only: no match. Overlapping literals in one value: both rules.
        assert_eq!(run(r#"{"ab/c": 1}"#, TWO).1, Vec::<usize>::new());
        assert_eq!(run(r#"{"k": "xAB/CDy"}"#, TWO).1, vec![0, 1]);
        assert_eq!(run(r#"{"k": ["q", {"n": "AB/c"}]}"#, TWO).1, vec![0]);
        assert_eq!(run(r#"{"a": "x", "b": "-y"}"#, TWO).1, Vec::<usize>::new());
        // A literal with a quote is answered on the value path.
        assert_eq!(run(r#"{"k": "x\"y"}"#, QUOTE).1, vec![0]);
        assert_eq!(run(r#"{"k": "x", "x": "y"}"#, QUOTE).1, Vec::<usize>::new());
        // Escaped slash and \u escapes fall back to the value path, still found.
        assert_eq!(run(r#"{"k": "ab\/c"}"#, TWO).1, vec![0]);
        assert_eq!(run(r#"{"k": "\u0062/cd"}"#, TWO).1, vec![1]);
        // Kelvin sign folds to 'k' on both paths.
        assert_eq!(run("{\"k\": \"\u{212a}z\"}", TWO).1, vec![1]);
    }

    const TMP: &str =
        "title: t\ndetection:\n  keywords: ['tmp/x', 'true']\n  condition: keywords\n";

    #[test]
    fn escape_letters_are_not_text() {
        // `\t` is a tab: "tmp/x" is not in the value; after an escaped backslash it is.
        assert_eq!(run(r#"{"k": "a\tmp/x"}"#, TMP).1, Vec::<usize>::new());
        assert_eq!(run(r#"{"k": "a\\tmp/x"}"#, TMP).1, vec![0]);
        // A key; a value with escapes after the match; `true` as a literal is not a string.
        assert_eq!(run(r#"{"tmp/x": "y"}"#, TMP).1, Vec::<usize>::new());
        assert_eq!(run(r#"{"k": "tmp/x \" \\", "z": 1}"#, TMP).1, vec![0]);
        assert_eq!(run(r#"{"k": true}"#, TMP).1, Vec::<usize>::new());
        assert_eq!(run(r#"{"k": "True"}"#, TMP).1, vec![0]);
    }

    #[test]
    fn anchors_are_rare_windows_and_prefixes_take_the_automaton() {
        // Three bytes, outside the words every record is full of.
        let lit = "microsoft.authorization/roleassignments/write";
        let (off, len) = window(lit);
        let w = &lit[off..off + len];
        assert_eq!(len, ANCHOR);
        assert!(
            !["microsoft.", "authorization", "/write"]
                .iter()
                .any(|c| c.contains(w)),
            "{w}"
        );
        // Windows never split a character; short literals are their own anchor.
        let (off, len) = window("éé");
        assert!("éé".is_char_boundary(off) && "éé".is_char_boundary(off + len));
        assert_eq!(window("ab"), (0, 2));
        let p = ["ab/c".to_string(), "b/cd".to_string()];
        assert!(matches!(
            Searcher::build(&p),
            Some(Searcher::Anchored { .. })
        ));
        // One anchor a prefix of another: two could start at one position.
        let p = ["ab".to_string(), "abc".to_string()];
        assert!(matches!(Searcher::build(&p), Some(Searcher::Automaton(_))));
        // Shifted repeats of an anchor are all tried.
        assert_eq!(run(r#"{"k": "xababay"}"#, ONE_REPEAT).1, vec![0]);
    }

    const ONE_REPEAT: &str =
        "title: r\ndetection:\n  keywords: ['ababay']\n  condition: keywords\n";

    #[test]
    fn string_tokens_tell_values_from_keys() {
        let json = br#"{"ab": "c\"d", "e": ["f", 1], "g" : "h"}"#;
        let mut t = StringTokens::new(json);
        let at = |s: &str| {
            json.windows(s.len())
                .position(|w| w == s.as_bytes())
                .unwrap()
                + 1
        };
        assert!(!t.in_value(at("\"ab")));
        assert!(t.in_value(at("\"c")));
        assert!(t.in_value(at("d\"") - 1));
        assert!(t.in_value(at("\"f")));
        assert!(!t.in_value(at("1]")));
        assert!(!t.in_value(at("\"g")));
        assert!(t.in_value(at("\"h")));
        // Going back restarts the scan.
        assert!(!t.in_value(at("\"e")));
        assert!(plain_json(br#"{"a": "b\"\\\n"}"#));
        assert!(!plain_json(br#"{"a": "b\/"}"#));
        assert!(!plain_json(br#"{"a": "\u0041"}"#));
        assert!(!plain_json("{\"a\": \"é\"}".as_bytes()));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Literals longer than an anchor window over a two-letter alphabet (windows with
        /// borders, shifted and overlapping occurrences), often planted in the values.
        #[test]
        fn windows_find_every_occurrence(
            lits in proptest::collection::vec("[abAB]{9,14}", 1..4),
            vals in proptest::collection::vec(("[ab]{0,12}", any::<bool>(), 0usize..4, "[ab]{0,12}"), 0..4),
        ) {
            let values: Vec<String> = vals
                .iter()
                .map(|(pre, plant, which, post)| {
                    let mid = if *plant { lits[which % lits.len()].to_ascii_uppercase() } else { String::new() };
                    format!("{pre}{mid}{post}")
                })
                .collect();
            let json = format!(
                "{{{}}}",
                values.iter().enumerate().map(|(i, v)| format!("\"k{i}\": \"{v}\"")).collect::<Vec<_>>().join(", ")
            );
            let docs: Vec<String> = lits
                .iter()
                .enumerate()
                .map(|(i, l)| format!("title: t{i}\ndetection:\n  keywords: ['{l}']\n  condition: keywords\n"))
                .collect();
            let (plain, with, alone) = run(&json, &docs.join("---\n"));
            prop_assert_eq!(&plain, &alone);
            prop_assert_eq!(&with, &alone);
        }

        /// With or without the JSON text, and rule by rule, the answers agree.
        #[test]
        fn json_text_path_agrees_with_values(
            members in proptest::collection::vec(
                ("[a-cK/\"]{0,4}", "[a-dAB/ \"\\\\\n\tKént]{0,8}", any::<bool>()), 0..6),
            styles in proptest::collection::vec(0u8..3, 1..4),
            lits in proptest::collection::vec(proptest::collection::vec("[a-dA/ént]{1,3}", 1..3), 1..3),
        ) {
            let body: Vec<String> = members
                .iter()
                .map(|(k, v, nest)| {
                    let v = token(v, &styles);
                    let v = if *nest { format!("{{\"n\": [{v}, 1, null]}}") } else { v };
                    format!("{}: {v}", token(k, &[0]))
                })
                .collect();
            let json = format!("{{{}}}", body.join(", "));
            let docs: Vec<String> = lits
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let l: Vec<String> = l.iter().map(|x| format!("'{}'", x.replace('\'', "''"))).collect();
                    format!("title: t{i}\ndetection:\n  keywords: [{}]\n  condition: keywords\n", l.join(", "))
                })
                .collect();
            let (plain, with, alone) = run(&json, &docs.join("---\n"));
            prop_assert_eq!(&plain, &alone);
            prop_assert_eq!(&with, &alone);
        }
    }
}
