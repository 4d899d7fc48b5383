//! The sync trigger shared by a rename and a shadow-column type change: a
//! new column beside the old one, kept equal to it by a trigger whichever
//! one a writer sets, and the statements that remove both again.
//!
//! Input: the table, the two columns and how each is computed from the
//! other. Output: statements in `pre`, `post` and `undo`.

use minijinja::context;

use super::Recipes;
use crate::plan::expr::Expr;
use crate::plan::stmt::{Key, Stmt};

impl Recipes<'_> {
    pub(super) fn sync_function(t: &str, from: &str) -> String {
        format!("sluice_sync_{t}_{from}")
    }

    /// A new column `new` beside `old`, kept equal to it by a trigger
    /// whichever one a writer sets, and the rollback of both: `to_new`
    /// computes `new` from the `NEW` row, `to_old` the reverse.
    pub(super) fn add_synced_column(
        &mut self,
        t: &str,
        old: &str,
        new: &str,
        ty_sql: &str,
        to_new: Expr,
        to_old: Expr,
    ) {
        self.pre.push(self.on_table(
            "recipes/add_column",
            format!("AddColumn {t}.{new}"),
            t,
            context! { column => new, ty => ty_sql, default => None::<&str>, not_null => false },
        ));
        let func = Self::sync_function(t, old);
        let key = Key::Function(func.clone());
        self.post.push(Stmt::new(
            "recipes/sync_function",
            format!("CreateFunction {func}"),
            context! { schema => self.schema(), function => &func, old, new, to_new, to_old },
            key.clone(),
        ));
        let mut trigger = self.on_table(
            "recipes/sync_trigger",
            format!("CreateTrigger {func}"),
            t,
            context! { function => &func },
        );
        trigger.key = key;
        self.post.push(trigger);
        // The rollback in forward order: the column, the function, the
        // trigger (undone in reverse).
        self.undo.push(self.drop_column(t, new));
        let [drop_trigger, drop_function] = self.drop_sync(t, &func);
        self.undo.push(drop_function);
        self.undo.push(drop_trigger);
    }

    /// Dropping a sync trigger and then its function.
    pub(super) fn drop_sync(&self, t: &str, func: &str) -> [Stmt; 2] {
        let key = Key::Function(func.to_string());
        let mut drop_trigger = self.on_table(
            "recipes/drop_trigger",
            format!("DropTrigger {func}"),
            t,
            context! { name => func },
        );
        drop_trigger.key = key.clone();
        [
            drop_trigger,
            Stmt::new(
                "recipes/drop_sync_function",
                format!("DropFunction {func}"),
                context! { schema => self.schema(), function => func },
                key,
            ),
        ]
    }
}
