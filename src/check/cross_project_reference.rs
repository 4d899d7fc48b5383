//! `cross-project-reference` in SQL: a policy predicate, view or function
//! body that names a table of another project, which lives in another
//! database (the blueprint's notes policies querying `core.app_permissions`).
//! Foreign keys are resolved, and refused, while lowering.

use super::sql::{self, Parsed};
use crate::ast::{Pred, SqlText};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn sql_names_only_this_projects_tables(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for pol in t.policies.iter() {
            for pred in std::iter::once(&pol.using).chain(pol.check.iter()) {
                for_each_sql(pred, &mut |text| {
                    check(ws, p, text, sql::expr(text), "policy", out)
                });
            }
        }
    }
    for v in p.views.iter() {
        check(ws, p, &v.query, sql::statements(&v.query), "view", out);
    }
    for f in p.functions.iter() {
        if let Some(body) = &f.decl.body {
            if f.decl.language.as_ref().is_some_and(|l| l.name == "sql") {
                check(ws, p, body, sql::statements(body), "function", out);
            }
        }
    }
}

pub fn for_each_sql(pred: &Pred, f: &mut dyn FnMut(&SqlText)) {
    match pred {
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().for_each(|q| for_each_sql(q, f)),
        Pred::Not(q, _) => for_each_sql(q, f),
        Pred::Sql(t) => f(t),
        _ => {}
    }
}

fn check(
    ws: &Workspace,
    p: &Project,
    text: &SqlText,
    parsed: Option<Parsed>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(parsed) = parsed else { return };
    for rel in sql::relations(&parsed) {
        let [qualifier, table] = rel.as_slice() else {
            continue;
        };
        if *qualifier == p.schema || *qualifier == p.name {
            continue;
        }
        let Some(other) = ws
            .projects
            .iter()
            .find(|o| o.name != p.name && (o.name == *qualifier || o.schema == *qualifier))
        else {
            continue;
        };
        let at = text
            .text
            .to_ascii_lowercase()
            .find(&format!("{qualifier}."))
            .unwrap_or(0);
        out.push(
            Diagnostic::of(
                Code::CrossProjectReference,
                format!(
                    "this {what} reads `{qualifier}.{table}`, a table of project `{}` (database `{}`), from project `{}`",
                    other.name, other.database, p.name
                ),
            )
            .at(text.span.sub(at, at + qualifier.len() + 1 + table.len()))
            .label("another database")
            .help(match what {
                "policy" => "another database's tables are not reachable from a policy; carry the value in a session setting (e.g. `app_roles from setting app.current_app_role`)".to_string(),
                _ => "a query can only read tables of its own database; replicate the data or read it through the application".to_string(),
            }),
        );
    }
}
