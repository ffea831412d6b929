//! Tabular sources that start a pipeline: `union`, `print`, `range`, `externaldata` (the empty
//! table of its declared schema: azhunt is offline) and ordinary expressions (tables, lets,
//! calls).

use super::Parser;
use crate::ast::{Expr, Union};
use crate::error::Result;
use crate::lexer::Tok;
use crate::value::Value;

impl Parser {
    pub(super) fn source(&mut self) -> Result<Expr> {
        let off = self.offset();
        match self.peek() {
            Tok::Ident(w) if w == "union" => {
                self.bump();
                let u = self.union_body()?;
                Ok(Expr::Union(u, off))
            }
            Tok::Ident(w) if w == "print" => {
                self.bump();
                let mut assigns = self.assigns()?;
                for (i, a) in assigns.iter_mut().enumerate() {
                    if a.names.is_empty() && !matches!(a.expr, Expr::Name(..) | Expr::Member(..)) {
                        a.names.push(format!("print_{i}"));
                    }
                }
                let src = Expr::Call("__single_row".into(), Vec::new(), off);
                Ok(Expr::Pipe(
                    Box::new(src),
                    vec![crate::ast::Op {
                        kind: crate::ast::OpKind::Extend(assigns),
                        offset: off,
                    }],
                ))
            }
            Tok::Ident(w) if w == "range" && matches!(self.peek_at(1), Tok::Ident(_)) => {
                self.bump();
                let name = self.name("a column name")?;
                self.expect_ident_word("from")?;
                let from = self.expr()?;
                self.expect_ident_word("to")?;
                let to = self.expr()?;
                self.expect_ident_word("step")?;
                let step = self.expr()?;
                Ok(Expr::Call(
                    "__range".into(),
                    vec![Expr::Lit(Value::from(name)), from, to, step],
                    off,
                ))
            }
            // azhunt runs offline: `externaldata` is the empty table of its declared schema, so
            // queries that enrich with a downloaded list still run (without the enrichment).
            Tok::Ident(w) if w == "externaldata" => {
                self.bump();
                self.expect_punct("(")?;
                let cols = self.column_schema()?;
                if self.is_punct("[") {
                    while !self.eat_punct("]") {
                        if matches!(self.bump(), Tok::Eof) {
                            return Err(self.err("']'"));
                        }
                    }
                }
                if self.eat_ident("with") {
                    self.skip_balanced()?;
                }
                Ok(Expr::DataTable(cols, Vec::new(), off))
            }
            _ => self.expr(),
        }
    }

    pub(crate) fn union_body(&mut self) -> Result<Union> {
        let mut u = Union {
            with_source: None,
            fuzzy: false,
            inner: false,
            tables: Vec::new(),
        };
        loop {
            if self.is_ident("withsource") && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
                u.with_source = Some(self.name("a column name")?);
            } else if self.is_ident("kind") && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
                u.inner = self.name("'inner' or 'outer'")? == "inner";
            } else if self.is_ident("isfuzzy") && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
                u.fuzzy = self.name("'true' or 'false'")? == "true";
            } else {
                break;
            }
        }
        loop {
            let off = self.offset();
            if self.eat_punct("(") {
                let e = self.pipeline()?;
                self.expect_punct(")")?;
                u.tables.push(e);
            } else {
                let mut pat = String::new();
                let mut last_end: Option<usize> = None;
                while let Some(t) = self.toks.get(self.pos) {
                    if last_end.is_some_and(|e| e != t.start) {
                        break;
                    }
                    let end = t.end;
                    match &t.tok {
                        Tok::Ident(s) => pat.push_str(s),
                        Tok::Punct("*") => pat.push('*'),
                        _ => break,
                    }
                    self.bump();
                    last_end = Some(end);
                }
                if pat.is_empty() {
                    return Err(self.err("a table name or '('"));
                }
                if self.is_punct("(") && !pat.contains('*') {
                    u.tables.push(self.ident_primary_call(pat, off)?);
                } else {
                    u.tables.push(Expr::Name(pat, off));
                }
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(u)
    }
}
