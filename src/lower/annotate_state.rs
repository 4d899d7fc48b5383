//! `classify`, `declassify`, `comment on` and `drop comment on` applied to
//! the syntax trees of a phase's schema (see `phases`): the table's or
//! column's `classify` / `comment` option replaced, or removed.
//!
//! Input: the tables as the history wrote them so far and one step.
//! Output: those tables, the step's target carrying its new option.

use std::sync::Arc;

use crate::ast::{Annotate, Annotation, ColumnOpt, TableDecl, TableItem};

pub(super) fn apply(tables: &mut [Arc<TableDecl>], a: &Annotate) {
    let Some(table) = a.table() else { return };
    let Some(t) = tables.iter_mut().find(|t| t.name.last().name == table) else {
        return;
    };
    let t = Arc::make_mut(t);
    match a.column_name() {
        Some(col) => {
            let Some(c) = t.items.iter_mut().find_map(|i| match i {
                TableItem::Column(c) if c.name.name == col => Some(Arc::make_mut(c)),
                _ => None,
            }) else {
                return;
            };
            match &a.change {
                Annotation::Classify(k) => {
                    c.opts.retain(|o| !matches!(o, ColumnOpt::Classify(_)));
                    c.opts.extend(k.clone().map(ColumnOpt::Classify));
                }
                Annotation::Comment(s) => {
                    c.opts.retain(|o| !matches!(o, ColumnOpt::Comment(_)));
                    c.opts.extend(s.clone().map(ColumnOpt::Comment));
                }
            }
        }
        None => match &a.change {
            Annotation::Classify(k) => {
                t.items.retain(|i| !matches!(i, TableItem::Classify(_)));
                t.items.extend(k.clone().map(TableItem::Classify));
            }
            Annotation::Comment(s) => {
                t.items.retain(|i| !matches!(i, TableItem::Comment(_)));
                t.items.extend(s.clone().map(TableItem::Comment));
            }
        },
    }
}
