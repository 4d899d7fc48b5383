//! Safe recipes: each migration step compiled to the statements that change
//! a live table without blocking its readers and writers for long.
//!
//! Input: the schema before and after a phase, the migration and the phase.
//! Output: statements in four places — `pre` (run first in the journal
//! file), `post` (after the whole objects), `script` (the out-of-transaction
//! script: concurrent index builds, batched backfills, `VALIDATE`) and
//! `undo` (the phase's rollback, in forward order) — plus the steps whose
//! rollback cannot restore data. The recipes follow
//! `shared/design/safety-catalog.md`: constraints are added `NOT VALID` and
//! validated outside the migrator's transaction; `SET NOT NULL` rides on a
//! validated `CHECK (c IS NOT NULL)`; a rename is a new column kept in sync
//! by a trigger, backfilled in batches, the old column dropped in the
//! contract phase; drops belong to the contract phase.
//!
//! This file decides which recipe a step takes in which phase; each recipe
//! lives in its own file under `recipe/` and renders its statements from
//! `templates/postgres/recipes/`.

mod add_check;
mod add_column;
mod add_enum_value;
mod add_unique;
mod backfill;
mod change_type;
mod classify;
mod comment;
mod compat_views;
mod constraint;
mod default;
mod drop;
mod grant;
mod not_null;
pub(super) mod reads;
mod receive;
mod rename_column;
mod rename_table;
mod sql;
mod sync;

use std::collections::BTreeSet;

use minijinja::{context, Value};
use serde::Serialize;

use super::guard::Guard;
use super::stmt::{Key, Stmt};
use crate::ast::{self, StepKind};
use crate::ir::{Migration, PhaseKind, Project, Workspace};

pub(super) struct Recipes<'a> {
    ws: &'a Workspace,
    before: &'a Project,
    after: &'a Project,
    migration: &'a Migration,
    kind: PhaseKind,
    pub pre: Vec<Stmt>,
    pub post: Vec<Stmt>,
    pub script: Vec<Stmt>,
    pub undo: Vec<Stmt>,
    pub irreversible: Vec<String>,
    /// Rows the contract script must have handled before the contract runs.
    pub guards: Vec<Guard>,
    /// Keys of statements these recipes write, which the comparison of the
    /// states would also find changed (comments, column grants).
    pub claimed: BTreeSet<Key>,
}

impl<'a> Recipes<'a> {
    pub fn new(
        ws: &'a Workspace,
        before: &'a Project,
        after: &'a Project,
        migration: &'a Migration,
        kind: PhaseKind,
    ) -> Recipes<'a> {
        Recipes {
            ws,
            before,
            after,
            migration,
            kind,
            pre: Vec::new(),
            post: Vec::new(),
            script: Vec::new(),
            undo: Vec::new(),
            irreversible: Vec::new(),
            guards: Vec::new(),
            claimed: BTreeSet::new(),
        }
    }

    /// Tables this migration creates (under the name a later step of it
    /// renames them to): they skip the online recipes.
    pub fn new_tables(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for s in self.migration.expand.iter().chain(&self.migration.contract) {
            match &s.kind {
                StepKind::CreateTable(t) => {
                    out.insert(t.name.last().name.clone());
                }
                // A table received from another project's feed.
                StepKind::Receive { table, .. } => {
                    out.insert(table.last().name.clone());
                }
                StepKind::RenameTable { table, to } if out.contains(&table.last().name) => {
                    out.insert(to.name.clone());
                }
                _ => {}
            }
        }
        out
    }

    fn is_fresh(&self, table: &str) -> bool {
        self.new_tables().contains(table) || self.before.table(table).is_none()
    }

    fn schema(&self) -> &str {
        &self.after.schema
    }

    /// A statement on table `table`, rendered by `template` with `fields`
    /// plus the schema and the table.
    fn on_table(
        &self,
        template: &'static str,
        label: String,
        table: &str,
        fields: impl Serialize,
    ) -> Stmt {
        let fields = Value::from_serialize(fields);
        Stmt::new(
            template,
            label,
            context! { schema => self.schema(), table, ..fields },
            Key::Table(table.to_string()),
        )
    }

    pub fn compile(&mut self) {
        let m = self.migration;
        let lifted = self.lift_compat_views();
        match self.kind {
            PhaseKind::Initial => {}
            PhaseKind::Expand => {
                for step in &m.expand {
                    self.expand(step);
                }
                for b in &m.backfills {
                    self.backfill(b);
                }
            }
            PhaseKind::Contract => {
                // The script before the contract: once the previous app
                // version is gone, catch up rows it wrote after the first
                // backfill, then validate what the contract relies on.
                for b in &m.backfills {
                    self.backfill(b);
                }
                for step in &m.expand {
                    if let StepKind::RenameColumn { column, to } = &step.kind {
                        self.rename_catch_up(column, to);
                        self.prepare_rename_contract(column, to);
                    }
                    if let StepKind::ChangeType { column, ty, using } = &step.kind {
                        if self.is_shadowed(step) {
                            self.type_change_catch_up(column, ty, using.as_ref());
                        }
                    }
                }
                for step in &m.contract {
                    self.prepare_contract(step);
                }
                for step in &m.expand {
                    self.finish_expand(step);
                }
                for step in &m.contract {
                    self.contract(step);
                }
            }
        }
        self.restore_compat_views(lifted);
    }

    fn expand(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::AddColumn { column, .. } => self.add_column(column),
            StepKind::AddCheck { table, check } => self.add_check(step, table, check),
            StepKind::AddUnique { table, unique } => self.add_unique(table, unique),
            StepKind::AddEnumValue {
                value,
                enum_name,
                position,
            } => self.add_enum_value(value, enum_name, position.as_ref()),
            StepKind::DropNotNull(path) => self.drop_not_null(path),
            StepKind::SetDefault { column, expr } => self.set_default(column, expr),
            StepKind::DropDefault(path) => self.drop_default(path),
            StepKind::ChangeType { column, ty, using } if self.is_shadowed(step) => {
                self.type_change_expand(column, ty, using.as_ref());
            }
            StepKind::ChangeType { column, ty, using } => {
                self.change_type_in_place(column, ty, using.as_ref())
            }
            StepKind::RenameColumn { column, to } => self.rename_expand(column, to),
            StepKind::RenameTable { table, to } => self.rename_table(table, to),
            StepKind::Grant { grant, roles } => self.grant(grant, roles, true),
            StepKind::Revoke { grant, roles } => self.grant(grant, roles, false),
            StepKind::Reads { roles, .. } => self.reads(roles),
            StepKind::Receive { table, source } => self.receive(table, source),
            StepKind::Sql { forward, inverse } => self.sql(forward, inverse),
            StepKind::Annotate(a) => self.annotate(a),
            StepKind::Drop { kind, target } => self.drop(&kind.name, target),
            StepKind::SetNotNull(path) => self.set_not_null_direct_or_later(path, step),
            // Whole objects: compared between the states (see `phase`).
            _ => {}
        }
    }

    fn contract(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::SetNotNull(path) => self.set_not_null_in_contract(path, step),
            StepKind::Drop { kind, target } => self.drop(&kind.name, target),
            _ => self.expand(step),
        }
    }

    /// Script parts a contract step needs before its contract phase runs.
    fn prepare_contract(&mut self, step: &ast::Step) {
        if let StepKind::SetNotNull(path) = &step.kind {
            self.prepare_set_not_null(path, step);
        }
    }

    /// Contract half of an expand step: a rename or a type change drops
    /// its trigger and the old column; a unique constraint takes over the
    /// index the script built.
    fn finish_expand(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::ChangeType { column, .. } if self.is_shadowed(step) => {
                self.type_change_contract(column)
            }
            StepKind::AddUnique { table, unique } => self.finish_add_unique(table, unique),
            StepKind::RenameColumn { column, to } => self.rename_contract(column, to),
            StepKind::RenameTable { table, to } => self.rename_table_contract(table, to),
            _ => {}
        }
    }

    /// In a contract phase: the contract refuses while rows match `needs`.
    fn guard(&mut self, t: &str, needs: super::expr::Predicate, what: String) {
        if self.kind == PhaseKind::Contract {
            self.guards.push(Guard {
                schema: self.schema().to_string(),
                table: t.to_string(),
                needs,
                what,
            });
        }
    }

    /// Whether a column was NOT NULL before the migration.
    fn was_required(&self, t: &str, c: &str) -> bool {
        self.before
            .table(t)
            .and_then(|x| x.column(c))
            .is_some_and(|x| !x.nullable)
    }
}

/// `table.column` of a step's path.
fn column_of(path: &ast::Path) -> (String, String) {
    let n = path.parts.len();
    let table = if n >= 2 {
        path.parts[n - 2].name.clone()
    } else {
        String::new()
    };
    (table, path.last().name.clone())
}
