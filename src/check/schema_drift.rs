//! `schema-drift`: replaying a project's migration history from an empty
//! database must build exactly the declared tables. Each difference is
//! reported at the declaration, with the step that would close it.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::diff::{self, ColumnDiff};
use crate::ir::shape::{ColumnShape, TableShape};
use crate::ir::{Project, Table, Workspace};
use crate::span::Span;

pub fn history_builds_the_declared_tables(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(replayed) = &p.replayed else { return };
    for t in &p.tables {
        let declared = TableShape::declared(p, t);
        match replayed.get(&t.name) {
            None => out.push(
                drift(
                    t.name_span,
                    format!("table `{}` is declared but no migration creates it", t.name),
                )
                .help(format!(
                    "add `create table {} {{ … }}` (its full declaration) to a new migration",
                    t.name
                )),
            ),
            Some((built, at)) => compare(p, t, &declared, built, *at, out),
        }
    }
    for (name, (_, at)) in replayed {
        if p.table(name).is_none() {
            out.push(
                drift(
                    *at,
                    format!("the migration history builds table `{name}`, which is not declared"),
                )
                .label("last changed here")
                .help(format!(
                    "declare `table {name}`, or drop it in a contract step: `drop table {name}`"
                )),
            );
        }
    }
}

fn drift(span: Span, message: String) -> Diagnostic {
    Diagnostic::of(Code::SchemaDrift, message).at(span)
}

fn column_text(c: &ColumnShape) -> String {
    let mut s = c.ty.clone();
    if !c.nullable {
        s.push_str(" not null");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" default {d}"));
    }
    s
}

/// The column as an `add column` step must write it: type, nullability,
/// default and its own check, as declared.
fn column_decl(t: &Table, col: &str, want: &ColumnShape) -> String {
    let mut s = column_text(want);
    if let Some(check) = t.column(col).and_then(|c| c.check.as_ref()) {
        s.push_str(&format!(" check ({})", check.text.trim()));
    }
    s
}

/// Where the declared item whose shape text is `text` is written, so the
/// report points at its line rather than at the table.
fn item_span(t: &Table, what: &str, text: &str) -> Option<Span> {
    use crate::ir::shape::{index_text, key_text, norm};
    match what {
        "index" => t.indexes.iter().filter(|i| !i.derived).find_map(|i| {
            let keys: Vec<String> = i
                .elems
                .iter()
                .map(|e| key_text(&e.key, e.descending))
                .collect();
            (index_text(i.unique, &i.method, &keys, i.predicate.as_deref()) == text)
                .then_some(i.span)
        }),
        "unique constraint" => t
            .uniques
            .iter()
            .find(|u| u.columns.join(", ") == text)
            .map(|u| u.span),
        "check" => t
            .checks
            .iter()
            .find(|c| norm(&c.expr.text) == text)
            .map(|c| c.span),
        "foreign key" => t
            .foreign_keys
            .iter()
            .find(|f| text.starts_with(&format!("({}) ->", f.columns.join(", "))))
            .map(|f| f.span),
        _ => None,
    }
}

/// Where the history writes the item of table `table` whose shape text is
/// `text`: found in the schema after the latest phase that has it.
fn history_item_span(p: &Project, table: &str, what: &str, text: &str) -> Option<Span> {
    p.phases
        .iter()
        .rev()
        .filter_map(|ph| ph.state.table(table))
        .find_map(|t| item_span(t, what, text))
}

fn compare(
    p: &Project,
    t: &Table,
    declared: &TableShape,
    built: &TableShape,
    at: Span,
    out: &mut Vec<Diagnostic>,
) {
    let name = &t.name;
    let span_of = |col: &str| t.column(col).map(|c| c.span).unwrap_or(t.name_span);
    let d = diff::table(declared, built);
    super::schema_drift_notes::report(t, &d.notes, at, out);
    for c in &d.columns {
        match c {
            ColumnDiff::Missing { name: col, want } => out.push(
                drift(
                    span_of(col),
                    format!("column `{name}.{col}` is declared but no migration adds it"),
                )
                .help(format!(
                    "add `add column {name}.{col} {}` to a new migration",
                    column_decl(t, col, want)
                )),
            ),
            ColumnDiff::Changed {
                name: col,
                have,
                want,
            } => {
                let fix = if have.ty != want.ty {
                    format!("change type {name}.{col} to {}", want.ty)
                } else if have.nullable != want.nullable {
                    if want.nullable {
                        format!("drop not null {name}.{col}")
                    } else {
                        format!("set not null {name}.{col}")
                    }
                } else {
                    match &want.default {
                        Some(d) => format!("set default {name}.{col} = {d}"),
                        None => format!("drop default {name}.{col}"),
                    }
                };
                out.push(
                    drift(
                        span_of(col),
                        format!(
                            "column `{name}.{col}` is declared `{}` but the migration history makes it `{}`",
                            column_text(want),
                            column_text(have)
                        ),
                    )
                    .with_label(at, "the history last changed the table here")
                    .help(format!("add `{fix}` to a new migration, or correct the declaration")),
                );
            }
        }
    }
    for col in &d.extra_columns {
        out.push(
            drift(
                t.name_span,
                format!("the migration history adds column `{name}.{col}`, which is not declared"),
            )
            .with_label(at, "the history last changed the table here")
            .help(format!(
                "declare the column, or add `drop column {name}.{col}` to a contract phase"
            )),
        );
    }
    // A missing column's own check comes with its `add column` step.
    let missing_columns: Vec<&str> = d
        .columns
        .iter()
        .filter_map(|c| match c {
            ColumnDiff::Missing { name, .. } => Some(name.as_str()),
            ColumnDiff::Changed { .. } => None,
        })
        .collect();
    for items in &d.items {
        let (what, step) = (items.item.as_str(), items.item.add_step());
        for missing in &items.missing {
            if what == "check"
                && super::schema_drift_steps::check_of_column(t, missing, &missing_columns)
            {
                continue;
            }
            let help = match super::schema_drift_steps::add_step(t, what, missing) {
                Some(step) => format!("add `{step}` to a new migration"),
                None => format!("add a `{step} {name} …` step to a new migration"),
            };
            out.push(
                drift(
                    item_span(t, what, missing).unwrap_or(t.name_span),
                    format!(
                        "{what} `{missing}` of `{name}` is declared but no migration creates it"
                    ),
                )
                .with_label(at, "the history last changed the table here")
                .help(help),
            );
        }
        for extra in &items.extra {
            // An index the history named can be dropped by that name.
            let dropped = (what == "index")
                .then(|| built.index_names.iter().find(|(_, v)| *v == extra))
                .flatten();
            let help = match dropped {
                Some((n, _)) => {
                    format!("declare it, or add `drop index {n}` to a new migration's contract")
                }
                None => "declare it, or drop it in a new migration".to_string(),
            };
            // At the history's line that creates the item, when it is
            // found; the table, declared without it, beside.
            let message = format!(
                "the migration history gives `{name}` the {what} `{extra}`, which is not declared"
            );
            let d = match history_item_span(p, name, what, extra) {
                Some(created) => drift(created, message)
                    .label(format!("the history creates the {what} here"))
                    .with_label(t.name_span, format!("`{name}` is declared without it")),
                None => drift(t.name_span, message)
                    .with_label(at, "the history last changed the table here"),
            };
            out.push(d.help(help));
        }
    }
    if d.key_differs {
        out.push(
            drift(t.name_span, format!("`{name}` differs from its history in tenancy, owner or primary key"))
                .with_label(at, "the history last changed the table here")
                .help("make the declaration and the migration that creates the table say the same `tenant`, `owner` and key"),
        );
    }
}
