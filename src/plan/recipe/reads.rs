//! `grant reads` and `revoke reads` steps: the column grants of each table
//! whose withheld columns change for a named role, granted afresh.
//!
//! Input: the states before and after the phase (their roles read what
//! their histories carry) and the roles a step names. Output: per role and
//! table it selects whose readable columns differ, in `post` the statements
//! of the state after — its table-wide `SELECT` revoked (which takes its
//! column grants with it), then the columns it reads granted, or the whole
//! table when it reads every column — and in `undo` the same for the state
//! before. The phase comparison leaves these tables' column grants to this
//! recipe ([`covers`]).

use serde::Serialize;

use super::Recipes;
use crate::ast;
use crate::ir::access::carried_roles;
use crate::ir::{Project, Role};
use crate::plan::classified_reads::{column_reads, selects, withheld};
use crate::plan::stmt::{attr, Key, Stmt};

impl Recipes<'_> {
    pub(super) fn reads(&mut self, roles: &[ast::Ident]) {
        let now = carried_roles(&self.ws.roles, self.after);
        let was = carried_roles(&self.ws.roles, self.before);
        let mut done: Vec<&str> = Vec::new();
        for name in roles.iter().map(|r| r.name.as_str()) {
            if done.contains(&name) {
                continue;
            }
            done.push(name);
            let (Some(a), Some(b)) = (
                now.iter().find(|r| r.name == name),
                was.iter().find(|r| r.name == name),
            ) else {
                continue;
            };
            for t in &self.after.tables {
                if self.before.table(&t.name).is_none() {
                    continue;
                }
                let differs = t
                    .columns
                    .iter()
                    .any(|c| a.withholds(c.classification) != b.withholds(c.classification));
                if !differs {
                    continue;
                }
                self.post.extend(reads_of(a, self.after, &t.name));
                // Undone in reverse: the grant comes after the revoke.
                self.undo
                    .extend(reads_of(b, self.before, &t.name).into_iter().rev());
            }
        }
    }
}

/// The statements that leave role `r` reading what it reads of table
/// `name` in state `p`: nothing when it does not select the table.
pub(super) fn reads_of(r: &Role, p: &Project, name: &str) -> Vec<Stmt> {
    if !selects(r, name) {
        return Vec::new();
    }
    if withheld(r, p, name) {
        return column_reads(std::slice::from_ref(r), p, &[name], &[]);
    }
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        table: &'a str,
        role: &'a str,
        revoke: bool,
        whole: bool,
        columns: Vec<&'a str>,
        withheld: Vec<&'static str>,
    }
    [true, false]
        .into_iter()
        .map(|revoke| {
            let what = if revoke {
                "RevokeSelect"
            } else {
                "GrantSelect"
            };
            let ctx = Ctx {
                schema: &p.schema,
                table: name,
                role: &r.name,
                revoke,
                whole: true,
                columns: Vec::new(),
                withheld: Vec::new(),
            };
            Stmt::new(
                "compliance/column_reads",
                format!("{what} {}.{name} {}", p.schema, r.name),
                &ctx,
                Key::Other(format!("{what} {name} {}", r.name)),
            )
            .headed("column_reads")
        })
        .collect()
}

/// Whether a column grant the phase comparison found is one of a table and
/// role that a `reads` recipe of `post` grants afresh.
pub(in crate::plan) fn covers(post: &[Stmt]) -> impl Fn(&Stmt) -> bool + '_ {
    let pair = |s: &Stmt| (attr(s, "table"), attr(s, "role"));
    move |s: &Stmt| {
        s.template == "compliance/column_reads"
            && post
                .iter()
                .any(|p| p.template == "compliance/column_reads" && pair(p) == pair(s))
    }
}
