//! `classify column` and `declassify column`: the column grants follow the
//! classification. A role that selects the table and does not read a `pii`
//! or `phi` column of it holds `SELECT` on its other columns only (see
//! `plan::classified_reads`, the shape a first migration builds); when a
//! step changes which columns those are, the role's `SELECT` on the table
//! is revoked (which revokes its column grants too) and granted again in
//! the new shape — table-wide, or on the columns it may read. The rollback
//! does the same with the shape of before.
//!
//! In the expand phase, with the comment: the roles that lose the column
//! are exactly those that do not say they read its classification, so the
//! running app version loses nothing it declared it reads (its role says
//! `reads`); a reader that did not is meant to lose it now, not after the
//! next deploy. A declassified column is granted back at once: only more
//! is readable. A publication that sends every column but the classified
//! ones, and the audit trigger that leaves them out, change with the state
//! and come from the comparison of the states (`phase::delta`).
//!
//! Input: the table and the states around the phase. Output: `REVOKE` and
//! `GRANT` statements in `post` and `undo`.

use minijinja::context;

use super::Recipes;
use crate::ir::{Project, Role};
use crate::plan::classified_reads::{selects, withheld};
use crate::plan::stmt::{Key, Stmt};

impl Recipes<'_> {
    pub(super) fn reclassify_reads(&mut self, t: &str) {
        let (ws, schema) = (self.ws, self.schema().to_string());
        for r in &ws.roles {
            if !selects(r, t) {
                continue;
            }
            let (was, now) = (readable(r, self.before, t), readable(r, self.after, t));
            if was == now {
                continue;
            }
            // The statements below give the role its whole new shape (a
            // column the phase adds included): the comparison's own
            // `REVOKE` / column `GRANT` for it would repeat or undercut them.
            for what in ["RevokeSelect", "GrantColumns"] {
                self.claimed
                    .insert(Key::Other(format!("{what} {t} {}", r.name)));
            }
            let key = Key::Other(format!("reclassify {t} {}", r.name));
            if self.post.iter().any(|s| s.key == key) {
                continue;
            }
            let stmt = |label: String, revoke: bool, columns: &Option<Vec<String>>| {
                Stmt::new(
                    "recipes/column_reads",
                    label,
                    context! { schema => &schema, table => t, role => &r.name, revoke, columns },
                    key.clone(),
                )
                .after([Key::Table(t.to_string()), Key::Role(r.name.clone())])
            };
            let on = format!("{schema}.{t} {}", r.name);
            self.post
                .push(stmt(format!("RevokeSelect {on}"), true, &None));
            self.post
                .push(stmt(format!("GrantSelect {on}"), false, &now));
            // Undone in reverse: revoked, then granted as before.
            self.undo
                .push(stmt(format!("RestoreSelect {on}"), false, &was));
            self.undo
                .push(stmt(format!("UndoSelect {on}"), true, &None));
        }
    }
}

/// What role `r` may select of table `t` in state `p`: `None` for the
/// whole table, or the columns it reads.
fn readable(r: &Role, p: &Project, t: &str) -> Option<Vec<String>> {
    let table = p.table(t)?;
    withheld(r, p, t).then(|| {
        table
            .columns
            .iter()
            .filter(|c| !r.withholds(c.classification))
            .map(|c| c.name.clone())
            .collect()
    })
}
