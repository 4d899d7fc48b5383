//! How far a cut plans each of its tables: most of a cut is there for
//! what its changed tables look up, and plans alike in both states.
//!
//! Input: the states around a phase, where the cut's tables are in each,
//! its changed tables and the cut.
//! Output: for each table of the cut that need not be planned whole, how
//! far it is planned ([`Tabled`]).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::Cut;
use crate::ir::{AppRoles, Classification, Column, Project, Table};
use crate::plan::schema::{Alike, Tabled};

/// How far the cut plans each of its tables. A table whose statements
/// are the same in both states would be found in both plans and reported
/// by neither: the cut keeps it for what the others look up and plans
/// neither copy. Such a table is not changed, and is the same lowered
/// table in both states (lowering shares a table a phase leaves alone).
/// What the comparison reads across tables is still planned: the foreign
/// keys of one whose targets differ (a key's statement reads its target's
/// name and indexes), and the indexes a key may stand on of the targets
/// of every key planned (a key's statement waits for them, and a new one
/// needs an index the state before may lack). Nothing else a
/// table's statements read may differ: the enums' names (its column
/// types), the app roles table and what that references (its policies'
/// role lookup) and the audit trail's name (its writer policy) are the
/// same in both states, or every table is planned whole. A project's
/// settings (schema, tenancy, conventions, owner) are the same in every
/// state of its history.
pub(super) fn planning(
    states: &[&Project; 2],
    kept: &[Vec<usize>; 2],
    changed: &BTreeSet<String>,
    keep: &Cut,
) -> HashMap<String, Tabled> {
    let [before, after] = *states;
    let keys_alike = |t: &Table| {
        t.foreign_keys
            .iter()
            .all(|fk| same(before.tables.get(fk.table), after.tables.get(fk.table)))
    };
    let enums = |p: &Project| p.enums.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    let audit = |p: &Project| {
        p.audit_trail
            .and_then(|i| Some(p.tables.get(i)?.name.clone()))
    };
    let settled = same(roles_table(before), roles_table(after))
        && roles_table(before).is_none_or(|r| keys_alike(r))
        && audit(before) == audit(after)
        && enums(before) == enums(after);
    let mut out = HashMap::new();
    if !settled {
        return out;
    }
    let (b, a) = (by_name(before, &kept[0]), by_name(after, &kept[1]));
    // The tables planned with their keys; the others of the cut that plan
    // alike are left out.
    let mut keyed = Vec::new();
    for name in keep.full.iter().chain(&keep.targets) {
        let shared = match (b.get(name.as_str()), a.get(name.as_str())) {
            (Some(x), Some(y)) if Arc::ptr_eq(x, y) && !changed.contains(name) => Some(x),
            _ => None,
        };
        let full = keep.full.contains(name);
        match shared {
            Some(t) if !full || keys_alike(t) => {
                out.insert(name.clone(), Tabled::Not);
            }
            Some(_) => {
                out.insert(name.clone(), Tabled::Keys);
                keyed.push(name);
            }
            None if full => {
                if let (Some(x), Some(y)) = (b.get(name.as_str()), a.get(name.as_str())) {
                    out.insert(name.clone(), Tabled::Except(alike(x, y)));
                }
                keyed.push(name)
            }
            None => {}
        }
    }
    // The targets of the keys planned: their indexes too.
    for (p, by) in [(before, &b), (after, &a)] {
        for name in &keyed {
            let Some(t) = by.get(name.as_str()) else {
                continue;
            };
            for fk in &t.foreign_keys {
                let Some(target) = p.tables.get(fk.table) else {
                    continue;
                };
                match out.get(&target.name) {
                    Some(Tabled::Not) => {
                        out.insert(target.name.clone(), Tabled::Indexes);
                    }
                    Some(Tabled::Keys) => {
                        out.remove(&target.name);
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// The kinds of statements a table changed by a phase plans alike in both
/// states (`x` before, `y` after, of one name). Its create and drop are
/// in both plans and compared by label. The rest plan alike when what
/// they read of the table is equal in both states (compared by content:
/// lowering makes a changed table's lists anew) and what they read of
/// the project is settled (see [`planning`]). A policy reads the table's
/// name, tenancy and owner column, its policies, and the project's
/// tenancy, owner, app roles table and audit trail; an index reads the
/// table's name, indexes and unique constraints (its name must not clash
/// with theirs); a comment reads the table's and its columns' notes.
/// None of these is waited for by another statement: a policy waits for
/// its table's row-level security, planned with it, and a foreign key
/// waits only for the indexes it may stand on, which are planned
/// regardless.
fn alike(x: &Table, y: &Table) -> Alike {
    Alike {
        table: true,
        policies: x.tenant == y.tenant && x.owner == y.owner && x.policies == y.policies,
        indexes: x.indexes == y.indexes && x.uniques == y.uniques,
        comments: x.comment == y.comment
            && x.classification == y.classification
            && (Arc::ptr_eq(&x.columns, &y.columns)
                || x.columns
                    .iter()
                    .map(|c| note(c))
                    .eq(y.columns.iter().map(|c| note(c)))),
    }
}

/// What a column's comment statement reads of it.
fn note(c: &Column) -> (&str, Option<&str>, Option<Classification>) {
    (c.name.as_str(), c.comment.as_deref(), c.classification)
}

/// Whether both are the same table, or both absent.
fn same(x: Option<&Arc<Table>>, y: Option<&Arc<Table>>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => Arc::ptr_eq(x, y),
        (None, None) => true,
        _ => false,
    }
}

fn roles_table(p: &Project) -> Option<&Arc<Table>> {
    match &p.app_roles {
        Some(AppRoles::Table { table }) => p.tables.get(*table),
        _ => None,
    }
}

/// The tables at `kept` in `p`, by name.
fn by_name<'p>(p: &'p Project, kept: &[usize]) -> HashMap<&'p str, &'p Arc<Table>> {
    kept.iter()
        .map(|&i| (p.tables[i].name.as_str(), &p.tables[i]))
        .collect()
}
