//! `unknown-column` in a policy's `sql(…)` predicate: PostgreSQL only
//! resolves the names when it applies the policy, so a misspelt column
//! passes `sluice build` and fails the migration (or, inside a function
//! call, the first query). Columns the predicate reads of its own table —
//! bare, or qualified by the table's name — must exist; names inside a
//! subquery belong to the tables it reads and are left to PostgreSQL.
//!
//! Input: a project's tables and their policies. Output: one diagnostic
//! per unknown column, at the name inside the fragment.

use super::sql;
use crate::ast::{Pred, SqlText};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Table, Workspace};
use crate::lower::column_refs::{find_word, unknown_names};
use crate::suggest::did_you_mean;

pub fn policy_sql_names_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for pol in t.policies.iter() {
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
    let lower = text.text.to_ascii_lowercase();
    for name in unknown_names(&e, &t.name, |n| t.column(n).is_some()) {
        let span = match find_word(&lower, &name) {
            Some(at) => text.span.sub(at, at + name.len()),
            None => text.span,
        };
        out.push(unknown(t, &name, span));
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
