//! `rename table`: the table takes its new name in place, with every name
//! sluice generated from the old one (keys, indexes, constraints,
//! policies, triggers, identity sequences), so the database holds what a
//! fresh build of the new declarations holds. A rename in an expand phase
//! leaves a view under the old name for the app version still running:
//! `security_invoker`, so row-level security applies to its caller, and
//! simple, so PostgreSQL writes through it; it gets the table's grants.
//! The contract drops that view. Foreign keys of other tables follow the
//! table by themselves.
//!
//! Input: the step's table path and new name; the phase's state before,
//! in which the table already has its new name (see
//! [`crate::plan::renamed`]). Output: statements in `pre` (the renames),
//! `post` (the view and its grants) and `undo`.

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::ir::{names, PhaseKind, Project, Table};
use crate::plan::grant_target::GrantTarget;
use crate::plan::stmt::{Key, Stmt};

/// PostgreSQL's own name for a column's NOT NULL constraint, from 18 on.
const NAMED_NOT_NULL: u32 = 18;

impl Recipes<'_> {
    /// The rename and its derived names; in an expand phase, the view
    /// under the old name.
    pub(super) fn rename_table(&mut self, table: &ast::Path, to: &ast::Ident) {
        let from = table.last().name.clone();
        let to = to.name.clone();
        let Some(new) = self.before.table(&to) else {
            return;
        };
        let mut old = new.clone();
        old.name = from.clone();
        let table_rename = |from: &str, to: &str, undo: bool| {
            self.on_table(
                "recipes/rename_table",
                format!("RenameTable {from}"),
                to,
                context! { object => "table", from, to, undo },
            )
        };
        let (forward, back) = (
            table_rename(&from, &to, false),
            table_rename(&to, &from, true),
        );
        self.pre.push(forward);
        self.undo.push(back);
        let new = new.clone();
        for (object, was, now) in derived_names(self.before, &old, &new) {
            let rename = |a: &str, b: &str| {
                self.on_table(
                    "recipes/rename_table",
                    format!("Rename{object} {a}"),
                    &to,
                    context! { object, from => a, to => b },
                )
            };
            let (forward, back) = (rename(&was, &now), rename(&now, &was));
            self.pre.push(forward);
            self.undo.push(back);
        }
        if self.kind == PhaseKind::Expand {
            let view = self.compat_view(&from, &to, None, self.after);
            self.post.extend(view);
            self.undo.push(self.drop_compat_view(&from));
        }
    }

    /// Contract half of an expand phase's rename: the view goes.
    pub(super) fn rename_table_contract(&mut self, table: &ast::Path, to: &ast::Ident) {
        let from = table.last().name.clone();
        // A table the migration created and renamed had no rows, no
        // readers and so no view.
        if self.before.table(&to.name).is_none() || self.new_tables().contains(&from) {
            return;
        }
        self.pre.push(self.drop_compat_view(&from));
        // The undo runs in reverse: the view first, then its grants. It
        // reads the columns it had that the table still has.
        let columns = self
            .own_compat_views()
            .into_iter()
            .find(|v| v.from == from)
            .map(|v| v.columns_in(self.before));
        let view = self.compat_view(&from, &to.name, columns, self.before);
        self.undo.extend(view.into_iter().rev());
    }

    /// The view named `from` over table `to` (all its columns, or
    /// `columns`), with the table's grants in `state`.
    pub(super) fn compat_view(
        &self,
        from: &str,
        to: &str,
        columns: Option<Vec<String>>,
        state: &Project,
    ) -> Vec<Stmt> {
        let mut out = vec![Stmt::new(
            "recipes/compat_view",
            format!("CreateView {from}"),
            context! { schema => self.schema(), name => from, table => to, columns },
            Key::Table(from.to_string()),
        )
        .after([Key::Table(to.to_string())])];
        let target = GrantTarget::tables(self.schema(), vec![from.to_string()]);
        let grants = crate::plan::grants::on_relations(self.ws, state, &[to]);
        out.extend(grants.into_iter().map(|g| {
            let role = crate::plan::stmt::attr(&g, "role");
            let mut g =
                crate::plan::stmt::with(&g, "on", minijinja::Value::from_serialize(&target));
            g.label = format!(
                "{} {} {role}",
                crate::plan::stmt::attr(&g, "verb"),
                target.id()
            );
            g.key = Key::Other(format!("grant {from} {role}"));
            g
        }));
        out
    }

    pub(super) fn drop_compat_view(&self, from: &str) -> Stmt {
        Stmt::new(
            "recipes/drop_compat_view",
            format!("DropView {from}"),
            context! { schema => self.schema(), name => from },
            Key::Table(from.to_string()),
        )
    }
}

/// `(object, old name, new name)` of every name sluice generated from the
/// table's name that changes with it; written names (`as …`) stay.
fn derived_names(p: &Project, old: &Table, new: &Table) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut add = |object: &'static str, was: String, now: String| {
        if was != now {
            out.push((object, was, now));
        }
    };
    if !new.primary_key.is_empty() {
        add(
            "Constraint",
            names::primary_key(old),
            names::primary_key(new),
        );
    }
    for (a, b) in old.indexes.iter().zip(new.indexes.iter()) {
        add("Index", names::index(old, a), names::index(new, b));
    }
    for (a, b) in old.uniques.iter().zip(&new.uniques) {
        add("Constraint", names::unique(old, a), names::unique(new, b));
    }
    for (a, b) in old.foreign_keys.iter().zip(&new.foreign_keys) {
        add(
            "Constraint",
            names::foreign_key(old, a),
            names::foreign_key(new, b),
        );
    }
    for (a, b) in old.checks.iter().zip(&new.checks) {
        add("Constraint", names::check(old, a), names::check(new, b));
    }
    if p.postgres >= NAMED_NOT_NULL {
        for c in new.columns.iter().filter(|c| !c.nullable) {
            let name = |t: &str| format!("{t}_{}_not_null", c.name);
            add("Constraint", name(&old.name), name(&new.name));
        }
    }
    for c in new.columns.iter().filter(|c| c.identity) {
        let name = |t: &str| format!("{t}_{}_seq", c.name);
        add("Sequence", name(&old.name), name(&new.name));
    }
    let policies = names::policies(old).into_iter().zip(names::policies(new));
    for ((_, _, a), (_, _, b)) in policies {
        add("Policy", a, b);
    }
    if new.tenant && p.tenancy.is_some() {
        add(
            "Policy",
            names::tenant_isolation_policy(old),
            names::tenant_isolation_policy(new),
        );
    }
    let updated_at = p.conventions.timestamps.get(1);
    if updated_at.is_some_and(|c| new.column(c).is_some()) {
        add(
            "Trigger",
            names::updated_at_trigger(old),
            names::updated_at_trigger(new),
        );
    }
    let audit = p.audit_trail.map(|i| p.tables[i].name.as_str());
    if new.tenant && audit.is_some_and(|a| a != new.name) {
        add(
            "Trigger",
            names::audit_trigger(old),
            names::audit_trigger(new),
        );
    }
    out
}
