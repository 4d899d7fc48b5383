//! `unknown-column` inside a table's own SQL: check constraints, index
//! expressions and predicates, and generated columns may only read columns
//! of their table.

use super::sql::{self, Parsed};
use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Project, Table, Workspace};
use crate::lower::column_refs::{find_word, is_sql_value};
use crate::suggest::did_you_mean;

pub fn table_sql_names_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for c in &t.checks {
            check(t, &c.expr, out);
        }
        for col in t.columns.iter() {
            if let Some(g) = &col.generated {
                check(t, g, out);
            }
        }
    }
    // Index SQL is kept as text in the IR; positions come from the checks
    // above and the lowering pass, so only their names are verified here.
    for t in &p.tables {
        for ix in t.indexes.iter() {
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
        if t.column(&name).is_none() && !is_sql_value(&name) {
            out.push(unknown(t, &name, span));
        }
    }
}

fn report(t: &Table, text: &SqlText, parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let lower = text.text.to_ascii_lowercase();
    for name in sql::column_names(parsed) {
        if t.column(&name).is_some() || is_sql_value(&name) {
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
