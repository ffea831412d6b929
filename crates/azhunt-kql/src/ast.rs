//! Syntax tree.
//!
//! Scalar and tabular expressions share one [`Expr`] type because KQL decides between them by
//! what a name refers to (`let T = AzureActivity;` vs `let x = 5;`), which is only known during
//! evaluation. Every node that can fail at run time carries its byte offset for error carets.

use crate::value::{Type, Value};

/// A whole query: statements, the last of which is normally a tabular expression.
#[derive(Debug, Clone)]
pub struct Query {
    /// `let` statements and expression statements, in order.
    pub stmts: Vec<Stmt>,
}

/// A statement.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// `let name = value;`
    Let {
        /// Bound name.
        name: String,
        /// Bound value.
        value: LetValue,
        /// Offset of the name.
        offset: usize,
    },
    /// A bare expression (the query result when last).
    Expr(Expr),
}

/// What a `let` binds.
#[derive(Debug, Clone)]
pub enum LetValue {
    /// A scalar or tabular expression.
    Expr(Expr),
    /// A user function `(params) { body }`.
    Func(Func),
}

/// A user-defined function.
#[derive(Debug, Clone)]
pub struct Func {
    /// Parameters (name, default value).
    pub params: Vec<(String, Option<Expr>)>,
    /// Body statements; the last is the result.
    pub body: Vec<Stmt>,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`
    And,
    /// `or`
    Or,
    /// String operator (`has`, `=~`, `contains_cs`, `matches regex`, …) by name.
    Str(StrOp),
}

/// String predicates; `negated` forms are represented by `StrOp` plus a flag in [`Expr::StrCmp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrOp {
    /// `=~`
    EqCi,
    /// `has`
    Has,
    /// `has_cs`
    HasCs,
    /// `hasprefix`
    HasPrefix,
    /// `hasprefix_cs`
    HasPrefixCs,
    /// `hassuffix`
    HasSuffix,
    /// `hassuffix_cs`
    HasSuffixCs,
    /// `contains`
    Contains,
    /// `contains_cs`
    ContainsCs,
    /// `startswith`
    StartsWith,
    /// `startswith_cs`
    StartsWithCs,
    /// `endswith`
    EndsWith,
    /// `endswith_cs`
    EndsWithCs,
    /// `matches regex`
    Regex,
}

/// List predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOp {
    /// `in`
    In,
    /// `in~`
    InCi,
    /// `has_any`
    HasAny,
    /// `has_all`
    HasAll,
}

/// An expression (scalar or tabular).
#[derive(Debug, Clone)]
pub enum Expr {
    /// A literal.
    Lit(Value),
    /// A column, variable, table or function name.
    Name(String, usize),
    /// `*` (inside `arg_max(x, *)`, `count(*)`).
    Star(usize),
    /// `e.name`
    Member(Box<Expr>, String, usize),
    /// `e[index]`
    Index(Box<Expr>, Box<Expr>, usize),
    /// `-e`
    Neg(Box<Expr>, usize),
    /// `not e` / `!e`
    Not(Box<Expr>, usize),
    /// Arithmetic, comparison, logic.
    Bin(BinOp, Box<Expr>, Box<Expr>, usize),
    /// String predicate, possibly negated (`!has`).
    StrCmp(StrOp, bool, Box<Expr>, Box<Expr>, usize),
    /// `x [!]in (list)`, `has_any(...)`; the list may contain a tabular expression.
    List(ListOp, bool, Box<Expr>, Vec<Expr>, usize),
    /// `x [!]between (lo .. hi)`
    Between(bool, Box<Expr>, Box<Expr>, Box<Expr>, usize),
    /// `name(args)`
    Call(String, Vec<Expr>, usize),
    /// A pipeline: source followed by tabular operators.
    Pipe(Box<Expr>, Vec<Op>),
    /// `datatable(cols)[values]`
    DataTable(Vec<(String, Type)>, Vec<Expr>, usize),
    /// `union [withsource=N] T1, T2`
    Union(Union, usize),
    /// A tabular operator with no input that is not supported as a source (kept to report).
    Unsupported(String, usize),
}

impl Expr {
    /// Byte offset of the expression (best effort).
    pub fn offset(&self) -> usize {
        match self {
            Expr::Lit(_) => 0,
            Expr::Name(_, o)
            | Expr::Star(o)
            | Expr::Member(_, _, o)
            | Expr::Index(_, _, o)
            | Expr::Neg(_, o)
            | Expr::Not(_, o)
            | Expr::Bin(_, _, _, o)
            | Expr::StrCmp(_, _, _, _, o)
            | Expr::List(_, _, _, _, o)
            | Expr::Between(_, _, _, _, o)
            | Expr::Call(_, _, o)
            | Expr::DataTable(_, _, o)
            | Expr::Union(_, o)
            | Expr::Unsupported(_, o) => *o,
            Expr::Pipe(src, _) => src.offset(),
        }
    }
}

/// One `mv-expand`/`mv-apply` item: optional name, expression, optional `to typeof(t)`.
pub type MvItem = (Option<String>, Expr, Option<Type>);

/// `union` parameters.
#[derive(Debug, Clone)]
pub struct Union {
    /// `withsource=` column name.
    pub with_source: Option<String>,
    /// `isfuzzy=true`: missing tables are skipped.
    pub fuzzy: bool,
    /// `kind=inner`: keep only common columns.
    pub inner: bool,
    /// Tables (names may carry `*` wildcards).
    pub tables: Vec<Expr>,
}

/// `name = expr` or bare `expr` (in project, extend, summarize, by).
#[derive(Debug, Clone)]
pub struct Assign {
    /// Explicit output name(s); more than one for `(a, b) = ...`.
    pub names: Vec<String>,
    /// The expression.
    pub expr: Expr,
}

/// A sort key.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// Expression to sort by.
    pub expr: Expr,
    /// Ascending?
    pub asc: bool,
    /// Nulls first? (default: first for asc, last for desc)
    pub nulls_first: bool,
}

/// Join flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// default: dedupe left on keys, then inner
    InnerUnique,
    /// all matching pairs
    Inner,
    /// left rows plus matches or nulls
    LeftOuter,
    /// right rows plus matches or nulls
    RightOuter,
    /// both sides
    FullOuter,
    /// left rows without a match
    LeftAnti,
    /// right rows without a match
    RightAnti,
    /// left rows with a match
    LeftSemi,
    /// right rows with a match
    RightSemi,
}

/// `make-series` parameters.
#[derive(Debug, Clone)]
pub struct MakeSeries {
    /// Aggregations with their `default =` values.
    pub aggs: Vec<(Assign, Option<Expr>)>,
    /// Axis column (or expression).
    pub axis: Expr,
    /// `from` (default: smallest axis value).
    pub from: Option<Expr>,
    /// `to`, exclusive (default: past the largest axis value).
    pub to: Option<Expr>,
    /// `step`.
    pub step: Expr,
    /// `by` keys.
    pub by: Vec<Assign>,
}

/// One element of a `parse` pattern.
#[derive(Debug, Clone)]
pub enum ParsePart {
    /// A literal (or regex in `kind=regex`).
    Lit(String),
    /// `*`
    Star,
    /// `name[:type]`
    Col(String, Type),
}

/// A tabular operator with its offset.
#[derive(Debug, Clone)]
pub struct Op {
    /// The operator.
    pub kind: OpKind,
    /// Offset of the operator keyword.
    pub offset: usize,
}

/// Tabular operators.
#[derive(Debug, Clone)]
pub enum OpKind {
    /// `where pred`
    Where(Expr),
    /// `project`
    Project(Vec<Assign>),
    /// `project-away` (patterns may contain `*`)
    ProjectAway(Vec<String>),
    /// `project-keep`
    ProjectKeep(Vec<String>),
    /// `project-rename new = old`
    ProjectRename(Vec<(String, String)>),
    /// `project-reorder`
    ProjectReorder(Vec<String>),
    /// `extend`
    Extend(Vec<Assign>),
    /// `summarize aggs by keys`
    Summarize(Vec<Assign>, Vec<Assign>),
    /// `sort by` / `order by`
    Sort(Vec<SortKey>),
    /// `top N by key`
    Top(Expr, SortKey),
    /// `take N` / `limit N`
    Take(Expr),
    /// `distinct cols` (empty = `*`)
    Distinct(Vec<Assign>),
    /// `count`
    Count,
    /// `join kind=K (right) on keys`; keys are (left column, right column).
    Join(JoinKind, Box<Expr>, Vec<(String, String)>),
    /// `lookup kind=K (right) on keys`
    Lookup(bool, Box<Expr>, Vec<(String, String)>),
    /// `union T2, ...` (input is the first table)
    Union(Union),
    /// `mv-expand name = expr to typeof(t), ...` with optional `limit`.
    MvExpand(Vec<MvItem>, Option<i64>),
    /// `mv-apply name = expr [to typeof(t)] on (subquery)`
    MvApply(Vec<MvItem>, Vec<Op>),
    /// `parse [kind=regex] expr with pattern`
    Parse(bool, Expr, Vec<ParsePart>),
    /// `parse-where`: like `parse`, dropping rows that do not match.
    ParseWhere(bool, Expr, Vec<ParsePart>),
    /// `make-series aggs on Axis from a to b step s by keys` (see [`MakeSeries`]).
    MakeSeries(Box<MakeSeries>),
    /// `render` (ignored), `serialize`, `as` and other pass-through operators.
    PassThrough,
    /// `getschema`
    GetSchema,
    /// `evaluate bag_unpack(col)` and other plugins (by name).
    Evaluate(String, Vec<Expr>),
    /// `invoke f(args)`: the user function `f` with the piped table as its first argument.
    Invoke(String, Vec<Expr>),
    /// An operator that parses but cannot run (name).
    Unsupported(String),
}
