//! The tables of a cut, copied once for a run of phases.
//!
//! Input: a lowered table of a state, whether the cut keeps its foreign
//! keys, and where those keys' targets lie in the cut. Output: the table
//! as the cut holds it: the same table when nothing in it changes, else a
//! copy with its keys renumbered or left out, made once and handed to
//! every later phase of the run that cuts it alike.
//!
//! Every cut holds the tables the changed ones look up (the tenants'
//! table, the users, the audit trail, the app roles table) and most phases
//! of a run leave them alone: copied for each phase, they cost two copies
//! per phase (their column, index and policy lists are shared, the rest
//! of the table is not). A copy depends only on the table (the same
//! lowered table is the same `Arc`: lowering shares a table a phase leaves
//! alone) and how its keys are renumbered.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::FixedState;

use crate::ir::Table;

/// The copies made so far, by table and renumbering.
#[derive(Default)]
pub struct TableCopies {
    made: HashMap<Wanted, Made, FixedState>,
}

/// A table (by address, held alive in [`Made`]) and the new place of each
/// key's target, `None` when its keys are left out.
#[derive(PartialEq, Eq, Hash)]
struct Wanted {
    table: *const Table,
    keys: Option<Vec<usize>>,
}

struct Made {
    /// Keeps the table's address from being reused while the copy is held.
    _of: Arc<Table>,
    copy: Arc<Table>,
}

impl TableCopies {
    /// `t` with its keys' targets at `keys` (in key order), or without keys
    /// when `keys` is `None`.
    pub(super) fn of(&mut self, t: &Arc<Table>, keys: Option<Vec<usize>>) -> Arc<Table> {
        let unchanged = match &keys {
            None => t.foreign_keys.is_empty(),
            Some(at) => t
                .foreign_keys
                .iter()
                .map(|fk| fk.table)
                .eq(at.iter().copied()),
        };
        if unchanged {
            return t.clone();
        }
        let key = Wanted {
            table: Arc::as_ptr(t),
            keys,
        };
        if let Some(made) = self.made.get(&key) {
            return made.copy.clone();
        }
        let mut copy = Table::clone(t);
        match &key.keys {
            None => copy.foreign_keys.clear(),
            Some(at) => {
                for (fk, &to) in copy.foreign_keys.iter_mut().zip(at) {
                    fk.table = to;
                }
            }
        }
        let copy = Arc::new(copy);
        self.made.insert(
            key,
            Made {
                _of: t.clone(),
                copy: copy.clone(),
            },
        );
        copy
    }
}
