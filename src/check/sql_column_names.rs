//! `unknown-column` inside a table's own SQL: check constraints, index
//! expressions and predicates, and generated columns may only read columns
//! of their table.

use std::collections::HashMap;

use super::sql;
use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Project, Table, Workspace};
use crate::lower::column_refs::{find_word, is_sql_value};
use crate::suggest::did_you_mean;

/// The column names each distinct SQL text reads, `None` when it does not
/// parse: tables repeat their expressions (`deleted_at is null`,
/// `length(name) <= 200`), and parsing is most of this rule's work.
type Read<'a> = HashMap<&'a str, Option<Vec<String>>>;

pub fn table_sql_names_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let mut read = Read::new();
    for t in &p.tables {
        for c in &t.checks {
            check(t, &c.expr, &mut read, out);
        }
        for col in t.columns.iter() {
            if let Some(g) = &col.generated {
                check(t, g, &mut read, out);
            }
        }
    }
    // Index SQL is kept as text in the IR; positions come from the checks
    // above and the lowering pass, so only their names are verified here.
    for t in &p.tables {
        for ix in t.indexes.iter() {
            for e in &ix.elems {
                if let IndexKey::Expr(x) = &e.key {
                    names_only(t, x, ix.span, &mut read, out);
                }
            }
            if let Some(pred) = &ix.predicate {
                names_only(t, pred, ix.span, &mut read, out);
            }
        }
    }
}

/// The column names `text` reads (see [`Read`]).
fn names_in<'a, 'r>(
    text: &'a str,
    span: crate::span::Span,
    read: &'r mut Read<'a>,
) -> Option<&'r [String]> {
    read.entry(text)
        .or_insert_with(|| {
            let fragment = SqlText {
                text: text.to_string(),
                span,
            };
            sql::expr(&fragment).map(|p| sql::column_names(&p))
        })
        .as_deref()
}

fn check<'a>(t: &Table, text: &'a SqlText, read: &mut Read<'a>, out: &mut Vec<Diagnostic>) {
    let Some(names) = names_in(&text.text, text.span, read) else {
        return;
    };
    let mut lower = None;
    for name in names {
        if t.column(name).is_some() || is_sql_value(name) {
            continue;
        }
        let lower = lower.get_or_insert_with(|| text.text.to_ascii_lowercase());
        let span = match find_word(lower, name) {
            Some(at) => text.span.sub(at, at + name.len()),
            None => text.span,
        };
        out.push(unknown(t, name, span));
    }
}

fn names_only<'a>(
    t: &Table,
    text: &'a str,
    span: crate::span::Span,
    read: &mut Read<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(names) = names_in(text, span, read) else {
        return;
    };
    for name in names {
        if t.column(name).is_none() && !is_sql_value(name) {
            out.push(unknown(t, name, span));
        }
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
