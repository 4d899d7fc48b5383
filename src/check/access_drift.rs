//! `schema-drift` for extensions and role grants: replaying a project's
//! migration history must create exactly the declared extensions and, once
//! the history names its grants, grant exactly what the declared roles
//! grant in the project.
//!
//! Input: a project's declared extensions, the workspace's roles and what
//! its history carries ([`crate::ir::access::Access`]). Output: one
//! `schema-drift` per extension missing or undeclared, and per role grant
//! (role and target) with privileges missing or undeclared.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::access::declared_grants;
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn history_carries_the_declared_access(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(access), Some(_)) = (&p.replayed_access, &p.replayed) else {
        return;
    };
    for e in &p.extensions {
        if access.extensions.contains_key(&e.name) {
            continue;
        }
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "extension `{}` is declared but no migration of project `{}` creates it",
                    e.name, p.name
                ),
            )
            .at(e.span)
            .help(format!(
                "run `sluice plan` to write `create extension {0}` in a new migration; if the project's released first migration already creates it (declared before histories carried extensions), add `create extension {0}` to that migration instead: its SQL stays the same",
                e.name
            )),
        );
    }
    for (name, at) in &access.extensions {
        if p.extensions.iter().any(|e| e.name == *name) {
            continue;
        }
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!("the migration history creates extension `{name}`, which is not declared"),
            )
            .at(*at)
            .help(format!(
                "declare `extension {name}`, or drop it in a contract step: `drop extension {name}` (`sluice plan` writes it)"
            )),
        );
    }
    if !access.explicit_grants {
        return;
    }
    let declared = declared_grants(&ws.roles, p);
    // Missing privileges, by declared grant, role and target.
    let mut missing: BTreeMap<(Span, &str, &str), Vec<&str>> = BTreeMap::new();
    for (a, span) in &declared {
        if !access.grants.contains_key(a) {
            missing
                .entry((*span, &a.role, &a.on))
                .or_default()
                .push(&a.privilege);
        }
    }
    for ((span, role, on), privileges) in missing {
        let privileges = privileges.join(", ");
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "role `{role}` is declared with `{privileges}` on {on}, which no migration of project `{}` grants",
                    p.name
                ),
            )
            .at(span)
            .help(format!(
                "run `sluice plan` to write `grant {privileges} on {on} to {role}` in a new migration; if the project's released first migration already grants it (declared before histories carried grants), add that step to the first migration instead: its SQL stays the same"
            )),
        );
    }
    let mut extra: BTreeMap<(&str, &str), (Vec<&str>, Span)> = BTreeMap::new();
    for (a, span) in &access.grants {
        if !declared.contains_key(a) {
            let e = extra.entry((&a.role, &a.on)).or_insert((Vec::new(), *span));
            e.0.push(&a.privilege);
            e.1 = e.1.max(*span);
        }
    }
    for ((role, on), (privileges, at)) in extra {
        let privileges = privileges.join(", ");
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "the migration history grants `{privileges}` on {on} to `{role}`, which the role does not declare"
                ),
            )
            .at(at)
            .help(format!(
                "declare `grant {privileges} on {on}` on role `{role}`, or take it back in a contract step: `revoke {privileges} on {on} from {role}` (`sluice plan` writes it)"
            )),
        );
    }
}
