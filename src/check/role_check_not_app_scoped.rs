//! `role-check-not-app-scoped`: a user's role must be looked up for this
//! project's app. The blueprint's update policy checks `role IN ('admin',
//! 'editor')` without filtering `app_id`, so an admin of HR becomes an
//! editor of notes.

use super::cross_project_reference::for_each_sql;
use super::sql;
use crate::ast::Pred;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{AppRoles, Project, Workspace};

pub fn role_checks_are_app_scoped(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let roles_table = match &p.app_roles {
        Some(AppRoles::Table { table }) => Some(&p.tables[*table]),
        _ => None,
    };
    for t in &p.tables {
        for pol in t.policies.iter() {
            let preds = std::iter::once(&pol.using).chain(pol.check.iter());
            for pred in preds {
                if let (Some(span), Some(rt), None) = (uses_role(pred), roles_table, &p.app) {
                    out.push(
                        Diagnostic::of(
                            Code::RoleCheckNotAppScoped,
                            format!(
                                "`role(…)` reads `{}` but project `{}` has no `app` code to scope the lookup to",
                                rt.name, p.name
                            ),
                        )
                        .at(span)
                        .help("add `app \"CODE\"` to the project so role lookups are limited to this app"),
                    );
                }
                let Some(rt) = roles_table else { continue };
                for_each_sql(pred, &mut |text| {
                    let Some(parsed) = sql::expr(text) else {
                        return;
                    };
                    let reads_roles = sql::relations(&parsed)
                        .iter()
                        .any(|r| r.last().is_some_and(|n| *n == rt.name));
                    if !reads_roles {
                        return;
                    }
                    let names = sql::column_names(&parsed);
                    let lower = text.text.to_ascii_lowercase();
                    let scoped = names
                        .iter()
                        .any(|n| n == "app_id" || n == "app" || n == "app_code")
                        || p.app.as_ref().is_some_and(|a| {
                            lower.contains(&format!("'{}'", a.to_ascii_lowercase()))
                        });
                    if !scoped {
                        out.push(
                            Diagnostic::of(
                                Code::RoleCheckNotAppScoped,
                                format!("this predicate reads `{}` without filtering by the app", rt.name),
                            )
                            .at(text.span)
                            .label("any app's role counts here")
                            .help("filter the lookup by this project's app (`and app_id = …`), or write `role(admin, editor)` and let sluice scope it"),
                        );
                    }
                });
            }
        }
    }
}

fn uses_role(p: &Pred) -> Option<crate::span::Span> {
    match p {
        Pred::Role(_, s) => Some(*s),
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().find_map(uses_role),
        Pred::Not(q, _) => uses_role(q),
        _ => None,
    }
}
