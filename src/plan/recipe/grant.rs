//! `grant` and `revoke` steps: run after the objects they name exist,
//! undone by the opposite statements. A step grants what a role's grant
//! declared in the first migration grants: on `tables`, `sequences` or
//! `functions`, the default privileges for the schema owner too (objects
//! created later get them), and a `SELECT` on tables keeps the `pii` and
//! `phi` columns the role does not read withheld (see
//! [`crate::plan::classified_reads`]). Revoking a table privilege revokes
//! it on the table's columns as well, so the column grants need no undo
//! of their own.
//!
//! Input: the grant and its roles, which way, and the states around the
//! phase. Output: statements in `post`, their opposites in `undo`.

use minijinja::context;
use serde::Serialize;

use super::Recipes;
use crate::ast;
use crate::ir::Project;
use crate::plan::stmt::{Key, Stmt};
use crate::quote::ident;

impl Recipes<'_> {
    pub(super) fn grant(&mut self, grant: &ast::Grant, roles: &[ast::Ident], give: bool) {
        let privileges: Vec<&str> = grant.privileges.iter().map(|p| p.name.as_str()).collect();
        let (kind, tables): (&str, Vec<&str>) = match &grant.target {
            ast::GrantTarget::Tables(ts) => (
                "tables",
                ts.iter().map(|t| t.last().name.as_str()).collect(),
            ),
            ast::GrantTarget::Kind(k) => (k.name.as_str(), Vec::new()),
        };
        let roles: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
        let who: Vec<String> = roles.iter().map(|r| ident(r)).collect();
        let key = Key::Other(format!("grant {kind} {}", tables.join(",")));
        let stmt = |label: String, revoke: bool, key: Key| {
            Stmt::new(
                "recipes/grant",
                label,
                context! { schema => self.schema(), privileges, kind, tables, roles, revoke },
                key,
            )
        };
        let label = if give { "Grant" } else { "Revoke" };
        let forward = stmt(format!("{label} {}", who.join(", ")), !give, key.clone());
        let back = stmt(format!("Undo{label} {}", who.join(", ")), give, key);
        // What granting adds after the grant itself, in the state that
        // holds it; revoking takes back the default privileges only.
        let default_on = match kind {
            "tables" | "sequences" | "functions" if tables.is_empty() => {
                Some(kind.to_ascii_uppercase())
            }
            _ => None,
        };
        let reads = privileges.iter().any(|p| *p == "select" || *p == "all");
        let granted = |state: &Project| {
            let mut out = Vec::new();
            if let Some(on) = &default_on {
                out.extend(self.default_privileges(state, &privileges, on, &roles, false));
            }
            if kind == "tables" && reads {
                out.extend(self.column_reads(state, &tables, &roles));
            }
            out
        };
        let taken = |state: &Project| match &default_on {
            Some(on) => self.default_privileges(state, &privileges, on, &roles, true),
            None => Vec::new(),
        };
        let (more, less) = if give {
            (granted(self.after), taken(self.before))
        } else {
            (taken(self.before), granted(self.before))
        };
        self.post.push(forward);
        self.post.extend(more);
        // The undo runs in reverse: the opposite statement first, then
        // the rest (column grants after a table-wide grant they narrow).
        self.undo.extend(less.into_iter().rev());
        self.undo.push(back);
    }

    /// `ALTER DEFAULT PRIVILEGES` for the schema owner of `state`, one per
    /// role; none without an owner.
    fn default_privileges(
        &self,
        state: &Project,
        privileges: &[&str],
        on: &str,
        roles: &[&str],
        revoke: bool,
    ) -> Vec<Stmt> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            owner: &'a str,
            schema: &'a str,
            privileges: Vec<String>,
            on: &'a str,
            role: &'a str,
            revoke: bool,
        }
        let Some(owner) = crate::plan::schema::schema_owner(self.ws, state) else {
            return Vec::new();
        };
        let verb = if revoke {
            "RevokeDefaultPrivileges"
        } else {
            "DefaultPrivileges"
        };
        roles
            .iter()
            .map(|&role| {
                let ctx = Ctx {
                    owner,
                    schema: self.schema(),
                    privileges: privileges.iter().map(|p| p.to_ascii_uppercase()).collect(),
                    on,
                    role,
                    revoke,
                };
                Stmt::new(
                    "default_privileges",
                    format!("{verb} {on} {role}"),
                    &ctx,
                    Key::Other(format!("default privileges {on} {role}")),
                )
                .headed("default_privileges")
            })
            .collect()
    }

    /// The column grants of `roles` on the tables of `state` (or `tables`
    /// of it) with columns withheld from them.
    fn column_reads(&self, state: &Project, tables: &[&str], roles: &[&str]) -> Vec<Stmt> {
        let carried = crate::ir::access::carried_roles(&self.ws.roles, state);
        let named: Vec<crate::ir::Role> = carried
            .iter()
            .filter(|r| roles.contains(&r.name.as_str()))
            .cloned()
            .collect();
        let names: Vec<&str> = if tables.is_empty() {
            state.tables.iter().map(|t| t.name.as_str()).collect()
        } else {
            tables.to_vec()
        };
        crate::plan::classified_reads::column_reads(&named, state, &names, &[])
    }
}
