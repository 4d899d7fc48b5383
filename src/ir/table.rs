//! Resolved tables: columns with their origin, keys, indexes, checks,
//! policies, partitions and publications.
//!
//! Part of [`crate::ir`]; produced by [`crate::lower`], read by every later stage.

use super::*;

/// Why a column exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Declared,
    PrimaryKey,
    Tenant,
    Owner,
    Timestamp,
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    Public,
    Internal,
    Confidential,
    Pii,
    Phi,
}

impl Classification {
    pub const NAMES: [&'static str; 5] = ["public", "internal", "confidential", "pii", "phi"];

    pub fn parse(s: &str) -> Option<Classification> {
        Some(match s {
            "public" => Classification::Public,
            "internal" => Classification::Internal,
            "confidential" => Classification::Confidential,
            "pii" => Classification::Pii,
            "phi" => Classification::Phi,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Classification::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    pub name: String,
    pub ty: ast::TypeName,
    pub nullable: bool,
    pub default: Option<ast::SqlText>,
    pub unique: bool,
    pub check: Option<ast::SqlText>,
    pub generated: Option<ast::SqlText>,
    pub identity: bool,
    pub comment: Option<String>,
    pub classification: Option<Classification>,
    pub origin: Origin,
    /// The declaration (for derived columns: the item that caused it).
    pub span: Span,
    /// The name the column had before a rename (`was OLD`).
    pub was: Option<ast::Ident>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Table {
    pub name: String,
    pub span: Span,
    pub name_span: Span,
    /// The schema written before the name (`core.users`), if any.
    pub schema: Option<ast::Ident>,
    /// The name the table had before a rename (`table NEW was OLD`).
    pub was: Option<ast::Ident>,
    pub tenant: bool,
    pub global: bool,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub classification: Option<Classification>,
    /// `retain N UNIT [after COLUMN]`: how long rows are kept.
    pub retention: Option<retention::Retention>,
    /// `publish to PROJECT [(…)]`: replicated to that project's database.
    pub publish: Vec<Publish>,
    pub exemptions: Vec<Exemption>,
    /// Columns, indexes and policies are shared between copies of the
    /// table: a phase compared over the tables it touches copies each of
    /// them to renumber its foreign keys, and these lists are most of a
    /// table (lowering builds them through `Arc::make_mut`). Each column
    /// is shared too, between the versions of a table along a history: a
    /// phase that changes one column of a table keeps the others.
    pub columns: std::sync::Arc<Vec<std::sync::Arc<Column>>>,
    pub primary_key: Vec<String>,
    /// Where a composite `primary key (…)` was written.
    pub primary_key_span: Option<Span>,
    pub indexes: std::sync::Arc<Vec<Index>>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub policies: std::sync::Arc<Vec<Policy>>,
    pub partition: Option<Partition>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).map(|c| &**c)
    }

    pub fn is_exempt(&self, rule: &str) -> bool {
        self.exemptions.iter().any(|e| e.rule == rule)
    }
}

/// A table's `publish to PROJECT [(col, …)]`.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Publish {
    pub target: ast::Ident,
    /// The columns written, if any; otherwise every column but the
    /// `pii`/`phi` ones.
    pub columns: Option<Vec<ast::Ident>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Exemption {
    pub rule: String,
    pub reason: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub enum IndexKey {
    Column(String),
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct IndexElem {
    pub key: IndexKey,
    pub descending: bool,
    pub nulls_first: Option<bool>,
    pub opclass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Index {
    pub name: Option<String>,
    pub unique: bool,
    pub method: String,
    pub elems: Vec<IndexElem>,
    pub include: Vec<String>,
    pub predicate: Option<String>,
    /// Derived by sluice (FK or tenant column) rather than declared.
    pub derived: bool,
    pub span: Span,
}

impl Index {
    /// A btree index sluice derives on plain `columns` (not declared by the
    /// user), placed at `span`.
    pub fn derived_on(columns: &[String], unique: bool, span: Span) -> Index {
        Index {
            name: None,
            unique,
            method: "btree".into(),
            elems: columns
                .iter()
                .map(|c| IndexElem {
                    key: IndexKey::Column(c.clone()),
                    descending: false,
                    nulls_first: None,
                    opclass: None,
                })
                .collect(),
            include: Vec::new(),
            predicate: None,
            derived: true,
            span,
        }
    }

    /// Leading plain columns, for "is this FK covered" questions.
    pub fn leading_columns(&self) -> Vec<&str> {
        self.elems
            .iter()
            .map_while(|e| match &e.key {
                IndexKey::Column(c) => Some(c.as_str()),
                IndexKey::Expr(_) => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Check {
    pub name: Option<String>,
    /// Column-level checks name their column.
    pub column: Option<String>,
    pub expr: ast::SqlText,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn parse(s: &str) -> FkAction {
        match s.split_whitespace().collect::<Vec<_>>().join(" ").as_str() {
            "restrict" => FkAction::Restrict,
            "cascade" => FkAction::Cascade,
            "set null" => FkAction::SetNull,
            "set default" => FkAction::SetDefault,
            _ => FkAction::NoAction,
        }
    }

    pub fn as_sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// Index into the project's `tables`.
    pub table: usize,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    /// The columns `on delete set null` / `set default` applies to, when
    /// not all of them: a tenant-scoped reference keeps its tenant column.
    pub on_delete_columns: Vec<String>,
    /// False when the user wrote `no index`.
    pub indexed: bool,
    pub origin: Origin,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Command {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl Command {
    pub const NAMES: [&'static str; 5] = ["all", "select", "insert", "update", "delete"];

    pub fn parse(s: &str) -> Option<Command> {
        Some(match s {
            "all" => Command::All,
            "select" => Command::Select,
            "insert" => Command::Insert,
            "update" => Command::Update,
            "delete" => Command::Delete,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Command::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Policy {
    pub name: Option<String>,
    pub commands: Vec<Command>,
    pub roles: Vec<String>,
    pub using: ast::Pred,
    pub check: Option<ast::Pred>,
    /// No WITH CHECK clause: PostgreSQL checks with the USING expression.
    pub check_using: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Partition {
    pub method: String,
    pub columns: Vec<String>,
    pub count: Option<u64>,
    pub span: Span,
}
