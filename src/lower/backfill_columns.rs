//! `unknown-column` in a backfill's `set` expression and `where` filter.
//! Both run against the table as the migration's expand phase leaves it,
//! and PostgreSQL resolves their names only when the backfill script runs,
//! between the expand and the contract deploys — far too late to learn of
//! a misspelt column.
//!
//! Input: the replayed history right after the migration's expand steps,
//! and the migration. Output: one diagnostic per unknown column, at the
//! name inside the fragment. An unknown table or target column, and SQL
//! that does not parse, are reported elsewhere.

use super::column_refs::{find_word, unknown_names};
use super::replay::Replay;
use super::sql::parse_expr;
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest::did_you_mean;

pub fn check(replay: &Replay, m: &ast::MigrationDecl, diags: &mut Vec<Diagnostic>) {
    for b in &m.backfills {
        let [table, _] = b.target.parts.as_slice() else {
            continue;
        };
        if !replay.has_table(&table.name) {
            continue;
        }
        let columns = replay.columns(&table.name);
        for (text, what) in
            std::iter::once((&b.expr, "expression")).chain(b.filter.iter().map(|f| (f, "filter")))
        {
            let Ok(e) = parse_expr(text) else {
                continue;
            };
            let lower = text.text.to_ascii_lowercase();
            for name in unknown_names(&e, &table.name, |n| columns.iter().any(|c| c == n)) {
                let span = match find_word(&lower, &name) {
                    Some(at) => text.span.sub(at, at + name.len()),
                    None => text.span,
                };
                let d = Diagnostic::of(
                    Code::UnknownColumn,
                    format!(
                        "column `{name}` of a backfill {what} is not defined in table `{}` after the expand phase",
                        table.name
                    ),
                )
                .at(span);
                diags.push(match did_you_mean(&name, columns.iter().map(String::as_str)) {
                    Some(s) => d.label(format!("did you mean `{s}`?")).help(format!(
                        "did you mean `{s}`? PostgreSQL resolves a backfill's names only when its script runs"
                    )),
                    None => d.label("unknown column").help(
                        "name a column the table has once the expand phase ran (columns of other tables belong in a subquery)",
                    ),
                });
            }
        }
    }
}
