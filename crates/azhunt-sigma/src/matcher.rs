//! Compiled field tests and their allocation-free evaluation.
//!
//! A search identifier compiles to an OR of alternatives, each an AND of [`FieldItem`]s. A field
//! item's values are folded to lower case once at load; at match time each document value is
//! folded once into a reusable [`Scratch`] buffer and then compared by plain byte operations
//! (equality, prefix, suffix, memmem, Aho-Corasick for long contains lists); regexes are used only
//! for `re` and for wildcard shapes that are not prefix/suffix/contains.

use crate::keywords::{KeywordScratch, KeywordSlot};
use crate::text::{self, NumBuf, fold_into, scalar_number, scalar_text};
use crate::value::Anchor;
use crate::{Document, FieldKey, Scalar};
use aho_corasick::AhoCorasick;
use memchr::memmem::Finder;
use regex::Regex;

/// Reusable buffers for evaluation; keep one per thread to make matching allocation-free after
/// warm-up. [`crate::RuleSet::matches`] uses a thread-local one.
#[derive(Default, Debug)]
pub struct Scratch {
    pub(crate) fold: String,
    pub(crate) aux: String,
    pub(crate) cands: Vec<u32>,
    pub(crate) keywords: KeywordScratch,
    /// Answers of the index's value tests by operation (see [`crate::prefilter`]).
    pub(crate) values: crate::prefilter::ValueMemo,
}

#[derive(Debug)]
pub(crate) enum StrKind {
    Any,
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String, Box<Finder<'static>>),
    Regex(Regex),
}

impl StrKind {
    pub(crate) fn contains(s: &str) -> StrKind {
        StrKind::Contains(
            s.to_string(),
            Box::new(Finder::new(s.as_bytes()).into_owned()),
        )
    }
}

/// A string comparison; `cased == false` means pattern and value are both folded.
#[derive(Debug)]
pub(crate) struct StrPattern {
    pub(crate) kind: StrKind,
    pub(crate) cased: bool,
}

impl StrPattern {
    fn is_match(&self, t: &str) -> bool {
        match &self.kind {
            StrKind::Any => true,
            StrKind::Exact(p) => t == p,
            StrKind::Prefix(p) => t.starts_with(p.as_str()),
            StrKind::Suffix(p) => t.ends_with(p.as_str()),
            StrKind::Contains(_, f) => f.find(t.as_bytes()).is_some(),
            StrKind::Regex(r) => r.is_match(t),
        }
    }

    /// [`StrPattern::is_match`] of the folded form of an ASCII `t`, without folding it: for an
    /// ASCII text, folding is ASCII lower-casing, and the pattern is already folded. `None` for
    /// kinds that need the folded text itself (containment, regex).
    fn is_match_ascii_unfolded(&self, t: &str) -> Option<bool> {
        let (t, eq) = (t.as_bytes(), |a: &[u8], b: &str| {
            a.eq_ignore_ascii_case(b.as_bytes())
        });
        Some(match &self.kind {
            StrKind::Any => true,
            StrKind::Exact(p) => t.len() == p.len() && eq(t, p),
            StrKind::Prefix(p) => t.len() >= p.len() && eq(&t[..p.len()], p),
            StrKind::Suffix(p) => t.len() >= p.len() && eq(&t[t.len() - p.len()..], p),
            StrKind::Contains(..) | StrKind::Regex(_) => return None,
        })
    }

    /// The folded literal of a case-insensitive equality, for the primary-field index.
    pub(crate) fn exact_literal(&self) -> Option<&str> {
        match &self.kind {
            StrKind::Exact(p) if !self.cased => Some(p),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumOp {
    Lt,
    Lte,
    Gt,
    Gte,
}

/// An IPv4 (in the low 32 bits) or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub(crate) v6: bool,
    pub(crate) net: u128,
    pub(crate) mask: u128,
}

impl Cidr {
    pub(crate) fn parse(s: &str) -> Option<Cidr> {
        let (addr, len) = match s.trim().split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
            None => (s.trim(), None),
        };
        let ip: std::net::IpAddr = addr.parse().ok()?;
        let (v6, bits, width) = match ip {
            std::net::IpAddr::V4(v4) => (false, u128::from(u32::from(v4)), 32),
            std::net::IpAddr::V6(v6) => (true, u128::from(v6), 128),
        };
        let len = len.unwrap_or(width);
        if len > width {
            return None;
        }
        let full: u128 = if width == 32 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        let mask = if len == 0 {
            0
        } else {
            (full >> (width - len)) << (width - len)
        };
        Some(Cidr {
            v6,
            net: bits & mask,
            mask,
        })
    }

    fn contains(&self, s: &str) -> bool {
        match s.trim().parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(a)) if !self.v6 => {
                u128::from(u32::from(a)) & self.mask == self.net
            }
            Ok(std::net::IpAddr::V6(a)) if self.v6 => u128::from(a) & self.mask == self.net,
            _ => false,
        }
    }
}

#[derive(Debug)]
pub(crate) enum ValueMatcher {
    Str(StrPattern),
    /// `re`: matched against the original (unfolded) text; flags are in the regex.
    Re(Regex),
    Num(NumOp, f64),
    Cidr(Cidr),
    /// `fieldref`: this field's value compared with another field's value.
    FieldRef {
        key: FieldKey,
        anchor: Anchor,
        cased: bool,
    },
    /// `null`: the field is absent or null.
    Null,
}

#[derive(Debug)]
pub(crate) enum FieldTest {
    Exists(bool),
    Values {
        matchers: Vec<ValueMatcher>,
        /// Case-insensitive contains literals folded into one automaton (OR only).
        ac: Option<AhoCorasick>,
        all: bool,
        neq: bool,
    },
}

/// One `field|modifiers: values` entry; `key == None` is a keyword (field-less) search.
#[derive(Debug)]
pub(crate) struct FieldItem {
    pub(crate) name: String,
    pub(crate) key: Option<FieldKey>,
    pub(crate) test: FieldTest,
    /// Set by [`crate::RuleSet`] for keyword lists it answers from one shared search.
    pub(crate) keyword: Option<KeywordSlot>,
}

/// A search identifier: OR over alternatives, each an AND of items.
#[derive(Debug)]
pub(crate) struct Search {
    pub(crate) name: String,
    pub(crate) alternatives: Vec<Vec<FieldItem>>,
}

impl Search {
    pub(crate) fn eval(&self, doc: &dyn Document, s: &mut Scratch) -> bool {
        self.alternatives
            .iter()
            .any(|alt| alt.iter().all(|item| item.eval(doc, s)))
    }
}

fn needs_fold(m: &ValueMatcher) -> bool {
    matches!(m, ValueMatcher::Str(p) if !p.cased)
}

impl FieldItem {
    pub(crate) fn eval(&self, doc: &dyn Document, s: &mut Scratch) -> bool {
        let Scratch {
            fold,
            aux,
            keywords,
            ..
        } = s;
        if let Some(slot) = &self.keyword
            && let Some(hit) = slot.hit(doc, keywords)
        {
            return hit;
        }
        match (&self.test, self.key) {
            (FieldTest::Exists(want), Some(k)) => doc.has(k) == *want,
            (FieldTest::Exists(want), None) => !*want,
            (
                FieldTest::Values {
                    matchers,
                    ac,
                    all,
                    neq,
                },
                key,
            ) => {
                // `all` never gets an automaton (see detection), so each matcher is checked alone.
                let hit = if *all {
                    matchers
                        .iter()
                        .all(|m| any_value_hits(doc, key, std::slice::from_ref(m), None, fold, aux))
                } else {
                    any_value_hits(doc, key, matchers, ac.as_ref(), fold, aux)
                };
                if *neq {
                    // "Different from the values": the field is there and none of them match.
                    key.is_some_and(|k| doc.has(k)) && !hit
                } else {
                    hit
                }
            }
        }
    }
}

fn any_value_hits(
    doc: &dyn Document,
    key: Option<FieldKey>,
    matchers: &[ValueMatcher],
    ac: Option<&AhoCorasick>,
    fold: &mut String,
    aux: &mut String,
) -> bool {
    let fold_needed = ac.is_some() || matchers.iter().any(needs_fold);
    match key {
        None => doc.any_text(&mut |t: &str| {
            text_hits(
                doc,
                &Scalar::Str(t),
                Some(t),
                matchers,
                ac,
                fold_needed,
                fold,
                aux,
            )
        }),
        Some(k) => {
            if matchers.iter().any(|m| matches!(m, ValueMatcher::Null)) && !doc.has(k) {
                return true;
            }
            doc.any_value(k, &mut |v: Scalar<'_>| {
                let mut nb: NumBuf = [0; 64];
                let t = scalar_text(&v, &mut nb);
                text_hits(doc, &v, t, matchers, ac, fold_needed, fold, aux)
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn text_hits(
    doc: &dyn Document,
    v: &Scalar<'_>,
    t: Option<&str>,
    matchers: &[ValueMatcher],
    ac: Option<&AhoCorasick>,
    fold_needed: bool,
    fold: &mut String,
    aux: &mut String,
) -> bool {
    // Equality, prefix and suffix tests of an ASCII value need no folded copy of it.
    if let Some(t) = t
        && ac.is_none()
        && t.is_ascii()
    {
        let mut quick = Some(false);
        for m in matchers {
            let hit = match m {
                ValueMatcher::Str(p) if p.cased => Some(p.is_match(t)),
                ValueMatcher::Str(p) => p.is_match_ascii_unfolded(t),
                ValueMatcher::Null => Some(matches!(v, Scalar::Null)),
                _ => None,
            };
            match hit {
                Some(true) => return true,
                Some(false) => {}
                None => {
                    quick = None;
                    break;
                }
            }
        }
        if let Some(result) = quick {
            return result;
        }
    }
    if let Some(t) = t
        && fold_needed
    {
        fold_into(t, fold);
    } else {
        fold.clear();
    }
    if let (Some(ac), Some(_)) = (ac, t)
        && ac.is_match(fold.as_str())
    {
        return true;
    }
    matchers.iter().any(|m| match m {
        ValueMatcher::Null => matches!(v, Scalar::Null),
        ValueMatcher::Num(op, n) => scalar_number(v).is_some_and(|x| match op {
            NumOp::Lt => x < *n,
            NumOp::Lte => x <= *n,
            NumOp::Gt => x > *n,
            NumOp::Gte => x >= *n,
        }),
        ValueMatcher::Str(p) => match t {
            Some(t) if p.cased => p.is_match(t),
            Some(_) => p.is_match(fold),
            None => false,
        },
        ValueMatcher::Re(r) => t.is_some_and(|t| r.is_match(t)),
        ValueMatcher::Cidr(c) => t.is_some_and(|t| c.contains(t)),
        ValueMatcher::FieldRef { key, anchor, cased } => {
            let Some(t) = t else { return false };
            if !*cased && fold_needed {
                // `fold` already holds this value folded.
            } else if !*cased {
                fold_into(t, fold);
            }
            let mine: &str = if *cased { t } else { fold.as_str() };
            doc.any_value(*key, &mut |o: Scalar<'_>| {
                let mut nb: NumBuf = [0; 64];
                let Some(other) = scalar_text(&o, &mut nb) else {
                    return false;
                };
                let other: &str = if *cased {
                    other
                } else {
                    text::fold_into(other, aux);
                    aux.as_str()
                };
                match anchor {
                    Anchor::Whole => mine == other,
                    Anchor::Start => mine.starts_with(other),
                    Anchor::End => mine.ends_with(other),
                    Anchor::Anywhere => mine.contains(other),
                }
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_v4_and_v6() {
        let c = Cidr::parse("10.0.0.0/8").unwrap_or(Cidr {
            v6: true,
            net: 1,
            mask: 0,
        });
        assert!(c.contains("10.1.2.3"));
        assert!(!c.contains("11.1.2.3"));
        assert!(!c.contains("::1"));
        let c6 = Cidr::parse("2001:db8::/32").unwrap_or(Cidr {
            v6: false,
            net: 1,
            mask: 0,
        });
        assert!(c6.contains("2001:db8:1::5"));
        assert!(!c6.contains("2001:db9::5"));
        assert!(!c6.contains("10.0.0.1"));
        let all = Cidr::parse("0.0.0.0/0").unwrap_or(Cidr {
            v6: true,
            net: 1,
            mask: 0,
        });
        assert!(all.contains("8.8.8.8"));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("nonsense").is_none());
        let host = Cidr::parse("1.2.3.4").unwrap_or(Cidr {
            v6: true,
            net: 1,
            mask: 0,
        });
        assert!(host.contains("1.2.3.4") && !host.contains("1.2.3.5"));
    }
}
