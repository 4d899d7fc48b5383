//! `set default` and `drop default`: immediate (a default is metadata),
//! undone by restoring the default the column had before.
//!
//! Input: the step's column path (and expression). Output: statements in
//! `pre` and `undo`.

use super::{column_of, Recipes};
use crate::ast;
use crate::plan::stmt::Stmt;

impl Recipes<'_> {
    pub(super) fn set_default(&mut self, column: &ast::Path, expr: &ast::SqlText) {
        let (t, c) = column_of(column);
        self.pre.push(self.alter_column_to(
            format!("SetDefault {t}.{c}"),
            &t,
            &c,
            "set_default",
            Some(expr.text.trim()),
            None,
        ));
        self.undo.push(self.restore_default(&t, &c));
    }

    pub(super) fn drop_default(&mut self, path: &ast::Path) {
        let (t, c) = column_of(path);
        self.pre
            .push(self.alter_column(format!("DropDefault {t}.{c}"), &t, &c, "drop_default"));
        self.undo.push(self.restore_default(&t, &c));
    }

    fn restore_default(&self, t: &str, c: &str) -> Stmt {
        let old = self
            .before
            .table(t)
            .and_then(|x| x.column(c))
            .and_then(|x| x.default.as_ref())
            .map(|d| d.text.trim().to_string());
        let label = format!("RestoreDefault {t}.{c}");
        match old {
            Some(d) => self.alter_column_to(label, t, c, "set_default", Some(&d), None),
            None => self.alter_column(label, t, c, "drop_default"),
        }
    }
}
