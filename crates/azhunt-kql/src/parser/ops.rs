//! Tabular operators (`| where`, `| summarize`, `| join`, …).
//!
//! Each operator's grammar is parsed into [`OpKind`]; options that do not change results
//! (`hint.*`, `render` arguments) are accepted and dropped so real-world queries parse.

use super::Parser;
use crate::ast::{Assign, Expr, JoinKind, MvItem, Op, OpKind, ParsePart, SortKey};
use crate::error::{ErrorKind, KqlError, Result};
use crate::lexer::Tok;
use crate::value::Type;

const OPERATORS: &str = "a tabular operator (where, project, extend, summarize, join, ...)";

impl Parser {
    pub(crate) fn op(&mut self) -> Result<Op> {
        let offset = self.offset();
        let Tok::Ident(w) = self.peek().clone() else {
            return Err(self.err(OPERATORS));
        };
        self.bump();
        let kind = match w.as_str() {
            "where" | "filter" => OpKind::Where(self.expr()?),
            "project" => OpKind::Project(self.assigns()?),
            "project-away" => OpKind::ProjectAway(self.patterns()?),
            "project-keep" => OpKind::ProjectKeep(self.patterns()?),
            "project-reorder" => OpKind::ProjectReorder(self.patterns()?),
            "project-rename" => {
                let mut v = Vec::new();
                loop {
                    let new = self.name("a new column name")?;
                    self.expect_punct("=")?;
                    let old = self.name("a column name")?;
                    v.push((new, old));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                OpKind::ProjectRename(v)
            }
            "extend" => OpKind::Extend(self.assigns()?),
            "summarize" => {
                self.hints();
                let aggs = if self.is_ident("by") {
                    Vec::new()
                } else {
                    self.assigns()?
                };
                let by = if self.eat_ident("by") {
                    self.assigns()?
                } else {
                    Vec::new()
                };
                OpKind::Summarize(aggs, by)
            }
            "sort" | "order" => {
                self.expect_ident_word("by")?;
                let mut keys = Vec::new();
                loop {
                    keys.push(self.sort_key()?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                OpKind::Sort(keys)
            }
            "top" => {
                let n = self.expr()?;
                self.expect_ident_word("by")?;
                OpKind::Top(n, self.sort_key()?)
            }
            "take" | "limit" | "sample" => OpKind::Take(self.expr()?),
            "distinct" => {
                if self.eat_punct("*") {
                    OpKind::Distinct(Vec::new())
                } else {
                    OpKind::Distinct(self.assigns()?)
                }
            }
            "count" => OpKind::Count,
            "join" => {
                let mut kind = JoinKind::InnerUnique;
                loop {
                    if self.is_ident("kind") {
                        self.bump();
                        self.expect_punct("=")?;
                        let koff = self.offset();
                        let k = self.name("a join kind")?;
                        kind = join_kind(&k).ok_or_else(|| {
                            KqlError::new(
                                ErrorKind::Parse,
                                koff,
                                format!("unknown join kind '{k}'"),
                            )
                        })?;
                    } else if !self.hints() {
                        break;
                    }
                }
                let right = self.join_right()?;
                let keys = self.join_keys()?;
                OpKind::Join(kind, Box::new(right), keys)
            }
            "lookup" => {
                let mut outer = true;
                if self.eat_ident("kind") {
                    self.expect_punct("=")?;
                    outer = self.name("a lookup kind")? != "inner";
                }
                self.hints();
                let right = self.join_right()?;
                let keys = self.join_keys()?;
                OpKind::Lookup(outer, Box::new(right), keys)
            }
            "union" => OpKind::Union(self.union_body()?),
            "mv-expand" | "mvexpand" => {
                let items = self.mv_items()?;
                let limit = if self.eat_ident("limit") {
                    match self.bump() {
                        Tok::Int(i) => Some(i),
                        _ => return Err(self.err("a row limit")),
                    }
                } else {
                    None
                };
                OpKind::MvExpand(items, limit)
            }
            "mv-apply" => {
                let items = self.mv_items()?;
                self.expect_ident_word("on")?;
                self.expect_punct("(")?;
                let mut ops = vec![self.op()?];
                while self.eat_punct("|") {
                    ops.push(self.op()?);
                }
                self.expect_punct(")")?;
                OpKind::MvApply(items, ops)
            }
            "parse" => self.parse_op()?,
            "parse-where" => match self.parse_op()? {
                OpKind::Parse(r, e, p) => OpKind::ParseWhere(r, e, p),
                other => other,
            },
            "search" if !self.is_ident("in") => {
                let cs = if self.is_ident("kind") && matches!(self.peek_at(1), Tok::Punct("=")) {
                    self.bump();
                    self.bump();
                    self.name("a search kind")? == "case_sensitive"
                } else {
                    false
                };
                let off = self.offset();
                let pred = self.expr()?;
                OpKind::Where(match pred {
                    Expr::Lit(v) => search_term(&v.to_kql_string(), cs, off),
                    other => other,
                })
            }
            "render" | "as" | "serialize" | "project-smart" => {
                if w == "serialize" && !self.at_op_end() {
                    OpKind::Extend(self.assigns()?)
                } else {
                    self.skip_to_op_end()?;
                    OpKind::PassThrough
                }
            }
            "getschema" => OpKind::GetSchema,
            "evaluate" => {
                self.hints();
                let (name, args) = self.named_call("a plugin name")?;
                self.skip_to_op_end()?;
                OpKind::Evaluate(name, args)
            }
            "make-series" => self.make_series()?,
            "invoke" => {
                let (name, args) = self.named_call("a function name")?;
                OpKind::Invoke(name, args)
            }
            "top-nested" | "top-hitters" | "parse-kv" | "search" | "find" | "facet" | "fork"
            | "partition" | "scan" | "reduce" | "sample-distinct" => {
                self.skip_to_op_end()?;
                OpKind::Unsupported(w)
            }
            _ => {
                return Err(KqlError::new(
                    ErrorKind::Parse,
                    offset,
                    format!("expected {OPERATORS}, found '{w}'"),
                ));
            }
        };
        Ok(Op { kind, offset })
    }

    /// `name` or `name(args)` after `evaluate` / `invoke`.
    fn named_call(&mut self, what: &str) -> Result<(String, Vec<Expr>)> {
        let name = self.name(what)?;
        let args = if self.is_punct("(") {
            match self.postfix_call(name.clone())? {
                Expr::Call(_, a, _) => a,
                _ => Vec::new(),
            }
        } else {
            Vec::new()
        };
        Ok((name, args))
    }

    fn postfix_call(&mut self, name: String) -> Result<Expr> {
        let off = self.offset();
        self.ident_primary_call(name, off)
    }

    pub(super) fn ident_primary_call(&mut self, name: String, off: usize) -> Result<Expr> {
        self.expect_punct("(")?;
        let args = self.call_args()?;
        Ok(Expr::Call(name, args, off))
    }

    fn at_op_end(&self) -> bool {
        matches!(
            self.peek(),
            Tok::Eof | Tok::Punct("|") | Tok::Punct(";") | Tok::Punct(")") | Tok::Punct("}")
        )
    }

    /// Skips tokens (balancing parentheses) up to the next `|`, `;`, `)` or end.
    fn skip_to_op_end(&mut self) -> Result<()> {
        while !self.at_op_end() {
            if self.is_punct("(") {
                self.skip_balanced()?;
            } else {
                self.bump();
            }
        }
        Ok(())
    }

    /// Skips `hint.x = y` / `kind = ...`-style options other than join kind; true if one was eaten.
    fn hints(&mut self) -> bool {
        let mut any = false;
        while matches!(self.peek(), Tok::Ident(w) if w.starts_with("hint"))
            && matches!(self.peek_at(1), Tok::Punct(".") | Tok::Punct("="))
        {
            any = true;
            while !matches!(self.peek(), Tok::Punct("=") | Tok::Eof) {
                self.bump();
            }
            self.bump();
            self.bump();
        }
        any
    }

    /// `name = expr, expr, (a, b) = expr, ...`
    pub(crate) fn assigns(&mut self) -> Result<Vec<Assign>> {
        let mut v = vec![self.assign()?];
        while self.eat_punct(",") {
            v.push(self.assign()?);
        }
        Ok(v)
    }

    /// `name = expr`, `(a, b) = expr` or a bare `expr`.
    pub(crate) fn assign(&mut self) -> Result<Assign> {
        let single_name = (matches!(self.peek(), Tok::Ident(_))
            && matches!(self.peek_at(1), Tok::Punct("=")))
            || (matches!(self.peek(), Tok::Punct("["))
                && matches!(self.peek_at(1), Tok::Str(_))
                && matches!(self.peek_at(2), Tok::Punct("]"))
                && matches!(self.peek_at(3), Tok::Punct("=")));
        let names = if single_name {
            let n = self.name("a column name")?;
            self.bump();
            vec![n]
        } else if self.is_punct("(")
            && matches!(self.peek_at(1), Tok::Ident(_))
            && self.tuple_assign_ahead()
        {
            self.bump();
            let mut names = Vec::new();
            loop {
                names.push(self.name("a column name")?);
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct(")")?;
            self.expect_punct("=")?;
            names
        } else {
            Vec::new()
        };
        let expr = self.expr()?;
        Ok(Assign { names, expr })
    }

    fn tuple_assign_ahead(&self) -> bool {
        let mut k = 1;
        loop {
            match self.peek_at(k) {
                Tok::Ident(_) | Tok::Punct(",") => k += 1,
                Tok::Punct(")") => return matches!(self.peek_at(k + 1), Tok::Punct("=")),
                _ => return false,
            }
        }
    }

    /// Column names or wildcard patterns (`Prop*`, `*_s`).
    fn patterns(&mut self) -> Result<Vec<String>> {
        let mut v = Vec::new();
        loop {
            let mut pat = String::new();
            let mut last_end: Option<usize> = None;
            while let Some((start, end)) = self.toks.get(self.pos).map(|t| (t.start, t.end)) {
                if last_end.is_some_and(|e| e != start) {
                    break;
                }
                match self.peek().clone() {
                    Tok::Ident(s) => pat.push_str(&s),
                    Tok::Punct("*") => pat.push('*'),
                    Tok::Punct("[")
                        if matches!(self.peek_at(1), Tok::Str(_)) && last_end.is_none() =>
                    {
                        pat.push_str(&self.name("a column name")?);
                        break;
                    }
                    _ => break,
                }
                self.bump();
                last_end = Some(end);
            }
            if pat.is_empty() {
                return Err(self.err("a column name"));
            }
            if self.is_ident("asc") || self.is_ident("desc") || self.is_ident("granny-asc") {
                self.bump();
            }
            v.push(pat);
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(v)
    }

    fn sort_key(&mut self) -> Result<SortKey> {
        let expr = self.expr()?;
        let asc = if self.eat_ident("asc") {
            true
        } else {
            self.eat_ident("desc");
            false
        };
        let mut nulls_first = asc;
        if self.eat_ident("nulls") {
            if self.eat_ident("first") {
                nulls_first = true;
            } else {
                self.expect_ident_word("last")?;
                nulls_first = false;
            }
        }
        Ok(SortKey {
            expr,
            asc,
            nulls_first,
        })
    }

    fn join_right(&mut self) -> Result<Expr> {
        if self.eat_punct("(") {
            let e = self.pipeline()?;
            self.expect_punct(")")?;
            Ok(e)
        } else {
            let off = self.offset();
            let n = self.name("'(' or a table name")?;
            Ok(Expr::Name(n, off))
        }
    }

    /// `on A, $left.B == $right.C` → (left column, right column) pairs.
    fn join_keys(&mut self) -> Result<Vec<(String, String)>> {
        self.expect_ident_word("on")?;
        let mut keys = Vec::new();
        loop {
            let first = self.side_col()?;
            let key = if self.eat_punct("==") {
                let second = self.side_col()?;
                match (first, second) {
                    ((Some(false), r), (Some(true), l)) => (l, r),
                    ((_, l), (_, r)) => (l, r),
                }
            } else {
                (first.1.clone(), first.1)
            };
            keys.push(key);
            if !(self.eat_punct(",") || self.eat_ident("and")) {
                break;
            }
        }
        Ok(keys)
    }

    /// `$left.A` → (Some(true), A); `$right.A` → (Some(false), A); `A` → (None, A).
    fn side_col(&mut self) -> Result<(Option<bool>, String)> {
        let side = if self.eat_ident("$left") {
            Some(true)
        } else if self.eat_ident("$right") {
            Some(false)
        } else {
            None
        };
        if side.is_some() {
            self.expect_punct(".")?;
        }
        Ok((side, self.name("a join key column")?))
    }

    fn mv_items(&mut self) -> Result<Vec<MvItem>> {
        let mut items = Vec::new();
        loop {
            if (self.is_ident("kind")
                || self.is_ident("with_itemindex")
                || self.is_ident("bagexpansion"))
                && matches!(self.peek_at(1), Tok::Punct("="))
            {
                self.bump();
                self.bump();
                self.bump();
                continue;
            }
            let name = if matches!(self.peek(), Tok::Ident(_))
                && matches!(self.peek_at(1), Tok::Punct("="))
            {
                let n = self.name("a column name")?;
                self.bump();
                Some(n)
            } else {
                None
            };
            let e = self.expr()?;
            let ty = if self.eat_ident("to") {
                self.expect_ident_word("typeof")?;
                self.expect_punct("(")?;
                let off = self.offset();
                let t = self.name("a type")?;
                self.expect_punct(")")?;
                Some(Type::parse(&t).ok_or_else(|| {
                    KqlError::new(ErrorKind::Parse, off, format!("unknown type '{t}'"))
                })?)
            } else {
                None
            };
            items.push((name, e, ty));
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(items)
    }

    fn parse_op(&mut self) -> Result<OpKind> {
        let mut regex = false;
        loop {
            if self.is_ident("kind") && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
                regex = self.name("a parse kind")? == "regex";
            } else if self.is_ident("flags") && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
                self.bump();
            } else {
                break;
            }
        }
        let e = self.expr()?;
        self.expect_ident_word("with")?;
        let mut parts = Vec::new();
        while !self.at_op_end() {
            match self.peek().clone() {
                Tok::Str(s) => {
                    self.bump();
                    parts.push(ParsePart::Lit(s));
                }
                Tok::Punct("*") => {
                    self.bump();
                    parts.push(ParsePart::Star);
                }
                Tok::Ident(_) | Tok::Punct("[") => {
                    let n = self.name("a column name")?;
                    let ty = if self.eat_punct(":") {
                        let off = self.offset();
                        let t = self.name("a type")?;
                        Type::parse(&t).ok_or_else(|| {
                            KqlError::new(ErrorKind::Parse, off, format!("unknown type '{t}'"))
                        })?
                    } else {
                        Type::String
                    };
                    parts.push(ParsePart::Col(n, ty));
                }
                Tok::Punct(",") => {
                    self.bump();
                }
                _ => return Err(self.err("a string, '*' or a column name in the parse pattern")),
            }
        }
        Ok(OpKind::Parse(regex, e, parts))
    }
}

/// `search "term"` → `* has "term"`; `"*x*"` → contains, `"x*"` → hasprefix, `"*x"` → hassuffix.
fn search_term(term: &str, cs: bool, off: usize) -> Expr {
    use crate::ast::StrOp;
    let (lead, trail) = (term.starts_with('*'), term.ends_with('*') && term.len() > 1);
    let bare = term.trim_matches('*').to_string();
    let op = match (lead, trail, cs) {
        (true, true, false) => StrOp::Contains,
        (true, true, true) => StrOp::ContainsCs,
        (false, true, false) => StrOp::HasPrefix,
        (false, true, true) => StrOp::HasPrefixCs,
        (true, false, false) => StrOp::HasSuffix,
        (true, false, true) => StrOp::HasSuffixCs,
        (false, false, false) => StrOp::Has,
        (false, false, true) => StrOp::HasCs,
    };
    Expr::StrCmp(
        op,
        false,
        Box::new(Expr::Star(off)),
        Box::new(Expr::Lit(crate::value::Value::from(bare))),
        off,
    )
}

fn join_kind(k: &str) -> Option<JoinKind> {
    Some(match k {
        "innerunique" => JoinKind::InnerUnique,
        "inner" => JoinKind::Inner,
        "leftouter" => JoinKind::LeftOuter,
        "rightouter" => JoinKind::RightOuter,
        "fullouter" | "outer" => JoinKind::FullOuter,
        "leftanti" | "anti" | "leftantisemi" => JoinKind::LeftAnti,
        "rightanti" | "rightantisemi" => JoinKind::RightAnti,
        "leftsemi" | "semi" => JoinKind::LeftSemi,
        "rightsemi" => JoinKind::RightSemi,
        _ => return None,
    })
}
