//! Grants on the tables and views a later migration creates.
//!
//! The first journal file grants each role's `on tables` privileges with
//! `GRANT … ON ALL TABLES IN SCHEMA`, which covers only the tables that
//! exist then, and sets default privileges for the schema owner. Default
//! privileges apply only to objects that owner creates, and the migrator
//! usually connects as another role (the first file creates roles, which
//! the owner cannot). So a phase that creates a table or view grants each
//! role's privileges on it explicitly: access never depends on which role
//! ran the migration.

use std::collections::HashSet;

use serde::Serialize;

use super::global_reads;
use super::stmt::{Key, Stmt};
use crate::ir::{GrantOn, Project, Workspace};

/// `GRANT` statements for every table and view of `after` that `before`
/// lacks, one per role grant `on tables`.
pub fn on_new_relations(ws: &Workspace, before: &Project, after: &Project) -> Vec<Stmt> {
    // Most phases keep every relation where it was: seen side by side
    // first, without a set built for each (a table a phase leaves alone is
    // the same lowered table in both states: its name is not compared).
    let kept = before.tables.len() == after.tables.len()
        && before.views.len() == after.views.len()
        && before
            .tables
            .iter()
            .zip(&after.tables)
            .all(|(b, a)| std::sync::Arc::ptr_eq(b, a) || b.name == a.name)
        && before
            .views
            .iter()
            .zip(after.views.iter())
            .all(|(b, a)| b.name == a.name);
    if kept {
        return Vec::new();
    }
    // Looked up in sets: a phase of a project with T tables pays T, not T².
    let tables: HashSet<&str> = before.tables.iter().map(|t| t.name.as_str()).collect();
    let views: HashSet<&str> = before.views.iter().map(|v| v.name.as_str()).collect();
    let new: Vec<&str> = after
        .tables
        .iter()
        .filter(|t| !tables.contains(t.name.as_str()))
        .map(|t| t.name.as_str())
        .chain(
            after
                .views
                .iter()
                .filter(|v| !views.contains(v.name.as_str()))
                .map(|v| v.name.as_str()),
        )
        .collect();
    on_relations(ws, after, &new)
}

/// `GRANT` statements on the tables or views `names` of `after`, one per
/// role grant `on tables`.
pub fn on_relations(ws: &Workspace, after: &Project, names: &[&str]) -> Vec<Stmt> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        privileges: &'a [String],
        on: &'a super::grant_target::GrantTarget,
        role: &'a str,
        revoke: bool,
        /// The first word of its header comment.
        verb: &'static str,
    }
    let schema = &after.schema;
    let mut out = Vec::new();
    // The grants the state's history carries (all, without one).
    let roles = crate::ir::access::carried_roles(&ws.roles, after);
    for &name in names {
        let on = super::grant_target::GrantTarget::tables(schema, vec![name.to_string()]);
        for r in roles.iter() {
            for g in r.grants.iter().filter(|g| g.on == GrantOn::AllTables) {
                // A runtime role only reads a global relation (see
                // `global_reads`); the default privileges' writes are
                // taken back by the phase's `REVOKE`.
                let privileges: Vec<String> = if global_reads::is_global_relation(after, name) {
                    global_reads::readable(r, &g.privileges)
                } else {
                    g.privileges
                        .iter()
                        .map(|p| p.to_ascii_uppercase())
                        .collect()
                };
                // Its columns without `pii`/`phi`: granted by `classified_reads`.
                let privileges: Vec<String> = privileges
                    .into_iter()
                    .filter(|p| p != "SELECT" || !super::classified_reads::withheld(r, after, name))
                    .collect();
                if privileges.is_empty() {
                    continue;
                }
                let ctx = Ctx {
                    privileges: &privileges,
                    on: &on,
                    role: &r.name,
                    revoke: false,
                    verb: "Grant",
                };
                out.push(
                    Stmt::new(
                        "grant",
                        format!("{} {} {}", ctx.verb, on.id(), r.name),
                        &ctx,
                        Key::Other(format!("grant {name} {}", r.name)),
                    )
                    .headed("grant")
                    .after([Key::Table(name.to_string()), Key::Role(r.name.clone())]),
                );
            }
        }
    }
    out
}
