//! Indexes and constraints in the history replay: `add index`, `add
//! unique`, `add check`, and `drop index|constraint` by name, each named as
//! the build names it.
//!
//! Input: a step and the replay up to it. Output: the table's shape with
//! the index or constraint added or removed, and its derived indexes
//! derived again.

use super::super::replay_derived::{drop_derived, rederive};
use super::Replay;
use crate::ast;
use crate::ir::names;
use crate::ir::shape::{self, Constraint};
use crate::span::Span;

impl Replay {
    /// `add unique on TABLE (cols) [as NAME]`.
    pub fn add_unique(&mut self, table: &str, u: &ast::UniqueDef, span: Span) {
        let cols: Vec<String> = u.columns.iter().map(|c| c.name.clone()).collect();
        let name = u.name.as_ref().map_or_else(
            || format!("{table}_{}_key", cols.join("_")),
            |n| n.name.clone(),
        );
        if let Some(t) = self.table(table, span) {
            t.constraint_names
                .insert(name, Constraint::Unique(cols.clone()));
            t.uniques.insert(cols);
            rederive(t, table);
        }
    }

    /// `add check on TABLE (expr) [as NAME]`; an unnamed one is found by
    /// the name the build gives it, the first `<table>_checkN` free (see
    /// `names::check`).
    pub fn add_check(&mut self, table: &str, c: &ast::CheckDef, span: Span) {
        let text = shape::norm(&c.expr.text);
        if let Some(t) = self.table(table, span) {
            let name = c.name.as_ref().map_or_else(
                || {
                    (1..)
                        .map(|n| format!("{table}_check{n}"))
                        .find(|n| !t.constraint_names.contains_key(n))
                        .unwrap_or_default()
                },
                |n| n.name.clone(),
            );
            t.constraint_names
                .entry(name)
                .or_insert(Constraint::Check(text.clone()));
            t.checks.insert(text);
        }
    }

    /// `drop constraint NAME`: whichever table holds it. Whether it existed.
    pub fn drop_constraint(&mut self, name: &str, span: Span) -> bool {
        for (table, (t, at)) in self.tables.iter_mut() {
            if t.drop_constraint(name) {
                *at = span;
                rederive(t, table);
                return true;
            }
        }
        false
    }

    pub fn add_index(&mut self, table: &str, ix: &ast::IndexDef, span: Span) {
        let ix = ir_index(ix);
        let keys: Vec<String> = ix
            .elems
            .iter()
            .map(|e| shape::key_text(&e.key, e.descending))
            .collect();
        let text = shape::index_text(ix.unique, &ix.method, &keys, ix.predicate.as_deref());
        if let Some(t) = self.table(table, span) {
            // The name `names::index` gives it in the table lowered from
            // the same history: a taken base name gets the hash.
            // A derived index's name is not: the build derives it after
            // the declared ones, and no longer once this one covers it.
            let name = ix.name.clone().unwrap_or_else(|| {
                let base = names::index_base(table, &ix);
                let taken = t
                    .index_names
                    .get(&base)
                    .is_some_and(|v| !t.derived.contains(v))
                    || t.constraint_names.contains_key(&base);
                if taken {
                    names::with_hash(&base, &ix)
                } else {
                    base
                }
            });
            t.indexes.insert(text.clone());
            if ix.predicate.is_none() {
                let lead = ix.leading_columns().into_iter().map(String::from);
                t.index_leads.insert(text.clone(), lead.collect());
            }
            t.index_names.insert(name, text);
            rederive(t, table);
        }
    }

    /// `drop index NAME`: whichever table holds it. Whether it existed.
    pub fn drop_index(&mut self, name: &str, span: Span) -> bool {
        for (table, (t, at)) in self.tables.iter_mut() {
            if let Some(text) = t.index_names.get(name).cloned() {
                *at = span;
                if drop_derived(t, table, &text) {
                    return true;
                }
                t.index_names.remove(name);
                t.indexes.remove(&text);
                t.index_leads.remove(&text);
                rederive(t, table);
                return true;
            }
        }
        false
    }
}

/// A step's index as the lowering builds it, for its name.
fn ir_index(ix: &ast::IndexDef) -> crate::ir::Index {
    crate::ir::Index {
        name: ix.name.as_ref().map(|n| n.name.clone()),
        unique: ix.unique,
        method: ix
            .method
            .as_ref()
            .map_or_else(|| "btree".to_string(), |m| m.name.to_lowercase()),
        elems: ix
            .elems
            .iter()
            .map(|e| crate::ir::IndexElem {
                key: match &e.key {
                    ast::IndexKey::Column(c) => crate::ir::IndexKey::Column(c.name.clone()),
                    ast::IndexKey::Expr(x) => crate::ir::IndexKey::Expr(x.text.clone()),
                },
                descending: e.descending,
                nulls_first: e.nulls.as_ref().map(|n| n.name == "first"),
                opclass: e.opclass.as_ref().map(|o| o.name.clone()),
            })
            .collect(),
        include: ix.include.iter().map(|c| c.name.clone()).collect(),
        predicate: ix.predicate.as_ref().map(|p| p.text.clone()),
        derived: false,
        span: ix.span,
    }
}
