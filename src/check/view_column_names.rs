//! `unknown-column` in a view's body: `create view` fails when a column it
//! names does not exist, so a misspelt column passes `sluice check` and
//! breaks the deploy.
//!
//! Input: a project's tables and views. Output: one diagnostic per unknown
//! column, at the name inside the body. Each `SELECT` of the body (both
//! sides of a `UNION`) is read with the tables its `FROM` names: a name
//! qualified by one of them (`n.title`, `notes.title`) must be a column of
//! that table, a bare name a column of one of them. Only a `SELECT` whose
//! every `FROM` relation is a table of the project is judged. Names a subquery
//! mentions, the output names of the `SELECT`, and anything of a `WITH`
//! query, a function or another project are left to PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, Expr, Query, Select, SelectItem, SetExpr, Statement, TableFactor,
};

use super::sql::{self, Parsed};
use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Table, View, Workspace};
use crate::lower::column_refs::{find_word, is_sql_value};
use crate::suggest::did_you_mean;

pub fn view_bodies_name_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for v in p.views.iter() {
        view_body_names_existing_columns(p, v, out);
    }
}

/// The check for the one view `v` of `p`: it reads `p`'s tables only.
pub fn view_body_names_existing_columns(p: &Project, v: &View, out: &mut Vec<Diagnostic>) {
    let Some(Parsed::Statements(statements)) = sql::statements(&v.query) else {
        return;
    };
    let mut seen = BTreeSet::new();
    for s in &statements {
        if let Statement::Query(q) = s {
            if q.with.is_none() {
                body(p, v, &q.body, &mut seen, out);
            }
        }
    }
}

fn body(
    p: &Project,
    v: &View,
    e: &SetExpr,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    match e {
        SetExpr::Select(s) => select(p, v, s, seen, out),
        SetExpr::SetOperation { left, right, .. } => {
            body(p, v, left, seen, out);
            body(p, v, right, seen, out);
        }
        SetExpr::Query(q) if q.with.is_none() => body(p, v, &q.body, seen, out),
        _ => {}
    }
}

fn select(
    p: &Project,
    v: &View,
    s: &Select,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    // Alias (or table name) → table, for the relations that are tables of
    // the project; `complete` when every relation of the FROM is one.
    let mut tables: BTreeMap<String, &Table> = BTreeMap::new();
    let mut complete = true;
    for twj in &s.from {
        for f in std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation)) {
            match own_table(p, f) {
                Some((key, t)) => {
                    tables.insert(key, t);
                }
                None => complete = false,
            }
        }
    }
    let outputs: BTreeSet<String> = s
        .projection
        .iter()
        .filter_map(|i| match i {
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let mut inner = BTreeSet::new();
    let mut names = Vec::new();
    let _ = visit_expressions(s, |x: &Expr| {
        match x {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => mentions(q, &mut inner),
            Expr::In {
                target: sqlparser::ast::InTarget::Subquery(q),
                ..
            } => mentions(q, &mut inner),
            Expr::Identifier(i) => names.push((None, fold(i))),
            Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
                names.push((Some(fold(&parts[0])), fold(&parts[1])))
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    if !complete || tables.is_empty() {
        return;
    }
    for (qualifier, name) in names {
        if inner.contains(&name) || is_sql_value(&name) || tables.contains_key(&name) {
            continue;
        }
        let unknown_in = match &qualifier {
            Some(q) => match tables.get(q) {
                Some(t) if t.column(&name).is_none() => vec![*t],
                _ => continue,
            },
            None if !outputs.contains(&name) => {
                if tables.values().any(|t| t.column(&name).is_some()) {
                    continue;
                }
                tables.values().copied().collect()
            }
            None => continue,
        };
        if seen.insert(name.clone()) {
            out.push(unknown(v, &name, &unknown_in));
        }
    }
}

/// A plain `FROM` table of this project: its alias (or name) and table.
fn own_table<'a>(p: &'a Project, f: &TableFactor) -> Option<(String, &'a Table)> {
    let TableFactor::Table {
        name,
        alias,
        args: None,
        ..
    } = f
    else {
        return None;
    };
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|part| part.as_ident().map(fold))
        .collect();
    let table = match parts.as_slice() {
        [t] => t,
        [schema, t] if *schema == p.schema || *schema == p.name => t,
        _ => return None,
    };
    let t = p.tables.iter().find(|t| t.name == *table)?;
    let key = alias
        .as_ref()
        .map_or_else(|| table.clone(), |a| fold(&a.name));
    Some((key, t))
}

/// Every name a subquery mentions (bare, or the last part of a qualified one).
fn mentions(q: &Query, inner: &mut BTreeSet<String>) {
    let _ = visit_expressions(q, |y: &Expr| {
        match y {
            Expr::Identifier(i) => {
                inner.insert(fold(i));
            }
            Expr::CompoundIdentifier(parts) => {
                inner.extend(parts.last().map(fold));
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn fold(i: &sqlparser::ast::Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_ascii_lowercase(),
    }
}

fn unknown(v: &View, name: &str, tables: &[&Table]) -> Diagnostic {
    let text: &SqlText = &v.query;
    let lower = text.text.to_ascii_lowercase();
    let span = match find_word(&lower, name) {
        Some(at) => text.span.sub(at, at + name.len()),
        None => text.span,
    };
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let d = Diagnostic::of(
        Code::UnknownColumn,
        format!(
            "column `{name}` of view `{}` is not defined in table `{}`",
            v.name,
            names.join("`, `")
        ),
    )
    .at(span);
    let columns = tables
        .iter()
        .flat_map(|t| t.columns.iter().map(|c| c.name.as_str()));
    match did_you_mean(name, columns) {
        Some(s) => d.label(format!("did you mean `{s}`?")).help(format!(
            "did you mean `{s}`? `create view` fails on a column its tables lack"
        )),
        None => d
            .label("unknown column")
            .help("name a column of the tables the view reads; `create view` fails on a column its tables lack"),
    }
}
