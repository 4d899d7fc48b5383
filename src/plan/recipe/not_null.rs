//! `set not null` and `drop not null`. Dropping is immediate (its rollback
//! sets NOT NULL back on a validated check). Setting is
//! immediate on a new table or when forced; otherwise the script adds and
//! validates `CHECK (c IS NOT NULL)`, and the contract phase sets the
//! column NOT NULL on that proof, without a scan, then drops the check.
//!
//! Input: the step's column path. Output: statements in `pre`, `script`
//! and `undo`.

use minijinja::context;

use super::{column_of, Recipes};
use crate::ast;
use crate::plan::stmt::{Stmt, PROVE_NOT_NULL_FIRST};

impl Recipes<'_> {
    pub(super) fn drop_not_null(&mut self, path: &ast::Path) {
        let (t, c) = column_of(path);
        self.pre
            .push(self.alter_column(format!("DropNotNull {t}.{c}"), &t, &c, "drop_not_null"));
        self.undo_drop_not_null(&t, &c);
    }

    /// The rollback sets NOT NULL back as the contract does, without a scan
    /// under its lock: before its transaction (the undo runs in reverse),
    /// the check is added `NOT VALID` and validated, each in a transaction
    /// of its own; inside it, `SET NOT NULL` on that proof, then the check
    /// goes.
    fn undo_drop_not_null(&mut self, t: &str, c: &str) {
        let name = Self::not_null_check_name(t, c);
        self.undo.push(self.drop_constraint(t, &name));
        self.undo
            .push(self.alter_column(format!("SetNotNull {t}.{c}"), t, c, "set_not_null"));
        let validate = self.validate(t, &name);
        let label = format!("{PROVE_NOT_NULL_FIRST} {}", validate.label);
        self.undo.push(validate.labelled(label));
        self.undo.push(self.on_table(
            "recipes/not_null_check",
            format!("{PROVE_NOT_NULL_FIRST} AddCheckNotValid {name}"),
            t,
            context! { name, column => c },
        ));
    }

    /// A column change without a value (`SET NOT NULL`, `DROP DEFAULT`, …).
    pub(super) fn alter_column(&self, label: String, t: &str, c: &str, change: &str) -> Stmt {
        self.alter_column_to(label, t, c, change, None, None)
    }

    /// A column change; `value` is the default or the type, `using` the
    /// conversion of a type change.
    pub(super) fn alter_column_to(
        &self,
        label: String,
        t: &str,
        c: &str,
        change: &str,
        value: Option<&str>,
        using: Option<&str>,
    ) -> Stmt {
        self.on_table(
            "recipes/alter_column",
            label,
            t,
            context! { column => c, change, value, using },
        )
    }

    pub(super) fn set_not_null_direct_or_later(&mut self, path: &ast::Path, step: &ast::Step) {
        let (t, c) = column_of(path);
        if self.is_fresh(&t) || step.unsafe_.is_some() {
            self.set_not_null_now(&t, &c);
        } else {
            // Safe only through a validated check, which needs the script
            // between the phases: the contract phase finishes it.
            self.not_null_check_script(&t, &c);
        }
    }

    pub(super) fn set_not_null_in_contract(&mut self, path: &ast::Path, step: &ast::Step) {
        let (t, c) = column_of(path);
        if self.is_fresh(&t) || step.unsafe_.is_some() {
            self.set_not_null_now(&t, &c);
        } else {
            self.set_not_null_by_check(&t, &c);
        }
    }

    pub(super) fn prepare_set_not_null(&mut self, path: &ast::Path, step: &ast::Step) {
        let (t, c) = column_of(path);
        if !self.is_fresh(&t) && step.unsafe_.is_none() {
            self.not_null_check_script(&t, &c);
        }
    }

    pub(super) fn not_null_check_name(t: &str, c: &str) -> String {
        format!("{t}_{c}_not_null")
    }

    /// The script adds the check (once, however often it runs) and
    /// validates it.
    pub(super) fn not_null_check_script(&mut self, t: &str, c: &str) {
        let name = Self::not_null_check_name(t, c);
        self.script.push(self.on_table(
            "recipes/not_null_check",
            format!("AddCheckNotValid {name}"),
            t,
            context! { name, column => c },
        ));
        self.script.push(self.validate(t, &name));
    }

    fn set_not_null_now(&mut self, t: &str, c: &str) {
        self.pre
            .push(self.alter_column(format!("SetNotNull {t}.{c}"), t, c, "set_not_null"));
        self.undo
            .push(self.alter_column(format!("DropNotNull {t}.{c}"), t, c, "drop_not_null"));
    }

    /// `SET NOT NULL` uses the validated check instead of scanning the table
    /// under an exclusive lock; the check is redundant afterwards.
    pub(super) fn set_not_null_by_check(&mut self, t: &str, c: &str) {
        let name = Self::not_null_check_name(t, c);
        self.set_not_null_proven(t, c, &name);
        self.pre.push(self.drop_constraint(t, &name));
    }

    /// `SET NOT NULL` after the script validated `check`: the lint cannot
    /// see that proof (it is in another file, inside a `DO` block), so the
    /// statement says where it is.
    pub(super) fn set_not_null_proven(&mut self, t: &str, c: &str, check: &str) {
        self.pre.push(self.on_table(
            "recipes/set_not_null_proven",
            format!("SetNotNull {t}.{c}"),
            t,
            context! { column => c, check },
        ));
        self.undo
            .push(self.alter_column(format!("DropNotNull {t}.{c}"), t, c, "drop_not_null"));
    }
}
