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

use std::collections::BTreeSet;

use serde::Serialize;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::guard::Guard;
use super::phase::raw;
use super::stmt::{Key, Stmt};
use crate::ast::{self, StepKind};
use crate::ir::{Migration, PhaseKind, Project, Table};
use crate::names;
use crate::render::{dollar_quote, ident, literal};

/// Rows per backfill batch when the migration does not say.
pub const DEFAULT_BATCH: u64 = 1000;

pub(super) struct Recipes<'a> {
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
}

impl<'a> Recipes<'a> {
    pub fn new(
        before: &'a Project,
        after: &'a Project,
        migration: &'a Migration,
        kind: PhaseKind,
    ) -> Recipes<'a> {
        Recipes {
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
        }
    }

    /// Tables this migration creates: they skip the online recipes.
    pub fn new_tables(&self) -> BTreeSet<String> {
        self.migration
            .expand
            .iter()
            .chain(&self.migration.contract)
            .filter_map(|s| match &s.kind {
                StepKind::CreateTable(t) => Some(t.name.last().name.clone()),
                _ => None,
            })
            .collect()
    }

    fn is_fresh(&self, table: &str) -> bool {
        self.new_tables().contains(table) || self.before.table(table).is_none()
    }

    fn schema(&self) -> &str {
        &self.after.schema
    }

    fn qname(&self, table: &str) -> String {
        format!("{}.{}", ident(self.schema()), ident(table))
    }

    fn alter(&self, label: String, table: &str, action: String) -> Stmt {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            action: String,
        }
        Stmt::new(
            "alter_table",
            label,
            Ctx {
                schema: self.schema(),
                table,
                action,
            },
            Key::Table(table.to_string()),
        )
    }

    pub fn compile(&mut self) {
        let m = self.migration;
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
    }

    fn expand(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::AddColumn { column, .. } => self.add_column(column),
            StepKind::AddCheck { table, check } => {
                let t = table.last().name.as_str();
                if self.is_fresh(t) {
                    return;
                }
                let name = self.check_name(t, check);
                let expr = check.expr.text.trim();
                if step.unsafe_.is_some() {
                    // Forced: scans the table under the lock, in the journal.
                    self.post.push(self.alter(
                        format!("AddCheck {name}"),
                        t,
                        format!("ADD CONSTRAINT {} CHECK ({expr})", ident(&name)),
                    ));
                } else {
                    self.post.push(self.alter(
                        format!("AddCheckNotValid {name}"),
                        t,
                        format!("ADD CONSTRAINT {} CHECK ({expr}) NOT VALID", ident(&name)),
                    ));
                    self.script.push(self.validate(t, &name));
                }
                self.undo.push(self.drop_constraint(t, &name));
            }
            StepKind::AddUnique { table, unique } => {
                let t = table.last().name.as_str();
                if self.is_fresh(t) {
                    return;
                }
                let name = self.unique_name(t, unique);
                let cols: Vec<String> = unique.columns.iter().map(|c| ident(&c.name)).collect();
                self.script.push(raw(
                    format!("CreateUniqueIndexConcurrently {name}"),
                    format!(
                        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {} ON {} ({});",
                        ident(&name),
                        self.qname(t),
                        cols.join(", ")
                    ),
                    Key::Other(format!("index {name}")),
                ));
                self.undo.push(raw(
                    format!("DropIndex {name}"),
                    format!(
                        "DROP INDEX IF EXISTS {}.{};",
                        ident(self.schema()),
                        ident(&name)
                    ),
                    Key::Other(format!("index {name}")),
                ));
            }
            StepKind::AddEnumValue {
                value,
                enum_name,
                position,
            } => {
                let at = position
                    .as_ref()
                    .map(|(before, other)| {
                        format!(
                            " {} {}",
                            if *before { "BEFORE" } else { "AFTER" },
                            literal(&other.value)
                        )
                    })
                    .unwrap_or_default();
                let e = &enum_name.last().name;
                self.pre.push(raw(
                    format!("AddEnumValue {e}"),
                    format!(
                        "ALTER TYPE {}.{} ADD VALUE IF NOT EXISTS {}{at};",
                        ident(self.schema()),
                        ident(e),
                        literal(&value.value)
                    ),
                    Key::Type(e.clone()),
                ));
                self.irreversible.push(format!(
                    "add value {} to {e} (PostgreSQL cannot remove an enum value)",
                    literal(&value.value)
                ));
            }
            StepKind::DropNotNull(path) => {
                let (t, c) = column_of(path);
                self.pre.push(self.alter(
                    format!("DropNotNull {t}.{c}"),
                    &t,
                    format!("ALTER COLUMN {} DROP NOT NULL", ident(&c)),
                ));
                self.undo.push(self.alter(
                    format!("SetNotNull {t}.{c}"),
                    &t,
                    format!("ALTER COLUMN {} SET NOT NULL", ident(&c)),
                ));
            }
            StepKind::SetDefault { column, expr } => {
                let (t, c) = column_of(column);
                self.pre.push(self.alter(
                    format!("SetDefault {t}.{c}"),
                    &t,
                    format!(
                        "ALTER COLUMN {} SET DEFAULT {}",
                        ident(&c),
                        expr.text.trim()
                    ),
                ));
                self.undo.push(self.restore_default(&t, &c));
            }
            StepKind::DropDefault(path) => {
                let (t, c) = column_of(path);
                self.pre.push(self.alter(
                    format!("DropDefault {t}.{c}"),
                    &t,
                    format!("ALTER COLUMN {} DROP DEFAULT", ident(&c)),
                ));
                self.undo.push(self.restore_default(&t, &c));
            }
            StepKind::ChangeType { column, ty, using } if self.is_shadowed(step) => {
                self.type_change_expand(column, ty, using.as_ref());
            }
            StepKind::ChangeType { column, ty, using } => {
                let (t, c) = column_of(column);
                let using = using
                    .as_ref()
                    .map(|u| format!(" USING {}", u.text.trim()))
                    .unwrap_or_default();
                let old = self
                    .before
                    .table(&t)
                    .and_then(|x| x.column(&c))
                    .map(|x| x.ty.text.clone());
                self.pre.push(self.alter(
                    format!("ChangeType {t}.{c}"),
                    &t,
                    format!("ALTER COLUMN {} TYPE {}{using}", ident(&c), ty.text),
                ));
                match old {
                    Some(old) if !self.is_fresh(&t) => self.undo.push(self.alter(
                        format!("ChangeType {t}.{c}"),
                        &t,
                        format!("ALTER COLUMN {} TYPE {old}", ident(&c)),
                    )),
                    _ => {}
                }
            }
            StepKind::RenameColumn { column, to } => self.rename_expand(column, to),
            StepKind::Grant { grant, roles } => self.grant(grant, roles, true),
            StepKind::Revoke { grant, roles } => self.grant(grant, roles, false),
            StepKind::Sql { forward, inverse } => self.sql(forward, inverse),
            StepKind::Drop { kind, target } => self.drop(&kind.name, target),
            StepKind::SetNotNull(path) => self.set_not_null_direct_or_later(path, step),
            // Whole objects: compared between the states (see `phase`).
            _ => {}
        }
    }

    fn contract(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::SetNotNull(path) => {
                let (t, c) = column_of(path);
                if self.is_fresh(&t) || step.unsafe_.is_some() {
                    self.set_not_null_now(&t, &c);
                } else {
                    self.set_not_null_by_check(&t, &c);
                }
            }
            StepKind::Drop { kind, target } => self.drop(&kind.name, target),
            _ => self.expand(step),
        }
    }

    /// Script parts a contract step needs before its contract phase runs.
    fn prepare_contract(&mut self, step: &ast::Step) {
        match &step.kind {
            StepKind::SetNotNull(path) => {
                let (t, c) = column_of(path);
                if !self.is_fresh(&t) && step.unsafe_.is_none() {
                    self.not_null_check_script(&t, &c);
                }
            }
            StepKind::AddUnique { .. } | StepKind::AddCheck { .. } => {}
            _ => {}
        }
    }

    fn set_not_null_direct_or_later(&mut self, path: &ast::Path, step: &ast::Step) {
        let (t, c) = column_of(path);
        if self.is_fresh(&t) || step.unsafe_.is_some() {
            self.set_not_null_now(&t, &c);
        } else {
            // Safe only through a validated check, which needs the script
            // between the phases: the contract phase finishes it.
            self.not_null_check_script(&t, &c);
        }
    }

    fn not_null_check_name(t: &str, c: &str) -> String {
        format!("{t}_{c}_not_null")
    }

    fn not_null_check_script(&mut self, t: &str, c: &str) {
        let name = Self::not_null_check_name(t, c);
        self.script.push(raw(
            format!("AddCheckNotValid {name}"),
            format!(
                "DO {};",
                dollar_quote("do", &format!(
                "\nBEGIN\n\tIF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = {}::regclass AND conname = {}) THEN\n\t\tALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID;\n\tEND IF;\nEND\n",
                literal(&self.qname(t)),
                literal(&name),
                self.qname(t),
                ident(&name),
                ident(c)
            ))),
            Key::Table(t.to_string()),
        ));
        self.script.push(self.validate(t, &name));
    }

    fn set_not_null_now(&mut self, t: &str, c: &str) {
        self.pre.push(self.alter(
            format!("SetNotNull {t}.{c}"),
            t,
            format!("ALTER COLUMN {} SET NOT NULL", ident(c)),
        ));
        self.undo.push(self.alter(
            format!("DropNotNull {t}.{c}"),
            t,
            format!("ALTER COLUMN {} DROP NOT NULL", ident(c)),
        ));
    }

    /// `SET NOT NULL` uses the validated check instead of scanning the table
    /// under an exclusive lock; the check is redundant afterwards.
    fn set_not_null_by_check(&mut self, t: &str, c: &str) {
        let name = Self::not_null_check_name(t, c);
        self.set_not_null_proven(t, c, &name);
        self.pre.push(self.drop_constraint(t, &name));
    }

    /// `SET NOT NULL` after the script validated `check`: the lint cannot
    /// see that proof (it is in another file, inside a `DO` block), so the
    /// statement says where it is.
    fn set_not_null_proven(&mut self, t: &str, c: &str, check: &str) {
        self.pre.push(raw(
            format!("SetNotNull {t}.{c}"),
            format!(
                "-- sluice-ignore setting-not-null: proven without a scan by `{check}`, validated by the script that runs before this file\n\
                 ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;",
                self.qname(t),
                ident(c)
            ),
            Key::Table(t.to_string()),
        ));
        self.undo.push(self.alter(
            format!("DropNotNull {t}.{c}"),
            t,
            format!("ALTER COLUMN {} DROP NOT NULL", ident(c)),
        ));
    }

    fn add_column(&mut self, column: &ast::Path) {
        let (t, c) = column_of(column);
        if self.is_fresh(&t) {
            return;
        }
        let Some(col) = self.after.table(&t).and_then(|x| x.column(&c)) else {
            return;
        };
        let ty = self.type_sql(&col.ty);
        let default = col.default.as_ref().map(|d| d.text.trim().to_string());
        let volatile = default.as_deref().is_some_and(is_volatile);
        let mut def = format!("ADD COLUMN IF NOT EXISTS {} {ty}", ident(&c));
        if let (Some(d), false) = (&default, volatile) {
            def.push_str(&format!(" DEFAULT {d}"));
            if !col.nullable {
                def.push_str(" NOT NULL");
            }
        }
        self.pre
            .push(self.alter(format!("AddColumn {t}.{c}"), &t, def));
        if let (Some(d), true) = (&default, volatile) {
            // A volatile default would rewrite the table: new rows get it
            // from the column default, existing rows from the backfill.
            self.pre.push(self.alter(
                format!("SetDefault {t}.{c}"),
                &t,
                format!("ALTER COLUMN {} SET DEFAULT {d}", ident(&c)),
            ));
            let filter = format!("{} IS NULL", ident(&c));
            self.script
                .push(self.backfill_stmt(&t, &c, d, Some(&filter), None, None));
        }
        if let Some(check) = &col.check {
            let name = names::check(
                self.after.table(&t).expect("found above"),
                &crate::ir::Check {
                    name: None,
                    column: Some(c.clone()),
                    expr: check.clone(),
                    span: check.span,
                },
            );
            self.post.push(self.alter(
                format!("AddCheckNotValid {name}"),
                &t,
                format!(
                    "ADD CONSTRAINT {} CHECK ({}) NOT VALID",
                    ident(&name),
                    check.text.trim()
                ),
            ));
            self.script.push(self.validate(&t, &name));
        }
        self.undo.push(self.alter(
            format!("DropColumn {t}.{c}"),
            &t,
            format!("DROP COLUMN IF EXISTS {}", ident(&c)),
        ));
    }

    fn type_sql(&self, ty: &ast::TypeName) -> String {
        if self.after.enums.iter().any(|e| e.name == ty.base) {
            format!(
                "{}.{}{}",
                ident(self.schema()),
                ident(&ty.base),
                "[]".repeat(ty.array_dims)
            )
        } else {
            ty.text.clone()
        }
    }

    fn sync_function(t: &str, from: &str) -> String {
        format!("sluice_sync_{t}_{from}")
    }

    /// Expand half of a rename: the new column, a trigger that keeps both
    /// columns equal whichever one a writer sets, and a batched copy.
    fn rename_expand(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let to = to.name.clone();
        let Some(col) = self.before.table(&t).and_then(|x| x.column(&from)).cloned() else {
            return;
        };
        let ty = self.type_sql(&col.ty);
        let (o, n) = (ident(&from), ident(&to));
        self.add_synced_column(
            &t,
            &from,
            &to,
            &ty,
            &format!("NEW.{o}"),
            &format!("NEW.{n}"),
        );
        let filter = format!("{n} IS DISTINCT FROM {o}");
        self.script
            .push(self.backfill_stmt(&t, &to, &o, Some(&filter), None, None));
    }

    /// A new column `new` beside `old`, kept equal to it by a trigger
    /// whichever one a writer sets, and the rollback of both.
    fn add_synced_column(
        &mut self,
        t: &str,
        old: &str,
        new: &str,
        ty_sql: &str,
        to_new: &str,
        to_old: &str,
    ) {
        self.pre.push(self.alter(
            format!("AddColumn {t}.{new}"),
            t,
            format!("ADD COLUMN IF NOT EXISTS {} {ty_sql}", ident(new)),
        ));
        let func = Self::sync_function(t, old);
        self.sync_trigger(t, &func, &ident(old), &ident(new), to_new, to_old);
        self.undo_synced_column(t, new, &func);
    }

    /// The rollback of a synced new column: in forward order the column,
    /// the function, the trigger (undone in reverse).
    fn undo_synced_column(&mut self, t: &str, column: &str, func: &str) {
        self.undo.push(self.alter(
            format!("DropColumn {t}.{column}"),
            t,
            format!("DROP COLUMN IF EXISTS {}", ident(column)),
        ));
        let [drop_trigger, drop_function] = self.drop_sync(t, func);
        self.undo.push(drop_function);
        self.undo.push(drop_trigger);
    }

    /// A trigger keeping columns `o` (old) and `n` (new) equal whichever one
    /// a writer sets: `to_new` computes `n` from `NEW.o`, `to_old` the
    /// reverse.
    fn sync_trigger(&mut self, t: &str, func: &str, o: &str, n: &str, to_new: &str, to_old: &str) {
        let body = format!(
            "\n\
             BEGIN\n\
             \tIF TG_OP = 'INSERT' THEN\n\
             \t\tIF NEW.{n} IS NULL THEN NEW.{n} := {to_new}; ELSIF NEW.{o} IS NULL THEN NEW.{o} := {to_old}; END IF;\n\
             \tELSIF NEW.{n} IS DISTINCT FROM OLD.{n} THEN\n\
             \t\tNEW.{o} := {to_old};\n\
             \tELSIF NEW.{o} IS DISTINCT FROM OLD.{o} THEN\n\
             \t\tNEW.{n} := {to_new};\n\
             \tEND IF;\n\
             \tRETURN NEW;\n\
             END\n",
        );
        let body = format!(
            "CREATE OR REPLACE FUNCTION {}.{}() RETURNS trigger LANGUAGE plpgsql AS {};",
            ident(self.schema()),
            ident(func),
            dollar_quote("sync", &body)
        );
        self.post.push(raw(
            format!("CreateFunction {func}"),
            body,
            Key::Function(func.to_string()),
        ));
        self.post.push(raw(
            format!("CreateTrigger {func}"),
            format!(
                "CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {}\n\tFOR EACH ROW EXECUTE FUNCTION {}.{}();",
                ident(func),
                self.qname(t),
                ident(self.schema()),
                ident(func)
            ),
            Key::Function(func.to_string()),
        ));
    }

    /// Dropping a rename's sync trigger and then its function.
    fn drop_sync(&self, t: &str, func: &str) -> [Stmt; 2] {
        [
            raw(
                format!("DropTrigger {func}"),
                format!(
                    "DROP TRIGGER IF EXISTS {} ON {};",
                    ident(func),
                    self.qname(t)
                ),
                Key::Function(func.to_string()),
            ),
            raw(
                format!("DropFunction {func}"),
                format!(
                    "DROP FUNCTION IF EXISTS {}.{}();",
                    ident(self.schema()),
                    ident(func)
                ),
                Key::Function(func.to_string()),
            ),
        ]
    }

    /// Whether a `change type` step goes through a shadow column (judged
    /// on the schema before the migration, as the phase states are).
    fn is_shadowed(&self, step: &ast::Step) -> bool {
        let StepKind::ChangeType { column, ty, .. } = &step.kind else {
            return false;
        };
        let (t, c) = column_of(column);
        let fresh = self.new_tables().contains(&t);
        let old = self.migration_start_type(&t, &c);
        old.is_some_and(|old| crate::lower::is_shadowed_type_change(step, &old, &ty.text, fresh))
    }

    /// A column's type as the migration found it: in a contract phase the
    /// shadow column exists and the original still has its old type.
    fn migration_start_type(&self, t: &str, c: &str) -> Option<String> {
        self.before
            .table(t)
            .and_then(|x| x.column(c))
            .map(|x| x.ty.text.clone())
    }

    /// `expr` of the old column converted to the new type: the `using`
    /// expression with the column read from `row` (`NEW`), or a cast.
    fn converted(
        c: &str,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
        row: Option<&str>,
    ) -> String {
        let column = match row {
            Some(r) => format!("{r}.{}", ident(c)),
            None => ident(c),
        };
        let cast = format!("CAST({column} AS {})", ty.text);
        let Some(using) = using else {
            return cast;
        };
        let Some(row) = row else {
            return format!("({})", using.text.trim());
        };
        match Parser::new(&PostgreSqlDialect {})
            .try_with_sql(using.text.trim())
            .and_then(|mut p| p.parse_expr())
        {
            Ok(mut expr) => {
                let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
                    if let sqlparser::ast::Expr::Identifier(id) = e {
                        if id.value == c {
                            *e = sqlparser::ast::Expr::CompoundIdentifier(vec![
                                sqlparser::ast::Ident::new(row),
                                sqlparser::ast::Ident::with_quote('"', c),
                            ]);
                        }
                    }
                    std::ops::ControlFlow::<()>::Continue(())
                });
                format!("({expr})")
            }
            Err(_) => cast,
        }
    }

    /// Expand half of a type change: a shadow column of the new type, a
    /// trigger converting whichever side a writer sets, a batched copy.
    fn type_change_expand(
        &mut self,
        column: &ast::Path,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
    ) {
        let (t, c) = column_of(column);
        let Some(old) = self.migration_start_type(&t, &c) else {
            return;
        };
        let shadow = crate::lower::shadow_column(&c);
        let new_ty = self.type_sql(ty);
        let to_new = Self::converted(&c, ty, using, Some("NEW"));
        let to_old = format!("CAST(NEW.{} AS {old})", ident(&shadow));
        self.add_synced_column(&t, &c, &shadow, &new_ty, &to_new, &to_old);
        self.type_change_catch_up(column, ty, using);
    }

    /// The batched copy into the shadow column (again before the contract,
    /// and then the NOT NULL check the contract relies on).
    fn type_change_catch_up(
        &mut self,
        column: &ast::Path,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
    ) {
        let (t, c) = column_of(column);
        let shadow = crate::lower::shadow_column(&c);
        let conv = Self::converted(&c, ty, using, None);
        let filter = format!("{} IS DISTINCT FROM {conv}", ident(&shadow));
        self.script
            .push(self.backfill_stmt(&t, &shadow, &conv, Some(&filter), None, None));
        self.guard(&t, &filter, format!("the copy of {t}.{c} into {shadow}"));
        if self.kind == PhaseKind::Contract && self.was_required(&t, &c) {
            self.not_null_check_script(&t, &shadow);
        }
    }

    fn was_required(&self, t: &str, c: &str) -> bool {
        self.before
            .table(t)
            .and_then(|x| x.column(c))
            .is_some_and(|x| !x.nullable)
    }

    /// Contract half: the old column goes, the shadow takes its name, its
    /// default and its NOT NULL (through the validated check).
    fn type_change_contract(&mut self, column: &ast::Path) {
        let (t, c) = column_of(column);
        let shadow = crate::lower::shadow_column(&c);
        let func = Self::sync_function(&t, &c);
        let drops = self.drop_sync(&t, &func);
        self.pre.extend(drops);
        self.pre.push(self.alter(
            format!("DropColumn {t}.{c}"),
            &t,
            format!("DROP COLUMN IF EXISTS {}", ident(&c)),
        ));
        self.pre.push(raw(
            format!("RenameColumn {t}.{shadow}"),
            format!(
                "-- sluice-ignore renaming-column: the shadow column takes the name of the column just dropped, which the app keeps using\n\
                 ALTER TABLE {} RENAME COLUMN {} TO {};",
                self.qname(&t),
                ident(&shadow),
                ident(&c)
            ),
            Key::Table(t.clone()),
        ));
        let default = self
            .after
            .table(&t)
            .and_then(|x| x.column(&c))
            .and_then(|x| x.default.as_ref())
            .map(|d| d.text.trim().to_string());
        if let Some(d) = default {
            self.pre.push(self.alter(
                format!("SetDefault {t}.{c}"),
                &t,
                format!("ALTER COLUMN {} SET DEFAULT {d}", ident(&c)),
            ));
        }
        if self.was_required(&t, &c) {
            let check = Self::not_null_check_name(&t, &shadow);
            self.set_not_null_proven(&t, &c, &check);
            self.pre.push(self.drop_constraint(&t, &check));
        }
        self.irreversible.push(format!(
            "change type of {t}.{c}: the column of the old type is dropped"
        ));
    }

    /// The rename's copy again: rows the trigger did not see (there are
    /// none unless the trigger was dropped by hand) are fixed before the
    /// old column goes.
    fn rename_catch_up(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let (o, n) = (ident(&from), ident(&to.name));
        let filter = format!("{n} IS DISTINCT FROM {o}");
        self.script
            .push(self.backfill_stmt(&t, &to.name, &o, Some(&filter), None, None));
        self.guard(
            &t,
            &filter,
            format!("the copy of {t}.{from} into {}", to.name),
        );
    }

    /// A renamed NOT NULL column becomes NOT NULL through a validated check.
    fn prepare_rename_contract(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let was_required = self
            .before
            .table(&t)
            .and_then(|x| x.column(&from))
            .is_some_and(|c| !c.nullable);
        if was_required {
            self.not_null_check_script(&t, &to.name);
        }
    }

    /// Contract half of an expand step: a rename drops its trigger and the
    /// old column.
    fn finish_expand(&mut self, step: &ast::Step) {
        if let StepKind::ChangeType { column, .. } = &step.kind {
            if self.is_shadowed(step) {
                self.type_change_contract(column);
            }
            return;
        }
        if let StepKind::AddUnique { table, unique } = &step.kind {
            let t = table.last().name.as_str();
            if !self.new_tables().contains(t) {
                let name = self.unique_name(t, unique);
                self.pre.push(self.alter(
                    format!("AddUniqueUsingIndex {name}"),
                    t,
                    format!("ADD CONSTRAINT {0} UNIQUE USING INDEX {0}", ident(&name)),
                ));
                self.undo.push(self.drop_constraint(t, &name));
            }
            return;
        }
        let StepKind::RenameColumn { column, to } = &step.kind else {
            return;
        };
        let (t, from) = column_of(column);
        let func = Self::sync_function(&t, &from);
        let drops = self.drop_sync(&t, &func);
        self.pre.extend(drops);
        self.pre.push(self.alter(
            format!("DropColumn {t}.{from}"),
            &t,
            format!("DROP COLUMN IF EXISTS {}", ident(&from)),
        ));
        self.irreversible.push(format!(
            "rename column {t}.{from} to {}: the old column `{from}` is dropped",
            to.name
        ));
        let was_required = self
            .before
            .table(&t)
            .and_then(|x| x.column(&from))
            .is_some_and(|c| !c.nullable);
        if was_required {
            self.set_not_null_by_check(&t, &to.name);
        }
    }

    fn drop(&mut self, kind: &str, target: &ast::Path) {
        let name = target.last().name.clone();
        let schema = ident(self.schema());
        match kind {
            "column" => {
                let (t, c) = column_of(target);
                self.pre.push(self.alter(
                    format!("DropColumn {t}.{c}"),
                    &t,
                    format!("DROP COLUMN IF EXISTS {}", ident(&c)),
                ));
                self.irreversible
                    .push(format!("drop column {t}.{c}: its data is gone"));
            }
            "table" => {
                self.pre.push(raw(
                    format!("DropTable {name}"),
                    format!("DROP TABLE IF EXISTS {};", self.qname(&name)),
                    Key::Table(name.clone()),
                ));
                self.irreversible
                    .push(format!("drop table {name}: its rows are gone"));
            }
            "constraint" => {
                if let Some(t) = self.before.tables.iter().find(|t| has_constraint(t, &name)) {
                    let tn = t.name.clone();
                    self.pre.push(self.drop_constraint(&tn, &name));
                    self.irreversible.push(format!(
                        "drop constraint {name}: re-adding it must re-validate every row"
                    ));
                }
            }
            "enum" | "type" => {
                self.pre.push(raw(
                    format!("DropEnum {name}"),
                    format!("DROP TYPE IF EXISTS {schema}.{};", ident(&name)),
                    Key::Type(name.clone()),
                ));
                self.irreversible.push(format!("drop enum {name}"));
            }
            "extension" => {
                self.pre.push(raw(
                    format!("DropExtension {name}"),
                    format!("DROP EXTENSION IF EXISTS {};", ident(&name)),
                    Key::Extension(name.clone()),
                ));
                self.irreversible.push(format!("drop extension {name}"));
            }
            // Indexes, views and functions disappear from the compared states.
            _ => {}
        }
    }

    fn grant(&mut self, grant: &ast::Grant, roles: &[ast::Ident], give: bool) {
        let privs: Vec<String> = grant
            .privileges
            .iter()
            .map(|p| p.name.to_uppercase())
            .collect();
        let target = match &grant.target {
            ast::GrantTarget::Tables(ts) => {
                let names: Vec<String> = ts.iter().map(|t| self.qname(&t.last().name)).collect();
                format!("TABLE {}", names.join(", "))
            }
            ast::GrantTarget::Kind(k) => match k.name.as_str() {
                "schema" => format!("SCHEMA {}", ident(self.schema())),
                other => format!(
                    "ALL {} IN SCHEMA {}",
                    other.to_uppercase(),
                    ident(self.schema())
                ),
            },
        };
        let who: Vec<String> = roles.iter().map(|r| ident(&r.name)).collect();
        let (g, r) = (
            format!(
                "GRANT {} ON {target} TO {};",
                privs.join(", "),
                who.join(", ")
            ),
            format!(
                "REVOKE {} ON {target} FROM {};",
                privs.join(", "),
                who.join(", ")
            ),
        );
        let (fwd, back) = if give { (g, r) } else { (r, g) };
        let label = if give { "Grant" } else { "Revoke" };
        let key = Key::Other(format!("grant {target}"));
        self.post
            .push(raw(format!("{label} {}", who.join(", ")), fwd, key.clone()));
        self.undo
            .push(raw(format!("Undo{label} {}", who.join(", ")), back, key));
    }

    fn sql(&mut self, forward: &ast::SqlText, inverse: &ast::Inverse) {
        let key = Key::Other(format!("sql {}", forward.span.start));
        self.post.push(raw(
            "Sql (raw step)",
            terminated(&forward.text),
            key.clone(),
        ));
        match inverse {
            ast::Inverse::Sql(inv) => {
                self.undo
                    .push(raw("Sql (inverse)", terminated(&inv.text), key))
            }
            ast::Inverse::Irreversible(reason, _) => self.irreversible.push(format!(
                "raw SQL step{}",
                reason
                    .as_ref()
                    .map(|r| format!(": {}", r.value))
                    .unwrap_or_default()
            )),
            ast::Inverse::Missing => self
                .irreversible
                .push("raw SQL step without an inverse".into()),
        }
    }

    fn backfill(&mut self, b: &ast::Backfill) {
        let (t, c) = column_of(&b.target);
        let filter = b.filter.as_ref().map(|f| f.text.trim().to_string());
        let stmt = self.backfill_stmt(
            &t,
            &c,
            b.expr.text.trim(),
            filter.as_deref(),
            b.batch.map(|(n, _)| n),
            b.pause.as_ref().map(|d| d.millis),
        );
        self.script.push(stmt);
        let needs = match &filter {
            Some(f) => format!("({f})"),
            None => format!("{} IS DISTINCT FROM ({})", ident(&c), b.expr.text.trim()),
        };
        self.guard(&t, &needs, format!("the backfill of {t}.{c}"));
    }

    /// In a contract phase: the contract refuses while rows match `needs`.
    fn guard(&mut self, t: &str, needs: &str, what: String) {
        if self.kind == PhaseKind::Contract {
            self.guards.push(Guard {
                table: self.qname(t),
                needs: needs.to_string(),
                what,
            });
        }
    }

    /// A keyset-paged backfill: one transaction per batch, restartable
    /// because it only touches rows still needing the change.
    fn backfill_stmt(
        &self,
        t: &str,
        c: &str,
        expr: &str,
        filter: Option<&str>,
        batch: Option<u64>,
        pause_ms: Option<u64>,
    ) -> Stmt {
        let table = self.after.table(t).or_else(|| self.before.table(t));
        let pk = table
            .and_then(|x| x.primary_key.first().cloned())
            .unwrap_or_else(|| "id".to_string());
        let pk_ty = table
            .and_then(|x| x.column(&pk))
            .map(|x| x.ty.text.clone())
            .unwrap_or_else(|| "uuid".to_string());
        let needs = filter
            .map(|f| format!("({f})"))
            .unwrap_or_else(|| format!("{} IS DISTINCT FROM ({expr})", ident(c)));
        let batch = batch.unwrap_or(DEFAULT_BATCH).max(1);
        let pause = pause_ms.unwrap_or(0);
        let q = self.qname(t);
        let k = ident(&pk);
        let sql = format!(
            "\n\
             DECLARE\n\
             \tlast_key {pk_ty};\n\
             \tkeys {pk_ty}[];\n\
             \ttotal bigint := 0;\n\
             BEGIN\n\
             \tLOOP\n\
             \t\tSELECT array_agg(k ORDER BY k) INTO keys FROM (\n\
             \t\t\tSELECT {k} AS k FROM {q}\n\
             \t\t\tWHERE (last_key IS NULL OR {k} > last_key) AND {needs}\n\
             \t\t\tORDER BY {k} LIMIT {batch}) page;\n\
             \t\tEXIT WHEN keys IS NULL;\n\
             \t\tUPDATE {q} SET {col} = {expr} WHERE {k} = ANY (keys) AND {needs};\n\
             \t\ttotal := total + cardinality(keys);\n\
             \t\tlast_key := keys[cardinality(keys)];\n\
             \t\tCOMMIT;\n\
             \t\tPERFORM pg_sleep({secs});\n\
             \tEND LOOP;\n\
             \tRAISE NOTICE 'backfill of %.% visited % rows', {tl}, {cl}, total;\n\
             END\n",
            col = ident(c),
            secs = format_args!("{}.{:03}", pause / 1000, pause % 1000),
            tl = literal(t),
            cl = literal(c),
        );
        let sql = format!("DO {};", dollar_quote("backfill", &sql));
        raw(format!("Backfill {t}.{c}"), sql, Key::Table(t.to_string()))
    }

    fn validate(&self, t: &str, name: &str) -> Stmt {
        raw(
            format!("ValidateConstraint {name}"),
            format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {};",
                self.qname(t),
                ident(name)
            ),
            Key::Table(t.to_string()),
        )
    }

    fn drop_constraint(&self, t: &str, name: &str) -> Stmt {
        self.alter(
            format!("DropConstraint {name}"),
            t,
            format!("DROP CONSTRAINT IF EXISTS {}", ident(name)),
        )
    }

    fn restore_default(&self, t: &str, c: &str) -> Stmt {
        let old = self
            .before
            .table(t)
            .and_then(|x| x.column(c))
            .and_then(|x| x.default.as_ref())
            .map(|d| d.text.trim().to_string());
        let action = match old {
            Some(d) => format!("ALTER COLUMN {} SET DEFAULT {d}", ident(c)),
            None => format!("ALTER COLUMN {} DROP DEFAULT", ident(c)),
        };
        self.alter(format!("RestoreDefault {t}.{c}"), t, action)
    }

    fn check_name(&self, t: &str, check: &ast::CheckDef) -> String {
        let table = self.after.table(t);
        match (table, &check.name) {
            (_, Some(n)) => n.name.clone(),
            (Some(table), None) => table
                .checks
                .iter()
                .find(|c| c.expr.text.trim() == check.expr.text.trim())
                .map(|c| names::check(table, c))
                .unwrap_or_else(|| format!("{t}_check")),
            (None, None) => format!("{t}_check"),
        }
    }

    fn unique_name(&self, t: &str, u: &ast::UniqueDef) -> String {
        let cols: Vec<String> = u.columns.iter().map(|c| c.name.clone()).collect();
        match (&u.name, self.after.table(t)) {
            (Some(n), _) => n.name.clone(),
            (None, Some(table)) => table
                .uniques
                .iter()
                .find(|x| x.columns == cols)
                .map(|x| names::unique(table, x))
                .unwrap_or_else(|| format!("{t}_{}_key", cols.join("_"))),
            (None, None) => format!("{t}_{}_key", cols.join("_")),
        }
    }
}

fn has_constraint(t: &Table, name: &str) -> bool {
    t.checks.iter().any(|c| names::check(t, c) == name)
        || t.uniques.iter().any(|u| names::unique(t, u) == name)
        || t.foreign_keys
            .iter()
            .any(|f| names::foreign_key(t, f) == name)
}

/// A raw statement ends in `;`, so psql does not run it together with the
/// next one.
fn terminated(sql: &str) -> String {
    let t = sql.trim().trim_end_matches(';').trim_end();
    format!("{t};")
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

/// Whether a default expression calls a volatile function (it would be
/// evaluated for every existing row, rewriting the table).
fn is_volatile(sql: &str) -> bool {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
        .map(|e| crate::lint::volatility::first_volatile_call(&e).is_some())
        .unwrap_or(true)
}
