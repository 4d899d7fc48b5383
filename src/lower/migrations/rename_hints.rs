//! `was` hints inside a migration, refused: a hint says what a declared
//! table or column used to be called, and in a migration the rename is a
//! step of its own, so a hint there would do nothing.
//!
//! Input: one step. Output: a diagnostic for each hint it carries.

use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};

/// A `was` hint says what a declared column used to be called; inside a
/// migration the rename is a step of its own, so a hint there would do
/// nothing.
pub(super) fn refuse_rename_hints(kind: &StepKind, diags: &mut Vec<Diagnostic>) {
    if let StepKind::CreateTable(t) = kind {
        if let Some(old) = &t.was {
            diags.push(
                Diagnostic::error(
                    Code::UnexpectedItem,
                    format!(
                        "`was {}` belongs on the declared table, not in a migration",
                        old.name
                    ),
                )
                .at(old.span)
                .help(format!(
                    "remove the hint here; to rename, write `rename table {} to {}`",
                    old.name,
                    t.name.last().name
                )),
            );
        }
    }
    let defs: Vec<&ast::ColumnDef> = match kind {
        StepKind::CreateTable(t) => t
            .items
            .iter()
            .filter_map(|i| match i {
                ast::TableItem::Column(c) => Some(&**c),
                _ => None,
            })
            .collect(),
        StepKind::AddColumn { def, .. } => vec![def],
        _ => return,
    };
    for def in defs {
        for opt in &def.opts {
            if let ast::ColumnOpt::Was(old) = opt {
                diags.push(
                    Diagnostic::error(
                        Code::UnexpectedItem,
                        format!(
                            "`was {}` belongs on the declared column, not in a migration",
                            old.name
                        ),
                    )
                    .at(old.span)
                    .help(format!(
                        "remove the hint here; to rename, write `rename column TABLE.{} to {}`",
                        old.name, def.name.name
                    )),
                );
            }
        }
    }
}
