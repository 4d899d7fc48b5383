//! `unknown-column` inside a table's own SQL: check constraints, index
//! expressions and predicates, and generated columns may only read columns
//! of their table.

use super::sql::{self, Parsed};
use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Project, Table, Workspace};
use crate::suggest::did_you_mean;

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

pub fn table_sql_names_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for c in &t.checks {
            check(t, &c.expr, out);
        }
        for col in &t.columns {
            if let Some(g) = &col.generated {
                check(t, g, out);
            }
        }
    }
    // Index SQL is kept as text in the IR; positions come from the checks
    // above and the lowering pass, so only their names are verified here.
    for t in &p.tables {
        for ix in &t.indexes {
            for e in &ix.elems {
                if let IndexKey::Expr(x) = &e.key {
                    names_only(t, x, ix.span, out);
                }
            }
            if let Some(pred) = &ix.predicate {
                names_only(t, pred, ix.span, out);
            }
        }
    }
}

fn check(t: &Table, text: &SqlText, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = sql::expr(text) else {
        return;
    };
    report(t, text, &parsed, out);
}

fn names_only(t: &Table, text: &str, span: crate::span::Span, out: &mut Vec<Diagnostic>) {
    let fragment = SqlText {
        text: text.to_string(),
        span,
    };
    let Some(parsed) = sql::expr(&fragment) else {
        return;
    };
    for name in sql::column_names(&parsed) {
        if t.column(&name).is_none() && !SQL_VALUES.contains(&name.as_str()) {
            out.push(unknown(t, &name, span));
        }
    }
}

fn report(t: &Table, text: &SqlText, parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let lower = text.text.to_ascii_lowercase();
    for name in sql::column_names(parsed) {
        if t.column(&name).is_some() || SQL_VALUES.contains(&name.as_str()) {
            continue;
        }
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
        format!("column `{name}` is not defined in table `{}`", t.name),
    )
    .at(span);
    match did_you_mean(name, t.columns.iter().map(|c| c.name.as_str())) {
        Some(s) => d.label(format!("did you mean `{s}`?")).help(format!(
            "did you mean `{s}`? an expression of a table reads only its own columns"
        )),
        None => d
            .label("unknown column")
            .help("an expression of a table reads only its own columns"),
    }
}

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
