//! Views that stand in the way of a dropped column. PostgreSQL refuses to
//! drop (or swap, as a type change's contract does) a column that a view
//! reads, and `CREATE OR REPLACE VIEW` cannot remove a column from a view.
//! So a phase that drops a column, or changes its type, first drops every
//! view that reads its table with `*` or names that column (a conservative,
//! textual test), and the views reading those, and creates again, after its
//! other statements, those the new state still declares, with their owner,
//! comment and grants.
//!
//! A view replaced in place is rebuilt the same way where `CREATE OR
//! REPLACE` cannot do it: by a phase's rollback (the view it restores may
//! have fewer columns, or other types), and by both directions for a
//! materialized view (which has no `OR REPLACE`). The views reading it go
//! first and come back after it, as the state being built declares them.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::schema::initial;
use super::stmt::{Key, Stmt};
use crate::ir::{Column, Project, Table, View, Workspace};

/// Statements to run first, statements to run last, and the views they
/// cover (whose in-place changes the comparison must leave out).
#[derive(Debug, Default)]
pub struct Rebuild {
    pub drop: Vec<Stmt>,
    pub create: Vec<Stmt>,
    pub views: BTreeSet<String>,
}

/// Tables of both states that lose a column or change one's type (only
/// change one's type, with `retyped_only`), and those columns (lower-cased).
fn narrowed(
    before: &Project,
    after: &Project,
    retyped_only: bool,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut tables = BTreeSet::new();
    let mut columns = BTreeSet::new();
    // Most phases keep the list of tables as it was: compared side by
    // side, a table the phase left alone is the very same one in both
    // states, and one it changed has the same name. Any other is looked up
    // by name (a checked project names each table once): a phase pays for
    // the tables it compares, not their square, nor a map of them.
    let aligned = before.tables.len() == after.tables.len();
    let mut by_name: Option<HashMap<&str, &Arc<Table>>> = None;
    for (i, b) in before.tables.iter().enumerate() {
        let a = match after.tables.get(i).filter(|_| aligned) {
            Some(a) if Arc::ptr_eq(a, b) => continue,
            Some(a) if a.name == b.name => a,
            _ => {
                let map = by_name.get_or_insert_with(|| {
                    let mut m = HashMap::new();
                    for t in &after.tables {
                        m.entry(t.name.as_str()).or_insert(t);
                    }
                    m
                });
                match map.get(b.name.as_str()) {
                    Some(a) => *a,
                    None => continue,
                }
            }
        };
        // Most tables keep every column as it was, in order: compared side
        // by side first, without a lookup built for each.
        let kept = |(x, y): (&Arc<Column>, &Arc<Column>)| {
            x.name == y.name && x.ty.text.trim() == y.ty.text.trim()
        };
        if a.columns.len() >= b.columns.len() && b.columns.iter().zip(a.columns.iter()).all(kept) {
            continue;
        }
        let mut after_columns: HashMap<&str, &Column> = HashMap::new();
        for c in a.columns.iter() {
            after_columns.entry(c.name.as_str()).or_insert(c);
        }
        for c in b.columns.iter() {
            let gone = match after_columns.get(c.name.as_str()) {
                Some(ac) => ac.ty.text.trim() != c.ty.text.trim(),
                None => !retyped_only,
            };
            if gone {
                tables.insert(b.name.to_ascii_lowercase());
                columns.insert(c.name.to_ascii_lowercase());
            }
        }
    }
    (tables, columns)
}

/// The identifiers of an SQL text, lower-cased.
fn words(sql: &str) -> BTreeSet<String> {
    sql.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Views of both states whose definition differs; only materialized ones
/// with `materialized_only`.
fn replaced(before: &Project, after: &Project, materialized_only: bool) -> BTreeSet<String> {
    // A phase that leaves the views alone shares their list.
    if Arc::ptr_eq(&before.views, &after.views) {
        return BTreeSet::new();
    }
    let after_views: HashMap<&str, &View> =
        after.views.iter().map(|v| (v.name.as_str(), v)).collect();
    before
        .views
        .iter()
        .filter(|b| {
            after_views.get(b.name.as_str()).is_some_and(|a| {
                let changed = a.query.text.trim() != b.query.text.trim()
                    || a.materialized != b.materialized
                    || a.security_invoker != b.security_invoker;
                changed && (!materialized_only || a.materialized || b.materialized)
            })
        })
        .map(|v| v.name.clone())
        .collect()
}

pub fn rebuild(ws: &Workspace, before: &Project, after: &Project) -> Rebuild {
    let seeds = replaced(before, after, true);
    rebuild_with(ws, before, after, false, seeds)
}

/// For a phase's rollback, from the state after it (`before` here) back to
/// the state before it: the views of both states that stand in the way of
/// changing a column's type back, and the views the phase replaced in
/// place (the rollback drops them and creates them as they were). A
/// column the phase added is dropped without them. Views the phase created
/// or dropped are its own undo's, unless they read a view rebuilt here:
/// a created one is then dropped here, first.
pub fn undo(ws: &Workspace, before: &Project, after: &Project) -> Rebuild {
    let seeds = replaced(before, after, false);
    rebuild_with(ws, before, after, true, seeds)
}

fn rebuild_with(
    ws: &Workspace,
    before: &Project,
    after: &Project,
    undo: bool,
    seeds: BTreeSet<String>,
) -> Rebuild {
    let (tables, columns) = narrowed(before, after, undo);
    if tables.is_empty() && seeds.is_empty() {
        return Rebuild::default();
    }
    // The seeds, views that read such a table with `*` or name such a
    // column, then views reading those views.
    let mut rebuilt: BTreeSet<String> = seeds.iter().map(|v| v.to_ascii_lowercase()).collect();
    let mut views = seeds;
    loop {
        let found: Vec<&str> = before
            .views
            .iter()
            .filter(|v| !views.contains(&v.name))
            .filter(|v| {
                let w = words(&v.query.text);
                let in_both = !undo || after.views.iter().any(|a| a.name == v.name);
                let narrowed_read = in_both
                    && !w.is_disjoint(&tables)
                    && (v.query.text.contains('*') || !w.is_disjoint(&columns));
                narrowed_read || !w.is_disjoint(&rebuilt)
            })
            .map(|v| v.name.as_str())
            .collect();
        if found.is_empty() {
            break;
        }
        for v in found {
            views.insert(v.to_string());
            rebuilt.insert(v.to_ascii_lowercase());
        }
    }
    // A rollback creates again the views the phase dropped; one that reads
    // a view rebuilt here comes back with them, after it (its grants come
    // with the phase's other dropped views, see `grants::on_new_relations`).
    let mut returning = BTreeSet::new();
    if undo {
        loop {
            let found: Vec<&str> = after
                .views
                .iter()
                .filter(|v| {
                    !views.contains(&v.name) && !before.views.iter().any(|b| b.name == v.name)
                })
                .filter(|v| !words(&v.query.text).is_disjoint(&rebuilt))
                .map(|v| v.name.as_str())
                .collect();
            if found.is_empty() {
                break;
            }
            for v in found {
                views.insert(v.to_string());
                returning.insert(v.to_string());
                rebuilt.insert(v.to_ascii_lowercase());
            }
        }
    }
    if views.is_empty() {
        return Rebuild::default();
    }
    let keyed = |s: &Stmt| matches!(&s.key, Key::Table(n) if views.contains(n));
    let drop = initial(ws, before)
        .rollback
        .into_iter()
        .filter(|s| s.template == "drop_view" && keyed(s))
        .collect();
    // The view, and its owner and comment, which hang on it.
    let on_view = |s: &Stmt| {
        matches!(s.template, "set_owner" | "comment")
            && s.deps
                .iter()
                .any(|d| matches!(d, Key::Table(n) if views.contains(n)))
    };
    let mut create: Vec<Stmt> = initial(ws, after)
        .forward
        .into_iter()
        .filter(|s| keyed(s) || on_view(s))
        .collect();
    let kept: Vec<&str> = after
        .views
        .iter()
        .filter(|v| views.contains(&v.name) && !returning.contains(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    create.extend(super::grants::on_relations(ws, after, &kept));
    Rebuild {
        drop,
        create,
        views,
    }
}
