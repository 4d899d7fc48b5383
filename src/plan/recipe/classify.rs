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

use super::reads::reads_of;
use super::Recipes;
use crate::ir::access::carried_roles;
use crate::ir::{Project, Role};
use crate::plan::classified_reads::withheld;
use crate::plan::stmt::{attr, Key};

impl Recipes<'_> {
    pub(super) fn reclassify_reads(&mut self, t: &str) {
        // The roles as the history leaves them on each side: their grants
        // and `reads` where the history carries those.
        let now = carried_roles(&self.ws.roles, self.after);
        let was = carried_roles(&self.ws.roles, self.before);
        for a in now.iter() {
            let Some(b) = was.iter().find(|r| r.name == a.name) else {
                continue;
            };
            if readable(a, self.after, t) == readable(b, self.before, t) {
                continue;
            }
            // The statements below give the role its whole new shape (a
            // column the phase adds included): the comparison's own
            // `REVOKE` / column `GRANT` for it would repeat or undercut them.
            for what in ["RevokeSelect", "GrantColumns"] {
                self.claimed
                    .insert(Key::Other(format!("{what} {t} {}", a.name)));
            }
            let done = |s: &crate::plan::stmt::Stmt| {
                s.template == "compliance/column_reads"
                    && attr(s, "table") == t
                    && attr(s, "role") == a.name
            };
            if self.post.iter().any(done) {
                continue;
            }
            self.post.extend(reads_of(a, self.after, t));
            // Undone in reverse: revoked, then granted as before.
            self.undo
                .extend(reads_of(b, self.before, t).into_iter().rev());
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
