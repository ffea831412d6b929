//! Static check before running: every called function must be a built-in or a `let`-defined
//! function, so a rule that calls something unsupported (`series_decompose_anomalies`) fails
//! up front with the function's name and position, whatever the data.

use super::Ctx;
use crate::ast::{Expr, LetValue, OpKind, Query, Stmt};
use crate::error::{ErrorKind, KqlError, Result};

/// Calls handled outside the scalar dispatch.
const SPECIAL: &[&str] = &[
    "__single_row",
    "__range",
    "materialize",
    "view",
    "table",
    "toscalar",
    "column_ifexists",
    "iff",
    "iif",
];

impl Ctx<'_> {
    /// Checks function names across the whole query.
    pub fn validate(&self, q: &Query) -> Result<()> {
        let mut user = Vec::new();
        collect_lets(&q.stmts, &mut user);
        let mut err = None;
        for s in &q.stmts {
            visit_stmt(s, &mut |e| {
                if err.is_none()
                    && let Expr::Call(n, _, off) = e
                    && !user.contains(n)
                    && !SPECIAL.contains(&n.as_str())
                    && !self.is_builtin(n)
                {
                    err = Some(KqlError::new(
                        ErrorKind::UnknownFunction,
                        *off,
                        format!("unknown function '{n}'"),
                    ));
                }
            });
        }
        err.map_or(Ok(()), Err)
    }

    /// A built-in answers an empty call with anything but "unknown function".
    fn is_builtin(&self, name: &str) -> bool {
        let env = super::Env::default();
        !matches!(self.builtin(name, &[], &env, None, 0), Err(e) if e.kind == ErrorKind::UnknownFunction)
    }
}

fn collect_lets(stmts: &[Stmt], out: &mut Vec<String>) {
    for s in stmts {
        if let Stmt::Let { name, value, .. } = s {
            out.push(name.clone());
            if let LetValue::Func(f) = value {
                out.extend(f.params.iter().map(|(p, _)| p.clone()));
                collect_lets(&f.body, out);
            }
        }
    }
}

fn visit_stmt(s: &Stmt, f: &mut dyn FnMut(&Expr)) {
    match s {
        Stmt::Let {
            value: LetValue::Expr(e),
            ..
        }
        | Stmt::Expr(e) => visit(e, f),
        Stmt::Let {
            value: LetValue::Func(func),
            ..
        } => {
            for (_, d) in &func.params {
                if let Some(d) = d {
                    visit(d, f);
                }
            }
            for b in &func.body {
                visit_stmt(b, f);
            }
        }
    }
}

pub(crate) fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Lit(_) | Expr::Name(..) | Expr::Star(_) | Expr::Unsupported(..) => {}
        Expr::Member(b, _, _) | Expr::Neg(b, _) | Expr::Not(b, _) => visit(b, f),
        Expr::Index(a, b, _) | Expr::Bin(_, a, b, _) | Expr::StrCmp(_, _, a, b, _) => {
            visit(a, f);
            visit(b, f);
        }
        Expr::List(_, _, x, list, _) => {
            visit(x, f);
            list.iter().for_each(|e| visit(e, f));
        }
        Expr::Between(_, x, lo, hi, _) => {
            visit(x, f);
            visit(lo, f);
            visit(hi, f);
        }
        Expr::Call(_, args, _) => args.iter().for_each(|e| visit(e, f)),
        Expr::DataTable(_, vals, _) => vals.iter().for_each(|e| visit(e, f)),
        Expr::Union(u, _) => u.tables.iter().for_each(|e| visit(e, f)),
        Expr::Pipe(src, ops) => {
            visit(src, f);
            for op in ops {
                visit_op(&op.kind, f);
            }
        }
    }
}

fn visit_op(k: &OpKind, f: &mut dyn FnMut(&Expr)) {
    let assigns = |a: &[crate::ast::Assign], f: &mut dyn FnMut(&Expr)| {
        a.iter().for_each(|a| visit(&a.expr, f))
    };
    match k {
        OpKind::Where(e) | OpKind::Take(e) => visit(e, f),
        OpKind::Project(a) | OpKind::Extend(a) | OpKind::Distinct(a) => assigns(a, f),
        OpKind::Summarize(a, b) => {
            assigns(a, f);
            assigns(b, f);
        }
        OpKind::Sort(keys) => keys.iter().for_each(|k| visit(&k.expr, f)),
        OpKind::Top(n, k) => {
            visit(n, f);
            visit(&k.expr, f);
        }
        OpKind::Join(_, r, _) | OpKind::Lookup(_, r, _) => visit(r, f),
        OpKind::Union(u) => u.tables.iter().for_each(|e| visit(e, f)),
        OpKind::MvExpand(items, _) => items.iter().for_each(|(_, e, _)| visit(e, f)),
        OpKind::MvApply(items, ops) => {
            items.iter().for_each(|(_, e, _)| visit(e, f));
            ops.iter().for_each(|o| visit_op(&o.kind, f));
        }
        OpKind::Parse(_, e, _) | OpKind::ParseWhere(_, e, _) => visit(e, f),
        OpKind::MakeSeries(ms) => {
            for (a, d) in &ms.aggs {
                visit(&a.expr, f);
                if let Some(d) = d {
                    visit(d, f);
                }
            }
            assigns(&ms.by, f);
        }
        OpKind::Invoke(_, args) => args.iter().for_each(|e| visit(e, f)),
        OpKind::Evaluate(..)
        | OpKind::ProjectAway(_)
        | OpKind::ProjectKeep(_)
        | OpKind::ProjectRename(_)
        | OpKind::ProjectReorder(_)
        | OpKind::Count
        | OpKind::PassThrough
        | OpKind::GetSchema
        | OpKind::Unsupported(_) => {}
    }
}
