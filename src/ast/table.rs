//! Table declarations as written: columns, indexes, keys, checks, policies.
//!
//! Part of [`crate::ast`]; produced by [`crate::parse`], read by [`crate::lower`].

use super::*;

// ─── tables ───

#[derive(Debug, Clone, Hash)]
pub struct TableDecl {
    pub name: Path,
    /// `was OLD`: the name before a rename (a hint for `sluice plan`).
    pub was: Option<Ident>,
    pub items: Vec<TableItem>,
    pub span: Span,
}

/// One item of a table's body. Its rare large items are boxed: every
/// column is an item, and an enum is as large as its largest variant.
/// A column is shared: replaying a history copies a table's declaration
/// at each step that changes it, and the copy of a column is then a count,
/// not its strings (a step that changes the column copies that one).
#[derive(Debug, Clone, Hash)]
pub enum TableItem {
    Tenant(Span),
    Global(Span),
    Owner(Ident),
    Comment(StrLit),
    Classify(Ident),
    /// `publish to PROJECT [(col, …)]`.
    Publish {
        target: Ident,
        columns: Option<Vec<Ident>>,
        span: Span,
    },
    Retain {
        amount: u64,
        unit: Ident,
        /// The timestamp column the period runs from (`after deleted_at`).
        after: Option<Ident>,
        span: Span,
    },
    Allow(Allow),
    Index(Box<IndexDef>),
    Unique(UniqueDef),
    Check(CheckDef),
    PrimaryKey {
        columns: Vec<Ident>,
        span: Span,
    },
    ForeignKey(Box<ForeignKeyDef>),
    Policy(Box<PolicyDef>),
    Partition(PartitionDef),
    Column(std::sync::Arc<ColumnDef>),
}

/// `allow rule-id "reason"`: exempts one object from one rule.
#[derive(Debug, Clone, Hash)]
pub struct Allow {
    pub rule: Ident,
    pub reason: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct ColumnDef {
    pub name: Ident,
    pub ty: TypeName,
    pub opts: Vec<ColumnOpt>,
    pub span: Span,
}

/// One option of a column. A reference is boxed: the other options are a
/// fifth of its size, and a column has several.
#[derive(Debug, Clone, Hash)]
pub enum ColumnOpt {
    NotNull(Span),
    Null(Span),
    Default(SqlText),
    Unique(Span),
    PrimaryKey(Span),
    Check(SqlText),
    References(Box<Reference>),
    Comment(StrLit),
    Classify(Ident),
    Generated(SqlText),
    Identity(Span),
    /// `was OLD`: the name the column had before a rename.
    Was(Ident),
}

#[derive(Debug, Clone, Hash)]
pub struct Reference {
    pub target: Path,
    pub columns: Vec<Ident>,
    pub on_delete: Option<Ident>,
    pub on_update: Option<Ident>,
    pub no_index: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct IndexDef {
    pub unique: bool,
    pub method: Option<Ident>,
    pub elems: Vec<IndexElem>,
    pub include: Vec<Ident>,
    pub predicate: Option<SqlText>,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub enum IndexKey {
    Column(Ident),
    Expr(SqlText),
}

#[derive(Debug, Clone, Hash)]
pub struct IndexElem {
    pub key: IndexKey,
    pub descending: bool,
    pub nulls: Option<Ident>,
    pub opclass: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct UniqueDef {
    pub columns: Vec<Ident>,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct CheckDef {
    pub expr: SqlText,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct ForeignKeyDef {
    pub columns: Vec<Ident>,
    pub reference: Reference,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct PartitionDef {
    pub method: Ident,
    pub columns: Vec<Ident>,
    pub count: Option<(u64, Span)>,
    pub span: Span,
}

// ─── policies ───

#[derive(Debug, Clone, Hash)]
pub struct PolicyDef {
    pub commands: Vec<Ident>,
    pub to: Vec<Ident>,
    pub using: Pred,
    pub check: Option<Pred>,
    /// `check using`: the policy has no WITH CHECK of its own.
    pub check_using: Option<Span>,
    pub name: Option<Ident>,
    pub span: Span,
}

/// A policy predicate in the DSL's small boolean language.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum Pred {
    Or(Vec<Pred>, Span),
    And(Vec<Pred>, Span),
    Not(Box<Pred>, Span),
    /// `role(admin, editor)`: the current user holds one of these app roles.
    Role(Vec<Ident>, Span),
    /// `sql(...)`: a raw SQL boolean expression.
    Sql(SqlText),
    /// `owner`: the row's owner column is the current user.
    Owner(Span),
    /// `tenant`: the row's tenant column is the current org.
    Tenant(Span),
    Bool(bool, Span),
}

impl Pred {
    pub fn span(&self) -> Span {
        match self {
            Pred::Or(_, s)
            | Pred::And(_, s)
            | Pred::Not(_, s)
            | Pred::Role(_, s)
            | Pred::Owner(s)
            | Pred::Tenant(s)
            | Pred::Bool(_, s) => *s,
            Pred::Sql(t) => t.span,
        }
    }
}
