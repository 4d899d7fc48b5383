//! The statements that create a project's declared schema in an empty
//! database: schema and owner, roles, extensions, enums, tables (with every
//! derived column), partitions, foreign keys, indexes, row-level security
//! and policies, triggers and their functions, functions, views, comments,
//! grants and default privileges. Each statement knows what it creates and
//! needs; [`super::order`] sorts them.

use serde::Serialize;

use super::order::order;
use super::predicate::{self, PredCx};
use super::stmt::{Key, Stmt};
use super::Plan;
use crate::ir::names;
use crate::ir::*;
use crate::quote::ident;

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
    let p = planned(ws, project);
    let forward = order(p.forward);
    // Undo in reverse: dependents are removed before what they depend on.
    let mut rollback = order(p.rollback);
    rollback.reverse();
    Plan { forward, rollback }
}

/// The statements that create `project` from empty, in the order the
/// planner made them (not yet by dependency): for readers that look
/// statements up rather than run them, such as the snapshot's policies.
pub fn unordered(ws: &Workspace, project: &Project) -> Vec<Stmt> {
    planned(ws, project).forward
}

fn planned<'a>(ws: &'a Workspace, project: &'a Project) -> Planner<'a> {
    let mut p = Planner {
        ws,
        project,
        forward: Vec::new(),
        rollback: Vec::new(),
    };
    p.roles();
    p.schema();
    p.extensions();
    p.enums();
    for t in &project.tables {
        p.table(t);
    }
    p.trigger_functions();
    p.functions();
    p.views();
    p.grants();
    p
}

pub(super) struct Planner<'a> {
    pub ws: &'a Workspace,
    pub project: &'a Project,
    pub forward: Vec<Stmt>,
    pub rollback: Vec<Stmt>,
}

impl<'a> Planner<'a> {
    pub(super) fn schema_name(&self) -> &'a str {
        &self.project.schema
    }

    pub(super) fn owner(&self) -> Option<&'a str> {
        self.project
            .conventions
            .schema_owner
            .as_deref()
            .or_else(|| {
                self.ws
                    .roles
                    .iter()
                    .find(|r| r.owns_schema)
                    .map(|r| r.name.as_str())
            })
    }

    /// Keys of every table: for statements whose SQL may read any of them.
    pub(super) fn all_tables(&self) -> Vec<Key> {
        self.project
            .tables
            .iter()
            .map(|t| Key::Table(t.name.clone()))
            .collect()
    }

    pub(super) fn push(&mut self, rank: u8, stmt: Stmt) {
        self.forward.push(Stmt { rank, ..stmt });
    }

    /// A rollback statement: ordered by the same keys, then reversed.
    pub(super) fn undo(&mut self, rank: u8, stmt: Stmt) {
        self.rollback.push(Stmt { rank, ..stmt });
    }

    fn roles(&mut self) {
        for r in &self.ws.roles {
            #[derive(Serialize)]
            struct Ctx<'a> {
                name: &'a str,
                login: bool,
                connection_limit: i64,
            }
            let ctx = Ctx {
                name: &r.name,
                login: r.login,
                connection_limit: r.connection_limit.map_or(-1, |n| n as i64),
            };
            let key = Key::Role(r.name.clone());
            self.push(
                rank::ROLE,
                Stmt::new(
                    "create_role",
                    format!("CreateRole {}", r.name),
                    &ctx,
                    key.clone(),
                ),
            );
            self.undo(
                rank::ROLE,
                Stmt::new("drop_role", format!("DropRole {}", r.name), &ctx, key),
            );
        }
    }

    fn schema(&mut self) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            owner: Option<&'a str>,
            existing: bool,
            /// Before PostgreSQL 15, `public` belongs to the bootstrap
            /// superuser, not to `pg_database_owner`.
            owner_is_bootstrap: bool,
        }
        let owner = self.owner();
        let existing = self.schema_name() == "public";
        if existing && owner.is_none() {
            return;
        }
        let ctx = Ctx {
            schema: self.schema_name(),
            owner,
            existing,
            owner_is_bootstrap: self.project.postgres < 15,
        };
        let deps: Vec<Key> = owner
            .map(|o| Key::Role(o.to_string()))
            .into_iter()
            .collect();
        let label = if existing {
            "AlterSchemaOwner"
        } else {
            "CreateSchema"
        };
        let fwd = Stmt::new(
            "create_schema",
            format!("{label} {}", ctx.schema),
            &ctx,
            Key::Schema,
        )
        .after(deps.clone());
        let back = Stmt::new(
            "drop_schema",
            format!("DropSchema {}", ctx.schema),
            &ctx,
            Key::Schema,
        )
        .after(deps);
        self.push(rank::SCHEMA, fwd);
        self.undo(rank::SCHEMA, back);
        if existing && ctx.owner_is_bootstrap {
            // Before 15, every role may create objects in `public`: close
            // it, so a runtime role cannot plant tables or functions there.
            for revoke in [true, false] {
                #[derive(Serialize)]
                struct Public<'a> {
                    schema: &'a str,
                    revoke: bool,
                }
                let stmt = Stmt::new(
                    "public_create",
                    format!("PublicCreate {} {revoke}", ctx.schema),
                    Public {
                        schema: ctx.schema,
                        revoke,
                    },
                    Key::Schema,
                );
                if revoke {
                    self.push(rank::SCHEMA, stmt);
                } else {
                    self.undo(rank::SCHEMA, stmt);
                }
            }
        }
    }

    fn extensions(&mut self) {
        for e in &self.project.extensions {
            #[derive(Serialize)]
            struct Ctx<'a> {
                name: &'a str,
                schema: Option<&'a str>,
                version: Option<&'a str>,
            }
            // Extension objects go to `public` unless said otherwise, not to
            // the first schema of the search path.
            let ctx = Ctx {
                name: &e.name,
                schema: Some(e.schema.as_deref().unwrap_or("public")),
                version: e.version.as_deref(),
            };
            let key = Key::Extension(e.name.clone());
            self.push(
                rank::EXTENSION,
                Stmt::new(
                    "create_extension",
                    format!("CreateExtension {}", e.name),
                    &ctx,
                    key.clone(),
                )
                .after([Key::Schema]),
            );
            self.undo(
                rank::EXTENSION,
                Stmt::new(
                    "drop_extension",
                    format!("DropExtension {}", e.name),
                    &ctx,
                    key,
                )
                .after([Key::Schema]),
            );
        }
    }

    fn enums(&mut self) {
        for e in &self.project.enums {
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                name: &'a str,
                values: &'a [String],
            }
            let ctx = Ctx {
                schema: self.schema_name(),
                name: &e.name,
                values: &e.values,
            };
            let key = Key::Type(e.name.clone());
            self.push(
                rank::TYPE,
                Stmt::new(
                    "create_enum",
                    format!("CreateEnum {}", e.name),
                    &ctx,
                    key.clone(),
                )
                .after([Key::Schema]),
            );
            self.undo(
                rank::TYPE,
                Stmt::new("drop_type", format!("DropEnum {}", e.name), &ctx, key)
                    .after([Key::Schema]),
            );
        }
    }

    /// SQL for a column type: built-ins as written, enums schema-qualified.
    pub(super) fn type_sql(&self, ty: &crate::ast::TypeName) -> (String, Option<Key>) {
        if self.project.enums.iter().any(|e| e.name == ty.base) {
            let name = format!(
                "{}.{}{}",
                ident(self.schema_name()),
                ident(&ty.base),
                "[]".repeat(ty.array_dims)
            );
            (name, Some(Key::Type(ty.base.clone())))
        } else {
            (ty.text.clone(), None)
        }
    }

    fn table(&mut self, t: &Table) {
        let schema = self.schema_name().to_string();
        let mut deps = vec![Key::Schema];
        let mut columns = Vec::new();
        for c in &t.columns {
            let (ty, dep) = self.type_sql(&c.ty);
            deps.extend(dep);
            columns.push(ColumnCtx {
                name: c.name.clone(),
                ty,
                nullable: c.nullable,
                default: c.default.as_ref().map(|d| d.text.trim().to_string()),
                generated: c.generated.as_ref().map(|g| g.text.trim().to_string()),
                identity: c.identity,
            });
        }
        let mut constraints = Vec::new();
        if !t.primary_key.is_empty() {
            constraints.push(ConstraintCtx {
                name: names::primary_key(t),
                kind: "primary key",
                columns: t.primary_key.clone(),
                expr: None,
            });
        }
        for c in t.columns.iter().filter(|c| c.unique) {
            constraints.push(ConstraintCtx {
                name: format!("{}_{}_key", t.name, c.name),
                kind: "unique",
                columns: vec![c.name.clone()],
                expr: None,
            });
        }
        for u in &t.uniques {
            constraints.push(ConstraintCtx {
                name: names::unique(t, u),
                kind: "unique",
                columns: u.columns.clone(),
                expr: None,
            });
        }
        for c in &t.checks {
            constraints.push(ConstraintCtx {
                name: names::check(t, c),
                kind: "check",
                columns: Vec::new(),
                expr: Some(c.expr.text.trim().to_string()),
            });
        }
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            name: &'a str,
            columns: Vec<ColumnCtx>,
            constraints: Vec<ConstraintCtx>,
            partition: Option<PartitionCtx>,
        }
        let ctx = Ctx {
            schema: &schema,
            name: &t.name,
            columns,
            constraints,
            partition: t.partition.as_ref().map(|p| PartitionCtx {
                method: p.method.clone(),
                columns: p.columns.clone(),
            }),
        };
        let key = Key::Table(t.name.clone());
        self.push(
            rank::TABLE,
            Stmt::new(
                "create_table",
                format!("CreateTable {}", t.name),
                &ctx,
                key.clone(),
            )
            .after(deps.clone()),
        );
        self.undo(
            rank::TABLE,
            Stmt::new(
                "drop_table",
                format!("DropTable {}", t.name),
                &ctx,
                key.clone(),
            )
            .after(deps),
        );
        self.table_owner("TABLE", &t.name, key.clone());
        self.partitions(t);
        self.foreign_keys(t);
        self.indexes(t);
        self.rls(t);
        self.policies(t);
        self.comments(t);
    }

    fn table_owner(&mut self, kind: &'static str, name: &str, key: Key) {
        let target = format!("{}.{}", ident(self.schema_name()), ident(name));
        self.set_owner(kind, target, name, key);
    }

    /// `ALTER … OWNER TO` the schema owner, so ownership does not depend on
    /// who runs the migration (and the runtime role never owns anything).
    pub(super) fn set_owner(&mut self, kind: &'static str, target: String, name: &str, key: Key) {
        let Some(owner) = self.owner() else { return };
        #[derive(Serialize)]
        struct Ctx<'a> {
            kind: &'a str,
            target: String,
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
        let rank = self
            .forward
            .iter()
            .rev()
            .find(|s| s.key == stmt.deps[0])
            .map_or(rank::TABLE, |s| s.rank);
        self.push(rank, stmt);
    }

    fn partitions(&mut self, t: &Table) {
        let Some(part) = &t.partition else { return };
        let (Some(count), "hash") = (part.count, part.method.as_str()) else {
            return;
        };
        for n in 0..count {
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                name: String,
                parent: &'a str,
                modulus: u64,
                remainder: u64,
            }
            let ctx = Ctx {
                schema: self.schema_name(),
                name: names::partition(t, n),
                parent: &t.name,
                modulus: count,
                remainder: n,
            };
            let key = Key::Table(ctx.name.clone());
            let label = format!("CreatePartition {}", ctx.name);
            let name = ctx.name.clone();
            self.push(
                rank::TABLE,
                Stmt::new("create_partition", label, &ctx, key.clone())
                    .after([Key::Table(t.name.clone())]),
            );
            self.table_owner("TABLE", &name, key.clone());
            // Partitions are reachable directly: RLS with no policy denies
            // every row there, so only the parent's policies grant access.
            for mode in ["ENABLE", "FORCE"] {
                self.rls_stmt(&name, mode, key.clone());
            }
        }
    }

    fn foreign_keys(&mut self, t: &Table) {
        for fk in &t.foreign_keys {
            let target = &self.project.tables[fk.table];
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                table: &'a str,
                name: String,
                columns: &'a [String],
                ref_table: &'a str,
                ref_columns: &'a [String],
                on_delete: &'static str,
                on_update: &'static str,
                not_valid: bool,
            }
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name: names::foreign_key(t, fk),
                columns: &fk.columns,
                ref_table: &target.name,
                ref_columns: &fk.ref_columns,
                on_delete: fk.on_delete.as_sql(),
                on_update: fk.on_update.as_sql(),
                not_valid: false,
            };
            let key = Key::Other(format!("constraint {}", ctx.name));
            let deps = [Key::Table(t.name.clone()), Key::Table(target.name.clone())];
            let label = format!("AddForeignKey {}", ctx.name);
            self.push(
                rank::FOREIGN_KEY,
                Stmt::new("add_foreign_key", label.clone(), &ctx, key.clone()).after(deps.clone()),
            );
            // Dropped before either table: foreign keys may form cycles.
            self.undo(
                rank::FOREIGN_KEY,
                Stmt::new(
                    "drop_constraint",
                    format!("DropForeignKey {}", ctx.name),
                    &ctx,
                    key,
                )
                .after(deps),
            );
        }
    }

    fn indexes(&mut self, t: &Table) {
        for ix in &t.indexes {
            let elems: Vec<ElemCtx> = ix
                .elems
                .iter()
                .map(|e| {
                    let (column, expr) = match &e.key {
                        IndexKey::Column(c) => (Some(c.as_str()), None),
                        IndexKey::Expr(x) => (None, Some(x.trim())),
                    };
                    ElemCtx {
                        column,
                        expr,
                        opclass: e.opclass.as_deref(),
                        descending: e.descending,
                        nulls: e
                            .nulls_first
                            .map(|first| if first { "first" } else { "last" }),
                    }
                })
                .collect();
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                table: &'a str,
                name: String,
                unique: bool,
                method: &'a str,
                elems: Vec<ElemCtx<'a>>,
                include: &'a [String],
                predicate: Option<String>,
                concurrently: bool,
            }
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name: names::index(t, ix),
                unique: ix.unique,
                method: &ix.method,
                elems,
                include: &ix.include,
                predicate: ix.predicate.as_ref().map(|p| p.trim().to_string()),
                concurrently: false,
            };
            let label = format!("CreateIndex {}", ctx.name);
            let key = Key::Other(format!("index {}", ctx.name));
            self.push(
                rank::INDEX,
                Stmt::new("create_index", label, &ctx, key).after([Key::Table(t.name.clone())]),
            );
        }
    }

    fn rls_stmt(&mut self, table: &str, mode: &'static str, table_key: Key) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            mode: &'a str,
        }
        let ctx = Ctx {
            schema: self.schema_name(),
            table,
            mode,
        };
        let label = format!(
            "{} RLS {table}",
            if mode == "ENABLE" {
                "EnableRls"
            } else {
                "ForceRls"
            }
        );
        let key = Key::Other(format!("rls {mode} {table}"));
        self.push(
            rank::RLS,
            Stmt::new("enable_rls", label, &ctx, key).after([table_key]),
        );
    }

    fn rls(&mut self, t: &Table) {
        if !t.tenant && t.policies.is_empty() {
            return;
        }
        let key = Key::Table(t.name.clone());
        self.rls_stmt(&t.name, "ENABLE", key.clone());
        // FORCE: the table owner is subject to the policies too.
        self.rls_stmt(&t.name, "FORCE", key);
    }

    fn policies(&mut self, t: &Table) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            name: String,
            restrictive: bool,
            command: &'a str,
            roles: Vec<String>,
            using: Option<String>,
            check: Option<String>,
        }
        let cx = PredCx {
            project: self.project,
            table: t,
        };
        // Every policy may read any table (subqueries, role lookups).
        let mut deps = self.all_tables();
        deps.push(Key::Other(format!("rls FORCE {}", t.name)));
        let mut stmts = Vec::new();
        if t.tenant {
            if let Some(tenant) = predicate::tenant(&cx) {
                let ctx = Ctx {
                    schema: self.schema_name(),
                    table: &t.name,
                    name: names::tenant_isolation_policy(t),
                    restrictive: true,
                    command: "all",
                    roles: Vec::new(),
                    using: Some(tenant.clone()),
                    check: Some(tenant),
                };
                stmts.push((
                    format!("CreatePolicy {} (tenant isolation)", ctx.name),
                    Key::Other(format!("policy {}", ctx.name)),
                    minijinja::Value::from_serialize(&ctx),
                ));
            }
        }
        let audit = self.project.audit_trail.map(|i| &self.project.tables[i]);
        let writer = self
            .owner()
            .filter(|_| audit.is_some_and(|a| a.name == t.name));
        if let Some(owner) = writer {
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name: names::audit_writer_policy(t),
                restrictive: false,
                command: "insert",
                roles: vec![owner.to_string()],
                using: None,
                // Only the org whose row is audited (the tenant isolation
                // already requires it; a bare `true` would read as "any").
                check: Some(predicate::tenant(&cx).unwrap_or_else(|| "true".into())),
            };
            stmts.push((
                format!("CreatePolicy {} (audit trigger)", ctx.name),
                Key::Other(format!("policy {}", ctx.name)),
                minijinja::Value::from_serialize(&ctx),
            ));
        }
        for (i, cmd, name) in names::policies(t) {
            let p = &t.policies[i];
            let using = predicate::sql(&p.using, &cx);
            let check = p
                .check
                .as_ref()
                .map(|c| predicate::sql(c, &cx))
                .unwrap_or_else(|| using.clone());
            let (using, check) = match cmd {
                Command::Select | Command::Delete => (Some(using), None),
                Command::Insert => (None, Some(check)),
                Command::Update | Command::All => (Some(using), Some(check)),
            };
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name,
                restrictive: false,
                command: cmd.as_str(),
                roles: p.roles.clone(),
                using,
                check,
            };
            stmts.push((
                format!("CreatePolicy {}", ctx.name),
                Key::Other(format!("policy {}", ctx.name)),
                minijinja::Value::from_serialize(&ctx),
            ));
        }
        let roles: Vec<Key> = t
            .policies
            .iter()
            .flat_map(|p| p.roles.iter().map(|r| Key::Role(r.clone())))
            .chain(writer.map(|o| Key::Role(o.to_string())))
            .collect();
        for (label, key, ctx) in stmts {
            let drop_label = label.replace("CreatePolicy", "DropPolicy");
            let mut s = Stmt::new("create_policy", label, (), key.clone()).after(deps.clone());
            s.ctx = ctx.clone();
            self.push(rank::POLICY, s.after(roles.clone()));
            // Policies that read other tables depend on them: drop the
            // policies before any table.
            let mut back = Stmt::new("drop_policy", drop_label, (), key).after(deps.clone());
            back.ctx = ctx;
            self.undo(rank::POLICY, back.after(roles.clone()));
        }
    }

    fn comments(&mut self, t: &Table) {
        let target = format!("{}.{}", ident(self.schema_name()), ident(&t.name));
        if let Some(text) = tagged(t.comment.as_deref(), t.classification) {
            self.comment("TABLE", target.clone(), text, Key::Table(t.name.clone()));
        }
        for c in &t.columns {
            if let Some(text) = tagged(c.comment.as_deref(), c.classification) {
                let col = format!("{target}.{}", ident(&c.name));
                self.comment("COLUMN", col, text, Key::Table(t.name.clone()));
            }
        }
    }

    pub(super) fn comment(&mut self, kind: &'static str, target: String, text: String, on: Key) {
        #[derive(Serialize)]
        struct Ctx {
            kind: &'static str,
            target: String,
            text: String,
        }
        let label = format!("Comment {}", target.replace('"', ""));
        let key = Key::Other(format!("comment {target}"));
        self.push(
            rank::COMMENT,
            Stmt::new("comment", label, Ctx { kind, target, text }, key).after([on]),
        );
    }
}

/// One element of an index: a column or an expression, with its operator
/// class, order and null placement (`nulls` is `first`, `last` or unset).
#[derive(Serialize)]
struct ElemCtx<'a> {
    column: Option<&'a str>,
    expr: Option<&'a str>,
    opclass: Option<&'a str>,
    descending: bool,
    nulls: Option<&'static str>,
}

/// A comment with its classification tag appended on a line of its own.
fn tagged(comment: Option<&str>, class: Option<Classification>) -> Option<String> {
    match (comment, class) {
        (None, None) => None,
        (Some(c), None) => Some(c.to_string()),
        (None, Some(k)) => Some(format!("classification: {}", k.as_str())),
        (Some(c), Some(k)) => Some(format!("{c}\nclassification: {}", k.as_str())),
    }
}
