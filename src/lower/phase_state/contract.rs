//! The contract half of an expand step, applied to a phase's schema: a
//! type change drops its shadow column and retypes the column, a column
//! rename moves the column to its new name, with the indexes and
//! constraints that list it.
//!
//! Input: a state after the expand half of a step. Output: the state after
//! its contract half.

use std::sync::Arc;

use super::super::type_shadow::shadow_column;
use super::{column_name, table_of, AstState};
use crate::ast::{self, StepKind, TableItem};

impl AstState {
    /// The contract half of an expand step.
    pub(super) fn finish(&mut self, step: &ast::Step) {
        if let StepKind::ChangeType { column, ty, .. } = &step.kind {
            let Some(table) = table_of(column).map(str::to_string) else {
                return;
            };
            let name = column.last().name.clone();
            let shadow = shadow_column(&name);
            let Some(t) = self.table(&table) else {
                return;
            };
            let Some(at) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(shadow.as_str()))
            else {
                return;
            };
            t.items.remove(at);
            if let Some(TableItem::Column(c)) = t
                .items
                .iter_mut()
                .find(|i| column_name(i) == Some(name.as_str()))
            {
                Arc::make_mut(c).ty = ty.clone();
            }
            return;
        }
        if let StepKind::RenameColumn { column, to } = &step.kind {
            let Some(table) = table_of(column).map(str::to_string) else {
                return;
            };
            let from = column.last().name.clone();
            let Some(t) = self.table(&table) else {
                return;
            };
            let Some(old) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(from.as_str()))
            else {
                return;
            };
            let TableItem::Column(mut def) = t.items.remove(old) else {
                return;
            };
            Arc::make_mut(&mut def).name = to.clone();
            if let Some(new) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(to.name.as_str()))
            {
                t.items[new] = TableItem::Column(def);
            }
            for item in &mut t.items {
                rename_in_item(item, &from, &to.name);
            }
        }
    }
}

/// Column lists of indexes and constraints follow a renamed column.
fn rename_in_item(item: &mut TableItem, from: &str, to: &str) {
    let fix = |ids: &mut Vec<ast::Ident>| {
        for id in ids.iter_mut() {
            if id.name == from {
                id.name = to.to_string();
            }
        }
    };
    match item {
        TableItem::Index(ix) => {
            for e in &mut ix.elems {
                if let ast::IndexKey::Column(c) = &mut e.key {
                    if c.name == from {
                        c.name = to.to_string();
                    }
                }
            }
            fix(&mut ix.include);
        }
        TableItem::Unique(u) => fix(&mut u.columns),
        TableItem::ForeignKey(f) => fix(&mut f.columns),
        TableItem::PrimaryKey { columns, .. } => fix(columns),
        _ => {}
    }
}
