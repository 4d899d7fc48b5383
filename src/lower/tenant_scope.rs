//! Tenant-scoped references: a foreign key between two tenant tables goes
//! through the tenant column.
//!
//! PostgreSQL checks foreign keys without row-level security, so a
//! reference on one column lets org A point its rows at org B's (and learn
//! that they exist, and block B's deletes). A single-column reference
//! between tenant tables (`notebook_id uuid -> notebooks.id`) therefore
//! compiles to `(org_id, notebook_id) -> notebooks(org_id, id)`, and the
//! target gets a unique index on `(org_id, id)` when no key covers it.
//! `on delete set null` then sets only the referencing column
//! (`SET NULL (notebook_id)`, PostgreSQL 15+): the tenant column stays.
//!
//! Input: a project's tables with resolved foreign keys. Output: the same
//! tables with their references scoped and target keys derived, and an
//! `unscoped-tenant-reference` diagnostic for each reference between tenant
//! tables that does not pair the tenant columns and cannot be scoped (a
//! warning when only the PostgreSQL 14 target keeps it from being scoped).

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{FkAction, Index, Project, Table};

/// The rule a table can be exempted from with `allow RULE "reason"`.
pub const RULE: &str = "unscoped-tenant-reference";

/// How a reference between two tenant tables is emitted.
pub(super) enum Scope {
    /// Already pairs the tenant columns.
    Scoped,
    /// One column: emitted with the tenant column in front on both sides.
    Widen,
    /// Cannot be scoped; the reason, for the diagnostic.
    Unscoped(&'static str),
}

/// Decide how a reference from `columns` to `refs` between two tenant
/// tables is scoped by `tenant` (the tenant column).
pub(super) fn scope(
    tenant: &str,
    columns: &[String],
    refs: &[String],
    on_delete: FkAction,
    postgres: u32,
) -> Scope {
    if let Some(i) = columns.iter().position(|c| c == tenant) {
        return if refs.get(i).is_some_and(|r| r == tenant) {
            Scope::Scoped
        } else {
            Scope::Unscoped("it does not pair the tenant columns")
        };
    }
    if columns.len() != 1 || refs.len() != 1 || refs[0] == tenant {
        return Scope::Unscoped("its columns leave out the tenant column");
    }
    let partial = matches!(on_delete, FkAction::SetNull | FkAction::SetDefault);
    if partial && postgres < 15 {
        return Scope::Unscoped(
            "`on delete set null` (or `set default`) of one column of a composite key needs PostgreSQL 15",
        );
    }
    Scope::Widen
}

/// Scope every reference between tenant tables of `p` (see the module
/// documentation), then give each referenced `(tenant, key)` pair a unique
/// index when the target has no key on exactly those columns.
pub(super) fn apply(p: &mut Project, diags: &mut Vec<Diagnostic>) {
    let Some(tenant) = p.tenancy.as_ref().map(|t| t.column.clone()) else {
        return;
    };
    let postgres = p.postgres;
    let tenant_tables: Vec<bool> = p.tables.iter().map(|t| t.tenant).collect();
    let mut wanted: Vec<(usize, Vec<String>)> = Vec::new();
    for t in p.tables.iter_mut().map(std::sync::Arc::make_mut) {
        if !t.tenant {
            continue;
        }
        let exempt = t.is_exempt(RULE);
        let name = t.name.clone();
        for fk in &mut t.foreign_keys {
            if !tenant_tables[fk.table] {
                continue;
            }
            match scope(
                &tenant,
                &fk.columns,
                &fk.ref_columns,
                fk.on_delete,
                postgres,
            ) {
                Scope::Scoped => {}
                Scope::Widen => {
                    if matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault) {
                        fk.on_delete_columns = fk.columns.clone();
                    }
                    fk.columns.insert(0, tenant.clone());
                    fk.ref_columns.insert(0, tenant.clone());
                }
                Scope::Unscoped(_) if exempt => continue,
                Scope::Unscoped(why) => {
                    // On PostgreSQL 14 the reference cannot be scoped and
                    // keeps its one column: reported, but it deploys.
                    let version_bound = why.contains("PostgreSQL 15");
                    let report = if version_bound {
                        Diagnostic::warning
                    } else {
                        Diagnostic::of
                    };
                    diags.push(
                        report(
                            Code::UnscopedTenantReference,
                            format!(
                                "the foreign key ({}) of tenant table `{name}` is not scoped by `{tenant}`: {why}, so a row of one tenant can point at another tenant's row",
                                fk.columns.join(", ")
                            ),
                        )
                        .at(fk.span)
                        .help(if version_bound {
                            format!("use `on delete cascade` or `restrict`, which scope on any version, or target `postgres 15` or later; if it must cross tenants, add `allow {RULE} \"reason\"` to the table")
                        } else {
                            format!("reference one column (`-> table.id`), which sluice scopes by `{tenant}`, or pair the tenant columns: `foreign key ({tenant}, …) -> table({tenant}, …)`; if it must cross tenants, add `allow {RULE} \"reason\"` to the table")
                        }),
                    );
                    continue;
                }
            }
            wanted.push((fk.table, fk.ref_columns.clone()));
        }
    }
    for (table, cols) in wanted {
        let t = std::sync::Arc::make_mut(&mut p.tables[table]);
        // Only when the other columns are a key already, so the index adds
        // no constraint of its own; otherwise the reference is
        // `foreign-key-target-not-unique`.
        let rest: Vec<String> = cols.iter().filter(|c| **c != tenant).cloned().collect();
        if !has_key(t, &cols) && has_key(t, &rest) {
            std::sync::Arc::make_mut(&mut t.indexes).push(Index::derived_on(
                &cols,
                true,
                t.name_span,
            ));
        }
    }
}

/// Whether `cols` (as a set) is already a key of `t` a foreign key can use.
fn has_key(t: &Table, cols: &[String]) -> bool {
    if cols.len() == 1 && t.column(&cols[0]).is_some_and(|c| c.unique) {
        return true;
    }
    let same =
        |have: &[&str]| have.len() == cols.len() && cols.iter().all(|c| have.contains(&c.as_str()));
    same(&t.primary_key.iter().map(String::as_str).collect::<Vec<_>>())
        || t.uniques
            .iter()
            .any(|u| same(&u.columns.iter().map(String::as_str).collect::<Vec<_>>()))
        || t.indexes.iter().any(|ix| {
            ix.unique
                && ix.predicate.is_none()
                && ix.elems.len() == cols.len()
                && same(&ix.leading_columns())
        })
}
