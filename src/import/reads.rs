//! Recognise `reads pii` / `reads phi` and the column grants sluice derives
//! from them.
//!
//! Input: a [`Catalog`] (its column comments carry the classification, its
//! grants of kind `column` the column-level privileges) and a role name.
//! Output: the classifications the role reads (it holds table-wide
//! `SELECT` on a table with a column of that classification, which sluice
//! grants only to the roles that say `reads` it and to the schema owner),
//! and the tables a role reads without some of their columns (only column
//! `SELECT` grants): its `grant select` covers them as it covers the
//! others.
//!
//! The catalog's column grants name the table, not the columns, so a role
//! that reads `pii` but not `phi` is recognised from a table whose only
//! withheld columns are `pii`.

use super::catalog::Catalog;
use super::text::classification;

/// The classifications `reads` names, in the order a role block says them.
const WITHHELD: [&str; 2] = ["pii", "phi"];

/// The withheld classifications of table `t`'s columns.
fn withheld_in(c: &Catalog, t: &str) -> Vec<&'static str> {
    let Some(t) = c.tables.iter().find(|x| x.name == t) else {
        return Vec::new();
    };
    WITHHELD
        .into_iter()
        .filter(|k| {
            t.columns.iter().any(|col| {
                col.comment.as_deref().map(classification).and_then(|x| x.1) == Some(k.to_string())
            })
        })
        .collect()
}

fn holds(c: &Catalog, role: &str, kind: &str, table: &str) -> bool {
    c.grants.iter().any(|g| {
        g.grantee == role && g.kind == kind && g.object == table && g.privilege == "select"
    })
}

/// The tables with withheld columns that `role` reads column by column.
pub fn column_reads<'c>(c: &'c Catalog, role: &str) -> Vec<&'c str> {
    c.tables
        .iter()
        .map(|t| t.name.as_str())
        .filter(|t| !withheld_in(c, t).is_empty())
        .filter(|t| holds(c, role, "column", t) && !holds(c, role, "table", t))
        .collect()
}

/// The classifications `role` (not the schema owner) reads: those of the
/// columns of a table it reads whole.
pub fn reads(c: &Catalog, role: &str, schema_owner: Option<&str>) -> Vec<&'static str> {
    if schema_owner == Some(role) {
        return Vec::new();
    }
    let mut out: Vec<&'static str> = c
        .tables
        .iter()
        .filter(|t| holds(c, role, "table", &t.name))
        .flat_map(|t| withheld_in(c, &t.name))
        .collect();
    out.sort_by_key(|k| WITHHELD.iter().position(|w| w == k));
    out.dedup();
    out
}
