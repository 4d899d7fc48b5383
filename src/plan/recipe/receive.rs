//! `receive` steps: a table another project publishes to this one joins
//! the receiving database in a later migration. The comparison of the
//! states creates it with its policies (it counts among the migration's
//! new tables, see [`Recipes::new_tables`]); the receiving project's
//! grants on every table are one statement per role over the tables of
//! the schema, which the comparison leaves alone when it changes, so they
//! are granted on the new table here, with the grants on its schema when
//! the table is the first received into that schema and the history names
//! its grants (otherwise the comparison grants the new schema in full).
//! The comparison's statement over the longer list of tables is claimed:
//! its rollback would revoke the grants of the tables received before.
//!
//! Input: the step and the states around the phase. Output: grant
//! statements in `post`; no undo: the rollback drops the table, and the
//! schema when it is new, and their grants go with them.

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::ir::feed::received_elsewhere;
use crate::ir::{GrantOn, Project, Workspace};
use crate::plan::grant_target::GrantTarget;
use crate::plan::stmt::{Key, Stmt};

impl Recipes<'_> {
    pub(super) fn receive(&mut self, table: &ast::Path, source: &ast::Ident) {
        let Some(src) = self.ws.projects.iter().find(|p| p.name == source.name) else {
            return;
        };
        let schema = src.schema.as_str();
        let name = table.last().name.as_str();
        let new_schema = !holds_schema(self.ws, self.before, schema);
        let by_steps = self
            .after
            .replayed_access
            .as_ref()
            .is_some_and(|a| a.explicit_grants);
        if new_schema && !by_steps {
            return;
        }
        let listed = GrantTarget::tables(schema, received_into(self.ws, self.after, schema)).id();
        for r in &self.ws.roles {
            for g in &r.grants {
                if g.on == GrantOn::AllTables {
                    // The comparison would grant the whole list afresh,
                    // and revoke it on every table in the rollback.
                    let upper: Vec<String> = g
                        .privileges
                        .iter()
                        .map(|p| p.to_ascii_uppercase())
                        .collect();
                    self.claimed.insert(Key::Other(format!(
                        "grant {} {listed} {}",
                        upper.join(","),
                        r.name
                    )));
                }
                let (kind, tables, on) = match g.on {
                    GrantOn::AllTables => (
                        "tables",
                        vec![name],
                        GrantTarget::tables(schema, vec![name.to_string()]),
                    ),
                    GrantOn::Schema if new_schema => {
                        ("schema", Vec::new(), GrantTarget::schema(schema))
                    }
                    _ => continue,
                };
                let privileges = &g.privileges;
                let roles = [r.name.as_str()];
                let role = r.name.as_str();
                let target = on.id();
                self.post.push(
                    Stmt::new(
                        "recipes/grant",
                        format!("Receive {target} {role}"),
                        context! {
                            schema, privileges, kind, tables, roles, revoke => false,
                            verb => "Grant", on, role,
                        },
                        Key::Other(format!("receive {target} {role}")),
                    )
                    .headed("grant"),
                );
            }
        }
    }
}

/// Whether state `p` receives a table into schema `schema` already.
fn holds_schema(ws: &Workspace, p: &Project, schema: &str) -> bool {
    !received_into(ws, p, schema).is_empty()
}

/// The tables state `p` receives into schema `schema`, in the planner's
/// order (see `crate::plan::schema::received`).
fn received_into(ws: &Workspace, p: &Project, schema: &str) -> Vec<String> {
    received_elsewhere(&ws.projects, p)
        .iter()
        .filter(|r| {
            r.source.schema == schema
                && p.replayed_access
                    .as_ref()
                    .is_none_or(|a| a.receives(&r.source.name, &r.table.name))
        })
        .map(|r| r.table.name.clone())
        .collect()
}
