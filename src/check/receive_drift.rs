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
//! `receive` step that names no table published to the project.

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
    for ((source, table), span) in &access.received {
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
