//! Recursive-descent parser: statements and scalar expressions (tabular operators in `ops`).
//!
//! Precedence, lowest first: `or`, `and`, comparisons and string/list predicates, `+ -`,
//! `* / %`, unary `- !`, postfix (`.name`, `[i]`, calls). Errors say what was expected and
//! what was found, at the found token's byte offset.

mod literals;
mod ops;
mod series;
mod sources;

use crate::ast::{BinOp, Expr, Func, LetValue, ListOp, Query, Stmt, StrOp};
use crate::error::{ErrorKind, KqlError, Result};
use crate::lexer::{Tok, Token, lex};
use crate::value::Value;

/// Parses a full query.
pub fn parse(src: &str) -> Result<Query> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    p.query()
}

pub(crate) struct Parser {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 150;

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::Int(i) => format!("'{i}'"),
        Tok::Real(r) => format!("'{r}'"),
        Tok::TimeSpan(_) => "timespan literal".into(),
        Tok::Raw(s) => format!("'{s}'"),
        Tok::Punct(p) => format!("'{p}'"),
        Tok::Eof => "end of query".into(),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        let i = (self.pos + n).min(self.toks.len().saturating_sub(1));
        self.toks.get(i).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |t| t.start)
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len().saturating_sub(1) {
            self.pos += 1;
        }
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }

    fn is_ident(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_ident(&mut self, w: &str) -> bool {
        if self.is_ident(w) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn err(&self, expected: &str) -> KqlError {
        KqlError::new(
            ErrorKind::Parse,
            self.offset(),
            format!("expected {expected}, found {}", describe(self.peek())),
        )
    }

    fn expect_punct(&mut self, p: &str) -> Result<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.err(&format!("'{p}'")))
        }
    }

    fn expect_ident_word(&mut self, w: &str) -> Result<()> {
        if self.eat_ident(w) {
            Ok(())
        } else {
            Err(self.err(&format!("'{w}'")))
        }
    }

    /// An identifier or a bracketed name (`['a b']`).
    fn name(&mut self, what: &str) -> Result<String> {
        match self.peek().clone() {
            Tok::Ident(s) => {
                self.bump();
                Ok(s)
            }
            Tok::Punct("[") if matches!(self.peek_at(1), Tok::Str(_)) => {
                self.bump();
                let Tok::Str(s) = self.bump() else {
                    return Err(self.err(what));
                };
                self.expect_punct("]")?;
                Ok(s)
            }
            _ => Err(self.err(what)),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(KqlError::new(
                ErrorKind::Parse,
                self.offset(),
                "query nested too deeply",
            ));
        }
        Ok(())
    }

    fn query(&mut self) -> Result<Query> {
        let stmts = self.stmts(true)?;
        Ok(Query { stmts })
    }

    /// Statements separated by `;` until end of input (top) or `}` (function body).
    fn stmts(&mut self, top: bool) -> Result<Vec<Stmt>> {
        let mut stmts = Vec::new();
        loop {
            while self.eat_punct(";") {}
            if matches!(self.peek(), Tok::Eof) || (!top && self.is_punct("}")) {
                break;
            }
            if self.is_ident("let") {
                stmts.push(self.let_stmt()?);
            } else if self.is_ident("set") && matches!(self.peek_at(1), Tok::Ident(_)) {
                // Query options (`set x = y;`) do not affect results here.
                while !matches!(self.peek(), Tok::Eof) && !self.is_punct(";") {
                    self.bump();
                }
                continue;
            } else {
                stmts.push(Stmt::Expr(self.pipeline()?));
            }
            if self.eat_punct(";") {
                continue;
            }
            if matches!(self.peek(), Tok::Eof) || (!top && self.is_punct("}")) {
                break;
            }
            let after_let = matches!(stmts.last(), Some(Stmt::Let { .. }));
            return Err(self.err(if after_let {
                "';' after let statement"
            } else if top {
                "'|' or end of query"
            } else {
                "'|' or '}'"
            }));
        }
        Ok(stmts)
    }

    fn let_stmt(&mut self) -> Result<Stmt> {
        self.bump();
        let offset = self.offset();
        let name = self.name("a name after 'let'")?;
        self.expect_punct("=")?;
        let is_func = self.is_punct("(")
            && (matches!(self.peek_at(1), Tok::Punct(")"))
                || (matches!(self.peek_at(1), Tok::Ident(_))
                    && matches!(self.peek_at(2), Tok::Punct(":"))));
        if is_func {
            let func = self.func()?;
            return Ok(Stmt::Let {
                name,
                value: LetValue::Func(func),
                offset,
            });
        }
        if self.is_ident("view") && matches!(self.peek_at(1), Tok::Punct("(")) {
            self.bump();
            let func = self.func()?;
            return Ok(Stmt::Let {
                name,
                value: LetValue::Func(func),
                offset,
            });
        }
        let e = self.pipeline()?;
        Ok(Stmt::Let {
            name,
            value: LetValue::Expr(e),
            offset,
        })
    }

    fn func(&mut self) -> Result<Func> {
        self.expect_punct("(")?;
        let mut params = Vec::new();
        while !self.is_punct(")") {
            let name = self.name("a parameter name")?;
            self.expect_punct(":")?;
            if self.is_punct("(") {
                self.skip_balanced()?;
            } else {
                self.name("a parameter type")?;
            }
            let default = if self.eat_punct("=") {
                Some(self.expr()?)
            } else {
                None
            };
            params.push((name, default));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        self.expect_punct("{")?;
        self.enter()?;
        let body = self.stmts(false)?;
        self.depth -= 1;
        self.expect_punct("}")?;
        Ok(Func { params, body })
    }

    /// Skips a balanced `( ... )` group.
    fn skip_balanced(&mut self) -> Result<()> {
        let open = self.offset();
        self.expect_punct("(")?;
        let mut depth = 1usize;
        while depth > 0 {
            match self.bump() {
                Tok::Punct("(") => depth += 1,
                Tok::Punct(")") => depth -= 1,
                Tok::Eof => return Err(KqlError::new(ErrorKind::Parse, open, "unbalanced '('")),
                _ => {}
            }
        }
        Ok(())
    }

    /// An expression optionally followed by `| operator`s.
    pub(crate) fn pipeline(&mut self) -> Result<Expr> {
        self.enter()?;
        let src = self.source()?;
        let mut ops = Vec::new();
        while self.eat_punct("|") {
            ops.push(self.op()?);
        }
        self.depth -= 1;
        Ok(if ops.is_empty() {
            src
        } else {
            Expr::Pipe(Box::new(src), ops)
        })
    }

    /// A scalar expression (also names and calls that may turn out tabular).
    pub(crate) fn expr(&mut self) -> Result<Expr> {
        self.enter()?;
        let e = self.or_expr();
        self.depth -= 1;
        e
    }

    fn or_expr(&mut self) -> Result<Expr> {
        let mut l = self.and_expr()?;
        while self.is_ident("or") {
            let off = self.offset();
            self.bump();
            let r = self.and_expr()?;
            l = Expr::Bin(BinOp::Or, Box::new(l), Box::new(r), off);
        }
        Ok(l)
    }

    fn and_expr(&mut self) -> Result<Expr> {
        let mut l = self.cmp_expr()?;
        while self.is_ident("and") {
            let off = self.offset();
            self.bump();
            let r = self.cmp_expr()?;
            l = Expr::Bin(BinOp::And, Box::new(l), Box::new(r), off);
        }
        Ok(l)
    }

    fn cmp_expr(&mut self) -> Result<Expr> {
        let mut l = self.add_expr()?;
        loop {
            let off = self.offset();
            let op = match self.peek() {
                Tok::Punct(p) => match *p {
                    "==" => Some(BinOp::Eq),
                    "!=" | "<>" => Some(BinOp::Ne),
                    "<" => Some(BinOp::Lt),
                    "<=" => Some(BinOp::Le),
                    ">" => Some(BinOp::Gt),
                    ">=" => Some(BinOp::Ge),
                    "=~" => Some(BinOp::Str(StrOp::EqCi)),
                    "!~" => {
                        self.bump();
                        let r = self.add_expr()?;
                        l = Expr::StrCmp(StrOp::EqCi, true, Box::new(l), Box::new(r), off);
                        continue;
                    }
                    _ => None,
                },
                Tok::Ident(w) => {
                    let (neg, base) = match w.strip_prefix('!') {
                        Some(b) => (true, b.to_string()),
                        None => (false, w.clone()),
                    };
                    if let Some(sop) = str_op(&base) {
                        self.bump();
                        if sop == StrOp::Regex {
                            self.expect_ident_word("regex")?;
                        }
                        let r = self.add_expr()?;
                        l = Expr::StrCmp(sop, neg, Box::new(l), Box::new(r), off);
                        continue;
                    }
                    let lop = match base.as_str() {
                        "in" => Some(ListOp::In),
                        "in~" => Some(ListOp::InCi),
                        "has_any" => Some(ListOp::HasAny),
                        "has_all" => Some(ListOp::HasAll),
                        _ => None,
                    };
                    if let Some(lop) = lop {
                        self.bump();
                        let list = self.paren_list()?;
                        l = Expr::List(lop, neg, Box::new(l), list, off);
                        continue;
                    }
                    if base == "between" {
                        self.bump();
                        self.expect_punct("(")?;
                        let lo = self.add_expr()?;
                        self.expect_punct("..")?;
                        let hi = self.add_expr()?;
                        self.expect_punct(")")?;
                        l = Expr::Between(neg, Box::new(l), Box::new(lo), Box::new(hi), off);
                        continue;
                    }
                    None
                }
                _ => None,
            };
            let Some(op) = op else { break };
            self.bump();
            let r = self.add_expr()?;
            l = match op {
                BinOp::Str(s) => Expr::StrCmp(s, false, Box::new(l), Box::new(r), off),
                op => Expr::Bin(op, Box::new(l), Box::new(r), off),
            };
        }
        Ok(l)
    }

    /// `( item, item, ... )` where items may be tabular.
    fn paren_list(&mut self) -> Result<Vec<Expr>> {
        self.expect_punct("(")?;
        let mut list = Vec::new();
        while !self.is_punct(")") {
            list.push(self.pipeline()?);
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        Ok(list)
    }

    fn add_expr(&mut self) -> Result<Expr> {
        let mut l = self.mul_expr()?;
        loop {
            let off = self.offset();
            let op = if self.is_punct("+") {
                BinOp::Add
            } else if self.is_punct("-") {
                BinOp::Sub
            } else {
                break;
            };
            self.bump();
            let r = self.mul_expr()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r), off);
        }
        Ok(l)
    }

    fn mul_expr(&mut self) -> Result<Expr> {
        let mut l = self.unary()?;
        loop {
            let off = self.offset();
            let op = if self.is_punct("*") {
                BinOp::Mul
            } else if self.is_punct("/") {
                BinOp::Div
            } else if self.is_punct("%") {
                BinOp::Mod
            } else {
                break;
            };
            self.bump();
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r), off);
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Expr> {
        let off = self.offset();
        self.enter()?;
        let r = if self.eat_punct("-") {
            let e = self.unary()?;
            match e {
                Expr::Lit(Value::Int(i)) => Ok(Expr::Lit(Value::Int(i.wrapping_neg()))),
                Expr::Lit(Value::Real(r)) => Ok(Expr::Lit(Value::Real(-r))),
                Expr::Lit(Value::TimeSpan(t)) => Ok(Expr::Lit(Value::TimeSpan(t.wrapping_neg()))),
                e => Ok(Expr::Neg(Box::new(e), off)),
            }
        } else if self.eat_punct("+") {
            self.unary()
        } else if self.eat_punct("!") {
            Ok(Expr::Not(Box::new(self.unary()?), off))
        } else {
            self.postfix()
        };
        self.depth -= 1;
        r
    }

    fn postfix(&mut self) -> Result<Expr> {
        let mut e = self.primary()?;
        loop {
            let off = self.offset();
            if self.is_punct(".") && matches!(self.peek_at(1), Tok::Punct("[")) {
                // `x.[0]` / `x.["key"]` (accepted by Kusto, common in Sentinel content).
                self.bump();
                self.bump();
                let idx = self.expr()?;
                self.expect_punct("]")?;
                e = Expr::Index(Box::new(e), Box::new(idx), off);
            } else if self.is_punct(".") {
                self.bump();
                let name = match self.peek().clone() {
                    Tok::Ident(s) => {
                        self.bump();
                        s
                    }
                    _ => return Err(self.err("a property name after '.'")),
                };
                e = Expr::Member(Box::new(e), name, off);
            } else if self.is_punct("[") {
                self.bump();
                let idx = self.expr()?;
                self.expect_punct("]")?;
                e = Expr::Index(Box::new(e), Box::new(idx), off);
            } else {
                break;
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr> {
        let off = self.offset();
        match self.peek().clone() {
            Tok::Int(i) => {
                self.bump();
                Ok(Expr::Lit(Value::Int(i)))
            }
            Tok::Real(r) => {
                self.bump();
                Ok(Expr::Lit(Value::Real(r)))
            }
            Tok::Str(s) => {
                self.bump();
                // Adjacent string literals concatenate.
                let mut s = s;
                while let Tok::Str(more) = self.peek().clone() {
                    self.bump();
                    s.push_str(&more);
                }
                Ok(Expr::Lit(Value::from(s)))
            }
            Tok::TimeSpan(t) => {
                self.bump();
                Ok(Expr::Lit(Value::TimeSpan(t)))
            }
            Tok::Punct("(") => {
                self.bump();
                let e = self.pipeline()?;
                if self.is_punct(",") {
                    // A parenthesised list: only meaningful as a function argument; keep the first.
                    return Err(self.err("')'"));
                }
                self.expect_punct(")")?;
                Ok(e)
            }
            Tok::Punct("[") if matches!(self.peek_at(1), Tok::Str(_)) => {
                let n = self.name("a name")?;
                Ok(Expr::Name(n, off))
            }
            Tok::Punct("*") => {
                self.bump();
                Ok(Expr::Star(off))
            }
            Tok::Ident(w) => self.ident_primary(w, off),
            _ => Err(self.err("an expression")),
        }
    }
}

fn str_op(w: &str) -> Option<StrOp> {
    Some(match w {
        "has" => StrOp::Has,
        "has_cs" => StrOp::HasCs,
        "hasprefix" => StrOp::HasPrefix,
        "hasprefix_cs" => StrOp::HasPrefixCs,
        "hassuffix" => StrOp::HasSuffix,
        "hassuffix_cs" => StrOp::HasSuffixCs,
        "contains" => StrOp::Contains,
        "contains_cs" => StrOp::ContainsCs,
        "startswith" => StrOp::StartsWith,
        "startswith_cs" => StrOp::StartsWithCs,
        "endswith" => StrOp::EndsWith,
        "endswith_cs" => StrOp::EndsWithCs,
        "matches" => StrOp::Regex,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
