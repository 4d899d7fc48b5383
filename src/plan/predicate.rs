//! Policy predicates → SQL.
//!
//! Settings are read with `current_setting(name, true)` wrapped in `nullif(…,
//! '')`: a missing setting is NULL (no rows, not an error), and so is the
//! empty string a pooled connection reports after a `SET LOCAL` ended. Role
//! lookups are always scoped to the project's app.

use crate::ast::Pred;
use crate::ir::{AppRoles, Origin, Project, Table};
use crate::quote::{ident, literal};

/// What predicates need from the project.
pub(super) struct PredCx<'a> {
    pub project: &'a Project,
    pub table: &'a Table,
}

/// `nullif(current_setting('name', true), '')::type`
pub(super) fn setting(name: &str, ty: &str) -> String {
    format!("nullif(current_setting({}, true), '')::{ty}", literal(name))
}

pub(super) fn tenant(cx: &PredCx) -> Option<String> {
    let t = cx.project.tenancy.as_ref()?;
    Some(format!(
        "{} = {}",
        ident(&t.column),
        setting(&t.org_setting, &t.ty.text)
    ))
}

fn current_user(cx: &PredCx) -> String {
    let name = cx
        .project
        .tenancy
        .as_ref()
        .and_then(|t| t.user_setting.clone())
        .unwrap_or_else(|| "app.current_user_id".into());
    setting(&name, "uuid")
}

pub(super) fn sql(p: &Pred, cx: &PredCx) -> String {
    match p {
        Pred::Or(ps, _) => join(ps, " OR ", cx),
        Pred::And(ps, _) => join(ps, " AND ", cx),
        Pred::Not(q, _) => format!("NOT ({})", sql(q, cx)),
        Pred::Bool(b, _) => if *b { "true" } else { "false" }.to_string(),
        Pred::Tenant(_) => tenant(cx).unwrap_or_else(|| "false".into()),
        Pred::Owner(_) => match &cx.table.owner {
            Some(col) => format!("{} = {}", ident(col), current_user(cx)),
            None => "false".into(),
        },
        Pred::Sql(t) => format!("({})", t.text.trim()),
        Pred::Role(names, _) => role(names.iter().map(|n| n.name.as_str()), cx),
    }
}

fn join(ps: &[Pred], op: &str, cx: &PredCx) -> String {
    let parts: Vec<String> = ps.iter().map(|q| format!("({})", sql(q, cx))).collect();
    parts.join(op)
}

fn role<'a>(names: impl Iterator<Item = &'a str>, cx: &PredCx) -> String {
    let list: Vec<String> = names.map(literal).collect();
    let list = list.join(", ");
    match &cx.project.app_roles {
        Some(AppRoles::Setting(s)) => format!("{} IN ({list})", setting(s, "text")),
        Some(AppRoles::Table { table }) => role_lookup(&cx.project.tables[*table], &list, cx),
        None => "false".into(),
    }
}

/// `EXISTS (SELECT 1 FROM roles r WHERE r.user = me AND r.org = my org AND
/// r.app = this app AND r.role IN (…))`.
fn role_lookup(roles: &Table, list: &str, cx: &PredCx) -> String {
    let p = cx.project;
    let schema = ident(&p.schema);
    let mut conds = vec![format!("r.{} = {}", ident("user_id"), current_user(cx))];
    if let (Some(t), true) = (&p.tenancy, roles.tenant) {
        conds.push(format!(
            "r.{} = {}",
            ident(&t.column),
            setting(&t.org_setting, &t.ty.text)
        ));
    }
    if let Some(app) = &p.app {
        let via_fk = roles.foreign_keys.iter().find_map(|fk| {
            let target = &p.tables[fk.table];
            (fk.columns.len() == 1 && target.column("code").is_some()).then(|| {
                format!(
                    "r.{} = (SELECT a.{} FROM {schema}.{} a WHERE a.{} = {})",
                    ident(&fk.columns[0]),
                    ident(&fk.ref_columns[0]),
                    ident(&target.name),
                    ident("code"),
                    literal(app)
                )
            })
        });
        let via_column = ["app_code", "app"]
            .iter()
            .find(|c| roles.column(c).is_some())
            .map(|c| format!("r.{} = {}", ident(c), literal(app)));
        if let Some(c) = via_fk.or(via_column) {
            conds.push(c);
        }
    }
    if let Some(deleted) = roles
        .columns
        .iter()
        .find(|c| c.origin == Origin::Timestamp && c.nullable)
    {
        conds.push(format!("r.{} IS NULL", ident(&deleted.name)));
    }
    conds.push(format!("r.{} IN ({list})", ident("role")));
    format!(
        "EXISTS (SELECT 1 FROM {schema}.{} r WHERE {})",
        ident(&roles.name),
        conds.join(" AND ")
    )
}
