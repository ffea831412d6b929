//! Literals and identifier-led primaries: `datetime(...)`, `time(...)`, `dynamic(...)`,
//! `typeof(...)`, `datatable(...)[...]`, function calls and plain names.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Parser;
use crate::ast::Expr;
use crate::error::{ErrorKind, KqlError, Result};
use crate::lexer::Tok;
use crate::value::{Type, Value, parse_datetime, parse_timespan};

impl Parser {
    /// Call arguments after the opening parenthesis, through the closing one. Named arguments
    /// (`kind=...`) are accepted and passed positionally.
    pub(super) fn call_args(&mut self) -> Result<Vec<Expr>> {
        let mut args = Vec::new();
        while !self.is_punct(")") {
            if matches!(self.peek(), Tok::Ident(_)) && matches!(self.peek_at(1), Tok::Punct("=")) {
                self.bump();
                self.bump();
            }
            args.push(self.pipeline()?);
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        Ok(args)
    }

    /// `name:type, ...)` — a column list after its opening parenthesis, through the closing one.
    pub(super) fn column_schema(&mut self) -> Result<Vec<(String, Type)>> {
        let mut cols = Vec::new();
        while !self.is_punct(")") {
            let n = self.name("a column name")?;
            self.expect_punct(":")?;
            let toff = self.offset();
            let t = self.name("a type")?;
            let ty = Type::parse(&t).ok_or_else(|| {
                KqlError::new(ErrorKind::Parse, toff, format!("unknown type '{t}'"))
            })?;
            cols.push((n, ty));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        Ok(cols)
    }

    pub(super) fn ident_primary(&mut self, w: String, off: usize) -> Result<Expr> {
        self.bump();
        match w.as_str() {
            "true" => return Ok(Expr::Lit(Value::Bool(true))),
            "false" => return Ok(Expr::Lit(Value::Bool(false))),
            "null" => return Ok(Expr::Lit(Value::Null)),
            _ => {}
        }
        if !self.is_punct("(") {
            return Ok(Expr::Name(w, off));
        }
        match w.as_str() {
            "datetime" | "time" | "timespan" | "guid" => {
                self.bump();
                let raw_off = self.offset();
                let raw = match self.bump() {
                    Tok::Raw(r) => r,
                    _ => return Err(self.err("a literal")),
                };
                self.expect_punct(")")?;
                let raw = raw.trim_matches(|c| c == '"' || c == '\'').to_string();
                if raw == "null" {
                    return Ok(Expr::Lit(Value::Null));
                }
                let v = match w.as_str() {
                    "datetime" => parse_datetime(&raw).map(Value::DateTime),
                    "guid" => Some(Value::from(raw.clone())),
                    _ => parse_timespan(&raw).map(Value::TimeSpan),
                };
                v.map(Expr::Lit).ok_or_else(|| {
                    KqlError::new(
                        ErrorKind::Parse,
                        raw_off,
                        format!("invalid {w} literal '{raw}'"),
                    )
                })
            }
            "typeof" => {
                self.bump();
                let t = self.name("a type name")?;
                self.expect_punct(")")?;
                Ok(Expr::Lit(Value::from(t)))
            }
            "dynamic" => {
                self.bump();
                let v = self.json_lit()?;
                self.expect_punct(")")?;
                Ok(Expr::Lit(v))
            }
            "datatable" => {
                self.bump();
                let cols = self.column_schema()?;
                self.expect_punct("[")?;
                let mut vals = Vec::new();
                while !self.is_punct("]") {
                    vals.push(self.expr()?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct("]")?;
                Ok(Expr::DataTable(cols, vals, off))
            }
            _ => {
                self.bump();
                let args = self.call_args()?;
                Ok(Expr::Call(w, args, off))
            }
        }
    }

    /// A `dynamic(...)` body: JSON plus KQL scalar literals.
    fn json_lit(&mut self) -> Result<Value> {
        self.enter()?;
        let v = match self.peek().clone() {
            Tok::Punct("[") => {
                self.bump();
                let mut items = Vec::new();
                while !self.is_punct("]") {
                    items.push(self.json_lit()?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct("]")?;
                Value::Array(Arc::new(items))
            }
            Tok::Punct("{") => {
                self.bump();
                let mut map = BTreeMap::new();
                while !self.is_punct("}") {
                    let k = match self.bump() {
                        Tok::Str(s) | Tok::Ident(s) => s,
                        _ => return Err(self.err("a property name")),
                    };
                    self.expect_punct(":")?;
                    map.insert(k, self.json_lit()?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct("}")?;
                Value::Bag(Arc::new(map))
            }
            Tok::Punct(")") => Value::Null,
            _ => match self.expr()? {
                Expr::Lit(v) => v,
                _ => return Err(self.err("a literal inside dynamic()")),
            },
        };
        self.depth -= 1;
        Ok(v)
    }
}
