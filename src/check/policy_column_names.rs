//! `unknown-column` in a policy's `sql(…)` predicate: PostgreSQL only
//! resolves the names when it applies the policy, so a misspelt column
//! passes `sluice build` and fails the migration (or, inside a function
//! call, the first query). Columns the predicate reads of its own table —
//! bare, or qualified by the table's name — must exist; names inside a
//! subquery belong to the tables it reads and are left to PostgreSQL.
//!
//! Input: a project's tables and their policies. Output: one diagnostic
//! per unknown column, at the name inside the fragment.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr};

use super::sql;
use crate::ast::{Pred, SqlText};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Table, Workspace};
use crate::suggest::did_you_mean;

pub fn policy_sql_names_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for pol in &t.policies {
            for pred in std::iter::once(&pol.using).chain(pol.check.iter()) {
                each_sql(pred, &mut |text| check(t, text, out));
            }
        }
    }
}

fn each_sql<'a>(p: &'a Pred, f: &mut impl FnMut(&'a SqlText)) {
    match p {
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().for_each(|q| each_sql(q, f)),
        Pred::Not(q, _) => each_sql(q, f),
        Pred::Sql(t) => f(t),
        _ => {}
    }
}

fn check(t: &Table, text: &SqlText, out: &mut Vec<Diagnostic>) {
    let Some(sql::Parsed::Expr(e)) = sql::expr(text) else {
        return;
    };
    // Every name a subquery mentions is the subquery's business.
    let mut inner = BTreeSet::new();
    let _ = visit_expressions(e.as_ref(), |x: &Expr| {
        let q = match x {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => q,
            Expr::In {
                target: sqlparser::ast::InTarget::Subquery(q),
                ..
            } => q,
            _ => return ControlFlow::<()>::Continue(()),
        };
        let _ = visit_expressions(q.as_ref(), |y: &Expr| {
            if let Some(n) = own_name(y, &t.name) {
                inner.insert(n);
            }
            if let Expr::CompoundIdentifier(parts) = y {
                inner.extend(parts.last().map(|i| i.value.to_ascii_lowercase()));
            }
            ControlFlow::<()>::Continue(())
        });
        ControlFlow::<()>::Continue(())
    });
    let mut seen = BTreeSet::new();
    let lower = text.text.to_ascii_lowercase();
    let _ = visit_expressions(e.as_ref(), |x: &Expr| {
        if let Some(name) = own_name(x, &t.name) {
            let known = t.column(&name).is_some()
                || inner.contains(&name)
                || super::sql_column_names::is_sql_value(&name);
            if !known && seen.insert(name.clone()) {
                let span = match super::sql_column_names::find_word(&lower, &name) {
                    Some(at) => text.span.sub(at, at + name.len()),
                    None => text.span,
                };
                out.push(unknown(t, &name, span));
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `col` or `table.col` (the policy's own table), lower case.
fn own_name(e: &Expr, table: &str) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(fold(i)),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 && fold(&parts[0]) == table => {
            Some(fold(&parts[1]))
        }
        _ => None,
    }
}

fn fold(i: &sqlparser::ast::Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_ascii_lowercase(),
    }
}

fn unknown(t: &Table, name: &str, span: crate::span::Span) -> Diagnostic {
    let d = Diagnostic::of(
        Code::UnknownColumn,
        format!(
            "column `{name}` of a policy predicate is not defined in table `{}`",
            t.name
        ),
    )
    .at(span);
    match did_you_mean(name, t.columns.iter().map(|c| c.name.as_str())) {
        Some(s) => d.label(format!("did you mean `{s}`?")).help(format!(
            "did you mean `{s}`? PostgreSQL resolves the names of a policy only when it applies it"
        )),
        None => d
            .label("unknown column")
            .help("name a column of the table (columns of other tables belong in a subquery); PostgreSQL resolves the names of a policy only when it applies it"),
    }
}
