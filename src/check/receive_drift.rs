//! `schema-drift` for the receiving side of the analytics feed: the
//! receiving project's history must receive each table another project
//! publishes to it from another schema. A history whose first migration
//! names no `receive` step receives every declared feed there but those a
//! later step receives (see `lower::replay_receive`), so this speaks only
//! once a history names them.
//!
//! Input: one project, the tables published to it and the ones its whole
//! history receives. Output: a `schema-drift` error per published table
//! the history does not receive (no build would create it), and per
//! `receive` step that names no table published to the project; an
//! `invalid-value` error per `receive` step whose source is not another
//! project, and an `unknown-table` error per step whose schema is not the
//! one its table is published from.

use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::feed::{receive_step, received_elsewhere, unreceived};
use crate::ir::{Project, Workspace};

pub fn history_receives_the_declared_feed(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(access) = &p.replayed_access else {
        return;
    };
    for r in unreceived(&ws.projects, p) {
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "no migration step of `{}` receives `{}.{}`, which `{}` publishes to it, so no build creates it there",
                    p.name, r.source.schema, r.table.name, r.source.name
                ),
            )
            .at(p.span)
            .with_label(r.publish.span, "published here")
            .help(format!(
                "run `sluice plan --project {}` to write `{}` in a new migration",
                p.name,
                receive_step(&r)
            )),
        );
    }
    let published = received_elsewhere(&ws.projects, p);
    let steps = p
        .migrations
        .iter()
        .flat_map(|m| m.expand.iter().chain(&m.contract));
    for s in steps {
        if let StepKind::Receive { table, source } = &s.kind {
            out.extend(misnamed(ws, p, table, source));
        }
    }
    for ((source, table), span) in &access.received {
        // A source that is no project got its own error above.
        if !is_other_project(ws, p, source) {
            continue;
        }
        if published
            .iter()
            .any(|r| r.source.name == *source && r.table.name == *table)
        {
            continue;
        }
        out.push(
            Diagnostic::of(
                Code::SchemaDrift,
                format!(
                    "this step receives table `{table}` from `{source}`, which does not publish it to `{}`",
                    p.name
                ),
            )
            .at(*span)
            .help(format!(
                "declare `publish to {}` on table `{table}` of `{source}`, or remove the step if its migration is not released yet",
                p.name
            )),
        );
    }
}

fn is_other_project(ws: &Workspace, p: &Project, name: &str) -> bool {
    name != p.name && ws.projects.iter().any(|o| o.name == name)
}

/// What is wrong with the names of a `receive SCHEMA.TABLE from SOURCE`
/// step of `p`: a source that is not another project, or a schema other
/// than the one SOURCE publishes the table from (replication matches
/// tables by schema and name, so the step would name another table).
fn misnamed(
    ws: &Workspace,
    p: &Project,
    table: &ast::Path,
    source: &ast::Ident,
) -> Option<Diagnostic> {
    if !is_other_project(ws, p, &source.name) {
        let others = ws
            .projects
            .iter()
            .filter(|o| o.name != p.name)
            .map(|o| o.name.as_str());
        let help = match crate::suggest::did_you_mean(&source.name, others.clone()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "receive from the project that publishes the table to `{}`: one of {}",
                p.name,
                others
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Some(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not another project of the workspace", source.name),
            )
            .at(source.span)
            .help(help),
        );
    }
    let [schema, name] = table.parts.as_slice() else {
        return None;
    };
    let src = ws.projects.iter().find(|o| o.name == source.name)?;
    let sent = src
        .tables
        .iter()
        .any(|t| t.name == name.name && t.publish.iter().any(|x| x.target.name == p.name));
    (sent && schema.name != src.schema).then(|| {
        Diagnostic::error(
            Code::UnknownTable,
            format!(
                "`{}` publishes `{}` from schema `{}`, not `{}`",
                src.name, name.name, src.schema, schema.name
            ),
        )
        .at(table.span)
        .help(format!(
            "write `receive {}.{} from {}`: the table keeps its schema in `{}`'s database",
            src.schema, name.name, src.name, p.name
        ))
    })
}
