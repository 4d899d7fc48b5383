//! The steps that turn the extensions and role grants a project's history
//! carries into the declared ones, and the ones a project's initial
//! migration names.
//!
//! Input: the declared extensions and roles, what the history carries
//! ([`Access`]) and the sources. Output: `create extension` and `grant`
//! steps in the expand (nothing uses what they add yet), `revoke` and
//! `drop extension` steps in the contract (the running app version may
//! still use what they take away).

use std::collections::BTreeMap;

use super::{Bucket, Draft};
use crate::ir::access::{targets, Access};
use crate::ir::{GrantOn, Project, Role, RoleGrant};
use crate::source::Sources;

pub(super) fn plan(
    p: &Project,
    sources: &Sources,
    roles: &[Role],
    built: &Access,
    out: &mut Draft,
) {
    for e in p
        .extensions
        .iter()
        .filter(|e| !built.extensions.contains_key(&e.name))
    {
        out.expand(
            Bucket::CreateTable,
            format!("create {}", sources.text(e.span).trim()),
            format!(
                "extension `{}`: created first, before anything that uses it",
                e.name
            ),
            format!("create_extension_{}", e.name),
        );
    }
    for name in built
        .extensions
        .keys()
        .filter(|n| !p.extensions.iter().any(|e| e.name == **n))
    {
        out.contract(
            Bucket::DropTable,
            format!("drop extension {name}"),
            "an extension is dropped in the contract, once no app version uses what it provides"
                .into(),
            format!("drop_extension_{name}"),
        );
    }
    if !built.explicit_grants {
        return;
    }
    // The tables this migration renames (`table NEW was OLD`) take their
    // grants along, as PostgreSQL's follow the table.
    let mut renamed = built.clone();
    for t in &p.tables {
        if let Some(old) = &t.was {
            renamed.rename_table(&old.name, &t.name);
        }
    }
    let built = &renamed;
    let declared = crate::ir::access::declared_grants(roles, p);
    for (role, g, on) in declared_in_order(roles, p) {
        let missing: Vec<&str> = g
            .privileges
            .iter()
            .filter(|pr| {
                !built
                    .grants
                    .keys()
                    .any(|a| a.role == role.name && a.on == on && a.privilege == **pr)
            })
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        out.expand(
            Bucket::Object,
            grant_step(sources, &role.name, g, &missing.join(", "), &on),
            "a grant only adds a privilege: safe while the running app version serves traffic"
                .into(),
            format!("grant_{}", role.name),
        );
    }
    let mut extra: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for a in built.grants.keys().filter(|a| !declared.contains_key(*a)) {
        extra
            .entry((&a.role, &a.on))
            .or_default()
            .push(&a.privilege);
    }
    for ((role, on), privileges) in extra {
        out.contract(
            Bucket::DropObject,
            format!("revoke {} on {on} from {role}", privileges.join(", ")),
            "a revoke waits for the contract: the running app version may still use the privilege"
                .into(),
            format!("revoke_{role}"),
        );
    }
}

/// The initial migration's extensions (first) and grants (last), each
/// named explicitly, so the history carries them.
pub(super) fn initial_extensions(p: &Project, sources: &Sources, out: &mut Draft) {
    for e in &p.extensions {
        out.expand(
            Bucket::CreateTable,
            format!("create {}", sources.text(e.span).trim()),
            format!("extension `{}`, before anything that uses it", e.name),
            "initial".into(),
        );
    }
}

pub(super) fn initial_grants(p: &Project, sources: &Sources, roles: &[Role], out: &mut Draft) {
    let mut lines = Vec::new();
    for r in roles {
        for g in &r.grants {
            // `on table a, b` names the tables of this project.
            let on = match &g.on {
                GrantOn::Tables(ts) => {
                    let here: Vec<&str> = ts
                        .iter()
                        .filter(|t| p.table(t).is_some())
                        .map(String::as_str)
                        .collect();
                    if here.is_empty() {
                        continue;
                    }
                    format!("table {}", here.join(", "))
                }
                other => targets(other).concat(),
            };
            lines.push(grant_step(
                sources,
                &r.name,
                g,
                &g.privileges.join(", "),
                &on,
            ));
        }
    }
    // One step of several lines, under one comment.
    if !lines.is_empty() {
        out.expand(
            Bucket::Item,
            lines.join("\n"),
            "the roles' grants as declared, named so the history carries them".into(),
            "initial".into(),
        );
    }
}

/// Each declared grant of each role, once per target in this project.
fn declared_in_order<'a>(roles: &'a [Role], p: &Project) -> Vec<(&'a Role, &'a RoleGrant, String)> {
    let mut out = Vec::new();
    for r in roles {
        for g in &r.grants {
            for on in targets(&g.on) {
                if on
                    .strip_prefix("table ")
                    .is_none_or(|t| p.table(t).is_some())
                {
                    out.push((r, g, on));
                }
            }
        }
    }
    out
}

/// `grant PRIVILEGES on TARGET to ROLE`, with the declared grant's
/// `unsafe "reason"` when it has one.
fn grant_step(sources: &Sources, role: &str, g: &RoleGrant, privileges: &str, on: &str) -> String {
    let written = sources.text(g.span);
    let reason = g
        .reason
        .as_ref()
        .and_then(|_| written.find(" unsafe \"").map(|i| &written[i..]))
        .unwrap_or_default();
    format!("grant {privileges} on {on} to {role}{}", reason.trim_end())
}
