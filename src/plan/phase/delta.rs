//! The objects that appear, change or disappear between the states before
//! and after a phase, compared statement by statement.
//!
//! Input: the plans that would create each state from empty (which render
//! the statements compared by text on demand), the state after, the phase kind, the tables the
//! migration creates, and the tables whose indexes and keys go in the
//! journal file directly. Output: a [`Delta`] — forward statements,
//! rollback statements, and the script's.

use std::collections::{BTreeSet, HashMap, HashSet};

use foldhash::fast::FixedState;

use super::stmts::*;
#[cfg(debug_assertions)]
use super::COMPARED;
use super::{Planned, IN_TABLE};
use crate::ir::{PhaseKind, Project};
use crate::plan::stmt::{Stmt, DROP_FOREIGN_KEY_FIRST, DROP_INDEX_FIRST};

#[derive(Default)]
pub(super) struct Delta {
    pub forward: Vec<Stmt>,
    pub rollback: Vec<Stmt>,
    pub script: Vec<Stmt>,
}

/// A statement of the old plan, with its place in it (where its text is
/// kept once rendered).
struct Rendered<'a> {
    stmt: &'a Stmt,
    at: usize,
}

/// The statements of a plan by label, or the plan's labels: looked up,
/// never iterated, so the fixed-seed fast hasher cannot reach the output.
type ByLabel<'a, V> = HashMap<&'a str, V, FixedState>;

fn rendered<'a>(planned: &'a Planned) -> ByLabel<'a, Vec<Rendered<'a>>> {
    let n = planned.plan.forward.len();
    let mut out: ByLabel<Vec<Rendered>> =
        ByLabel::with_capacity_and_hasher(n, FixedState::default());
    for (at, stmt) in planned.plan.forward.iter().enumerate() {
        out.entry(stmt.label.as_str())
            .or_default()
            .push(Rendered { stmt, at });
    }
    out
}

/// Objects that appear, change or disappear between the two states.
pub(super) fn delta(
    planned_old: &Planned,
    planned_new: &Planned,
    after: &Project,
    kind: PhaseKind,
    new_tables: &BTreeSet<String>,
    (direct, partitioned): (&BTreeSet<&str>, &BTreeSet<&str>),
) -> Delta {
    let (old, new) = (&planned_old.plan, &planned_new.plan);
    let old_forward = rendered(planned_old);
    let old_undo = by_key(&old.rollback);
    let new_undo = by_key(&new.rollback);
    let mut d = Delta::default();
    let table_of = crate::plan::stmt::table_of;
    let is_new_table = |s: &Stmt| table_of(s).is_some_and(|t| new_tables.contains(&t));
    // A statement on an existing partitioned table, marked for its template.
    let on_partitioned = |s: &Stmt| {
        table_of(s).is_some_and(|t| partitioned.contains(t.as_str()) && !new_tables.contains(&t))
    };
    let mark = |of: &Stmt, s: Stmt| {
        if on_partitioned(of) {
            with(&s, "partitioned", true)
        } else {
            s
        }
    };
    // A history that names its grants changes them by its `grant` and
    // `revoke` steps, which their recipes compile.
    let grants_by_steps = after
        .replayed_access
        .as_ref()
        .is_some_and(|a| a.explicit_grants);
    let mut seen: HashSet<&str, FixedState> =
        HashSet::with_capacity_and_hasher(new.forward.len(), FixedState::default());
    for (at, stmt) in new.forward.iter().enumerate() {
        let label = stmt.label.as_str();
        let was = old_forward.get(label);
        seen.insert(label);
        // Unchanged; or, for a template not compared by text, present in
        // both states (what changes inside a table, its steps say).
        let same = |r: &Rendered| planned_new.same_text(at, planned_old, r.at);
        if was.is_some_and(|v| v.iter().any(same)) {
            continue;
        }
        let fresh =
            is_new_table(stmt) || table_of(stmt).is_some_and(|t| direct.contains(t.as_str()));
        if was.is_none() {
            match stmt.template {
                "grant" | "default_privileges" if grants_by_steps => {}
                "create_index" if !fresh => {
                    d.script.push(concurrently(stmt));
                    d.rollback.push(drop_index_concurrently(stmt));
                }
                // A key whose unique index this phase builds concurrently
                // on an existing table (a tenant-scoped reference's
                // `(org_id, id)`), from a new table or an old one, can only
                // be added after it, in the script.
                "add_foreign_key"
                    if needs_new_index(stmt, old) && {
                        let target = attr(stmt, "ref_table");
                        !new_tables.contains(&target) && !direct.contains(target.as_str())
                    } =>
                {
                    let quote = crate::quote::dollar_tag("fk", &attr(stmt, "name"));
                    // A partitioned table's key is added valid at once.
                    let part = on_partitioned(stmt);
                    d.script
                        .push(with(&with(stmt, "not_valid", !part), "quote", quote));
                    if !part {
                        d.script.push(validate(stmt));
                    }
                    // The rollback may run before the script did, and drops
                    // the key before the index it uses, outside its
                    // transaction as that index is.
                    d.rollback
                        .extend(new_undo.get(&stmt.key).into_iter().flatten().map(|&u| {
                            let mut u = with(u, "if_exists", true);
                            u.label = format!("{DROP_FOREIGN_KEY_FIRST} {}", attr(stmt, "name"));
                            u
                        }));
                }
                "add_foreign_key" if !fresh => {
                    d.forward.push(with(stmt, "not_valid", true));
                    d.script.push(validate(stmt));
                    d.rollback.extend(
                        new_undo
                            .get(&stmt.key)
                            .into_iter()
                            .flatten()
                            .map(|&u| u.clone()),
                    );
                }
                t if IN_TABLE.contains(&t)
                    && !fresh
                    && t != "create_table"
                    && !owns_new_object(stmt, old) => {}
                "create_table" if !fresh => {}
                // An index forced `unsafe` onto a table that existed
                // before is built directly: its rollback drops it.
                // A partitioned table's is dropped by the rollback before
                // its transaction, so its lock is held no longer than the drop.
                "create_index" if !is_new_table(stmt) => {
                    d.forward.push(stmt.clone());
                    let undo = if on_partitioned(stmt) {
                        let label = format!("{DROP_INDEX_FIRST} {}", attr(stmt, "name"));
                        drop_index_stmt(stmt, label, false)
                    } else {
                        drop_index(stmt)
                    };
                    d.rollback.push(mark(stmt, undo));
                }
                _ => {
                    d.forward.push(stmt.clone());
                    d.rollback.extend(undo_of(stmt, &new_undo));
                }
            }
            continue;
        }
        // Changed in place: only the templates of `COMPARED` get here.
        #[cfg(debug_assertions)]
        assert!(COMPARED.contains(&stmt.template), "{}", stmt.template);
        let old_stmt = was.expect("checked above")[0].stmt;
        match stmt.template {
            "create_policy" | "create_trigger" => {
                d.forward.extend(drop_of(old_stmt, &old_undo));
                d.forward.push(stmt.clone());
                // The rollback runs in reverse: the new object (of the
                // same name) is dropped before the old one is created.
                d.rollback.push(old_stmt.clone());
                d.rollback.extend(drop_of(stmt, &new_undo));
            }
            "create_function" | "create_view" => {
                d.forward.push(or_replace(stmt));
                d.rollback.push(or_replace(old_stmt));
            }
            "comment" => {
                d.forward.push(stmt.clone());
                d.rollback.push(old_stmt.clone());
            }
            // A column added to a table with `phi` columns: granted to the
            // roles that read the table without them (the rollback drops
            // the column, and its grants with it).
            "compliance/column_reads" => d.forward.push(stmt.clone()),
            // A table joins or leaves a publication, or its columns change.
            "compliance/create_publication" => {
                d.forward.push(with(stmt, "alter", true));
                d.rollback.push(with(old_stmt, "alter", true));
            }
            _ => {}
        }
    }
    // Whole objects that disappear (a dropped table's own statements go
    // with the table; a dropped policy or view is dropped here).
    // Built only when an old statement is missing from the new plan: most
    // phases drop nothing, and the set costs what the whole state holds.
    let after_tables = std::cell::OnceCell::new();
    let after_tables = || -> &BTreeSet<&str> {
        after_tables.get_or_init(|| after.tables.iter().map(|t| t.name.as_str()).collect())
    };
    // Every label of `new.forward` is in `seen` by now.
    for stmt in &old.forward {
        if seen.contains(stmt.label.as_str()) {
            continue;
        }
        // A policy or trigger names its table in its context, not always
        // in its keys.
        let own = Some(attr(stmt, "table"))
            .filter(|t| !t.is_empty())
            .or_else(|| table_of(stmt));
        let in_dropped_table = own.is_some_and(|t| !after_tables().contains(t.as_str()));
        if in_dropped_table {
            continue;
        }
        match stmt.template {
            "create_policy"
            | "create_trigger"
            | "create_view"
            | "create_function"
            | "compliance/create_publication" => {
                d.forward.extend(drop_of(stmt, &old_undo));
                // Undone in reverse: created again, then its owner and
                // comment set as before.
                d.rollback
                    .extend(owner_and_comment(stmt, old).into_iter().rev());
                d.rollback.push(stmt.clone());
            }
            // An index goes only in a contract phase: during the expand
            // the running version may still need it (a derived index that
            // a new declared one covers is kept until then, too). It goes
            // after the phase's own drops (a key that used it first); the
            // rollback builds it again.
            //
            // Dropped concurrently by the script that runs before the
            // contract, so the table is never locked; the rollback builds it
            // again concurrently, after its transaction. A unique index a
            // foreign key of the old state stands on goes in the journal
            // file, after the phase drops that key.
            "create_index"
                if kind == PhaseKind::Contract
                    && !backs_foreign_key(stmt, old)
                    && !on_partitioned(stmt) =>
            {
                d.script.push(drop_index_concurrently(stmt));
                d.rollback.push(rebuild_index_concurrently(stmt));
            }
            // A unique index whose foreign keys the phase drops too: the
            // script drops those keys first, then the index concurrently.
            "create_index" if kind == PhaseKind::Contract && !on_partitioned(stmt) => {
                match keys_dropped_with(stmt, old, new) {
                    Some(keys) => {
                        d.script.extend(keys);
                        d.script.push(drop_index_concurrently(stmt));
                        d.rollback.push(rebuild_index_concurrently(stmt));
                    }
                    None => {
                        d.forward.push(mark(stmt, drop_index(stmt)));
                        d.rollback
                            .push(mark(stmt, with(stmt, "if_not_exists", true)));
                    }
                }
            }
            "create_index" if kind == PhaseKind::Contract => {
                d.forward.push(mark(stmt, drop_index(stmt)));
                d.rollback
                    .push(mark(stmt, with(stmt, "if_not_exists", true)));
            }
            _ => {}
        }
    }
    d
}
