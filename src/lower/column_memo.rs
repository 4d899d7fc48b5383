//! Columns lowered once per history, not once per phase.
//!
//! Input: the columns of a table a phase changed: its declared ones
//! (shared `Arc`s: the syntax tree keeps every column item a step did not
//! change as the same one) and those its conventions derive. Output: each
//! as a shared `Arc<Column>`, the one made before when there is one.
//!
//! A declared column is lowered from its declaration alone (the enums are
//! read only to report an unknown type, and a history's diagnostics are
//! dropped), so the column made for a declaration stands for it while the
//! declaration lives; entries hold their declaration, so an address is
//! never reused while its entry lives. A derived column (key, tenant,
//! owner, timestamps, audit) is made from the table's settings and held
//! once per distinct value. A phase that adds a column to a table of
//! thirty then holds one new column, not thirty copies, and lowers one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use foldhash::fast::FixedState;

use crate::ast;
use crate::ir::Column;

/// Fixed-seed fast hashers: the maps are looked up, never iterated.
#[derive(Default)]
pub(super) struct ColumnMemo {
    declared: HashMap<*const ast::ColumnDef, (Arc<ast::ColumnDef>, Arc<Column>), FixedState>,
    derived: HashSet<Arc<Column>, FixedState>,
    /// Entries after the last prune.
    kept: usize,
}

impl ColumnMemo {
    /// The column of declaration `d`: made by `make` the first time.
    pub fn declared(
        &mut self,
        d: &Arc<ast::ColumnDef>,
        make: impl FnOnce() -> Column,
    ) -> Arc<Column> {
        let (_, column) = self
            .declared
            .entry(Arc::as_ptr(d))
            .or_insert_with(|| (Arc::clone(d), Arc::new(make())));
        Arc::clone(column)
    }

    /// `c`, or the equal column held already.
    pub fn derived(&mut self, c: Column) -> Arc<Column> {
        if let Some(held) = self.derived.get(&c) {
            return Arc::clone(held);
        }
        let c = Arc::new(c);
        self.derived.insert(Arc::clone(&c));
        c
    }

    /// Drop the columns no lowered table holds and the declarations no
    /// syntax tree does, once the memo doubled since it was last pruned: a
    /// prune on every phase would read every column of the schema each
    /// time, as a history of M phases over C columns M × C times.
    pub fn prune(&mut self) {
        if self.len() < 2 * self.kept {
            return;
        }
        self.declared.retain(|_, (d, _)| Arc::strong_count(d) > 1);
        self.derived.retain(|c| Arc::strong_count(c) > 1);
        self.kept = self.len();
    }

    fn len(&self) -> usize {
        self.declared.len() + self.derived.len()
    }
}
