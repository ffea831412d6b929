//! The Sigma condition language: `and`, `or`, `not`, parentheses, `1 of`/`any of`/`all of`/
//! `N of` over identifier patterns or `them`, with precedence not > and > or. Parsed once at load
//! into a small tree over search-identifier indices and evaluated without allocating.

use crate::Document;
use crate::error::ErrorKind;
use crate::matcher::{Scratch, Search};

/// Nesting limit of the parser (guards the stack on hostile input).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    Search(u32),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    /// At least `n` of the listed searches (`N of pattern` with N > 1).
    AtLeast(u32, Vec<u32>),
}

impl Cond {
    pub(crate) fn eval(&self, searches: &[Search], doc: &dyn Document, s: &mut Scratch) -> bool {
        let hit =
            |i: &u32, s: &mut Scratch| searches.get(*i as usize).is_some_and(|x| x.eval(doc, s));
        match self {
            Cond::Search(i) => hit(i, s),
            Cond::Not(c) => !c.eval(searches, doc, s),
            Cond::And(cs) => cs.iter().all(|c| c.eval(searches, doc, s)),
            Cond::Or(cs) => cs.iter().any(|c| c.eval(searches, doc, s)),
            Cond::AtLeast(n, ids) => {
                let mut count = 0u32;
                for i in ids {
                    if hit(i, s) {
                        count += 1;
                        if count >= *n {
                            return true;
                        }
                    }
                }
                false
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    LParen,
    RParen,
    Word(&'a str),
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok<'_>)>, (usize, String)> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'(' {
            out.push((i, Tok::LParen));
            i += 1;
        } else if c == b')' {
            out.push((i, Tok::RParen));
            i += 1;
        } else if c == b'|' {
            return Err((i, "aggregation expressions ('| count() ...') are not supported; use a correlation rule".into()));
        } else {
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'(' | b')' | b'|')
            {
                i += 1;
            }
            out.push((start, Tok::Word(&src[start..i])));
        }
    }
    Ok(out)
}

struct Parser<'a, 'n> {
    src: &'a str,
    toks: Vec<(usize, Tok<'a>)>,
    pos: usize,
    names: &'n [String],
}

fn is_kw(w: &str, kw: &str) -> bool {
    w.eq_ignore_ascii_case(kw)
}

/// Does an identifier pattern with `*` wildcards match `name`?
fn glob(pat: &str, name: &str) -> bool {
    let mut parts = pat.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    if pieces.is_empty() {
        return rest.is_empty();
    }
    for (i, p) in pieces.iter().enumerate() {
        if i == pieces.len() - 1 {
            return rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    true
}

impl<'a> Parser<'a, '_> {
    fn err(&self, reason: impl Into<String>) -> ErrorKind {
        let offset = self.toks.get(self.pos).map_or(self.src.len(), |t| t.0);
        ErrorKind::ConditionSyntax {
            condition: self.src.to_string(),
            offset,
            reason: reason.into(),
        }
    }

    fn peek_word(&self) -> Option<&'a str> {
        match self.toks.get(self.pos) {
            Some((_, Tok::Word(w))) => Some(w),
            _ => None,
        }
    }

    fn or(&mut self, depth: usize) -> Result<Cond, ErrorKind> {
        if depth > MAX_DEPTH {
            return Err(self.err("condition nested too deeply"));
        }
        let mut items = vec![self.and(depth)?];
        while self.peek_word().is_some_and(|w| is_kw(w, "or")) {
            self.pos += 1;
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Cond, ErrorKind> {
        let mut items = vec![self.not(depth)?];
        while self.peek_word().is_some_and(|w| is_kw(w, "and")) {
            self.pos += 1;
            items.push(self.not(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::And(items)
        })
    }

    fn not(&mut self, depth: usize) -> Result<Cond, ErrorKind> {
        if depth > MAX_DEPTH {
            return Err(self.err("condition nested too deeply"));
        }
        if self.peek_word().is_some_and(|w| is_kw(w, "not")) {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.not(depth + 1)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Cond, ErrorKind> {
        match self.toks.get(self.pos).cloned() {
            None => Err(self.err("unexpected end of condition")),
            Some((_, Tok::RParen)) => Err(self.err("unexpected ')'")),
            Some((_, Tok::LParen)) => {
                self.pos += 1;
                let inner = self.or(depth + 1)?;
                match self.toks.get(self.pos) {
                    Some((_, Tok::RParen)) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(self.err("missing ')'")),
                }
            }
            Some((_, Tok::Word(w))) => {
                let next_is_of = matches!(self.toks.get(self.pos + 1), Some((_, Tok::Word(n))) if is_kw(n, "of"));
                if next_is_of {
                    return self.quantified(w);
                }
                if ["and", "or", "not", "of"].iter().any(|k| is_kw(w, k)) {
                    return Err(self.err(format!("unexpected '{w}'")));
                }
                self.pos += 1;
                match self.names.iter().position(|n| n == w) {
                    Some(i) => Ok(Cond::Search(i as u32)),
                    None => Err(ErrorKind::UndefinedIdentifier(w.to_string())),
                }
            }
        }
    }

    fn quantified(&mut self, quant: &'a str) -> Result<Cond, ErrorKind> {
        enum Q {
            Any,
            All,
            AtLeast(u32),
        }
        let q = if is_kw(quant, "all") {
            Q::All
        } else if is_kw(quant, "any") {
            Q::Any
        } else {
            match quant.parse::<u32>() {
                Ok(1) => Q::Any,
                Ok(n) if n > 1 => Q::AtLeast(n),
                _ => {
                    return Err(self.err(format!(
                        "'{quant}' is not a quantifier (use 1, any, all or a number)"
                    )));
                }
            }
        };
        self.pos += 2;
        let target = self
            .peek_word()
            .ok_or_else(|| self.err("expected a search-identifier pattern or 'them' after 'of'"))?;
        self.pos += 1;
        let ids: Vec<u32> = if is_kw(target, "them") {
            (0..self.names.len())
                .filter(|&i| !self.names[i].starts_with('_'))
                .map(|i| i as u32)
                .collect()
        } else {
            (0..self.names.len())
                .filter(|&i| glob(target, &self.names[i]))
                .map(|i| i as u32)
                .collect()
        };
        if ids.is_empty() {
            return Err(ErrorKind::EmptyPattern(target.to_string()));
        }
        let leaves = ids.iter().map(|&i| Cond::Search(i));
        Ok(match q {
            Q::Any if ids.len() == 1 => Cond::Search(ids[0]),
            Q::All if ids.len() == 1 => Cond::Search(ids[0]),
            Q::Any => Cond::Or(leaves.collect()),
            Q::All => Cond::And(leaves.collect()),
            Q::AtLeast(n) => Cond::AtLeast(n, ids),
        })
    }
}

/// Parses one condition string against the rule's search-identifier names.
pub(crate) fn parse(src: &str, names: &[String]) -> Result<Cond, ErrorKind> {
    let toks = tokenize(src).map_err(|(offset, reason)| ErrorKind::ConditionSyntax {
        condition: src.to_string(),
        offset,
        reason,
    })?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        names,
    };
    let c = p.or(0)?;
    if p.pos < p.toks.len() {
        return Err(p.err("unexpected trailing input"));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        [
            "selection",
            "selection_b",
            "filter_a",
            "filter_b",
            "_hidden",
            "keywords",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn p(s: &str) -> Result<Cond, ErrorKind> {
        parse(s, &names())
    }

    #[test]
    fn precedence_not_and_or() {
        let c = p("selection or selection_b and not filter_a");
        let want = Cond::Or(vec![
            Cond::Search(0),
            Cond::And(vec![Cond::Search(1), Cond::Not(Box::new(Cond::Search(2)))]),
        ]);
        assert_eq!(c, Ok(want));
        let c = p("(selection or selection_b) and filter_a");
        assert_eq!(
            c,
            Ok(Cond::And(vec![
                Cond::Or(vec![Cond::Search(0), Cond::Search(1)]),
                Cond::Search(2)
            ]))
        );
    }

    #[test]
    fn quantifiers() {
        assert_eq!(
            p("1 of filter_*"),
            Ok(Cond::Or(vec![Cond::Search(2), Cond::Search(3)]))
        );
        assert_eq!(
            p("any of filter_*"),
            Ok(Cond::Or(vec![Cond::Search(2), Cond::Search(3)]))
        );
        assert_eq!(
            p("all of filter_*"),
            Ok(Cond::And(vec![Cond::Search(2), Cond::Search(3)]))
        );
        assert_eq!(p("2 of sel*"), Ok(Cond::AtLeast(2, vec![0, 1])));
        assert_eq!(p("1 of selection"), Ok(Cond::Search(0)));
        match p("all of them") {
            Ok(Cond::And(v)) => assert_eq!(v.len(), 5, "underscore identifiers are excluded"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            p("not 1 of filter*"),
            Ok(Cond::Not(Box::new(Cond::Or(vec![
                Cond::Search(2),
                Cond::Search(3)
            ]))))
        );
        assert!(matches!(
            p("1 of nothing*"),
            Err(ErrorKind::EmptyPattern(_))
        ));
        assert!(
            glob("*_b", "selection_b") && glob("s*on", "selection") && !glob("s*x", "selection")
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            p("selection and sel2"),
            Err(ErrorKind::UndefinedIdentifier("sel2".into()))
        );
        for bad in [
            "",
            "selection and",
            "(selection",
            "selection)",
            "and selection",
            "selection selection_b",
            "0 of them",
            "1 of",
        ] {
            assert!(
                matches!(p(bad), Err(ErrorKind::ConditionSyntax { .. })),
                "{bad}: {:?}",
                p(bad)
            );
        }
        assert!(matches!(
            p("selection | count() > 5"),
            Err(ErrorKind::ConditionSyntax { .. })
        ));
        let deep = format!("{}selection{}", "(".repeat(500), ")".repeat(500));
        assert!(p(&deep).is_err());
        let deep_not = format!("{}selection", "not ".repeat(500));
        assert!(p(&deep_not).is_err());
        assert_eq!(
            p("SELECTION"),
            Err(ErrorKind::UndefinedIdentifier("SELECTION".into()))
        );
        assert_eq!(
            p("selection AND NOT filter_a"),
            Ok(Cond::And(vec![
                Cond::Search(0),
                Cond::Not(Box::new(Cond::Search(2)))
            ]))
        );
    }
}
