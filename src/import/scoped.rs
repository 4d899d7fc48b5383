//! Tenant-scoped references, read back as the one-column references they
//! are declared as.
//!
//! sluice compiles a reference between two tenant tables
//! (`notebook_id uuid -> notebooks.id`) to `(org_id, notebook_id) ->
//! notebooks(org_id, id)` and gives the target a unique index on
//! `(org_id, id)`. Read literally, the catalog would import both as
//! explicit declarations, and the rebuild would then derive them a second
//! time. So before the conventions are recognised, each such key is
//! narrowed to its one-column form (named as sluice names that form), and a
//! unique index named `<table>_<tenant>_<key>_key` that only serves such
//! keys is left out: the lowering derives both again, byte for byte.
//!
//! Input: the catalog and the tenant column. Output: the same catalog,
//! narrowed.

use super::catalog::Catalog;

/// Narrow every tenant-scoped reference of `c` through `tenant`.
pub fn narrow(c: &mut Catalog, tenant: &str) {
    let mut targets: Vec<(String, Vec<String>)> = Vec::new();
    for t in &mut c.tables {
        for k in t.constraints.iter_mut().filter(|k| k.kind == "f") {
            let scoped = k.columns.len() == 2
                && k.ref_columns.len() == 2
                && k.columns[0] == tenant
                && k.ref_columns[0] == tenant
                && k.columns[1] != tenant;
            if !scoped {
                continue;
            }
            if let Some(to) = &k.ref_table {
                targets.push((to.clone(), k.ref_columns.clone()));
            }
            if k.name == format!("{}_{}_{}_fkey", t.name, tenant, k.columns[1]) {
                k.name = format!("{}_{}_fkey", t.name, k.columns[1]);
            }
            k.columns.remove(0);
            k.ref_columns.remove(0);
        }
    }
    for t in &mut c.tables {
        t.indexes.retain(|ix| {
            let derived = ix.unique
                && ix.method == "btree"
                && ix.predicate.is_none()
                && ix.include.is_empty()
                && ix.keys.len() == 2
                && ix.name == format!("{}_{}_key", t.name, ix.keys.join("_"))
                && targets
                    .iter()
                    .any(|(to, cols)| *to == t.name && *cols == ix.keys);
            !derived
        });
    }
}
