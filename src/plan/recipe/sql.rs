//! Raw `sql` steps: the user's statement as written (terminated), undone by
//! its inverse, or irreversible with the reason given.
//!
//! Input: the forward SQL and its inverse. Output: one statement in `post`,
//! its inverse in `undo` or an irreversible note.

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::plan::stmt::{Key, Stmt};

impl Recipes<'_> {
    pub(super) fn sql(&mut self, forward: &ast::SqlText, inverse: &ast::Inverse) {
        let key = Key::Other(format!("sql {}", forward.span.start));
        self.post
            .push(terminated("Sql (raw step)", &forward.text, key.clone()));
        match inverse {
            ast::Inverse::Sql(inv) => self.undo.push(terminated("Sql (inverse)", &inv.text, key)),
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
}

/// A raw statement ends in `;`, so psql does not run it together with the
/// next one.
fn terminated(label: &str, sql: &str, key: Key) -> Stmt {
    let sql = sql.trim().trim_end_matches(';').trim_end();
    Stmt::new("recipes/raw_step", label, context! { sql }, key)
}
