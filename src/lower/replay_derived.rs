//! The foreign keys' derived indexes of a replayed table, derived again
//! after each step that changes them: a reference added or dropped, or
//! marked `no index`; an index, unique or key that comes to lead (or no
//! longer leads) with a reference's columns.
//!
//! Input: a replayed [`TableShape`] whose `references` list its foreign
//! keys. Output: the same shape with `indexes`, `index_names` and `derived`
//! holding exactly the derived indexes the build's lowering derives for
//! the same state ([`super::references::uncovered_keys`]), named as it
//! names them.

use crate::ir::names;
use crate::ir::shape::{index_text, Reference, TableShape};
use crate::ir::Index;
use crate::span::Span;

/// Record a foreign key the step made, then derive again.
pub(super) fn add_reference(t: &mut TableShape, table: &str, r: Reference) {
    t.references.push(r);
    rederive(t, table);
}

/// `drop index NAME` of a derived index: its references no longer want
/// one (as if marked `no index`). Whether `text` was a derived one.
pub(super) fn drop_derived(t: &mut TableShape, table: &str, text: &str) -> bool {
    if !t.derived.contains(text) {
        return false;
    }
    for r in &mut t.references {
        if r.indexed && index_text(false, "btree", &r.columns, None) == text {
            r.indexed = false;
        }
    }
    rederive(t, table);
    true
}

/// Replace the derived indexes of `t` with those its state derives now.
pub(super) fn rederive(t: &mut TableShape, table: &str) {
    for text in std::mem::take(&mut t.derived) {
        // Unless an index of the same keys was added meanwhile.
        if !t.index_leads.contains_key(&text) {
            t.indexes.remove(&text);
        }
    }
    t.prune_names();
    let mut leads = vec![t.primary_key.clone()];
    leads.extend(t.index_leads.values().cloned());
    leads.extend(t.uniques.iter().cloned());
    let keys = t
        .references
        .iter()
        .filter(|r| r.indexed)
        .map(|r| r.columns.clone())
        .collect();
    for cols in super::references::uncovered_keys(keys, leads) {
        let ix = Index::derived_on(&cols, false, Span::default());
        let text = index_text(false, "btree", &cols, None);
        let base = names::index_base(table, &ix);
        let taken = t.index_names.contains_key(&base) || t.constraint_names.contains_key(&base);
        let name = if taken {
            names::with_hash(&base, &ix)
        } else {
            base
        };
        t.indexes.insert(text.clone());
        t.index_names.insert(name, text.clone());
        t.derived.insert(text);
    }
}
