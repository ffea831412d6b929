//! Hash joins (`join`, `lookup`).
//!
//! The right side is indexed once by its key values; each left row probes the index, so joins
//! are O(left + right + output). The default flavour `innerunique` keeps one left row per key
//! (the first) before joining, as in Kusto. Null keys are treated as the empty string, since KQL
//! strings cannot be null and callers may use null for missing strings. Right-hand columns whose
//! names clash with left ones get a numeric suffix (`Caller1`).

use std::collections::{HashMap, HashSet};

use crate::ast::JoinKind;
use crate::error::{ErrorKind, KqlError, Result};
use crate::table::Table;
use crate::value::{Key, Type, Value};

fn key_indices(t: &Table, cols: &[&str], side: &str, off: usize) -> Result<Vec<usize>> {
    cols.iter()
        .map(|c| {
            t.column_index(c).ok_or_else(|| {
                KqlError::new(
                    ErrorKind::UnknownColumn,
                    off,
                    format!("unknown column '{c}' on the {side} side of the join"),
                )
            })
        })
        .collect()
}

fn row_key(r: &[Value], idx: &[usize]) -> Vec<Key> {
    idx.iter()
        .map(|&i| match r.get(i) {
            Some(Value::Null) | None => Key::Str("".into()),
            Some(v) => v.key(),
        })
        .collect()
}

fn index(t: &Table, idx: &[usize]) -> HashMap<Vec<Key>, Vec<usize>> {
    let mut m: HashMap<Vec<Key>, Vec<usize>> = HashMap::new();
    for (i, r) in t.rows.iter().enumerate() {
        m.entry(row_key(r, idx)).or_default().push(i);
    }
    m
}

fn renamed(
    left: &[(String, Type)],
    right: &[(String, Type)],
    skip: &[usize],
) -> Vec<(String, Type)> {
    let mut cols: Vec<(String, Type)> = left.to_vec();
    for (i, (n, t)) in right.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let mut name = n.clone();
        let mut k = 1;
        while cols.iter().any(|(c, _)| *c == name) {
            name = format!("{n}{k}");
            k += 1;
        }
        cols.push((name, *t));
    }
    cols
}

/// The positions of the join keys in the left and the right table.
fn key_pairs(
    left: &Table,
    right: &Table,
    keys: &[(String, String)],
    off: usize,
) -> Result<(Vec<usize>, Vec<usize>)> {
    let lk: Vec<&str> = keys.iter().map(|(l, _)| l.as_str()).collect();
    let rk: Vec<&str> = keys.iter().map(|(_, r)| r.as_str()).collect();
    Ok((
        key_indices(left, &lk, "left", off)?,
        key_indices(right, &rk, "right", off)?,
    ))
}

/// `left | join kind=K (right) on keys`.
pub(crate) fn join(
    left: &Table,
    right: &Table,
    kind: JoinKind,
    keys: &[(String, String)],
    off: usize,
) -> Result<Table> {
    let (li, ri) = key_pairs(left, right, keys, off)?;
    let name = left.name.clone();
    let rindex = index(right, &ri);
    let lnull = vec![Value::Null; left.columns.len()];
    let rnull = vec![Value::Null; right.columns.len()];
    let pair =
        |l: &[Value], r: &[Value]| -> Vec<Value> { l.iter().chain(r.iter()).cloned().collect() };
    let both = || renamed(&left.columns, &right.columns, &[]);
    let mut rows = Vec::new();
    let columns = match kind {
        JoinKind::LeftSemi | JoinKind::LeftAnti => {
            let want = kind == JoinKind::LeftSemi;
            for l in &left.rows {
                if rindex.contains_key(&row_key(l, &li)) == want {
                    rows.push(l.clone());
                }
            }
            left.columns.clone()
        }
        JoinKind::RightSemi | JoinKind::RightAnti => {
            let lkeys: HashSet<Vec<Key>> = left.rows.iter().map(|l| row_key(l, &li)).collect();
            let want = kind == JoinKind::RightSemi;
            for r in &right.rows {
                if lkeys.contains(&row_key(r, &ri)) == want {
                    rows.push(r.clone());
                }
            }
            right.columns.clone()
        }
        JoinKind::Inner | JoinKind::InnerUnique | JoinKind::LeftOuter | JoinKind::FullOuter => {
            let mut seen_left: HashSet<Vec<Key>> = HashSet::new();
            let mut matched_right = vec![false; right.rows.len()];
            for l in &left.rows {
                let k = row_key(l, &li);
                if kind == JoinKind::InnerUnique && !seen_left.insert(k.clone()) {
                    continue;
                }
                match rindex.get(&k) {
                    Some(rs) => {
                        for &r in rs {
                            matched_right[r] = true;
                            rows.push(pair(l, &right.rows[r]));
                        }
                    }
                    None if matches!(kind, JoinKind::LeftOuter | JoinKind::FullOuter) => {
                        rows.push(pair(l, &rnull))
                    }
                    None => {}
                }
            }
            if kind == JoinKind::FullOuter {
                for (r, m) in right.rows.iter().zip(&matched_right) {
                    if !m {
                        rows.push(pair(&lnull, r));
                    }
                }
            }
            both()
        }
        JoinKind::RightOuter => {
            let lindex = index(left, &li);
            for r in &right.rows {
                match lindex.get(&row_key(r, &ri)) {
                    Some(ls) => {
                        for &l in ls {
                            rows.push(pair(&left.rows[l], r));
                        }
                    }
                    None => rows.push(pair(&lnull, r)),
                }
            }
            both()
        }
    };
    Ok(Table {
        name,
        columns,
        rows,
    })
}

/// `left | lookup kind=leftouter|inner (right) on keys`: right key columns are not repeated.
pub(crate) fn lookup(
    left: &Table,
    right: &Table,
    outer: bool,
    keys: &[(String, String)],
    off: usize,
) -> Result<Table> {
    let (li, ri) = key_pairs(left, right, keys, off)?;
    let rindex = index(right, &ri);
    let keep: Vec<usize> = (0..right.columns.len())
        .filter(|i| !ri.contains(i))
        .collect();
    let columns = renamed(&left.columns, &right.columns, &ri);
    let mut rows = Vec::new();
    for l in &left.rows {
        match rindex.get(&row_key(l, &li)) {
            Some(rs) => {
                for &r in rs {
                    let mut out = l.clone();
                    out.extend(
                        keep.iter()
                            .map(|&i| right.rows[r].get(i).cloned().unwrap_or_default()),
                    );
                    rows.push(out);
                }
            }
            None if outer => {
                let mut out = l.clone();
                out.extend(keep.iter().map(|_| Value::Null));
                rows.push(out);
            }
            None => {}
        }
    }
    Ok(Table {
        name: left.name.clone(),
        columns,
        rows,
    })
}
