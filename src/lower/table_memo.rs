//! A table declaration lowered once per history, not once per phase.
//!
//! Input: the declarations a phase's schema lowers (shared `Arc`s: a phase
//! keeps every table it did not change as the same one). Output: each
//! one's table as [`super::tables::lower_table`] builds it, before its
//! foreign keys are resolved, with those keys pending.
//!
//! That lowering reads only the declaration and its project's settings,
//! roles and enums, which stay the same while the schema's enums do. A
//! phase lowers the tables it changed with the ones around them (their
//! keys' targets and referrers); those are unchanged declarations, so
//! they are copied from here: a table's columns, indexes and policies are
//! shared, which makes the copy cheap. Entries are held by their
//! declaration, so a pointer is never reused while its entry lives, and
//! dropped once no schema holds the declaration any more.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::FixedState;

use super::column_memo::ColumnMemo;
use super::tables::{lower_table_with, PendingFk, TableCx};
use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::ir::Table;

#[derive(Default)]
pub(super) struct TableMemo {
    /// The enums the entries were lowered with.
    enums: Option<Arc<Vec<ast::EnumDecl>>>,
    by_decl: HashMap<*const ast::TableDecl, Entry, FixedState>,
    /// The columns of the tables lowered here, which a changed table
    /// mostly keeps.
    columns: ColumnMemo,
}

struct Entry {
    decl: Arc<ast::TableDecl>,
    table: Table,
    /// Its pending foreign keys, numbered as table 0.
    pending: Vec<PendingFk>,
}

impl TableMemo {
    /// Forget every entry unless the schema's enums are still `enums`.
    pub fn keep_if(&mut self, enums: &Arc<Vec<ast::EnumDecl>>) {
        if !self.enums.as_ref().is_some_and(|e| Arc::ptr_eq(e, enums)) {
            self.by_decl.clear();
            self.enums = Some(Arc::clone(enums));
        }
    }

    /// `decl` lowered as table `idx`: copied when lowered before, else
    /// lowered and kept. Diagnostics are dropped: a history's schemas were
    /// checked where they were written.
    pub fn lower(
        &mut self,
        cx: &TableCx,
        decl: &Arc<ast::TableDecl>,
        idx: usize,
        pending: &mut Vec<PendingFk>,
    ) -> Table {
        let columns = &mut self.columns;
        let entry = self.by_decl.entry(Arc::as_ptr(decl)).or_insert_with(|| {
            let mut own = Vec::new();
            let mut ignored = Vec::<Diagnostic>::new();
            let table = lower_table_with(cx, decl, 0, &mut own, &mut ignored, Some(columns));
            Entry {
                decl: Arc::clone(decl),
                table,
                pending: own,
            }
        });
        pending.extend(entry.pending.iter().map(|p| PendingFk {
            table: idx,
            ..p.clone()
        }));
        entry.table.clone()
    }

    /// Drop the entries of declarations no schema holds any more.
    pub fn prune(&mut self) {
        self.by_decl.retain(|_, e| Arc::strong_count(&e.decl) > 1);
        self.columns.prune();
    }
}
