//! The steps that give an existing table or column the comment and the
//! classification it is declared with.
//!
//! Input: a declared table and the note differences between it and its
//! replayed shape. Output: `classify`/`declassify` and `comment on`/`drop
//! comment on` steps in the expand phase, each with why.

use super::{Bucket, Draft};
use crate::ir::notes::NoteDiff;
use crate::ir::reads::WITHHELD;
use crate::ir::Table;

pub(super) fn plan(t: &Table, notes: &[NoteDiff], out: &mut Draft) {
    for d in notes {
        let label = match &d.column {
            Some(c) => format!("{}_{c}", t.name),
            None => t.name.clone(),
        };
        for step in d.steps(&t.name) {
            let withholds = |n: &crate::ir::notes::Note| {
                d.column.is_some() && n.classification.is_some_and(|k| WITHHELD.contains(&k))
            };
            let (why, label) = if step.starts_with("classify") || step.starts_with("declassify") {
                let why = if withholds(&d.want) && !withholds(&d.have) {
                    "the tag goes into the column's comment; roles that do not `reads` it lose `SELECT` on the column in the same phase (the running app's role reads what it declares)"
                } else if withholds(&d.have) && !withholds(&d.want) {
                    "the tag goes into the column's comment; roles that were refused the column get `SELECT` on it back"
                } else {
                    "the tag goes into the comment (catalog metadata, set at once; the rollback restores it)"
                };
                (why, format!("classify_{label}"))
            } else {
                (
                    "catalog metadata, set at once; the rollback restores the previous comment",
                    format!("comment_{label}"),
                )
            };
            out.expand(Bucket::Item, step, why.into(), label);
        }
    }
}
