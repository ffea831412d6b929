//! `evaluate` plugins: `bag_unpack` (bag keys become columns) and `ipv4_lookup` (join on
//! the IPv4 range containing an address; longest prefix wins, buckets per prefix length so a
//! lookup costs at most 33 hash probes).

use std::collections::HashMap;

use super::funcs_time::parse_ipv4;
use super::ops::unknown_col;
use super::{Ctx, Env};
use crate::ast::Expr;
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Key, Type, Value};

impl Ctx<'_> {
    pub(crate) fn bag_unpack(
        &self,
        t: &Table,
        args: &[Expr],
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let Some(Expr::Name(col, noff)) = args.first() else {
            return Err(KqlError::new(
                ErrorKind::Eval,
                off,
                "bag_unpack expects a column",
            ));
        };
        let ci = t.column_index(col).ok_or_else(|| unknown_col(col, *noff))?;
        let prefix = match args.get(1) {
            Some(p) => self.scalar(p, env, None)?.to_kql_string(),
            None => String::new(),
        };
        let mut keys: Vec<String> = Vec::new();
        for r in &t.rows {
            if let Some(Value::Bag(b)) = r.get(ci) {
                for k in b.keys() {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
        }
        let mut columns: Vec<(String, Type)> = t
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ci)
            .map(|(_, c)| c.clone())
            .collect();
        columns.extend(keys.iter().map(|k| (format!("{prefix}{k}"), Type::Dynamic)));
        let rows = t
            .rows
            .iter()
            .map(|r| {
                let mut out: Vec<Value> = r
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != ci)
                    .map(|(_, v)| v.clone())
                    .collect();
                for k in &keys {
                    out.push(match r.get(ci) {
                        Some(Value::Bag(b)) => b.get(k).cloned().unwrap_or_default(),
                        _ => Value::Null,
                    });
                }
                out
            })
            .collect();
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }

    pub(crate) fn ipv4_lookup(
        &self,
        t: &Table,
        args: &[Expr],
        env: &Env,
        off: usize,
    ) -> Result<Table> {
        let usage = || {
            KqlError::new(
                ErrorKind::Eval,
                off,
                "ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupRange, [ExtraKey, ...], [return_unmatched])",
            )
        };
        let (Some(lookup), Some(Expr::Name(src, soff)), Some(Expr::Name(range, roff))) =
            (args.first(), args.get(1), args.get(2))
        else {
            return Err(usage());
        };
        let lookup = self.tabular(lookup, env)?;
        let si = t.column_index(src).ok_or_else(|| unknown_col(src, *soff))?;
        let ri = lookup
            .column_index(range)
            .ok_or_else(|| unknown_col(range, *roff))?;
        let mut extra: Vec<(usize, usize)> = Vec::new();
        let mut unmatched = false;
        for a in &args[3..] {
            match a {
                Expr::Name(n, noff) => {
                    let l = t.column_index(n).ok_or_else(|| unknown_col(n, *noff))?;
                    let r = lookup
                        .column_index(n)
                        .ok_or_else(|| unknown_col(n, *noff))?;
                    extra.push((l, r));
                }
                other => unmatched = self.scalar(other, env, None)?.truthy(),
            }
        }
        // (prefix length, masked network) -> lookup rows
        let mut buckets: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
        for (i, r) in lookup.rows.iter().enumerate() {
            if let Some((net, bits)) = r.get(ri).and_then(|v| parse_ipv4(&v.to_kql_string())) {
                buckets.entry((bits, net & mask(bits))).or_default().push(i);
            }
        }
        let mut columns = t.columns.clone();
        for (n, ty) in &lookup.columns {
            let mut name = n.clone();
            let mut k = 1;
            while columns.iter().any(|(c, _)| *c == name) {
                name = format!("{n}{k}");
                k += 1;
            }
            columns.push((name, *ty));
        }
        let key_of = |v: Option<&Value>| v.map_or(Key::Null, Value::key);
        let mut rows = Vec::new();
        for r in &t.rows {
            let found = r
                .get(si)
                .and_then(|v| parse_ipv4(&v.to_kql_string()))
                .and_then(|(ip, _)| {
                    (0..=32u32).rev().find_map(|bits| {
                        buckets
                            .get(&(bits, ip & mask(bits)))?
                            .iter()
                            .copied()
                            .find(|&li| {
                                extra.iter().all(|&(l, rr)| {
                                    key_of(r.get(l)) == key_of(lookup.rows[li].get(rr))
                                })
                            })
                    })
                });
            match found {
                Some(li) => {
                    let mut out = r.clone();
                    out.extend(lookup.rows[li].iter().cloned());
                    rows.push(out);
                }
                None if unmatched => {
                    let mut out = r.clone();
                    out.resize(columns.len(), Value::Null);
                    rows.push(out);
                }
                None => {}
            }
        }
        Ok(Table {
            name: t.name.clone(),
            columns,
            rows,
        })
    }
}

fn mask(bits: u32) -> u32 {
    if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    }
}
