//! `schema-drift` for the roles' `reads`: once a project's history names
//! them (`grant reads pii to R` in its first migration), replaying it must
//! leave each role reading exactly the classifications it declares.
//!
//! Input: the workspace's roles and what a project's history carries
//! ([`crate::ir::access::Access::reads`]). Output: one `schema-drift` per
//! role whose declared `reads` no step grants, and per role the history
//! grants `reads` it does not declare.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn history_carries_the_declared_reads(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(access), Some(_)) = (&p.replayed_access, &p.replayed) else {
        return;
    };
    if !access.explicit_reads {
        return;
    }
    let declared = crate::ir::reads::declared(&ws.roles);
    let mut missing: BTreeMap<(&str, Span), Vec<&str>> = BTreeMap::new();
    for ((role, c), span) in &declared {
        if !access.reads.contains_key(&(role.clone(), c.clone())) {
            missing.entry((role, *span)).or_default().push(c);
        }
    }
    for ((role, span), cs) in missing {
        let cs = cs.join(", ");
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "role `{role}` is declared with `reads {cs}`, which no migration of project `{}` grants",
                    p.name
                ),
            )
            .at(span)
            .help(format!(
                "run `sluice plan` to write `grant reads {cs} to {role}` in a new migration; if the project's released first migration already withholds only what the role does not read (declared before histories carried `reads`), add that step to the first migration instead: its SQL stays the same"
            )),
        );
    }
    let mut extra: BTreeMap<&str, (Vec<&str>, Span)> = BTreeMap::new();
    for ((role, c), span) in &access.reads {
        if !declared.contains_key(&(role.clone(), c.clone())) {
            let e = extra.entry(role).or_insert((Vec::new(), *span));
            e.0.push(c);
            e.1 = e.1.max(*span);
        }
    }
    for (role, (cs, at)) in extra {
        let cs = cs.join(", ");
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!("the migration history grants `reads {cs}` to `{role}`, which the role does not declare"),
            )
            .at(at)
            .help(format!(
                "declare `reads {cs}` on role `{role}`, or take it back in a contract step: `revoke reads {cs} from {role}` (`sluice plan` writes it)"
            )),
        );
    }
}
