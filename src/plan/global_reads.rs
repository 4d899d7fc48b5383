//! Runtime roles read `global` tables; they do not write them.
//!
//! A global table has no row-level security: it is shared by every tenant
//! (`orgs`, `apps`), so a runtime role that may write it can change another
//! tenant's plan or the app codes every role check depends on. A runtime
//! role's `grant … on tables` therefore gives it only its read privileges
//! on global tables, and on views that read one (a view writes with its
//! owner's rights). Writes to a global table need a grant that names it
//! (`grant update on table orgs`), which `check` reports.
//!
//! Input: the workspace's roles and one project. Output: `REVOKE`
//! statements that take the write privileges of `… on tables` grants back
//! from each runtime role on each global relation, and the filter that
//! keeps them out of the explicit grants on relations a later migration
//! creates.

use serde::Serialize;

use super::stmt::{Key, Stmt};
use crate::ir::{GrantOn, Project, Role};

/// Privileges that change a table's rows or run code on its writes.
pub const WRITES: [&str; 5] = ["INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"];

/// Upper-case privileges of `privileges`, with `ALL` spelled out.
fn expand(privileges: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in privileges {
        let p = p.to_ascii_uppercase();
        if p == "ALL" {
            out.extend(
                ["SELECT", "REFERENCES"]
                    .into_iter()
                    .chain(WRITES)
                    .map(str::to_string),
            );
        } else {
            out.push(p);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `name` is a global table of `p`, or a view whose query names one.
pub fn is_global_relation(p: &Project, name: &str) -> bool {
    if let Some(t) = p.table(name) {
        return t.global;
    }
    let Some(v) = p.views.iter().find(|v| v.name == name) else {
        return false;
    };
    let words: Vec<String> = v
        .query
        .text
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    p.tables
        .iter()
        .filter(|t| t.global)
        .any(|t| words.contains(&t.name.to_ascii_lowercase()))
}

/// The privileges of a runtime role's `on tables` grant that it keeps on a
/// global relation: its reads.
pub fn readable(r: &Role, privileges: &[String]) -> Vec<String> {
    let all = expand(privileges);
    if !r.runtime {
        return privileges.iter().map(|p| p.to_ascii_uppercase()).collect();
    }
    all.into_iter()
        .filter(|p| !WRITES.contains(&p.as_str()))
        .collect()
}

/// One `REVOKE` per runtime role and global relation of `p` (among
/// `names`), taking back the writes its `on tables` grants gave, except
/// those a grant naming the relation gives explicitly. Each waits for
/// `deps` (what the role's grants wait for), so it follows them.
pub fn revoke_writes(roles: &[Role], p: &Project, names: &[&str], deps: &[Key]) -> Vec<Stmt> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        privileges: &'a [String],
        on: &'a super::grant_target::GrantTarget,
        role: &'a str,
        revoke: bool,
        /// The first word of its header comment.
        verb: &'static str,
    }
    let mut out = Vec::new();
    for r in roles.iter().filter(|r| r.runtime) {
        let granted: Vec<String> = r
            .grants
            .iter()
            .filter(|g| g.on == GrantOn::AllTables)
            .flat_map(|g| expand(&g.privileges))
            .filter(|p| WRITES.contains(&p.as_str()))
            .collect();
        if granted.is_empty() {
            continue;
        }
        for &name in names.iter().filter(|n| is_global_relation(p, n)) {
            let explicit: Vec<String> = r
                .grants
                .iter()
                .filter(|g| matches!(&g.on, GrantOn::Tables(ts) if ts.iter().any(|t| t == name)))
                .flat_map(|g| expand(&g.privileges))
                .collect();
            let mut revoke: Vec<String> = WRITES
                .iter()
                .filter(|w| granted.iter().any(|g| g == *w) && !explicit.iter().any(|e| e == *w))
                .map(|w| w.to_string())
                .collect();
            revoke.dedup();
            if revoke.is_empty() {
                continue;
            }
            let on = super::grant_target::GrantTarget::tables(&p.schema, vec![name.to_string()]);
            let ctx = Ctx {
                privileges: &revoke,
                on: &on,
                role: &r.name,
                revoke: true,
                verb: "RevokeWrites",
            };
            out.push(
                Stmt::new(
                    "grant",
                    format!("{} {} {}", ctx.verb, on.id(), r.name),
                    &ctx,
                    Key::Other(format!("revoke writes {name} {}", r.name)),
                )
                .headed("grant")
                .after(deps.iter().cloned())
                .after([Key::Table(name.to_string()), Key::Role(r.name.clone())]),
            );
        }
    }
    out
}
