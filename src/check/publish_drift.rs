//! `schema-drift` for the analytics feed: the migration history must carry
//! each table's `publish to` as declared. A `publish to` written only in
//! the declaration would otherwise build nothing: the journal files come
//! from the history, whose tables never joined the publication.
//!
//! Input: one project, its declared tables and the schema its last phase
//! leaves. Output: a `schema-drift` error per declared `publish to` the
//! history does not carry (or carries with other columns), and per one the
//! history carries that the declaration lacks.
//!
//! A table joins a feed in the migration that creates it (`publish to`
//! inside its `create table`); no step adds an existing table to one.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::feed::sent_columns;
use crate::ir::{Project, Table, Workspace};

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

pub fn history_carries_the_declared_feed(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(last) = p.phases.last() else { return };
    for t in &p.tables {
        // A table the history lacks is reported by `schema_drift`.
        let Some(built) = last.state.table(&t.name) else {
            continue;
        };
        let (want, have) = (feed(t), feed(built));
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
                        "write the same `{item}` in the `create table {}` step that created it",
                        t.name
                    ),
                ),
                None => (
                    format!(
                        "table `{}` is published to `{target}`, but no migration step publishes it, so no build sends it",
                        t.name
                    ),
                    format!(
                        "write `{item}` in the `create table {}` step, if that migration is not released yet; no step adds an existing table to a feed, so otherwise leave `publish to` out of the declaration",
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
        for target in have.keys().filter(|k| !want.contains_key(*k)) {
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
                    "declare `publish to {target}` on table `{}` as its `create table` step says",
                    t.name
                )),
            );
        }
    }
}
