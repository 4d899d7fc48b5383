//! Columns classified `pii` or `phi` are read only by the roles that say
//! `reads pii` / `reads phi` (see [`crate::ir::reads`]).
//!
//! A role's `grant select … on tables` (or on named tables) gives it every
//! column; on a table with columns withheld from it (classified `pii` or
//! `phi`, and the role does not read that classification or own the
//! schema), it keeps only the other columns: its table-wide `SELECT` is
//! revoked and the remaining columns are granted one by one. The
//! table-level tag (`classify pii` on the table) is a summary and withholds
//! nothing by itself; the column tags decide.
//!
//! Input: the workspace's roles and one project (and which of its tables to
//! cover). Output: `REVOKE` + column `GRANT` statements, and the filter
//! that keeps `SELECT` out of the explicit grants on tables a later
//! migration creates.

use serde::Serialize;

use super::stmt::{Key, Stmt};
use crate::ir::reads::WITHHELD;
use crate::ir::{Classification, GrantOn, Project, Role};

/// Whether `r` reads the table `name` of `p` without some of its columns.
pub fn withheld(r: &Role, p: &Project, name: &str) -> bool {
    p.table(name)
        .is_some_and(|t| t.columns.iter().any(|c| r.withholds(c.classification)))
}

/// Whether one of `r`'s grants gives it `SELECT` on table `name`.
pub fn selects(r: &Role, name: &str) -> bool {
    r.grants.iter().any(|g| {
        let on = match &g.on {
            GrantOn::AllTables => true,
            GrantOn::Tables(ts) => ts.iter().any(|t| t == name),
            _ => false,
        };
        on && g.privileges.iter().any(|p| p == "select" || p == "all")
    })
}

/// Per role that selects a table of `names` with columns withheld from it:
/// take the table-wide `SELECT` back, grant the other columns.
/// Each waits for `deps` (what the role's grants wait for), so it follows
/// them.
pub fn column_reads(roles: &[Role], p: &Project, names: &[&str], deps: &[Key]) -> Vec<Stmt> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        table: &'a str,
        role: &'a str,
        revoke: bool,
        columns: Vec<&'a str>,
        /// The classifications left out, for the header.
        withheld: Vec<&'static str>,
    }
    let mut out = Vec::new();
    for r in roles {
        for &name in names {
            let Some(t) = p.table(name) else { continue };
            if !withheld(r, p, name) || !selects(r, name) {
                continue;
            }
            let columns: Vec<&str> = t
                .columns
                .iter()
                .filter(|c| !r.withholds(c.classification))
                .map(|c| c.name.as_str())
                .collect();
            let withheld: Vec<&'static str> = WITHHELD
                .into_iter()
                .filter(|&k| {
                    t.columns
                        .iter()
                        .any(|c| c.classification == Some(k) && r.withholds(Some(k)))
                })
                .map(Classification::as_str)
                .collect();
            for revoke in [true, false] {
                let ctx = Ctx {
                    schema: &p.schema,
                    table: name,
                    role: &r.name,
                    revoke,
                    columns: if revoke { Vec::new() } else { columns.clone() },
                    withheld: withheld.clone(),
                };
                let what = if revoke {
                    "RevokeSelect"
                } else {
                    "GrantColumns"
                };
                out.push(
                    Stmt::new(
                        "compliance/column_reads",
                        format!("{what} {}.{name} {}", p.schema, r.name),
                        &ctx,
                        Key::Other(format!("{what} {name} {}", r.name)),
                    )
                    .headed("column_reads")
                    .after(deps.iter().cloned())
                    .after([Key::Table(name.to_string()), Key::Role(r.name.clone())]),
                );
            }
        }
    }
    out
}
