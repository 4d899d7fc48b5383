//! Pass 4: foreign-key targets (same project only) and the indexes sluice
//! derives for the tenant column and for every foreign key.

use std::collections::BTreeMap;

use super::collect::ProjectFiles;
use super::project_settings::{cross_project, unknown_table};
use super::tables::{FkTarget, PendingFk};
use super::values::unknown;
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;

pub(super) fn resolve(
    project: &mut Project,
    pending: Vec<PendingFk>,
    others: &BTreeMap<String, ProjectFiles>,
    diags: &mut Vec<Diagnostic>,
) {
    for fk in pending {
        if let Some(resolved) = resolve_fk(project, &fk, others, diags) {
            std::sync::Arc::make_mut(&mut project.tables[fk.table])
                .foreign_keys
                .push(resolved);
        }
    }
    super::tenant_scope::apply(project, diags);
    for t in &mut project.tables {
        derive_indexes(std::sync::Arc::make_mut(t), project.tenancy.as_ref());
    }
}

fn resolve_fk(
    project: &Project,
    fk: &PendingFk,
    others: &BTreeMap<String, ProjectFiles>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ForeignKey> {
    let (table, ref_columns) = match &fk.target {
        FkTarget::Derived { table, column } => {
            // A convention names a table that must exist in its own project.
            let idx = project.table_index(table)?;
            (idx, vec![column.clone()])
        }
        FkTarget::Written(r) => written_target(project, r, others, diags)?,
    };
    let target = &project.tables[table];
    let ref_columns = if ref_columns.is_empty() {
        target.primary_key.clone()
    } else {
        ref_columns
    };
    let span = match &fk.target {
        FkTarget::Written(r) => r.target.span,
        FkTarget::Derived { .. } => fk.span,
    };
    for c in &ref_columns {
        if target.column(c).is_none() {
            diags.push(unknown(
                Code::UnknownColumn,
                "column",
                c,
                span,
                &format!(" in table `{}`", target.name),
                target.columns.iter().map(|c| c.name.as_str()),
                "reference a column the target table declares",
            ));
            return None;
        }
    }
    if ref_columns.len() != fk.columns.len() {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "the foreign key has {} column{} but references {}",
                    fk.columns.len(),
                    if fk.columns.len() == 1 { "" } else { "s" },
                    ref_columns.len()
                ),
            )
            .at(fk.span)
            .help("name as many referenced columns as referencing ones, e.g. `-> table(a, b)`"),
        );
        return None;
    }
    Some(ForeignKey {
        name: fk.name.clone(),
        columns: fk.columns.iter().map(|c| c.name.clone()).collect(),
        table,
        ref_columns,
        on_delete: fk.on_delete,
        on_update: fk.on_update,
        on_delete_columns: Vec::new(),
        indexed: fk.indexed,
        origin: fk.origin,
        span: fk.span,
    })
}

/// Resolve `table`, `table.column`, `project.table` or `project.table.column`.
fn written_target(
    project: &Project,
    r: &ast::Reference,
    others: &BTreeMap<String, ProjectFiles>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(usize, Vec<String>)> {
    let explicit: Vec<String> = r.columns.iter().map(|c| c.name.clone()).collect();
    let is_here = |name: &str| name == project.name || name == project.schema;
    let (owner, table, column) = match r.target.parts.as_slice() {
        [t] => (None, t, None),
        // `table.column` wins when it resolves, even if the table is named
        // like its project (`notes.id` in project `notes`).
        [a, b]
            if project
                .table(&a.name)
                .is_some_and(|t| t.column(&b.name).is_some()) =>
        {
            (None, a, Some(b))
        }
        [a, b] if is_here(&a.name) => (Some(a), b, None),
        [a, b] if project.table(&a.name).is_some() => (None, a, Some(b)),
        [a, b] if owner_project(&a.name, others).is_some() => (Some(a), b, None),
        [a, b] => (None, a, Some(b)),
        [p, t, c] => (Some(p), t, Some(c)),
        _ => return None,
    };
    if let Some(owner) = owner {
        if !is_here(&owner.name) {
            let other = owner_project(&owner.name, others);
            let exists =
                other.is_some_and(|o| o.tables.iter().any(|t| t.name.last().name == table.name));
            let name = other
                .and_then(|o| o.decls.first())
                .map(|d| d.name.name.clone())
                .unwrap_or_else(|| owner.name.clone());
            if other.is_none() {
                diags.push(unknown(
                    Code::UnknownTable,
                    "project or schema",
                    &owner.name,
                    owner.span,
                    "",
                    others.keys().map(String::as_str),
                    "a foreign key targets a table of the same project",
                ));
                return None;
            }
            diags.push(cross_project(&r.target, &project.name, &name, exists));
            return None;
        }
    }
    let Some(idx) = project.table_index(&table.name) else {
        diags.push(unknown_table(table, project));
        return None;
    };
    let cols = match column {
        Some(c) => vec![c.name.clone()],
        None => explicit,
    };
    Some((idx, cols))
}

/// The project (by folder or declared name or schema) called `name`.
fn owner_project<'a, 'b>(
    name: &str,
    others: &'a BTreeMap<String, ProjectFiles<'b>>,
) -> Option<&'a ProjectFiles<'b>> {
    others.iter().find_map(|(folder, pf)| {
        let decl = pf.decls.first();
        let matches = folder == name
            || decl.is_some_and(|d| d.name.name == name)
            || decl
                .and_then(|d| d.schema.as_ref())
                .is_some_and(|s| s.name == name);
        matches.then_some(pf)
    })
}

/// Add an index on the tenant column and on every indexed foreign key that
/// no declared index, unique constraint or primary key already leads with.
pub(super) fn derive_indexes(t: &mut Table, tenancy: Option<&Tenancy>) {
    if t.tenant {
        if let Some(ten) = tenancy {
            let cols = vec![ten.column.clone()];
            // The tenant column keeps its own index even when a derived
            // `(org_id, id)` key of a tenant-scoped reference would cover
            // it: that key comes and goes with the references to the
            // table, and a history that built the tenant index first never
            // drops it.
            if !is_covered_by(t, &cols, |ix| !(ix.derived && ix.unique)) {
                std::sync::Arc::make_mut(&mut t.indexes).push(Index::derived_on(
                    &cols,
                    false,
                    t.name_span,
                ));
            }
        }
    }
    let fks: Vec<Vec<String>> = t
        .foreign_keys
        .iter()
        .filter(|fk| fk.indexed)
        .map(|fk| fk.columns.clone())
        .collect();
    for cols in uncovered_keys(fks, leads(t, |_| true)) {
        std::sync::Arc::make_mut(&mut t.indexes).push(Index::derived_on(&cols, false, t.name_span));
    }
}

/// The column lists, of `keys` in order, that get a derived index: those
/// no list of `leads` (and no derived index before them) leads with. The
/// one derivation of foreign-key indexes, for declared tables and for a
/// replayed history alike.
pub(crate) fn uncovered_keys(
    keys: Vec<Vec<String>>,
    mut leads: Vec<Vec<String>>,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for cols in keys {
        if leads.iter().any(|l| leads_with(l, &cols)) {
            continue;
        }
        leads.push(cols.clone());
        out.push(cols);
    }
    out
}

/// Whether `lead` starts with exactly `cols` (in any order).
fn leads_with(lead: &[String], cols: &[String]) -> bool {
    lead.len() >= cols.len() && cols.iter().all(|c| lead[..cols.len()].contains(c))
}

/// The leading columns of the primary key, of every index without a
/// predicate that `counts` keeps, and of every unique constraint.
fn leads(t: &Table, counts: impl Fn(&Index) -> bool) -> Vec<Vec<String>> {
    let owned = |l: Vec<&str>| l.into_iter().map(str::to_string).collect::<Vec<_>>();
    let mut out = vec![t.primary_key.clone()];
    out.extend(
        t.indexes
            .iter()
            .filter(|i| i.predicate.is_none() && counts(i))
            .map(|i| owned(i.leading_columns())),
    );
    out.extend(t.uniques.iter().map(|u| u.columns.clone()));
    out.extend(
        t.columns
            .iter()
            .filter(|c| c.unique)
            .map(|c| vec![c.name.clone()]),
    );
    out
}

/// Whether some index, unique constraint or the primary key starts with
/// exactly these columns (in any order), so lookups by them are indexed.
pub fn is_covered(t: &Table, cols: &[String]) -> bool {
    is_covered_by(t, cols, |_| true)
}

/// [`is_covered`], counting only the indexes `counts` keeps.
fn is_covered_by(t: &Table, cols: &[String], counts: impl Fn(&Index) -> bool) -> bool {
    leads(t, counts).iter().any(|l| leads_with(l, cols))
}
