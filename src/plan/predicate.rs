//! Policy predicates → the view the `policy_predicate` macro renders.
//!
//! Input: a policy's [`Pred`] and the project. Output: a [`PredSql`] tree;
//! `templates/postgres/macros.sql.j2` writes it as SQL, for the policy
//! statement and for the Drizzle snapshot alike. Rust decides the shape;
//! the macro quotes every name and string.
//!
//! Settings are read with `current_setting(name, true)` wrapped in `nullif(…,
//! '')`: a missing setting is NULL (no rows, not an error), and so is the
//! empty string a pooled connection reports after a `SET LOCAL` ended. Role
//! lookups are always scoped to the project's app.

use serde::Serialize;

use crate::ast::Pred;
use crate::ir::{AppRoles, Origin, Project, Table};

/// What predicates need from the project.
pub(super) struct PredCx<'a> {
    pub project: &'a Project,
    pub table: &'a Table,
}

/// `nullif(current_setting('name', true), '')::type`
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    name: String,
    ty: String,
}

fn setting(name: &str, ty: &str) -> Setting {
    Setting {
        name: name.to_string(),
        ty: ty.to_string(),
    }
}

/// A policy predicate as the `policy_predicate` macro writes it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PredSql {
    /// `true` or `false`.
    Bool { value: bool },
    /// The user's SQL, in parentheses.
    Sql { text: String },
    /// `NOT (inner)`.
    Not { inner: Box<PredSql> },
    /// `(a) OR (b) …`, `(a) AND (b) …`.
    Join {
        op: &'static str,
        parts: Vec<PredSql>,
    },
    /// `column = setting`.
    ColumnIs { column: String, setting: Setting },
    /// `setting IN ('a', 'b')`.
    SettingIn {
        setting: Setting,
        roles: Vec<String>,
    },
    /// `EXISTS (SELECT 1 FROM schema.table r WHERE cond AND …)`.
    RoleLookup {
        schema: String,
        table: String,
        conds: Vec<RoleCond>,
    },
}

/// One condition on the row `r` of a role lookup.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoleCond {
    /// `r.column = setting`.
    Setting { column: String, setting: Setting },
    /// `r.column = (SELECT a.ref_column FROM schema.table a WHERE a.code = 'app')`.
    AppCode {
        column: String,
        ref_column: String,
        schema: String,
        table: String,
        app: String,
    },
    /// `r.column = 'app'`.
    App { column: String, app: String },
    /// `r.column IS NULL`.
    IsNull { column: String },
    /// `r.column IN ('a', 'b')`.
    In { column: String, roles: Vec<String> },
}

const FALSE: PredSql = PredSql::Bool { value: false };

pub(super) fn tenant(cx: &PredCx) -> Option<PredSql> {
    let t = cx.project.tenancy.as_ref()?;
    Some(PredSql::ColumnIs {
        column: t.column.clone(),
        setting: setting(&t.org_setting, &t.ty.text),
    })
}

fn current_user(cx: &PredCx) -> Setting {
    let name = cx
        .project
        .tenancy
        .as_ref()
        .and_then(|t| t.user_setting.clone())
        .unwrap_or_else(|| "app.current_user_id".into());
    setting(&name, "uuid")
}

pub(super) fn sql(p: &Pred, cx: &PredCx) -> PredSql {
    match p {
        Pred::Or(ps, _) => join(ps, "OR", cx),
        Pred::And(ps, _) => join(ps, "AND", cx),
        Pred::Not(q, _) => PredSql::Not {
            inner: Box::new(sql(q, cx)),
        },
        Pred::Bool(b, _) => PredSql::Bool { value: *b },
        Pred::Tenant(_) => tenant(cx).unwrap_or(FALSE),
        Pred::Owner(_) => match &cx.table.owner {
            Some(col) => PredSql::ColumnIs {
                column: col.clone(),
                setting: current_user(cx),
            },
            None => FALSE,
        },
        Pred::Sql(t) => PredSql::Sql {
            text: t.text.trim().to_string(),
        },
        Pred::Role(names, _) => role(names.iter().map(|n| n.name.clone()).collect(), cx),
    }
}

fn join(ps: &[Pred], op: &'static str, cx: &PredCx) -> PredSql {
    PredSql::Join {
        op,
        parts: ps.iter().map(|q| sql(q, cx)).collect(),
    }
}

fn role(roles: Vec<String>, cx: &PredCx) -> PredSql {
    match &cx.project.app_roles {
        Some(AppRoles::Setting(s)) => PredSql::SettingIn {
            setting: setting(s, "text"),
            roles,
        },
        Some(AppRoles::Table { table }) => role_lookup(&cx.project.tables[*table], roles, cx),
        None => FALSE,
    }
}

/// `EXISTS (SELECT 1 FROM roles r WHERE r.user = me AND r.org = my org AND
/// r.app = this app AND r.role IN (…))`.
fn role_lookup(roles: &Table, names: Vec<String>, cx: &PredCx) -> PredSql {
    let p = cx.project;
    let mut conds = vec![RoleCond::Setting {
        column: "user_id".into(),
        setting: current_user(cx),
    }];
    if let (Some(t), true) = (&p.tenancy, roles.tenant) {
        conds.push(RoleCond::Setting {
            column: t.column.clone(),
            setting: setting(&t.org_setting, &t.ty.text),
        });
    }
    if let Some(app) = &p.app {
        let via_fk = roles.foreign_keys.iter().find_map(|fk| {
            let target = &p.tables[fk.table];
            (fk.columns.len() == 1 && target.column("code").is_some()).then(|| RoleCond::AppCode {
                column: fk.columns[0].clone(),
                ref_column: fk.ref_columns[0].clone(),
                schema: p.schema.clone(),
                table: target.name.clone(),
                app: app.clone(),
            })
        });
        let via_column = ["app_code", "app"]
            .iter()
            .find(|c| roles.column(c).is_some())
            .map(|c| RoleCond::App {
                column: c.to_string(),
                app: app.clone(),
            });
        if let Some(c) = via_fk.or(via_column) {
            conds.push(c);
        }
    }
    if let Some(deleted) = roles
        .columns
        .iter()
        .find(|c| c.origin == Origin::Timestamp && c.nullable)
    {
        conds.push(RoleCond::IsNull {
            column: deleted.name.clone(),
        });
    }
    conds.push(RoleCond::In {
        column: "role".into(),
        roles: names,
    });
    PredSql::RoleLookup {
        schema: p.schema.clone(),
        table: roles.name.clone(),
        conds,
    }
}
