//! Recognise `reads phi` and the column grants sluice derives from it.
//!
//! Input: a [`Catalog`] (its column comments carry the classification, its
//! grants of kind `column` the column-level privileges) and a role name.
//! Output: whether the role reads the `phi` columns (it holds table-wide
//! `SELECT` on a table with `phi` columns, which sluice grants only to the
//! roles that say `reads phi` and to the schema owner), and the tables a
//! role reads without those columns (only column `SELECT` grants): its
//! `grant select` covers them as it covers the others.

use super::catalog::Catalog;
use super::text::classification;

/// The tables with a column classified `phi`.
pub fn phi_tables(c: &Catalog) -> Vec<&str> {
    c.tables
        .iter()
        .filter(|t| {
            t.columns.iter().any(|col| {
                col.comment.as_deref().map(classification).and_then(|x| x.1)
                    == Some("phi".to_string())
            })
        })
        .map(|t| t.name.as_str())
        .collect()
}

fn holds(c: &Catalog, role: &str, kind: &str, table: &str) -> bool {
    c.grants.iter().any(|g| {
        g.grantee == role && g.kind == kind && g.object == table && g.privilege == "select"
    })
}

/// The tables with `phi` columns that `role` reads column by column.
pub fn column_reads<'c>(c: &'c Catalog, role: &str) -> Vec<&'c str> {
    phi_tables(c)
        .into_iter()
        .filter(|t| holds(c, role, "column", t) && !holds(c, role, "table", t))
        .collect()
}

/// Whether `role` (not the schema owner) reads a table with `phi` columns
/// whole.
pub fn reads_phi(c: &Catalog, role: &str, schema_owner: Option<&str>) -> bool {
    schema_owner != Some(role)
        && phi_tables(c)
            .into_iter()
            .any(|t| holds(c, role, "table", t))
}
