//! String predicates with KQL semantics.
//!
//! `has` matches whole terms: Kusto indexes strings as maximal runs of alphanumeric characters,
//! so `"a-b.c" has "b"` is true but `"abc" has "b"` is false. A needle with inner punctuation
//! (`"microsoft.compute/write"`) matches where it occurs with term boundaries at both of its
//! alphanumeric ends. `hasprefix`/`hassuffix` check one boundary only. Non-`_cs` operators are
//! case-insensitive (Unicode lowercase).

use crate::ast::StrOp;

fn is_term_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Evaluates a string operator (not negated, not regex).
pub(crate) fn str_op(op: StrOp, hay: &str, needle: &str) -> bool {
    match op {
        StrOp::EqCi => eq_ci(hay, needle),
        StrOp::Has => has(hay, needle, false),
        StrOp::HasCs => has(hay, needle, true),
        StrOp::HasPrefix => term_match(hay, needle, false, true, false),
        StrOp::HasPrefixCs => term_match(hay, needle, true, true, false),
        StrOp::HasSuffix => term_match(hay, needle, false, false, true),
        StrOp::HasSuffixCs => term_match(hay, needle, true, false, true),
        StrOp::Contains => lower(hay).contains(&lower(needle)),
        StrOp::ContainsCs => hay.contains(needle),
        StrOp::StartsWith => lower(hay).starts_with(&lower(needle)),
        StrOp::StartsWithCs => hay.starts_with(needle),
        StrOp::EndsWith => lower(hay).ends_with(&lower(needle)),
        StrOp::EndsWithCs => hay.ends_with(needle),
        StrOp::Regex => false,
    }
}

/// Case folding used by the insensitive operators.
pub(crate) fn fold(s: &str) -> String {
    lower(s)
}

fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Case-insensitive equality (`=~`).
pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Whole-term `has`.
pub(crate) fn has(hay: &str, needle: &str, cs: bool) -> bool {
    term_match(hay, needle, cs, true, true)
}

/// Finds `needle` in `hay` with a term boundary before it (`start`) and/or after it (`end`).
/// A boundary is only required where the needle itself begins/ends with a term character.
fn term_match(hay: &str, needle: &str, cs: bool, start: bool, end: bool) -> bool {
    if needle.is_empty() {
        return true;
    }
    let (h, n) = if cs {
        (hay.to_string(), needle.to_string())
    } else {
        (lower(hay), lower(needle))
    };
    let need_start = start && n.chars().next().is_some_and(is_term_char);
    let need_end = end && n.chars().last().is_some_and(is_term_char);
    let mut from = 0;
    while let Some(pos) = h[from..].find(&n) {
        let s = from + pos;
        let e = s + n.len();
        let ok_start = !need_start || h[..s].chars().next_back().is_none_or(|c| !is_term_char(c));
        let ok_end = !need_end || h[e..].chars().next().is_none_or(|c| !is_term_char(c));
        if ok_start && ok_end {
            return true;
        }
        from = s + h[s..].chars().next().map_or(1, char::len_utf8);
        if from > h.len() {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_is_term_based_and_case_insensitive() {
        assert!(has(
            "Microsoft.Compute/virtualMachines/write",
            "compute",
            false
        ));
        assert!(has(
            "Microsoft.Compute/virtualMachines/write",
            "COMPUTE/virtualmachines",
            false
        ));
        assert!(!has(
            "Microsoft.Compute/virtualMachines/write",
            "comp",
            false
        ));
        assert!(!has("abc", "b", false));
        assert!(has("a-b.c", "b", false));
        assert!(!has("Hello", "hello", true));
        assert!(has("Hello world", "Hello", true));
        assert!(has("x listkeys/action", "/action", false));
    }

    #[test]
    fn prefix_suffix_contains() {
        assert!(str_op(StrOp::HasPrefix, "North America", "amer"));
        assert!(!str_op(StrOp::HasPrefix, "North America", "meri"));
        assert!(str_op(StrOp::HasSuffix, "North America", "ica"));
        assert!(str_op(StrOp::Contains, "Hello", "ELL"));
        assert!(!str_op(StrOp::ContainsCs, "Hello", "ELL"));
        assert!(str_op(StrOp::StartsWith, "Hello", "he"));
        assert!(!str_op(StrOp::StartsWithCs, "Hello", "he"));
        assert!(str_op(StrOp::EndsWith, "Hello", "LO"));
        assert!(str_op(StrOp::EqCi, "ÄBC", "äbc"));
    }
}
