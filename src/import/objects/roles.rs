//! The catalog's roles → DSL: each role's block, with its grants and the
//! runtime grants the conventions imply.
//!
//! Input: a [`Catalog`]'s role and the [`Conventions`]. Output: the role's
//! declaration text, or its lines for a block written elsewhere.

use std::collections::BTreeMap;

use crate::import::catalog::{Catalog, Role};
use crate::import::recognise::Conventions;
use crate::import::text::string;

pub(in crate::import) const TABLE_PRIVILEGES: [&str; 7] = [
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
];

pub(super) fn role(c: &Catalog, r: &Role, conv: &Conventions) -> String {
    let body: Vec<String> = role_lines(c, r, conv)
        .iter()
        .map(|l| format!("  {l}\n"))
        .collect();
    format!("\nrole {} {{\n{}}}\n", r.name, body.concat())
}

/// The lines of a role's block.
pub(in crate::import) fn role_lines(c: &Catalog, r: &Role, conv: &Conventions) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(cm) = &r.comment {
        lines.push(format!("comment {}", string(cm)));
    }
    lines.push(if r.login { "login" } else { "nologin" }.to_string());
    if r.connection_limit >= 0 {
        lines.push(format!("connection_limit {}", r.connection_limit));
    }
    if conv.schema_owner.as_deref() == Some(&r.name) {
        lines.push("owns schema".into());
    }
    let reads = crate::import::reads::reads(c, &r.name, conv.schema_owner.as_deref());
    if !reads.is_empty() {
        lines.push(format!("reads {}", reads.join(", ")));
    }
    let mine: Vec<_> = c.grants.iter().filter(|g| g.grantee == r.name).collect();
    if mine
        .iter()
        .any(|g| g.kind == "schema" && g.privilege == "usage")
    {
        lines.push("grant usage on schema".into());
    }
    // Per table or view: the privileges held.
    let mut objects: Vec<String> = c.tables.iter().map(|t| t.name.clone()).collect();
    objects.extend(c.views.iter().map(|v| v.name.clone()));
    let mut by_object: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for g in mine.iter().filter(|g| g.kind == "table") {
        by_object
            .entry(g.object.as_str())
            .or_default()
            .push(g.privilege.as_str());
    }
    // Column grants without the `pii`/`phi` columns: what `grant select`
    // gives a role that does not read them on such a table.
    for t in crate::import::reads::column_reads(c, &r.name) {
        by_object.entry(t).or_default().push("select");
    }
    let set = |o: &str| -> Vec<&str> {
        let held = by_object.get(o).cloned().unwrap_or_default();
        TABLE_PRIVILEGES
            .iter()
            .copied()
            .filter(|p| held.contains(p))
            .collect()
    };
    let first = objects.first().map(|o| set(o)).unwrap_or_default();
    if let Some(runtime) = runtime_grant(c, conv, &r.name, &objects, &set) {
        lines.push("runtime".into());
        lines.push(format!("grant {} on tables", privileges(&runtime)));
    } else if !first.is_empty() && objects.iter().all(|o| set(o) == first) {
        lines.push(format!("grant {} on tables", privileges(&first)));
    } else {
        let mut groups: BTreeMap<Vec<&str>, Vec<&str>> = BTreeMap::new();
        for o in &objects {
            let s = set(o);
            if !s.is_empty() {
                groups.entry(s).or_default().push(o);
            }
        }
        for (privs, objs) in groups {
            lines.push(format!(
                "grant {} on table {}",
                privileges(&privs),
                objs.join(", ")
            ));
        }
    }
    let functions: Vec<&str> = c.functions.iter().map(|f| f.name.as_str()).collect();
    let executes = |f: &str| {
        mine.iter()
            .any(|g| g.kind == "function" && g.object == f && g.privilege == "execute")
    };
    if !functions.is_empty() && functions.iter().all(|f| executes(f)) {
        lines.push("grant execute on functions".into());
    }
    lines
}

/// The privileges of a `runtime` role's `grant … on tables`, read from the
/// shape sluice gives it: the role's default privileges on tables, held on
/// every tenant table, and only their `select` on the global tables and
/// the views (the writes a runtime role never gets there). `None` when the
/// grants do not have that shape, or nothing tells it from a plain grant.
fn runtime_grant<'a>(
    c: &Catalog,
    conv: &Conventions,
    role: &str,
    objects: &[String],
    set: &dyn Fn(&str) -> Vec<&'a str>,
) -> Option<Vec<&'a str>> {
    conv.tenancy.as_ref()?;
    let defaults: Vec<&'a str> = TABLE_PRIVILEGES
        .iter()
        .copied()
        .filter(|p| {
            c.default_privileges
                .iter()
                .any(|d| d.object_kind == "r" && d.grantee == role && d.privilege == *p)
        })
        .collect();
    let reads: Vec<&'a str> = defaults
        .iter()
        .copied()
        .filter(|p| *p == "select")
        .collect();
    if reads.is_empty() || reads.len() == defaults.len() {
        return None;
    }
    let tenant = |o: &str| {
        c.tables
            .iter()
            .find(|t| t.name == o)
            .is_some_and(|t| crate::import::recognise::layout(t, conv).tenant)
    };
    let mut narrowed = false;
    for o in objects {
        let held = set(o);
        if held == defaults {
            continue;
        }
        if held == reads && !tenant(o) {
            narrowed = true;
            continue;
        }
        return None;
    }
    narrowed.then_some(defaults)
}

fn privileges(p: &[&str]) -> String {
    if p.len() == TABLE_PRIVILEGES.len() {
        "all".into()
    } else {
        p.join(", ")
    }
}
