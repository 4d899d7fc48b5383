//! `dangerous-privilege` and `global-table-write`: what a runtime role (the
//! one the application connects as) may be granted.
//!
//! Input: the workspace's roles and a project's migration steps. Output:
//! - `dangerous-privilege` for `all`, `truncate` or `trigger` on tables, or
//!   `all` on the schema: `TRUNCATE` empties every tenant's rows (it ignores
//!   row-level security), a trigger runs the role's code on other tenants'
//!   writes, and `all on schema` lets it create objects there;
//! - `global-table-write` for writes on a `global` table named in a grant:
//!   it is shared by every tenant and has no row-level security.
//!
//! A grant that says why (`unsafe "reason"`) is exempt from both.

use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{GrantOn, Project, Role, Workspace};
use crate::span::Span;

const WRITES: [&str; 6] = ["insert", "update", "delete", "truncate", "trigger", "all"];

/// One grant to check, from a role block or a migration step.
struct Granted<'a> {
    role: &'a str,
    privileges: Vec<String>,
    on: GrantOn,
    exempt: bool,
    span: Span,
}

pub fn runtime_roles_get_safe_privileges(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let runtime = |name: &str| ws.roles.iter().any(|r| r.runtime && r.name == name);
    let mut grants = Vec::new();
    // Roles are workspace-wide: their own grants are reported once, with
    // the first project, except writes on global tables, which are
    // reported with the project that holds the table.
    let first = ws.projects.first().is_some_and(|f| f.name == p.name);
    for r in ws.roles.iter().filter(|r| r.runtime) {
        grants.extend(role_grants(r));
    }
    for m in &p.migrations {
        for step in m.expand.iter().chain(&m.contract) {
            let StepKind::Grant { grant, roles } = &step.kind else {
                continue;
            };
            for role in roles.iter().filter(|r| runtime(&r.name)) {
                grants.push(step_grant(
                    &role.name,
                    grant,
                    matches!(&step.unsafe_, Some((Some(_), _))),
                ));
            }
        }
    }
    for g in grants.iter().filter(|g| !g.exempt) {
        let from_role_block = ws
            .roles
            .iter()
            .any(|r| r.grants.iter().any(|rg| rg.span == g.span));
        if first || !from_role_block {
            dangerous(g, out);
        }
        global_writes(g, p, out);
    }
}

fn role_grants(r: &Role) -> impl Iterator<Item = Granted<'_>> {
    r.grants.iter().map(move |g| Granted {
        role: &r.name,
        privileges: g.privileges.clone(),
        on: g.on.clone(),
        exempt: g.reason.is_some(),
        span: g.span,
    })
}

fn step_grant<'a>(role: &'a str, g: &ast::Grant, exempt: bool) -> Granted<'a> {
    let on = match &g.target {
        ast::GrantTarget::Tables(ts) => {
            GrantOn::Tables(ts.iter().map(|t| t.last().name.clone()).collect())
        }
        ast::GrantTarget::Kind(k) => match k.name.as_str() {
            "schema" => GrantOn::Schema,
            "sequences" => GrantOn::AllSequences,
            "functions" => GrantOn::AllFunctions,
            _ => GrantOn::AllTables,
        },
    };
    Granted {
        role,
        privileges: g
            .privileges
            .iter()
            .map(|i| i.name.to_ascii_lowercase())
            .collect(),
        on,
        exempt,
        span: g.span,
    }
}

fn dangerous(g: &Granted, out: &mut Vec<Diagnostic>) {
    let has = |p: &str| g.privileges.iter().any(|x| x == p);
    let (what, why) = match &g.on {
        GrantOn::AllTables | GrantOn::Tables(_) => {
            let found: Vec<&str> = ["all", "truncate", "trigger"]
                .into_iter()
                .filter(|p| has(p))
                .collect();
            if found.is_empty() {
                return;
            }
            let why = if has("all") || has("truncate") {
                "`TRUNCATE` ignores row-level security and empties every tenant's rows"
            } else {
                "a trigger it creates runs on every tenant's writes and can copy their rows"
            };
            let on = match &g.on {
                GrantOn::Tables(ts) => format!("table {}", ts.join(", ")),
                _ => "tables".into(),
            };
            (format!("`{}` on {on}", found.join("`, `")), why)
        }
        GrantOn::Schema if has("all") => (
            "`all` on the schema".to_string(),
            "`CREATE` on the schema lets it create functions, views and tables beside the tenant tables",
        ),
        _ => return,
    };
    out.push(
        Diagnostic::of(
            Code::DangerousPrivilege,
            format!("runtime role `{}` is granted {what}: {why}", g.role),
        )
        .at(g.span)
        .help("grant only what the application needs (`select, insert, update, delete on tables`, `usage on schema`); if the role truly needs it, say why with `unsafe \"reason\"` at the end of the grant"),
    );
}

fn global_writes(g: &Granted, p: &Project, out: &mut Vec<Diagnostic>) {
    let GrantOn::Tables(names) = &g.on else {
        return;
    };
    let writes: Vec<&str> = g
        .privileges
        .iter()
        .map(String::as_str)
        .filter(|x| WRITES.contains(x))
        .collect();
    if writes.is_empty() {
        return;
    }
    for name in names {
        let Some(t) = p.table(name).filter(|t| t.global) else {
            continue;
        };
        out.push(
            Diagnostic::of(
                Code::GlobalTableWrite,
                format!(
                    "runtime role `{}` may {} global table `{}`, which every tenant shares and no row-level security guards",
                    g.role,
                    writes.join(", "),
                    t.name
                ),
            )
            .at(g.span)
            .with_label(t.name_span, "the global table")
            .help(format!(
                "let a trusted role (not the runtime one) write `{}`; or say why the application must, with `unsafe \"reason\"` at the end of the grant",
                t.name
            )),
        );
    }
}
