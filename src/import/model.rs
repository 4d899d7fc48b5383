//! The catalog of one schema as plain rows: what [`super::catalog`] reads
//! and the writers turn into declarations. No behaviour beyond lookups.

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub schema: String,
    pub schema_owner: String,
    pub tables: Vec<Table>,
    pub partitions: Vec<Partition>,
    pub enums: Vec<Enum>,
    pub views: Vec<View>,
    pub functions: Vec<Function>,
    pub extensions: Vec<Extension>,
    pub triggers: Vec<Trigger>,
    pub rules: Vec<Rule>,
    pub grants: Vec<Grant>,
    pub default_privileges: Vec<DefaultPrivilege>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub oid: i64,
    pub name: String,
    pub partitioned: bool,
    pub rls: bool,
    pub force_rls: bool,
    pub owner: String,
    pub comment: Option<String>,
    pub partition_key: Option<String>,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Index>,
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// `a` (always), `d` (by default) or empty.
    pub identity: String,
    /// `s` (stored) or empty.
    pub generated: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub name: String,
    /// `p`, `u`, `c`, `f` or `x`.
    pub kind: String,
    pub definition: String,
    pub columns: Vec<String>,
    pub ref_table: Option<String>,
    pub ref_schema: Option<String>,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
    pub check: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub method: String,
    pub keys: Vec<String>,
    pub options: Vec<i32>,
    pub opclasses: Vec<String>,
    pub include: Vec<String>,
    pub predicate: Option<String>,
    pub definition: String,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    /// `r` select, `a` insert, `w` update, `d` delete, `*` all.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub check: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Partition {
    pub parent: String,
    pub name: String,
    pub bound: String,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct View {
    pub name: String,
    pub materialized: bool,
    pub security_invoker: bool,
    pub body: String,
    pub comment: Option<String>,
    pub owner: String,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub arguments: String,
    pub result: String,
    pub language: String,
    pub volatility: String,
    pub security_definer: bool,
    pub config: Vec<String>,
    pub body: String,
    pub comment: Option<String>,
    pub definition: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub name: String,
    pub schema: String,
    pub version: String,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub table: String,
    pub name: String,
    pub function: String,
    pub definition: String,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub table: String,
    pub name: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// `table`, `function` or `schema`.
    pub kind: String,
    pub object: String,
    pub grantee: String,
    pub privilege: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultPrivilege {
    pub creator: String,
    pub object_kind: String,
    pub grantee: String,
    pub privilege: String,
    /// Of the imported schema; else of every schema.
    pub in_schema: bool,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub login: bool,
    pub connection_limit: i64,
    pub comment: Option<String>,
}
