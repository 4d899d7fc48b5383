//! Tables a phase leaves as they were, held once for every state.
//!
//! Input: the states of a project's phases, in journal order, each as
//! lowered. Output: the same states, where a table equal to the one of the
//! same name in the state before is that same [`Arc`]: a history of M
//! migrations over T tables holds each unchanged table once, not M times.
//! Equality is of the whole lowered table (spans and foreign-key targets
//! included), so sharing changes nothing a reader sees. A table kept for
//! the first time has its lists trimmed to their length: lowering grows
//! them item by item, and a long history keeps thousands of them.

use std::collections::HashMap;
use std::sync::Arc;

use crate::ir::{Project, Table};

/// The tables of the last state shared, by name.
#[derive(Default)]
pub(super) struct Shared {
    last: HashMap<String, Arc<Table>>,
}

impl Shared {
    /// Replace each table of `state` equal to its predecessor by it.
    pub(super) fn share(&mut self, state: &mut Project) {
        let mut next = HashMap::with_capacity(state.tables.len());
        for t in &mut state.tables {
            if let Some(old) = self.last.get(&t.name) {
                if !Arc::ptr_eq(old, t) && **old == **t {
                    *t = Arc::clone(old);
                }
            }
            if let Some(fresh) = Arc::get_mut(t) {
                trim(fresh);
            }
            next.insert(t.name.clone(), Arc::clone(t));
        }
        self.last = next;
    }
}

/// Give back the spare capacity of a finished table's lists.
pub(super) fn trim(t: &mut Table) {
    t.publish.shrink_to_fit();
    t.exemptions.shrink_to_fit();
    t.columns.shrink_to_fit();
    t.primary_key.shrink_to_fit();
    t.indexes.shrink_to_fit();
    t.uniques.shrink_to_fit();
    t.checks.shrink_to_fit();
    t.foreign_keys.shrink_to_fit();
    t.policies.shrink_to_fit();
}
