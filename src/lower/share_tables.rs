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

/// Replace each table of `state` equal to its predecessor (the table of
/// the same name in `prev`, the state before) by it.
pub(super) fn share(prev: Option<&Project>, state: &mut Project) {
    let last: &[Arc<Table>] = prev.map_or(&[], |p| &p.tables);
    // Most phases keep the table list: the predecessor of table `i` is
    // table `i`, found without a map.
    let aligned = last.len() == state.tables.len()
        && last
            .iter()
            .zip(&state.tables)
            .all(|(old, t)| Arc::ptr_eq(old, t) || old.name == t.name);
    let by_name: HashMap<&str, &Arc<Table>> = if aligned {
        HashMap::new()
    } else {
        last.iter().map(|t| (t.name.as_str(), t)).collect()
    };
    for (i, t) in state.tables.iter_mut().enumerate() {
        let old = if aligned {
            Some(&last[i])
        } else {
            by_name.get(t.name.as_str()).copied()
        };
        if let Some(old) = old {
            // Held already, or equal to it: held once, nothing to trim.
            if Arc::ptr_eq(old, t) {
                continue;
            }
            if **old == **t {
                *t = Arc::clone(old);
                continue;
            }
        }
        if let Some(fresh) = Arc::get_mut(t) {
            trim(fresh);
        }
    }
}

/// Give back the spare capacity of a finished table's lists.
pub(super) fn trim(t: &mut Table) {
    t.publish.shrink_to_fit();
    t.exemptions.shrink_to_fit();
    if let Some(columns) = Arc::get_mut(&mut t.columns) {
        columns.shrink_to_fit();
    }
    t.primary_key.shrink_to_fit();
    if let Some(indexes) = Arc::get_mut(&mut t.indexes) {
        indexes.shrink_to_fit();
    }
    t.uniques.shrink_to_fit();
    t.checks.shrink_to_fit();
    t.foreign_keys.shrink_to_fit();
    if let Some(policies) = Arc::get_mut(&mut t.policies) {
        policies.shrink_to_fit();
    }
}
