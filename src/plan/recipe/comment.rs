//! `comment on`, `drop comment on`, `classify` and `declassify`: the
//! table's or column's PostgreSQL comment set to what the phase leaves
//! (the comment with its `classification: TAG` line), undone by setting
//! the comment it had before. A comment is catalog metadata: it takes a
//! brief lock and rewrites nothing, so it runs in the phase that names it.
//! A classification's access consequences are in `classify`.
//!
//! Input: the step and the states around the phase. Output: a `COMMENT ON`
//! in `post` and one in `undo`; the keys the comparison of the states must
//! leave to these recipes (see [`Recipes::claim`]).

use minijinja::context;

use super::Recipes;
use crate::ast::{Annotate, Annotation};
use crate::ir::notes::Note;
use crate::ir::Project;
use crate::plan::stmt::{Key, Stmt};
use crate::plan::target::Target;

impl Recipes<'_> {
    pub(super) fn annotate(&mut self, a: &Annotate) {
        let Some(t) = a.table() else { return };
        // A table this migration creates gets its comments with it.
        if self.is_fresh(t) {
            return;
        }
        let column = a.column_name();
        let mut target = Target::relation(self.schema(), t);
        if let Some(c) = column {
            target = target.column(c);
        }
        let key = Key::Other(format!("comment {}", target.describe()));
        self.claimed.insert(key.clone());
        // One statement per object, however many steps change its note.
        if !self.post.iter().any(|s| s.key == key) {
            let kind = if column.is_some() { "COLUMN" } else { "TABLE" };
            let stmt = |label: String, note: Option<Note>| {
                let text = note.and_then(|n| n.text());
                Stmt::new(
                    "recipes/comment",
                    label,
                    context! { kind, target => &target, text },
                    key.clone(),
                )
                .after([Key::Table(t.to_string())])
            };
            let what = target.describe();
            self.post
                .push(stmt(format!("Comment {what}"), note(self.after, t, column)));
            self.undo.push(stmt(
                format!("RestoreComment {what}"),
                note(self.before, t, column),
            ));
        }
        if column.is_some() && matches!(a.change, Annotation::Classify(_)) {
            self.reclassify_reads(t);
        }
    }
}

/// The note of table `t` (or its column) in state `p`.
fn note(p: &Project, t: &str, column: Option<&str>) -> Option<Note> {
    let table = p.table(t)?;
    Some(match column {
        Some(c) => {
            let c = table.column(c)?;
            Note {
                comment: c.comment.clone(),
                classification: c.classification,
            }
        }
        None => Note {
            comment: table.comment.clone(),
            classification: table.classification,
        },
    })
}
