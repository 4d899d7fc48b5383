//! `schema-drift` for the analytics feed: the migration history must carry
//! each table's `publish to` as declared. A `publish to` written only in
//! the declaration would otherwise build nothing: the journal files come
//! from the history, whose tables never joined the publication.
//!
//! Input: one project, its declared tables and the feed its whole history
//! carries (contracts not yet released included, as for every drift). Output: a `schema-drift` error per declared `publish to` the
//! history does not carry (or carries with other columns), and per one the
//! history carries that the declaration lacks.
//!
//! A table joins a feed in the migration that creates it (`publish to`
//! inside its `create table`), or later by a `publish TABLE to PROJECT`
//! step, and leaves it by `unpublish TABLE from PROJECT`.

use std::collections::BTreeMap;

use crate::ast::Ident;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::access::Access;
use crate::ir::feed::sent_columns;
use crate::ir::{Project, Publish, Table, Workspace};

/// Target project → the columns sent to it.
fn feed(t: &Table) -> BTreeMap<&str, Vec<&str>> {
    t.publish
        .iter()
        .map(|p| {
            let cols = sent_columns(t, p).into_iter().map(|c| c.name.as_str());
            (p.target.name.as_str(), cols.collect())
        })
        .collect()
}

/// Target project → the columns the history sends of the declared table
/// `t` (its columns are compared by `schema_drift`).
fn carried<'a>(t: &'a Table, access: &Access) -> BTreeMap<String, Vec<&'a str>> {
    access
        .published
        .iter()
        .filter(|((table, _), _)| *table == t.name)
        .map(|((_, target), (columns, span))| {
            let publish = Publish {
                target: Ident {
                    name: target.clone(),
                    span: *span,
                },
                columns: columns.as_ref().map(|c| {
                    c.iter()
                        .map(|name| Ident {
                            name: name.clone(),
                            span: *span,
                        })
                        .collect()
                }),
                span: *span,
            };
            let cols = sent_columns(t, &publish)
                .into_iter()
                .map(|c| c.name.as_str());
            (target.clone(), cols.collect())
        })
        .collect()
}

pub fn history_carries_the_declared_feed(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(replayed), Some(access)) = (&p.replayed, &p.replayed_access) else {
        return;
    };
    for t in &p.tables {
        // A table the history lacks is reported by `schema_drift`.
        if !replayed.contains_key(&t.name) {
            continue;
        }
        let (want, have) = (feed(t), carried(t, access));
        for publish in &t.publish {
            let target = publish.target.name.as_str();
            let columns = want[target].join(", ");
            // The item as the declaration writes it.
            let item = match &publish.columns {
                Some(list) => {
                    let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
                    format!("publish to {target} ({})", names.join(", "))
                }
                None => format!("publish to {target}"),
            };
            let (message, help) = match have.get(target) {
                Some(sent) if *sent == want[target] => continue,
                Some(sent) => (
                    format!(
                        "table `{}` is published to `{target}` with ({columns}), but the migration history publishes ({})",
                        t.name,
                        sent.join(", ")
                    ),
                    format!(
                        "run `sluice plan` to write `{}` in a new migration",
                        step(&t.name, publish)
                    ),
                ),
                None => (
                    format!(
                        "table `{}` is published to `{target}`, but no migration step publishes it, so no build sends it",
                        t.name
                    ),
                    format!(
                        "run `sluice plan` to write `{}` in a new migration (or write `{item}` in the `create table {}` step, if that migration is not released yet)",
                        step(&t.name, publish),
                        t.name
                    ),
                ),
            };
            out.push(
                Diagnostic::of(Code::SchemaDrift, message)
                    .at(publish.span)
                    .help(help),
            );
        }
        for target in have.keys().filter(|k| !want.contains_key(k.as_str())) {
            out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!(
                        "the migration history publishes table `{}` to `{target}`, which its declaration does not",
                        t.name
                    ),
                )
                .at(t.name_span)
                .help(format!(
                    "declare `publish to {target}` on table `{}` as the history says, or take it out of the feed in a contract step: `unpublish {} from {target}` (`sluice plan` writes it)",
                    t.name, t.name
                )),
            );
        }
    }
}

/// The `publish` step that sends what `publish` declares.
fn step(table: &str, publish: &crate::ir::Publish) -> String {
    let list = publish
        .columns
        .as_ref()
        .map(|c| {
            let names: Vec<&str> = c.iter().map(|i| i.name.as_str()).collect();
            format!(" ({})", names.join(", "))
        })
        .unwrap_or_default();
    format!("publish {table} to {}{list}", publish.target.name)
}
