//! The resolved model of a workspace: what [`crate::lower`] produces and
//! every later stage reads. Read-only after lowering.
//!
//! Names are resolved: foreign keys point at a table of the same project by
//! index, derived columns (primary key, tenant, owner, timestamps, audit)
//! are materialised with their origin, and conventions, tenancy and lint
//! levels are merged workspace → project.

pub mod diff;
pub mod names;
pub mod retention;
pub mod shape;

use std::collections::BTreeMap;

use crate::ast;
use crate::diagnostic::Severity;
use crate::span::Span;

#[derive(Debug, Clone)]
pub struct Workspace {
    pub name: String,
    pub span: Span,
    pub settings: Settings,
    pub roles: Vec<Role>,
    pub projects: Vec<Project>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Drizzle,
    Plain,
}

#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Snake,
    Pascal,
    Camel,
    ScreamingSnake,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct PrimaryKeyConvention {
    pub column: String,
    pub ty: ast::TypeName,
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuditConvention {
    pub columns: Vec<String>,
    /// `project.table.column` the audit columns refer to.
    pub references: Option<QualifiedColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifiedColumn {
    pub project: String,
    pub table: String,
    pub column: String,
}

#[derive(Debug, Clone)]
pub struct Tenancy {
    pub column: String,
    pub ty: ast::TypeName,
    /// The tenant root (`core.orgs.id`): a real FK inside its project.
    pub references: Option<QualifiedColumn>,
    pub org_setting: String,
    pub user_setting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoles {
    /// A table of the same database holding (user, org, app, role) rows.
    Table { table: usize },
    /// A session setting holding the current user's role in this app.
    Setting(String),
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub login: bool,
    pub connection_limit: Option<u64>,
    pub owns_schema: bool,
    pub runtime: bool,
    /// `reads phi`: granted the columns classified `phi`, which every
    /// other role's reads leave out.
    pub reads_phi: bool,
    pub grants: Vec<RoleGrant>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RoleGrant {
    /// Lower-case privileges: `select`, `insert`, … `all`.
    pub privileges: Vec<String>,
    pub on: GrantOn,
    /// Why a privilege the runtime rules refuse is granted anyway
    /// (`unsafe "reason"`).
    pub reason: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOn {
    AllTables,
    AllSequences,
    AllFunctions,
    Schema,
    /// Specific tables, by name (resolved per project when emitted).
    Tables(Vec<String>),
}

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, Default)]
pub struct LintConfig {
    /// Levels in force for this project (workspace levels, then its own).
    pub levels: BTreeMap<String, Level>,
    /// Levels set in `workspace.sluice` alone.
    pub workspace_levels: BTreeMap<String, Level>,
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone)]
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
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    pub functions: Vec<Function>,
    /// In application order (file order, then `after`).
    pub migrations: Vec<Migration>,
    /// The tables the migration history builds, replayed from empty; `None`
    /// when the history could not be replayed (a cycle).
    pub replayed: Option<shape::Shapes>,
    /// The enums the migration history builds, replayed with the tables.
    pub replayed_enums: Option<shape::Enums>,
    /// The phases a build ships, in journal order, each with the schema
    /// after it; empty without a history (the declarations are the initial
    /// migration) or when the history could not be ordered.
    pub phases: Vec<Phase>,
}

/// One file of the journal: a phase of a migration and the schema after it.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Index into [`Project::migrations`].
    pub migration: usize,
    pub kind: PhaseKind,
    pub state: Box<Project>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }
}

/// The path of a project's generated TypeScript module and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaTs {
    pub path: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub schema: Option<ast::Ident>,
    pub values: Vec<String>,
    pub span: Span,
}

/// Why a column exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Declared,
    PrimaryKey,
    Tenant,
    Owner,
    Timestamp,
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub span: Span,
    pub name_span: Span,
    /// The schema written before the name (`core.users`), if any.
    pub schema: Option<ast::Ident>,
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
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    /// Where a composite `primary key (…)` was written.
    pub primary_key_span: Option<Span>,
    pub indexes: Vec<Index>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub policies: Vec<Policy>,
    pub partition: Option<Partition>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn is_exempt(&self, rule: &str) -> bool {
        self.exemptions.iter().any(|e| e.rule == rule)
    }
}

/// A table's `publish to PROJECT [(col, …)]`.
#[derive(Debug, Clone)]
pub struct Publish {
    pub target: ast::Ident,
    /// The columns written, if any; otherwise every column but the
    /// `pii`/`phi` ones.
    pub columns: Option<Vec<ast::Ident>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Exemption {
    pub rule: String,
    pub reason: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum IndexKey {
    Column(String),
    Expr(String),
}

#[derive(Debug, Clone)]
pub struct IndexElem {
    pub key: IndexKey,
    pub descending: bool,
    pub nulls_first: Option<bool>,
    pub opclass: Option<String>,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub name: Option<String>,
    /// Column-level checks name their column.
    pub column: Option<String>,
    pub expr: ast::SqlText,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Partition {
    pub method: String,
    pub columns: Vec<String>,
    pub count: Option<u64>,
    pub span: Span,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Function {
    pub decl: ast::FunctionDecl,
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
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
