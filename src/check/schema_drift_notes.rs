//! `schema-drift` for comments and classifications: a declared table or
//! column whose comment or `classify` tag is not what the migration
//! history leaves it with, reported at the declaration with the steps that
//! close it (`classify column users.email pii`, `comment on table users
//! "…"`).
//!
//! Input: a declared table and the note differences of its shapes. Output:
//! one diagnostic per table or column.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::notes::{Note, NoteDiff};
use crate::ir::Table;
use crate::span::Span;

pub(super) fn report(t: &Table, notes: &[NoteDiff], at: Span, out: &mut Vec<Diagnostic>) {
    for d in notes {
        let (what, span) = match &d.column {
            Some(c) => (
                format!("column `{}.{c}`", t.name),
                t.column(c).map_or(t.name_span, |c| c.span),
            ),
            None => (format!("table `{}`", t.name), t.name_span),
        };
        let message = if d.have.classification != d.want.classification {
            format!(
                "{what} is declared {} but the migration history leaves it {}",
                tag(&d.want),
                tag(&d.have)
            )
        } else {
            format!(
                "{what} is declared {} but the migration history leaves it {}",
                comment(&d.want),
                comment(&d.have)
            )
        };
        let steps: Vec<String> = d.steps(&t.name).iter().map(|s| format!("`{s}`")).collect();
        out.push(
            Diagnostic::of(Code::SchemaDrift, message)
                .at(span)
                .with_label(at, "the history last changed the table here")
                .help(format!(
                    "add {} to a new migration (`sluice plan` writes it), or correct the declaration",
                    steps.join(" and ")
                )),
        );
    }
}

fn tag(n: &Note) -> String {
    match n.classification {
        Some(k) => format!("`classify {}`", k.as_str()),
        None => "unclassified".into(),
    }
}

fn comment(n: &Note) -> String {
    match &n.comment {
        Some(c) => format!("with the comment {c:?}"),
        None => "without a comment".into(),
    }
}
