//! `classify`, `declassify`, `comment on` and `drop comment on` in the
//! history replay.
//!
//! Input: a checked step (its table, and column if any, exist) and the
//! replay up to it. Output: that table's or column's [`Note`] changed.

use super::Replay;
use crate::ast::{Annotate, Annotation};
use crate::ir::notes::Note;
use crate::ir::Classification;
use crate::span::Span;

impl Replay {
    pub fn annotate(&mut self, a: &Annotate, span: Span) {
        let Some(table) = a.table() else { return };
        let Some(t) = self.table(table, span) else {
            return;
        };
        let note: Option<&mut Note> = match a.column_name() {
            Some(c) => t.columns.get_mut(c).map(|c| &mut c.note),
            None => Some(&mut t.note),
        };
        let Some(note) = note else { return };
        change(note, &a.change);
    }
}

/// `note` after the step's change.
pub(in crate::lower) fn change(note: &mut Note, change: &Annotation) {
    match change {
        Annotation::Classify(k) => {
            note.classification = k.as_ref().and_then(|k| Classification::parse(&k.name))
        }
        Annotation::Comment(c) => note.comment = c.as_ref().map(|c| c.value.clone()),
    }
}
