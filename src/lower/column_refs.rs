//! The columns an SQL expression reads of one table, for the checks that
//! catch a misspelt column before PostgreSQL does (policy predicates,
//! backfill expressions and filters).
//!
//! Input: a parsed expression, the table's name, and which names count as
//! its columns. Output: each other name the expression reads of that table
//! — bare, or qualified by the table's name — once, in order. Names inside
//! a subquery belong to the tables it reads and are left to PostgreSQL; so
//! is any name a subquery mentions.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr, Ident, InTarget};

/// Words that parse as identifiers but are SQL values, not columns.
const SQL_VALUES: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "current_role",
    "session_user",
    "localtime",
    "localtimestamp",
    "true",
    "false",
    "null",
];

/// Whether a bare name is an SQL value (`current_user`), not a column.
pub fn is_sql_value(name: &str) -> bool {
    SQL_VALUES.contains(&name)
}

/// Byte offset of `word` as a whole word in `text`.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// The names `e` reads of `table` that `known` rejects (SQL values and
/// names a subquery mentions are never reported).
pub fn unknown_names(e: &Expr, table: &str, known: impl Fn(&str) -> bool) -> Vec<String> {
    let mut inner = BTreeSet::new();
    let _ = visit_expressions(e, |x: &Expr| {
        let q = match x {
            Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => q,
            Expr::In {
                target: InTarget::Subquery(q),
                ..
            } => q,
            _ => return ControlFlow::<()>::Continue(()),
        };
        let _ = visit_expressions(q.as_ref(), |y: &Expr| {
            if let Some(n) = own_name(y, table) {
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
    let mut out = Vec::new();
    let _ = visit_expressions(e, |x: &Expr| {
        if let Some(name) = own_name(x, table) {
            let ok = known(&name) || inner.contains(&name) || is_sql_value(&name);
            if !ok && seen.insert(name.clone()) {
                out.push(name);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

/// `col` or `table.col`, lower case unless quoted.
fn own_name(e: &Expr, table: &str) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(fold(i)),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 && fold(&parts[0]) == table => {
            Some(fold(&parts[1]))
        }
        _ => None,
    }
}

fn fold(i: &Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_ascii_lowercase(),
    }
}
