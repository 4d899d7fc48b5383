//! `grant` and `revoke` steps: run after the objects they name exist,
//! undone by the opposite statement.
//!
//! Input: the grant and its roles, and which way. Output: one statement
//! in `post`, one in `undo`.

use minijinja::context;

use super::Recipes;
use crate::ast;
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
        self.post.push(forward);
        self.undo.push(back);
    }
}
