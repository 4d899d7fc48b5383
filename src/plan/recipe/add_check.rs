//! `add check`: a check on an existing table is added `NOT VALID` in the
//! journal file and validated by the script, so no scan holds the lock;
//! forced `unsafe`, it is added and scanned at once.
//!
//! Input: the step and its table. Output: the statements in `post`,
//! `script` and `undo`.

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::ir::names;

impl Recipes<'_> {
    pub(super) fn add_check(&mut self, step: &ast::Step, table: &ast::Path, check: &ast::CheckDef) {
        let t = table.last().name.as_str();
        if self.is_fresh(t) {
            return;
        }
        let name = self.check_name(t, check);
        let expr = check.expr.text.trim();
        if step.unsafe_.is_some() {
            // Forced: scans the table under the lock, in the journal.
            self.post.push(self.on_table(
                "recipes/add_check",
                format!("AddCheck {name}"),
                t,
                context! { name, expr, not_valid => false },
            ));
        } else {
            self.post.push(self.on_table(
                "recipes/add_check",
                format!("AddCheckNotValid {name}"),
                t,
                context! { name, expr, not_valid => true },
            ));
            self.script.push(self.validate(t, &name));
        }
        self.undo.push(self.drop_constraint(t, &name));
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
}
