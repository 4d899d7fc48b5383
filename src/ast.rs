//! The syntax tree of one `.sluice` file, exactly as written.
//!
//! Produced by [`crate::parse`], consumed by [`crate::lower`]. Every node
//! carries its span. Nothing is resolved here: names are plain identifiers,
//! SQL fragments are text, defaults are not applied.

use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `name`, `table.column` or `schema.table.column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub parts: Vec<Ident>,
    pub span: Span,
}

impl Path {
    pub fn last(&self) -> &Ident {
        self.parts.last().expect("a path has at least one part")
    }

    pub fn dotted(&self) -> String {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        names.join(".")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// SQL kept as text. `span` covers exactly `text` in the source, so an
/// sqlparser error position maps back to a DSL line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlText {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// As written, whitespace normalised: `numeric(12,2)`, `text[]`.
    pub text: String,
    /// Base name, lower case: `numeric`, `timestamp with time zone`.
    pub base: String,
    pub params: Vec<u64>,
    pub array_dims: usize,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Workspace(WorkspaceDecl),
    Conventions(ConventionsDecl),
    Tenancy(TenancyDecl),
    Role(RoleDecl),
    Lint(LintDecl),
    Extension(ExtensionDecl),
    Project(ProjectDecl),
    Table(TableDecl),
    View(ViewDecl),
    Function(FunctionDecl),
    Enum(EnumDecl),
    Migration(MigrationDecl),
}

impl Item {
    /// The keyword that introduces the item, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Item::Workspace(_) => "workspace",
            Item::Conventions(_) => "conventions",
            Item::Tenancy(_) => "tenancy",
            Item::Role(_) => "role",
            Item::Lint(_) => "lint",
            Item::Extension(_) => "extension",
            Item::Project(_) => "project",
            Item::Table(_) => "table",
            Item::View(_) => "view",
            Item::Function(_) => "function",
            Item::Enum(_) => "enum",
            Item::Migration(_) => "migration",
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Item::Workspace(d) => d.span,
            Item::Conventions(d) => d.span,
            Item::Tenancy(d) => d.span,
            Item::Role(d) => d.span,
            Item::Lint(d) => d.span,
            Item::Extension(d) => d.span,
            Item::Project(d) => d.span,
            Item::Table(d) => d.span,
            Item::View(d) => d.span,
            Item::Function(d) => d.span,
            Item::Enum(d) => d.span,
            Item::Migration(d) => d.span,
        }
    }
}

// ─── workspace-level settings ───

#[derive(Debug, Clone)]
pub struct WorkspaceDecl {
    pub name: Ident,
    pub out: Option<StrLit>,
    pub schema_ts: Option<StrLit>,
    pub postgres: Option<(u64, Span)>,
    pub target: Option<Ident>,
    pub lock_timeout: Option<Duration>,
    pub statement_timeout: Option<Duration>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub millis: u64,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct ConventionsDecl {
    pub primary_key: Option<PrimaryKeyConvention>,
    /// `None`: not said; `Some(empty)`: `timestamps off`.
    pub timestamps: Option<(Vec<Ident>, Span)>,
    pub audit: Option<AuditConvention>,
    pub naming: Vec<(Ident, Ident)>,
    pub schema_owner: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct PrimaryKeyConvention {
    pub column: Ident,
    pub ty: TypeName,
    pub default: Option<SqlText>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct AuditConvention {
    /// Empty for `audit off`.
    pub columns: Vec<Ident>,
    pub references: Option<Path>,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct TenancyDecl {
    /// `column org_id uuid [-> core.orgs.id]`
    pub column: Option<(Ident, TypeName, Option<Path>)>,
    pub org_from: Option<Ident>,
    pub user_from: Option<Ident>,
    pub app_roles: Option<AppRolesSource>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum AppRolesSource {
    Table(Path),
    Setting(Ident),
}

#[derive(Debug, Clone)]
pub struct RoleDecl {
    pub name: Ident,
    pub login: Option<(bool, Span)>,
    pub connection_limit: Option<(u64, Span)>,
    pub owns_schema: Option<Span>,
    pub runtime: Option<Span>,
    /// `reads phi`: classifications whose columns the role is granted.
    pub reads: Vec<Ident>,
    pub grants: Vec<Grant>,
    pub comment: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub privileges: Vec<Ident>,
    pub target: GrantTarget,
    /// `unsafe "reason"` on a role's grant: the outer option is the
    /// keyword, the inner the reason. (A grant step's is the step's.)
    pub unsafe_: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum GrantTarget {
    /// `on table a, b`
    Tables(Vec<Path>),
    /// `on tables`, `on sequences`, `on functions`, `on schema`, `on views`
    Kind(Ident),
}

#[derive(Debug, Clone, Default)]
pub struct LintDecl {
    pub levels: Vec<(Ident, Ident)>,
    pub excludes: Vec<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ExtensionDecl {
    pub name: Ident,
    pub schema: Option<Ident>,
    pub version: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ProjectDecl {
    pub name: Ident,
    pub database: Option<Ident>,
    pub schema: Option<Ident>,
    pub postgres: Option<(u64, Span)>,
    pub out: Option<StrLit>,
    pub schema_ts: Option<StrLit>,
    pub app: Option<StrLit>,
    pub app_roles: Option<(AppRolesSource, Span)>,
    pub audit_trail: Option<Ident>,
    pub conventions: Vec<ConventionsDecl>,
    pub tenancy: Vec<TenancyDecl>,
    pub lint: Vec<LintDecl>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct EnumDecl {
    pub name: Path,
    pub values: Vec<StrLit>,
    pub span: Span,
}

// ─── tables ───

#[derive(Debug, Clone)]
pub struct TableDecl {
    pub name: Path,
    pub items: Vec<TableItem>,
    pub span: Span,
}

#[derive(Debug, Clone)]
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
    Index(IndexDef),
    Unique(UniqueDef),
    Check(CheckDef),
    PrimaryKey {
        columns: Vec<Ident>,
        span: Span,
    },
    ForeignKey(ForeignKeyDef),
    Policy(PolicyDef),
    Partition(PartitionDef),
    Column(ColumnDef),
}

/// `allow rule-id "reason"`: exempts one object from one rule.
#[derive(Debug, Clone)]
pub struct Allow {
    pub rule: Ident,
    pub reason: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub name: Ident,
    pub ty: TypeName,
    pub opts: Vec<ColumnOpt>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ColumnOpt {
    NotNull(Span),
    Null(Span),
    Default(SqlText),
    Unique(Span),
    PrimaryKey(Span),
    Check(SqlText),
    References(Reference),
    Comment(StrLit),
    Classify(Ident),
    Generated(SqlText),
    Identity(Span),
    /// `was OLD`: the name the column had before a rename.
    Was(Ident),
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub target: Path,
    pub columns: Vec<Ident>,
    pub on_delete: Option<Ident>,
    pub on_update: Option<Ident>,
    pub no_index: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct IndexDef {
    pub unique: bool,
    pub method: Option<Ident>,
    pub elems: Vec<IndexElem>,
    pub include: Vec<Ident>,
    pub predicate: Option<SqlText>,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum IndexKey {
    Column(Ident),
    Expr(SqlText),
}

#[derive(Debug, Clone)]
pub struct IndexElem {
    pub key: IndexKey,
    pub descending: bool,
    pub nulls: Option<Ident>,
    pub opclass: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct UniqueDef {
    pub columns: Vec<Ident>,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct CheckDef {
    pub expr: SqlText,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ForeignKeyDef {
    pub columns: Vec<Ident>,
    pub reference: Reference,
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct PartitionDef {
    pub method: Ident,
    pub columns: Vec<Ident>,
    pub count: Option<(u64, Span)>,
    pub span: Span,
}

// ─── policies ───

#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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

// ─── views and functions ───

#[derive(Debug, Clone)]
pub struct ViewDecl {
    pub name: Path,
    pub materialized: bool,
    pub security_invoker: bool,
    pub comment: Option<StrLit>,
    pub query: Option<SqlText>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct FunctionDecl {
    pub name: Path,
    pub params: Vec<(Ident, TypeName)>,
    pub setof: bool,
    pub returns: TypeName,
    pub language: Option<Ident>,
    pub volatility: Option<Ident>,
    pub security_definer: Option<(bool, Span)>,
    pub settings: Vec<(Ident, SqlText)>,
    pub comment: Option<StrLit>,
    pub body: Option<SqlText>,
    pub span: Span,
}

// ─── migrations ───

#[derive(Debug, Clone)]
pub struct MigrationDecl {
    pub name: Ident,
    /// `baseline`: the objects it creates already exist; nothing is emitted.
    pub baseline: Option<Span>,
    pub after: Vec<Ident>,
    pub releases: Vec<Release>,
    pub expand: Vec<Step>,
    pub backfills: Vec<Backfill>,
    pub contract: Vec<Step>,
    pub span: Span,
}

/// `release M [together "reason"]`
#[derive(Debug, Clone)]
pub struct Release {
    pub migration: Ident,
    /// `together "reason"`: the outer option is the keyword, the inner the reason.
    pub together: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Backfill {
    /// `table.column`
    pub target: Path,
    pub expr: SqlText,
    pub filter: Option<SqlText>,
    pub batch: Option<(u64, Span)>,
    pub pause: Option<Duration>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    /// `unsafe "reason"`: the outer option is the keyword, the inner the reason.
    pub unsafe_: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    CreateTable(TableDecl),
    CreateView(ViewDecl),
    CreateFunction(FunctionDecl),
    CreateEnum(EnumDecl),
    CreateExtension(ExtensionDecl),
    AddColumn {
        column: Path,
        def: ColumnDef,
    },
    AddIndex {
        table: Path,
        index: IndexDef,
    },
    AddForeignKey {
        table: Path,
        columns: Vec<Ident>,
        reference: Reference,
        name: Option<Ident>,
    },
    AddCheck {
        table: Path,
        check: CheckDef,
    },
    AddUnique {
        table: Path,
        unique: UniqueDef,
    },
    AddPolicy {
        table: Path,
        policy: PolicyDef,
    },
    AddEnumValue {
        value: StrLit,
        enum_name: Path,
        position: Option<(bool, StrLit)>,
    },
    SetNotNull(Path),
    DropNotNull(Path),
    SetDefault {
        column: Path,
        expr: SqlText,
    },
    DropDefault(Path),
    ChangeType {
        column: Path,
        ty: TypeName,
        using: Option<SqlText>,
    },
    RenameColumn {
        column: Path,
        to: Ident,
    },
    RenameTable {
        table: Path,
        to: Ident,
    },
    DropPolicy {
        table: Path,
        policy: Ident,
    },
    /// `drop table|column|index|view|function|constraint|enum|extension X`
    Drop {
        kind: Ident,
        target: Path,
    },
    EnableRls(Path),
    Grant {
        grant: Grant,
        roles: Vec<Ident>,
    },
    Revoke {
        grant: Grant,
        roles: Vec<Ident>,
    },
    Sql {
        forward: SqlText,
        inverse: Inverse,
    },
}

#[derive(Debug, Clone)]
pub enum Inverse {
    Missing,
    Sql(SqlText),
    Irreversible(Option<StrLit>, Span),
}
