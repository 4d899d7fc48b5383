//! How [`State`] follows `ALTER TABLE … RENAME TO`: what the file and the
//! earlier files know of a table is known of it under its new name.
//!
//! Input: the old and the new name. Output: the state and its
//! [`super::Catalog`] with every fact about the table moved to the new
//! name: a table created earlier in the file and renamed is still new (an
//! index on it blocks nobody), its tenant column still asks for row-level
//! security (enabled under the new name), and its columns, indexes,
//! validated `NOT NULL` checks, policies, foreign keys and the locks held
//! on it follow it.

use std::collections::{BTreeMap, BTreeSet};

use super::State;

impl State {
    pub(super) fn rename_table(&mut self, from: &str, to: &str) {
        if from == to {
            return;
        }
        let c = &mut self.catalog;
        rekey(&mut c.columns, from, to);
        rekey(&mut c.indexes, from, to);
        c.validated_not_null = std::mem::take(&mut c.validated_not_null)
            .into_iter()
            .map(|(mut t, col)| {
                rename(&mut t, from, to);
                (t, col)
            })
            .collect();
        for (t, _) in c.not_null_checks.values_mut() {
            rename(t, from, to);
        }
        follow(&mut self.created_tables, from, to);
        for t in self.created_indexes.values_mut() {
            rename(t, from, to);
        }
        rekey(&mut self.tenant_tables, from, to);
        rekey(&mut self.rls_enabled, from, to);
        follow(&mut self.rls_forced, from, to);
        rekey(&mut self.policies, from, to);
        for fk in &mut self.foreign_keys {
            rename(&mut fk.table, from, to);
        }
        follow(&mut self.exclusive_held, from, to);
        follow(&mut self.locked, from, to);
    }
}

/// The entry of `from`, if any, now under `to` (replacing what was there).
fn rekey<V>(map: &mut BTreeMap<String, V>, from: &str, to: &str) {
    if let Some(v) = map.remove(from) {
        map.insert(to.to_string(), v);
    }
}

fn follow(set: &mut BTreeSet<String>, from: &str, to: &str) {
    if set.remove(from) {
        set.insert(to.to_string());
    }
}

fn rename(name: &mut String, from: &str, to: &str) {
    if name == from {
        *name = to.to_string();
    }
}
