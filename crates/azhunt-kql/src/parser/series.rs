//! `make-series` grammar:
//! `make-series [kind=nonempty] [Name =] Agg [default = V], ... on Axis (from A)? (to B)? step S
//! | in range(A, B, S)) [by Keys]`.

use super::Parser;
use crate::ast::{Expr, MakeSeries, OpKind};
use crate::error::Result;
use crate::lexer::Tok;

impl Parser {
    pub(crate) fn make_series(&mut self) -> Result<OpKind> {
        while (self.is_ident("kind") || self.is_ident("hint"))
            && matches!(self.peek_at(1), Tok::Punct("=") | Tok::Punct("."))
        {
            while !matches!(self.peek(), Tok::Punct("=") | Tok::Eof) {
                self.bump();
            }
            self.bump();
            self.bump();
        }
        let mut aggs = Vec::new();
        loop {
            let a = self.assign()?;
            let default = if self.is_ident("default") && matches!(self.peek_at(1), Tok::Punct("="))
            {
                self.bump();
                self.bump();
                Some(self.expr()?)
            } else {
                None
            };
            aggs.push((a, default));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_ident_word("on")?;
        let axis_off = self.offset();
        let axis = Expr::Name(self.name("the axis column")?, axis_off);
        let (mut from, mut to, step);
        if self.eat_ident("in") {
            self.expect_ident_word("range")?;
            self.expect_punct("(")?;
            from = Some(self.expr()?);
            self.expect_punct(",")?;
            to = Some(self.expr()?);
            self.expect_punct(",")?;
            step = self.expr()?;
            self.expect_punct(")")?;
        } else {
            from = None;
            to = None;
            if self.eat_ident("from") {
                from = Some(self.expr()?);
            }
            if self.eat_ident("to") {
                to = Some(self.expr()?);
            }
            self.expect_ident_word("step")?;
            step = self.expr()?;
        }
        let by = if self.eat_ident("by") {
            self.assigns()?
        } else {
            Vec::new()
        };
        Ok(OpKind::MakeSeries(Box::new(MakeSeries {
            aggs,
            axis,
            from,
            to,
            step,
            by,
        })))
    }
}
