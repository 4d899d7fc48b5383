//! Tables renamed with the hint (`table documents was notes { … }`): the
//! `rename table` step, written before anything else of the migration.
//!
//! Input: a project's declarations and the tables its history replays to.
//! Output: those tables with each hinted rename applied (so the rest of
//! the plan compares the renamed table with its declaration), and the
//! rename steps in the draft.

use super::{Bucket, Draft};
use crate::ir::shape::Shapes;
use crate::ir::table_rename::rename_table;
use crate::ir::Project;

pub(super) fn tables(p: &Project, replayed: &Shapes, out: &mut Draft) -> Shapes {
    let mut shapes = replayed.clone();
    for t in &p.tables {
        let Some(old) = &t.was else { continue };
        let Some((_, span)) = shapes.get(&old.name) else {
            continue;
        };
        if shapes.contains_key(&t.name) {
            continue;
        }
        let span = *span;
        rename_table(&mut shapes, &old.name, &t.name, span);
        out.expand(
            Bucket::Rename,
            format!("rename table {} to {}", old.name, t.name),
            format!(
                "`was {}`: renamed in place, with a view under the old name for the running app version (dropped by the contract)",
                old.name
            ),
            format!("rename_{}", old.name),
        );
    }
    shapes
}
