//! `view-reads-dropped-column`: a phase of the migration history drops or
//! renames a column that a view of the history still reads. The phase
//! drops such a view before the change and creates it again after, as the
//! history defines it; reading a column that is gone, that `CREATE VIEW`
//! fails on PostgreSQL, after a clean `check`.
//!
//! Input: a project's phases (the schema the history builds after each).
//! Output: one error per view column, at the first phase where the view
//! reads it and it is gone: at the step that drops or renames it, with the
//! view's body as a secondary label.

use std::collections::BTreeSet;

use crate::ast::StepKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{PhaseKind, Project, Workspace};

pub fn history_views_read_existing_columns(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for ph in p.phases.iter().filter(|ph| ph.kind != PhaseKind::Initial) {
        let mut found = Vec::new();
        super::view_column_names::view_bodies_name_existing_columns(ws, &ph.state, &mut found);
        let m = &p.migrations[ph.migration];
        let steps = match ph.kind {
            PhaseKind::Contract => &m.contract,
            _ => &m.expand,
        };
        for d in found {
            if !seen.insert(d.message.clone()) {
                continue;
            }
            // "column `C` of view `V` is not defined in table `T`"
            let quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
            let [column, view, table, ..] = quoted[..] else {
                continue;
            };
            let step = steps.iter().chain(m.expand.iter()).find(|s| match &s.kind {
                StepKind::Drop { kind, target } => {
                    kind.name == "column" && target.last().name == column
                }
                StepKind::RenameColumn { column: c, .. } => c.last().name == column,
                _ => false,
            });
            let phase = match ph.kind {
                PhaseKind::Contract => "contract",
                _ => "expand",
            };
            let mut e = Diagnostic::error(
                Code::ViewReadsDroppedColumn,
                format!(
                    "the {phase} phase of migration `{}` drops or renames column `{column}` of `{table}`, which view `{view}` still reads",
                    m.name
                ),
            )
            .at(step.map_or(m.span, |s| s.span))
            .label("the column goes here");
            if let Some(at) = d.span {
                e = e.with_label(at, "the view reads it here");
            }
            out.push(e.help(format!(
                "define the view again in the same phase, before this step: `drop view {view}` then `create view {view} {{ … }}` reading the columns that remain"
            )));
        }
    }
}
