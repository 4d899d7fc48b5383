//! The statements of one table: the table with its columns and
//! constraints, its partitions, foreign keys and indexes.
//!
//! Input: a resolved [`Table`], and the kinds of its statements to leave
//! out ([`Alike`]). Output: statements pushed onto the [`Planner`]
//! (forward and undo).

use serde::Serialize;

use super::{rank, Alike, ColumnCtx, ConstraintCtx, PartitionCtx, Planner};
use crate::ir::names;
use crate::ir::*;
use crate::plan::stmt::{Context, Key, Stmt};

impl Planner<'_> {
    /// The statements of `t`, but the kinds `alike` names.
    pub(super) fn table(&mut self, t: &Table, alike: Alike) {
        // Made once for the create and the drop: a table's context is
        // the largest a plan makes. One a comparison tells by its label
        // only is never rendered, and is made empty.
        let (ctx, deps) = if alike.table {
            let types = t.columns.iter().filter_map(|c| self.type_key(&c.ty));
            let deps = std::iter::once(Key::Schema).chain(types).collect();
            (Context::of(&()), deps)
        } else {
            self.table_context(t)
        };
        let key = Key::Table(t.name.clone());
        self.push(
            rank::TABLE,
            Stmt::with_context(
                "create_table",
                format!("CreateTable {}", t.name),
                ctx.clone(),
                key.clone(),
            )
            .after(deps.clone()),
        );
        self.undo(
            rank::TABLE,
            Stmt::with_context(
                "drop_table",
                format!("DropTable {}", t.name),
                ctx,
                key.clone(),
            )
            .after(deps),
        );
        self.table_owner("TABLE", &t.name, key.clone());
        self.partitions(t);
        self.foreign_keys(t);
        if alike.indexes {
            self.key_indexes(t);
        } else {
            self.indexes(t);
        }
        if !alike.policies {
            self.rls(t);
            self.policies(t);
        }
        if !alike.comments {
            self.comments(t);
        }
    }

    /// The context of `t`'s create and drop, and what they wait for.
    fn table_context(&self, t: &Table) -> (Context, Vec<Key>) {
        let schema = self.schema_name().to_string();
        let mut deps = vec![Key::Schema];
        let mut columns = Vec::new();
        for c in t.columns.iter() {
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
        (Context::of(&ctx), deps)
    }

    pub(super) fn partitions(&mut self, t: &Table) {
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

    pub(super) fn foreign_keys(&mut self, t: &Table) {
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
                on_delete_columns: &'a [String],
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
                on_delete_columns: &fk.on_delete_columns,
                on_update: fk.on_update.as_sql(),
                not_valid: false,
            };
            let key = Key::Other(format!("constraint {}", ctx.name));
            // The unique index the key references, when it is one (a
            // tenant-scoped reference's `(org_id, id)`), comes first.
            let keyed_by = target
                .indexes
                .iter()
                .filter(|ix| {
                    may_back_a_key(ix)
                        && ix.elems.len() == fk.ref_columns.len()
                        && fk
                            .ref_columns
                            .iter()
                            .all(|c| ix.leading_columns().contains(&c.as_str()))
                })
                .map(|ix| Key::Other(format!("index {}", names::index(target, ix))));
            let deps: Vec<Key> = [Key::Table(t.name.clone()), Key::Table(target.name.clone())]
                .into_iter()
                .chain(keyed_by)
                .collect();
            let label = format!("AddForeignKey {}", ctx.name);
            let drop_label = format!("DropForeignKey {}", ctx.name);
            let ctx = Context::of(&ctx);
            self.push(
                rank::FOREIGN_KEY,
                Stmt::with_context("add_foreign_key", label, ctx.clone(), key.clone())
                    .after(deps.clone()),
            );
            // Dropped before either table: foreign keys may form cycles.
            self.undo(
                rank::FOREIGN_KEY,
                Stmt::with_context("drop_constraint", drop_label, ctx, key).after(deps),
            );
        }
    }

    pub(super) fn indexes(&mut self, t: &Table) {
        self.indexes_where(t, |_| true);
    }

    /// The indexes of `t` a foreign key may stand on: all a key's
    /// statement looks up of its target (its order follows them).
    pub(super) fn key_indexes(&mut self, t: &Table) {
        self.indexes_where(t, may_back_a_key);
    }

    fn indexes_where(&mut self, t: &Table, wanted: fn(&Index) -> bool) {
        for ix in t.indexes.iter().filter(|ix| wanted(ix)) {
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
}

/// Whether a foreign key may reference the columns of `ix`: a unique
/// index without a predicate.
fn may_back_a_key(ix: &Index) -> bool {
    ix.unique && ix.predicate.is_none()
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
