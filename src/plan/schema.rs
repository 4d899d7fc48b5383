//! The statements that create a project's declared schema in an empty
//! database: schema and owner, roles, extensions, enums, tables (with every
//! derived column), partitions, foreign keys, indexes, row-level security
//! and policies, triggers and their functions, functions, views, comments,
//! grants and default privileges. Each statement knows what it creates and
//! needs; [`super::order`] sorts them.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use serde::Serialize;

mod policies;
mod preamble;
mod publication;
mod received;
mod retention;
mod retention_schedule;
mod tables;

use super::order::order;
use super::stmt::{Key, Stmt};
use super::target::Target;
use super::Plan;
use crate::ir::*;

/// Canonical ranks: the order statements appear in when dependencies allow.
pub(super) mod rank {
    pub const ROLE: u8 = 0;
    pub const SCHEMA: u8 = 1;
    pub const EXTENSION: u8 = 2;
    pub const TYPE: u8 = 3;
    pub const TABLE: u8 = 4;
    pub const FOREIGN_KEY: u8 = 5;
    pub const INDEX: u8 = 6;
    pub const FUNCTION: u8 = 7;
    pub const TRIGGER: u8 = 8;
    pub const RLS: u8 = 9;
    pub const POLICY: u8 = 10;
    pub const VIEW: u8 = 11;
    pub const COMMENT: u8 = 12;
    pub const GRANT: u8 = 13;
}

#[derive(Serialize)]
struct ColumnCtx {
    name: String,
    ty: String,
    nullable: bool,
    default: Option<String>,
    generated: Option<String>,
    identity: bool,
}

#[derive(Serialize)]
struct ConstraintCtx {
    name: String,
    kind: &'static str,
    columns: Vec<String>,
    expr: Option<String>,
}

#[derive(Serialize)]
struct PartitionCtx {
    method: String,
    columns: Vec<String>,
}

/// The plan that creates `project` from an empty database, and its rollback.
pub fn initial(ws: &Workspace, project: &Project) -> Plan {
    initial_of(ws, project, Scope::WHOLE)
}

/// How much of a project a plan makes.
#[derive(Clone, Copy)]
pub struct Scope<'f> {
    /// How far each table is planned.
    pub tables: &'f dyn Fn(&Table) -> Tabled,
    /// Whether the objects no table owns and no table's content decides
    /// are planned: the roles, the schema, the extensions, the enums, the
    /// received tables, the grants and default privileges. A comparison
    /// of two states whose extensions, enums, carried access and table
    /// names are the same leaves them out of both plans: they would plan
    /// alike, and the comparison would drop them.
    pub shared: bool,
}

impl Scope<'static> {
    /// Every table whole, and the shared objects.
    pub const WHOLE: Scope<'static> = Scope {
        tables: &|_| Tabled::Whole,
        shared: true,
    };
}

/// How much of a table a plan makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tabled {
    /// Every statement of the table.
    Whole,
    /// Every statement but those of the kinds [`Alike`] names: a table a
    /// phase changes, compared with itself in the state before, whose
    /// statements of those kinds plan alike in both states and are waited
    /// for by no other statement. Left out of both plans, they are
    /// reported by neither, and the order of the rest is the same.
    Except(Alike),
    /// Its foreign keys only.
    Keys,
    /// The indexes a foreign key may stand on, only: what a key's
    /// statement looks up of its target. The rest plan alike in both
    /// states and nothing waits for them, so leaving them out moves no
    /// other statement.
    Indexes,
    /// Nothing: the table stays in the project for what other tables look
    /// up (a key's target, the app roles table).
    Not,
}

/// The kinds of a table's statements that plan alike in both states of a
/// comparison (see [`Tabled::Except`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Alike {
    /// Its create and drop are in both plans, told apart by label only
    /// (a table's own changes come from the steps' recipes): made
    /// without the context no comparison renders.
    pub table: bool,
    /// Its row-level security and its policies.
    pub policies: bool,
    /// Its indexes no foreign key may stand on (a key's statement waits
    /// for the others).
    pub indexes: bool,
    /// Its comments and its columns'.
    pub comments: bool,
}

/// [`initial`] of as much as `scope` says.
pub fn initial_of(ws: &Workspace, project: &Project, scope: Scope) -> Plan {
    let p = planned(ws, project, scope);
    let forward = order(p.forward);
    // Undo in reverse: dependents are removed before what they depend on.
    let mut rollback = order(p.rollback);
    rollback.reverse();
    Plan { forward, rollback }
}

/// The policies of `project`'s tables (and their retention's purge
/// policies), unordered: what the snapshot lists. Planned without the
/// rest of the schema, which a reader of policies does not need.
pub fn policies(ws: &Workspace, project: &Project) -> Vec<Stmt> {
    let mut p = Planner::new(ws, project);
    for t in &project.tables {
        p.policies(t);
    }
    p.retention();
    p.forward
}

fn planned<'a>(ws: &'a Workspace, project: &'a Project, scope: Scope) -> Planner<'a> {
    let mut p = Planner::new(ws, project);
    if scope.shared {
        p.roles();
        p.schema();
        p.extensions();
        p.enums();
    }
    for t in &project.tables {
        match (scope.tables)(t) {
            Tabled::Whole => p.table(t, Alike::default()),
            Tabled::Except(alike) => p.table(t, alike),
            Tabled::Keys => p.foreign_keys(t),
            Tabled::Indexes => p.key_indexes(t),
            Tabled::Not => {}
        }
    }
    if scope.shared {
        p.received();
    }
    p.trigger_functions();
    p.functions();
    p.retention();
    p.publications();
    p.views();
    if scope.shared {
        p.grants();
    }
    let names: Vec<&str> = project.tables.iter().map(|t| t.name.as_str()).collect();
    let mut deps = p.all_tables();
    deps.push(Key::Schema);
    let roles = crate::ir::access::carried_roles(&ws.roles, project);
    for s in super::classified_reads::column_reads(&roles, project, &names, &deps) {
        p.push(rank::GRANT, s);
    }
    p
}

pub(super) struct Planner<'a> {
    pub ws: &'a Workspace,
    pub project: &'a Project,
    pub forward: Vec<Stmt>,
    pub rollback: Vec<Stmt>,
    /// The rank of the latest forward statement creating each key: what
    /// an owner statement takes from its object, looked up, not scanned.
    ranks: HashMap<Key, u8, FixedState>,
    /// The keys of every table, made on first use (see [`Key::Tables`]).
    tables: std::cell::OnceCell<std::sync::Arc<[Key]>>,
}

impl<'a> Planner<'a> {
    fn new(ws: &'a Workspace, project: &'a Project) -> Planner<'a> {
        Planner {
            ws,
            project,
            forward: Vec::new(),
            rollback: Vec::new(),
            ranks: HashMap::default(),
            tables: Default::default(),
        }
    }

    pub(super) fn schema_name(&self) -> &'a str {
        &self.project.schema
    }

    pub(super) fn owner(&self) -> Option<&'a str> {
        schema_owner(self.ws, self.project)
    }

    /// Every table, as one shared key: for statements whose SQL may read
    /// any of them.
    pub(super) fn all_tables(&self) -> Vec<Key> {
        let tables = self.tables.get_or_init(|| {
            self.project
                .tables
                .iter()
                .map(|t| Key::Table(t.name.clone()))
                .collect()
        });
        vec![Key::Tables(tables.clone())]
    }

    pub(super) fn push(&mut self, rank: u8, stmt: Stmt) {
        self.ranks.insert(stmt.key.clone(), rank);
        self.forward.push(stmt.ranked(rank));
    }

    /// A rollback statement: ordered by the same keys, then reversed.
    pub(super) fn undo(&mut self, rank: u8, stmt: Stmt) {
        self.rollback.push(stmt.ranked(rank));
    }

    /// SQL for a column type: built-ins as written, enums schema-qualified.
    pub(super) fn type_sql(&self, ty: &crate::ast::TypeName) -> (String, Option<Key>) {
        match self.type_key(ty) {
            Some(key) => {
                let name =
                    crate::quote::qualified_type(self.schema_name(), &ty.base, ty.array_dims);
                (name, Some(key))
            }
            None => (ty.text.clone(), None),
        }
    }

    /// The enum a column type names, as the key its table waits for.
    pub(super) fn type_key(&self, ty: &crate::ast::TypeName) -> Option<Key> {
        let named = self.project.enums.iter().any(|e| e.name == ty.base);
        named.then(|| Key::Type(ty.base.clone()))
    }

    fn table_owner(&mut self, kind: &'static str, name: &str, key: Key) {
        let target = Target::relation(self.schema_name(), name);
        self.set_owner(kind, target, name, key);
    }

    /// `ALTER … OWNER TO` the schema owner, so ownership does not depend on
    /// who runs the migration (and the runtime role never owns anything).
    pub(super) fn set_owner(&mut self, kind: &'static str, target: Target, name: &str, key: Key) {
        let Some(owner) = self.owner() else { return };
        #[derive(Serialize)]
        struct Ctx<'a> {
            kind: &'a str,
            target: Target,
            owner: &'a str,
        }
        let ctx = Ctx {
            kind,
            target,
            owner,
        };
        let stmt = Stmt::new(
            "set_owner",
            format!("AlterOwner {name}"),
            &ctx,
            Key::Other(format!("owner {kind} {name}")),
        )
        .after([key, Key::Role(owner.to_string())]);
        let rank = self.ranks.get(&stmt.deps[0]).map_or(rank::TABLE, |&r| r);
        self.push(rank, stmt);
    }

    pub(super) fn comment(&mut self, kind: &'static str, target: Target, text: String, on: Key) {
        #[derive(Serialize)]
        struct Ctx {
            kind: &'static str,
            target: Target,
            text: String,
        }
        let label = format!("Comment {}", target.describe());
        let key = Key::Other(format!("comment {}", target.describe()));
        self.push(
            rank::COMMENT,
            Stmt::new("comment", label, Ctx { kind, target, text }, key).after([on]),
        );
    }
}

/// The role that owns the project's schema, if one is named: the one
/// default privileges are set for.
pub(super) fn schema_owner<'a>(ws: &'a Workspace, project: &'a Project) -> Option<&'a str> {
    project.conventions.schema_owner.as_deref().or_else(|| {
        ws.roles
            .iter()
            .find(|r| r.owns_schema)
            .map(|r| r.name.as_str())
    })
}
