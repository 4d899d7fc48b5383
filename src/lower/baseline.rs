//! `baseline` migrations: the history of an adopted database starts from
//! the state it already had.
//!
//! Input: a migration's syntax tree and its place in the applied order.
//! Output: `misplaced-baseline` diagnostics. A baseline must be the first
//! migration, and hold only `create` steps (and raw `sql` steps kept by an
//! import): it records objects that exist, so there is nothing to expand,
//! backfill, contract or release.

use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn check(m: &ast::MigrationDecl, position: usize, diags: &mut Vec<Diagnostic>) {
    let Some(span) = m.baseline else { return };
    let misplaced = |message: String| {
        Diagnostic::error(Code::MisplacedBaseline, message)
            .at(span)
            .help("a baseline is the project's first migration and only creates objects; put later changes in a new migration")
    };
    if position != 0 {
        diags.push(misplaced(format!(
            "migration `{}` is a baseline but is not the project's first migration",
            m.name.name
        )));
    }
    if !m.after.is_empty()
        || !m.releases.is_empty()
        || !m.backfills.is_empty()
        || !m.contract.is_empty()
    {
        diags.push(misplaced(format!(
            "baseline migration `{}` has `after`, `release`, `backfill` or `contract` items",
            m.name.name
        )));
    }
    for step in &m.expand {
        let creates = matches!(
            step.kind,
            StepKind::CreateTable(_)
                | StepKind::CreateView(_)
                | StepKind::CreateFunction(_)
                | StepKind::CreateEnum(_)
                | StepKind::CreateExtension(_)
                | StepKind::Sql { .. }
        );
        if !creates {
            diags.push(
                Diagnostic::error(
                    Code::MisplacedBaseline,
                    "a baseline migration holds only `create` and `sql` steps",
                )
                .at(step.span)
                .help("move this step into a migration after the baseline"),
            );
        }
    }
}
