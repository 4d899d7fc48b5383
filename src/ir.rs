//! The resolved model of a workspace: what [`crate::lower`] produces and
//! every later stage reads. Read-only after lowering.
//!
//! Names are resolved: foreign keys point at a table of the same project by
//! index, derived columns (primary key, tenant, owner, timestamps, audit)
//! are materialised with their origin, and conventions, tenancy and lint
//! levels are merged workspace → project.

pub mod access;
pub mod diff;
pub mod feed;
pub mod names;
pub mod notes;
pub mod object_shape;
pub mod reads;
pub mod retention;
pub mod shape;
mod table;
pub mod table_rename;

pub use table::*;

use std::collections::BTreeMap;

use crate::ast;
use crate::diagnostic::Severity;
use crate::span::Span;

#[derive(Debug, Clone, Hash)]
pub struct Workspace {
    pub name: String,
    pub span: Span,
    pub settings: Settings,
    pub roles: Vec<Role>,
    pub projects: Vec<Project>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Drizzle,
    Plain,
}

#[derive(Debug, Clone, Hash)]
pub struct Settings {
    pub out: String,
    /// `schema_ts "…"` of the workspace, `{project}` not yet replaced.
    pub schema_ts: Option<ast::StrLit>,
    pub postgres: u32,
    pub target: Target,
    pub lock_timeout_ms: u64,
    pub statement_timeout_ms: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            out: "drizzle".into(),
            schema_ts: None,
            postgres: 16,
            target: Target::Drizzle,
            lock_timeout_ms: 2_000,
            statement_timeout_ms: 60_000,
        }
    }
}

/// Naming cases the conventions can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    Snake,
    Pascal,
    Camel,
    ScreamingSnake,
}

#[derive(Debug, Clone, Hash)]
pub struct Conventions {
    pub primary_key: Option<PrimaryKeyConvention>,
    /// `created_at`, `updated_at`, `deleted_at` (any subset, in that role order).
    pub timestamps: Vec<String>,
    pub audit: Option<AuditConvention>,
    pub tables_case: Option<Case>,
    pub columns_case: Option<Case>,
    pub views_case: Option<Case>,
    pub functions_case: Option<Case>,
    pub schema_owner: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct PrimaryKeyConvention {
    pub column: String,
    pub ty: ast::TypeName,
    pub default: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct AuditConvention {
    pub columns: Vec<String>,
    /// `project.table.column` the audit columns refer to.
    pub references: Option<QualifiedColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedColumn {
    pub project: String,
    pub table: String,
    pub column: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Tenancy {
    pub column: String,
    pub ty: ast::TypeName,
    /// The tenant root (`core.orgs.id`): a real FK inside its project.
    pub references: Option<QualifiedColumn>,
    pub org_setting: String,
    pub user_setting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppRoles {
    /// A table of the same database holding (user, org, app, role) rows.
    Table { table: usize },
    /// A session setting holding the current user's role in this app.
    Setting(String),
}

#[derive(Debug, Clone, Hash)]
pub struct Role {
    pub name: String,
    pub login: bool,
    pub connection_limit: Option<u64>,
    pub owns_schema: bool,
    pub runtime: bool,
    /// `reads pii, phi`: the withheld classifications (see [`reads`])
    /// whose columns the role is granted; every other role's reads leave
    /// them out. Sorted, without repeats.
    pub reads: Vec<Classification>,
    pub grants: Vec<RoleGrant>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct RoleGrant {
    /// Lower-case privileges: `select`, `insert`, … `all`.
    pub privileges: Vec<String>,
    pub on: GrantOn,
    /// Why a privilege the runtime rules refuse is granted anyway
    /// (`unsafe "reason"`).
    pub reason: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GrantOn {
    AllTables,
    AllSequences,
    AllFunctions,
    Schema,
    /// Specific tables, by name (resolved per project when emitted).
    Tables(Vec<String>),
}

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, Default, Hash)]
pub struct LintConfig {
    /// Levels in force for this project (workspace levels, then its own).
    pub levels: BTreeMap<String, Level>,
    /// Levels set in `workspace.sluice` alone.
    pub workspace_levels: BTreeMap<String, Level>,
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct Project {
    pub name: String,
    pub span: Span,
    pub database: String,
    pub schema: String,
    pub postgres: u32,
    /// Output folder for this project (`<out>/<project>` by default).
    pub out: String,
    /// Where the project's drizzle-orm table definitions are written, if
    /// anywhere (`schema_ts`, `{project}` replaced).
    pub schema_ts: Option<SchemaTs>,
    pub app: Option<String>,
    pub app_roles: Option<AppRoles>,
    /// Index of the table every tenant table's writes are recorded in.
    pub audit_trail: Option<usize>,
    pub conventions: Conventions,
    pub tenancy: Option<Tenancy>,
    pub lint: LintConfig,
    pub extensions: Vec<Extension>,
    pub enums: Vec<Enum>,
    pub tables: Vec<std::sync::Arc<Table>>,
    /// Shared, like the tables: a history's phases that leave the views
    /// and functions alone hold those of the phase before them.
    pub views: std::sync::Arc<Vec<View>>,
    pub functions: std::sync::Arc<Vec<Function>>,
    /// In application order (file order, then `after`).
    pub migrations: Vec<Migration>,
    /// The tables the migration history builds, replayed from empty; `None`
    /// when the history could not be replayed (a cycle).
    pub replayed: Option<shape::Shapes>,
    /// The enums the migration history builds, replayed with the tables.
    pub replayed_enums: Option<shape::Enums>,
    /// The views and functions the migration history builds.
    pub replayed_objects: Option<object_shape::ObjectShapes>,
    /// The extensions and role grants the migration history leaves in
    /// place (of a phase's state: up to that phase).
    pub replayed_access: Option<access::Access>,
    /// The phases a build ships, in journal order, each with the schema
    /// after it; empty without a history (the declarations are the initial
    /// migration) or when the history could not be ordered.
    pub phases: Vec<Phase>,
}

/// One file of the journal: a phase of a migration and the schema after it.
#[derive(Debug, Clone, Hash)]
pub struct Phase {
    /// Index into [`Project::migrations`].
    pub migration: usize,
    pub kind: PhaseKind,
    pub state: Box<Project>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhaseKind {
    /// The first migration: creates the schema from an empty database.
    Initial,
    Expand,
    Contract,
}

impl PhaseKind {
    pub fn suffix(self) -> &'static str {
        match self {
            PhaseKind::Initial => "",
            PhaseKind::Expand => "_expand",
            PhaseKind::Contract => "_contract",
        }
    }
}

impl Project {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name).map(|t| &**t)
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }
}

/// The path of a project's generated TypeScript module and where it was set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaTs {
    pub path: String,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Enum {
    pub name: String,
    pub schema: Option<ast::Ident>,
    pub values: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct View {
    pub name: String,
    pub name_span: Span,
    pub schema: Option<ast::Ident>,
    pub materialized: bool,
    pub security_invoker: bool,
    pub comment: Option<String>,
    pub query: ast::SqlText,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Function {
    pub decl: ast::FunctionDecl,
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Migration {
    pub name: String,
    pub span: Span,
    /// `baseline`: replayed, never emitted (the database already has it).
    pub baseline: bool,
    /// Position in file order (0-based), before `after` reordering.
    pub file_order: usize,
    pub after: Vec<String>,
    /// Earlier migrations whose contract phase ships with this one.
    pub releases: Vec<ast::Release>,
    pub expand: Vec<ast::Step>,
    pub backfills: Vec<ast::Backfill>,
    pub contract: Vec<ast::Step>,
}
