//! `rename column`: the expand phase adds the new column, kept equal to the
//! old one by the sync trigger and backfilled in batches; the script before
//! the contract catches up and proves NOT NULL; the contract drops the
//! trigger and the old column (irreversibly).
//!
//! Input: the step's column path and new name. Output: statements in every
//! place, a guard and an irreversible note.

use super::{column_of, Recipes};
use crate::ast;
use crate::plan::expr::{Expr, Predicate};

impl Recipes<'_> {
    /// Expand half of a rename: the new column, a trigger that keeps both
    /// columns equal whichever one a writer sets, and a batched copy.
    pub(super) fn rename_expand(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let to = to.name.clone();
        let Some(col) = self.before.table(&t).and_then(|x| x.column(&from)).cloned() else {
            return;
        };
        let ty = self.type_sql(&col.ty);
        self.add_synced_column(
            &t,
            &from,
            &to,
            &ty,
            Expr::column(true, &from),
            Expr::column(true, &to),
        );
        let filter = Self::copied(&from, &to);
        self.script.push(self.backfill_stmt(
            &t,
            &to,
            Expr::column(false, &from),
            Some(filter),
            None,
            None,
        ));
    }

    /// Rows whose new column differs from the old one.
    fn copied(from: &str, to: &str) -> Predicate {
        Predicate::distinct(to, Expr::column(false, from))
    }

    /// The rename's copy again: rows the trigger did not see (there are
    /// none unless the trigger was dropped by hand) are fixed before the
    /// old column goes.
    pub(super) fn rename_catch_up(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let filter = Self::copied(&from, &to.name);
        self.script.push(self.backfill_stmt(
            &t,
            &to.name,
            Expr::column(false, &from),
            Some(filter.clone()),
            None,
            None,
        ));
        self.guard(
            &t,
            filter,
            format!("the copy of {t}.{from} into {}", to.name),
        );
    }

    /// A renamed NOT NULL column becomes NOT NULL through a validated check.
    pub(super) fn prepare_rename_contract(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        if self.was_required(&t, &from) {
            self.not_null_check_script(&t, &to.name);
        }
    }

    /// Contract half: the trigger and the old column go.
    pub(super) fn rename_contract(&mut self, column: &ast::Path, to: &ast::Ident) {
        let (t, from) = column_of(column);
        let func = Self::sync_function(&t, &from);
        let drops = self.drop_sync(&t, &func);
        self.pre.extend(drops);
        self.pre.push(self.drop_column(&t, &from));
        self.irreversible.push(format!(
            "rename column {t}.{from} to {}: the old column `{from}` is dropped",
            to.name
        ));
        if self.was_required(&t, &from) {
            self.set_not_null_by_check(&t, &to.name);
        }
    }
}
