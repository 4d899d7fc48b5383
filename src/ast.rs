//! The syntax tree of one `.sluice` file, exactly as written.
//!
//! Produced by [`crate::parse`], consumed by [`crate::lower`]. Every node
//! carries its span. Nothing is resolved here: names are plain identifiers,
//! SQL fragments are text, defaults are not applied.

mod annotate;
mod migration;
mod table;

pub use annotate::*;
pub use migration::*;
pub use table::*;

use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `name`, `table.column` or `schema.table.column`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// SQL kept as text. `span` covers exactly `text` in the source, so an
/// sqlparser error position maps back to a DSL line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SqlText {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeName {
    /// As written, whitespace normalised: `numeric(12,2)`, `text[]`.
    pub text: String,
    /// Base name, lower case: `numeric`, `timestamp with time zone`.
    pub base: String,
    pub params: Vec<u64>,
    pub array_dims: usize,
    pub span: Span,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Hash)]
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

#[derive(Debug, Clone, Hash)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub millis: u64,
    pub span: Span,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct ConventionsDecl {
    pub primary_key: Option<PrimaryKeyConvention>,
    /// `None`: not said; `Some(empty)`: `timestamps off`.
    pub timestamps: Option<(Vec<Ident>, Span)>,
    pub audit: Option<AuditConvention>,
    pub naming: Vec<(Ident, Ident)>,
    pub schema_owner: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct PrimaryKeyConvention {
    pub column: Ident,
    pub ty: TypeName,
    pub default: Option<SqlText>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct AuditConvention {
    /// Empty for `audit off`.
    pub columns: Vec<Ident>,
    pub references: Option<Path>,
    pub span: Span,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct TenancyDecl {
    /// `column org_id uuid [-> core.orgs.id]`
    pub column: Option<(Ident, TypeName, Option<Path>)>,
    pub org_from: Option<Ident>,
    pub user_from: Option<Ident>,
    pub app_roles: Option<AppRolesSource>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub enum AppRolesSource {
    Table(Path),
    Setting(Ident),
}

#[derive(Debug, Clone, Hash)]
pub struct RoleDecl {
    pub name: Ident,
    pub login: Option<(bool, Span)>,
    pub connection_limit: Option<(u64, Span)>,
    pub owns_schema: Option<Span>,
    pub runtime: Option<Span>,
    /// `reads pii, phi`: classifications whose columns the role is granted.
    pub reads: Vec<Ident>,
    pub grants: Vec<Grant>,
    pub comment: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Grant {
    pub privileges: Vec<Ident>,
    pub target: GrantTarget,
    /// `unsafe "reason"` on a role's grant: the outer option is the
    /// keyword, the inner the reason. (A grant step's is the step's.)
    pub unsafe_: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub enum GrantTarget {
    /// `on table a, b`
    Tables(Vec<Path>),
    /// `on tables`, `on sequences`, `on functions`, `on schema`, `on views`
    Kind(Ident),
}

#[derive(Debug, Clone, Default, Hash)]
pub struct LintDecl {
    pub levels: Vec<(Ident, Ident)>,
    pub excludes: Vec<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct ExtensionDecl {
    pub name: Ident,
    pub schema: Option<Ident>,
    pub version: Option<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
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

#[derive(Debug, Clone, Hash)]
pub struct EnumDecl {
    pub name: Path,
    pub values: Vec<StrLit>,
    pub span: Span,
}

// ─── views and functions ───

#[derive(Debug, Clone, Hash)]
pub struct ViewDecl {
    pub name: Path,
    pub materialized: bool,
    pub security_invoker: bool,
    pub comment: Option<StrLit>,
    pub query: Option<SqlText>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
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
