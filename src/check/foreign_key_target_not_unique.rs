//! `foreign-key-target-not-unique`: the columns a foreign key references
//! are, as a set, the primary key, a unique constraint, a `unique` column
//! or a unique index (plain columns, no predicate) of the target table.
//! PostgreSQL refuses the key otherwise ("there is no unique constraint
//! matching given keys for referenced table"), so the deploy would fail.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Project, Table, Workspace};

pub fn foreign_keys_reference_a_unique_key(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for fk in &t.foreign_keys {
            let target = &p.tables[fk.table];
            if fk.ref_columns.is_empty() || is_unique_key(target, &fk.ref_columns) {
                continue;
            }
            let cols = fk.ref_columns.join(", ");
            out.push(
                Diagnostic::of(
                    Code::ForeignKeyTargetNotUnique,
                    format!(
                        "`{}({cols})` is not a unique key of `{}`: PostgreSQL refuses a foreign key to it",
                        target.name, target.name
                    ),
                )
                .at(fk.span)
                .with_label(target.name_span, "the referenced table")
                .help(format!(
                    "add `unique ({cols})` to table `{}`, or reference its primary key ({})",
                    target.name,
                    target.primary_key.join(", ")
                )),
            );
        }
    }
}

/// Whether `cols` (as a set) is a key PostgreSQL accepts as a foreign
/// key's target.
fn is_unique_key(t: &Table, cols: &[String]) -> bool {
    let want: BTreeSet<&str> = cols.iter().map(String::as_str).collect();
    let same = |have: BTreeSet<&str>| have == want;
    same(t.primary_key.iter().map(String::as_str).collect())
        || t.uniques
            .iter()
            .any(|u| same(u.columns.iter().map(String::as_str).collect()))
        || t.columns
            .iter()
            .any(|c| c.unique && same(BTreeSet::from([c.name.as_str()])))
        || t.indexes.iter().any(|ix| {
            ix.unique
                && ix.predicate.is_none()
                && ix.elems.len() == want.len()
                && same(
                    ix.elems
                        .iter()
                        .filter_map(|e| match &e.key {
                            IndexKey::Column(c) => Some(c.as_str()),
                            IndexKey::Expr(_) => None,
                        })
                        .collect(),
                )
        })
}
