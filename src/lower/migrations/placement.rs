//! Steps judged by the phase they sit in, with the schema as it was before
//! the migration: steps that are only safe in one phase, and steps forced
//! `unsafe` reported under the safety rule their direct form breaks.
//!
//! Input: one migration and the replay before it. Output: diagnostics.

use super::super::replay::Replay;
use super::table_of_column;
use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};

/// Steps that are only safe in one phase, judged with the schema as it was
/// before the migration: a drop breaks the app version still running during
/// the expand phase; a required column without a default cannot be added to
/// a table with rows; a type change that is not a widening rewrites the table.
pub(super) fn check_placement(
    m: &ast::MigrationDecl,
    replay: &Replay,
    diags: &mut Vec<Diagnostic>,
) {
    let old = OldTables::of(m, replay);
    let existing = |path: &ast::Path, is_column: bool| {
        if is_column {
            old.has_column_table(path)
        } else {
            old.has(&path.last().name)
        }
    };
    for step in &m.expand {
        if step.unsafe_.is_some() {
            continue;
        }
        if let StepKind::DropNotNull(column) = &step.kind {
            if existing(column, true) {
                diags.push(dropping_not_null_in_expand(column, step));
            }
        }
        if let StepKind::Drop { kind, target } = &step.kind {
            let code = match kind.name.as_str() {
                "column" => Code::DroppingColumn,
                "table" => Code::DroppingTable,
                _ => continue,
            };
            if !existing(target, kind.name == "column") {
                continue;
            }
            diags.push(
                Diagnostic::error(
                    code,
                    format!(
                        "`drop {} {}` in the expand phase breaks the app version that is still running",
                        kind.name,
                        target.dotted()
                    ),
                )
                .at(step.span)
                .help("move the step into `contract { }` and release it once no deployed version uses it"),
            );
        }
    }
    for step in m.expand.iter().chain(&m.contract) {
        if step.unsafe_.is_some() {
            continue;
        }
        match &step.kind {
            StepKind::AddColumn { column, def } if existing(column, true) => {
                let required = def
                    .opts
                    .iter()
                    .any(|o| matches!(o, ast::ColumnOpt::NotNull(_)));
                let has_default = def
                    .opts
                    .iter()
                    .any(|o| matches!(o, ast::ColumnOpt::Default(_)));
                if required && !has_default {
                    diags.push(
                        Diagnostic::error(
                            Code::AddingRequiredColumn,
                            format!(
                                "`{}` is added `not null` without a default to a table that already has rows",
                                column.dotted()
                            ),
                        )
                        .at(step.span)
                        .help(format!(
                            "add it nullable, fill it with `backfill {0} = …`, then `set not null {0}` in `contract {{ }}`; or give it a constant default",
                            column.dotted()
                        )),
                    );
                }
            }
            StepKind::ChangeType { column, ty, using } if existing(column, true) => {
                let table = table_of_column(column);
                let name = &column.last().name;
                let before = replay.column_type(table, name);
                let shadowed = before.as_deref().is_some_and(|b| {
                    !crate::pg::type_change::is_in_place(
                        name,
                        b,
                        &ty.text,
                        using.as_ref().map(|u| u.text.as_str()),
                    )
                });
                // The shadow-column recipe rebuilds no index or constraint.
                if shadowed && replay.is_column_constrained(table, name) {
                    diags.push(
                        Diagnostic::error(
                            Code::ChangingColumnType,
                            format!(
                                "`{}` is in a key, index or constraint, so changing its type from `{}` to `{}` online would lose them",
                                column.dotted(),
                                before.unwrap_or_default(),
                                ty.text
                            ),
                        )
                        .at(step.span)
                        .help(format!(
                            "add a new column of type `{}` with its own index or constraint, backfill it, move the app to it and drop `{name}` in a contract phase; or force the rewrite with `unsafe \"reason\"`",
                            ty.text
                        )),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `drop not null` in the expand phase: the new app version may write NULL
/// while the previous one, which never expects it, still reads the column.
/// The rule `sluice lint` applies to the emitted `DROP NOT NULL`.
fn dropping_not_null_in_expand(column: &ast::Path, step: &ast::Step) -> Diagnostic {
    Diagnostic::error(
        Code::DroppingNotNull,
        format!(
            "`drop not null {}` in the expand phase lets NULL reach the app version that is still running, which does not expect it",
            column.dotted()
        ),
    )
    .at(step.span)
    .help("deploy code that handles NULL first, then move the step into `contract { }`")
}

/// A step forced `unsafe` compiles to its direct form; the safety rule that
/// form breaks reports it, as a warning by default (the reason is on
/// record), at the level the workspace's `lint` settings give that rule.
pub(super) fn report_forced_unsafe(
    m: &ast::MigrationDecl,
    replay: &Replay,
    partitioned: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let old = OldTables::of(m, replay);
    let exists = |table: &str| old.has(table);
    let table_of_column = |p: &ast::Path| table_of_column(p).to_string();
    for (in_expand, step) in m
        .expand
        .iter()
        .map(|s| (true, s))
        .chain(m.contract.iter().map(|s| (false, s)))
    {
        let Some((Some(reason), _)) = &step.unsafe_ else {
            continue;
        };
        let found = match &step.kind {
            StepKind::AddIndex { table, .. } if exists(&table.last().name) => Some((
                Code::IndexWithoutConcurrently,
                "builds the index in the journal file, blocking writes to the table until it is done",
            )),
            StepKind::AddForeignKey { table, .. } | StepKind::AddCheck { table, .. }
                if exists(&table.last().name) =>
            {
                Some((
                    Code::ConstraintMissingNotValid,
                    "adds the constraint without `NOT VALID`, scanning every row under the lock",
                ))
            }
            StepKind::AddUnique { table, .. } if exists(&table.last().name) => Some((
                Code::AddingUniqueConstraint,
                "builds the unique index under an exclusive lock",
            )),
            StepKind::SetNotNull(p) if exists(&table_of_column(p)) => Some((
                Code::SettingNotNull,
                "sets NOT NULL directly, scanning every row under an exclusive lock",
            )),
            StepKind::ChangeType { column, .. } if exists(&table_of_column(column)) => Some((
                Code::ChangingColumnType,
                "changes the type in place, which may rewrite the table under an exclusive lock",
            )),
            StepKind::AddColumn { column, def } if exists(&table_of_column(column)) => {
                let required = def.opts.iter().any(|o| matches!(o, ast::ColumnOpt::NotNull(_)));
                let has_default = def.opts.iter().any(|o| matches!(o, ast::ColumnOpt::Default(_)));
                (required && !has_default).then_some((
                    Code::AddingRequiredColumn,
                    "adds a NOT NULL column without a default, which fails on a table with rows",
                ))
            }
            StepKind::DropNotNull(p) if in_expand && exists(&table_of_column(p)) => Some((
                Code::DroppingNotNull,
                "drops NOT NULL while the previous app version, which does not expect NULL, may still read the column",
            )),
            StepKind::Drop { kind, target } if in_expand => match kind.name.as_str() {
                "column" if exists(&table_of_column(target)) => Some((
                    Code::DroppingColumn,
                    "drops the column while the previous app version may still read it",
                )),
                "table" if exists(&target.last().name) => Some((
                    Code::DroppingTable,
                    "drops the table while the previous app version may still use it",
                )),
                _ => None,
            },
            _ => None,
        };
        if let Some((code, what)) = found {
            let help = match no_online_form(step, partitioned) {
                Some((table, why)) => format!(
                    "forced because \"{}\"; `{table}` is partitioned and {why}, so this is the only form sluice has: without `unsafe` the step is refused (`blocking-step-on-partitioned-table`); to build it without the lock, declare it in the migration that creates `{table}` (see `sluice explain {}`)",
                    reason.value,
                    code.as_str()
                ),
                None => format!(
                    "forced because \"{}\"; remove `unsafe` to get the safe recipe (see `sluice explain {}`)",
                    reason.value,
                    code.as_str()
                ),
            };
            diags.push(
                Diagnostic::warning(code, format!("this step is forced `unsafe`: it {what}"))
                    .at(step.span)
                    .help(help),
            );
        }
    }
}

/// A step on a partitioned table that sluice has no online recipe for:
/// the table, and why PostgreSQL offers none.
fn no_online_form<'s>(
    step: &'s ast::Step,
    partitioned: &dyn Fn(&str) -> bool,
) -> Option<(&'s str, &'static str)> {
    let (table, why) = match &step.kind {
        StepKind::AddIndex { table, .. } | StepKind::AddUnique { table, .. } => (
            table,
            "PostgreSQL builds no index of a partitioned table concurrently",
        ),
        StepKind::AddForeignKey { table, .. } => (
            table,
            "PostgreSQL (before 18) adds no foreign key to a partitioned table `NOT VALID`",
        ),
        _ => return None,
    };
    let table = table.last().name.as_str();
    partitioned(table).then_some((table, why))
}

/// The tables that existed before a migration: its online recipes apply to
/// them (a table it creates itself has no rows and no readers yet).
pub(super) struct OldTables<'a> {
    created: Vec<&'a str>,
    replay: &'a Replay,
}

impl<'a> OldTables<'a> {
    pub(super) fn of(m: &'a ast::MigrationDecl, replay: &'a Replay) -> OldTables<'a> {
        let created = m
            .expand
            .iter()
            .chain(&m.contract)
            .filter_map(|s| match &s.kind {
                StepKind::CreateTable(t) => Some(t.name.last().name.as_str()),
                _ => None,
            })
            .collect();
        OldTables { created, replay }
    }

    pub(super) fn has(&self, table: &str) -> bool {
        self.replay.has_table(table) && !self.created.contains(&table)
    }

    fn has_column_table(&self, column: &ast::Path) -> bool {
        self.has(table_of_column(column))
    }
}
