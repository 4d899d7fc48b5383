//! The target of every migration step checked against the schema the
//! history has built so far, and the step's effect on that replayed schema.
//!
//! Input: one step and the replay up to it. Output: diagnostics for
//! unknown or duplicate targets; the replay updated by the step.

use super::super::replay::Replay;
use super::super::values::{one_of, unknown};
use super::rename_hints::refuse_rename_hints;
use super::table_of_column;
use crate::ast::{self, Inverse, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

const DROP_KINDS: [&str; 8] = [
    "table",
    "column",
    "index",
    "view",
    "function",
    "constraint",
    "enum",
    "extension",
];

pub(super) fn check_step(
    project: &Project,
    ws: &Workspace,
    replay: &mut Replay,
    step: &ast::Step,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some((reason, span)) = &step.unsafe_ {
        if reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
            diags.push(
                Diagnostic::error(Code::UnsafeWithoutReason, "this step is forced `unsafe` without a reason")
                    .at(*span)
                    .help("say why the safe recipe cannot be used, e.g. `unsafe \"table is empty in every environment\"`"),
            );
        }
    }
    let span = step.span;
    refuse_rename_hints(&step.kind, diags);
    match &step.kind {
        StepKind::CreateTable(t) => {
            let name = t.name.last();
            if replay.has_table(&name.name) {
                diags.push(already_exists("table", &name.name, name.span));
            }
            replay.create_table(project, t, span);
            replay.access_step(&step.kind, span);
        }
        StepKind::AddColumn { column, def } => {
            if let Some((table, col)) = split_column(column, diags) {
                if let Some(cols) = table_cols(replay, table, project, diags) {
                    if cols.contains(&col.name) {
                        diags.push(already_exists("column", &col.name, col.span));
                    } else {
                        replay.add_column(&table.name, def, span);
                    }
                }
            }
        }
        StepKind::AddIndex { table, index } => {
            if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                let ok = index.elems.iter().all(|e| match &e.key {
                    ast::IndexKey::Column(c) => require(&cols, c, &table.last().name, diags),
                    ast::IndexKey::Expr(_) => true,
                });
                if ok {
                    replay.add_index(&table.last().name, index, span);
                }
            }
        }
        StepKind::AddForeignKey { table, columns, reference, name } => {
            if columns.is_empty() {
                diags.push(
                    Diagnostic::error(Code::UnexpectedItem, "this foreign key names no column")
                        .at(table.span)
                        .help(format!(
                            "name the column: `add foreign key {0}.COLUMN -> …` or `add foreign key {0} (COLUMN, …) -> …`",
                            table.dotted()
                        )),
                );
            } else if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                let table_name = &table.last().name;
                if columns.iter().all(|c| require(&cols, c, table_name, diags)) {
                    replay.add_foreign_key(table_name, columns, reference, name.as_ref(), span);
                }
            }
        }
        StepKind::AddUnique { table, unique } => {
            if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                if unique.columns.iter().all(|c| require(&cols, c, &table.last().name, diags)) {
                    replay.add_unique(&table.last().name, unique, span);
                }
            }
        }
        StepKind::AddCheck { table, check } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                replay.add_check(&table.last().name, check, span);
            }
        }
        StepKind::AddPolicy { table, policy } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                replay.add_policy(&table.last().name, policy, span);
            }
        }
        StepKind::DropPolicy { table, policy } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                replay.drop_policy(&table.last().name, &policy.name, span);
            }
        }
        StepKind::EnableRls(table) => {
            table_cols(replay, table.last(), project, diags);
        }
        StepKind::Annotate(a) => {
            let exists = match a.column {
                true => check_column_target(replay, &a.target, project, diags),
                false => table_cols(replay, a.target.last(), project, diags).is_some(),
            };
            if exists && super::annotate::valid(a, diags) {
                replay.annotate(a, span);
            }
        }
        StepKind::SetNotNull(c)
        | StepKind::DropNotNull(c)
        | StepKind::DropDefault(c)
        | StepKind::SetDefault { column: c, .. }
        | StepKind::ChangeType { column: c, .. } => {
            if check_column_target(replay, c, project, diags) {
                apply_column_change(replay, &step.kind, c, span);
            }
        }
        StepKind::RenameColumn { column, to } => {
            if let Some((table, col)) = split_column(column, diags) {
                if let Some(cols) = table_cols(replay, table, project, diags) {
                    if require(&cols, col, &table.name, diags) {
                        if cols.contains(&to.name) {
                            diags.push(already_exists("column", &to.name, to.span));
                        } else {
                            replay.rename_column(&table.name, &col.name, &to.name, span);
                        }
                    }
                }
            }
        }
        StepKind::RenameTable { table, to } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                if replay.has_table(&to.name) {
                    diags.push(already_exists("table", &to.name, to.span));
                } else {
                    replay.rename_table(&table.last().name, &to.name, span);
                    replay.access_step(&step.kind, span);
                }
            }
        }
        StepKind::Drop { kind, target } => match one_of(kind, &DROP_KINDS, "kind of object to drop", diags) {
            Some("table") => {
                if table_cols(replay, target.last(), project, diags).is_some() {
                    replay.tables.remove(&target.last().name);
                    replay.access_step(&step.kind, span);
                }
            }
            Some("column") => {
                if let Some((table, col)) = split_column(target, diags) {
                    if let Some(cols) = table_cols(replay, table, project, diags) {
                        if require(&cols, col, &table.name, diags) {
                            replay.drop_column(&table.name, &col.name, span);
                        }
                    }
                }
            }
            Some("index") => {
                if !replay.drop_index(&target.last().name, span) {
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownTable,
                            format!("no index `{}` exists at this point of the history", target.last().name),
                        )
                        .at(target.span)
                        .help("name an index an earlier step created (`as NAME`, or its generated name `<table>_<columns>_idx`)"),
                    );
                }
            }
            Some("constraint") => {
                if !replay.drop_constraint(&target.last().name, span) {
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownTable,
                            format!("no constraint `{}` exists at this point of the history", target.last().name),
                        )
                        .at(target.span)
                        .help("name a constraint an earlier step created (`as NAME`, or its generated name: `<table>_<column>_check`, `<table>_<columns>_key`, `<table>_<columns>_fkey`)"),
                    );
                }
            }
            Some("enum") => replay.drop_enum(&target.last().name),
            Some("extension") => replay.access_step(&step.kind, span),
            Some(what @ ("view" | "function")) => replay.drop_object(what, target),
            _ => {}
        },
        StepKind::Grant { roles, .. } | StepKind::Revoke { roles, .. } => {
            for r in roles {
                if !ws.roles.iter().any(|role| role.name == r.name) {
                    diags.push(super::super::settings::unknown_role(&r.name, r.span, &ws.roles));
                }
            }
            replay.access_step(&step.kind, span);
        }
        StepKind::Publish { table, .. } | StepKind::Unpublish { table, .. } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                replay.access_step(&step.kind, span);
            }
        }
        StepKind::Receive { .. } => replay.access_step(&step.kind, span),
        StepKind::Reads { classifications, roles, .. } => {
            super::super::replay_reads::check(classifications, roles, &ws.roles, diags);
            replay.access_step(&step.kind, span);
        }
        StepKind::Sql { inverse, forward } => match inverse {
            Inverse::Missing => diags.push(
                Diagnostic::error(Code::MissingInverse, "this raw SQL step has no inverse")
                    .at(Span::new(forward.span.file, step.span.start as usize, forward.span.start as usize))
                    .help("follow it with `inverse $$ … $$` that undoes it, or `irreversible \"reason\"`"),
            ),
            Inverse::Irreversible(None, span) => diags.push(
                Diagnostic::error(Code::MissingInverse, "this raw SQL step is `irreversible` without a reason")
                    .at(*span)
                    .help("say why it cannot be undone, e.g. `irreversible \"deletes rows\"`"),
            ),
            _ => {}
        },
        StepKind::CreateEnum(_) | StepKind::AddEnumValue { .. } => {
            replay.enum_step(&step.kind, span)
        }
        StepKind::CreateView(_)
        | StepKind::CreateFunction(_)
        | StepKind::ReplaceView(_)
        | StepKind::ReplaceFunction(_) => replay.object_step(&step.kind, span, diags),
        StepKind::CreateExtension(_) => replay.access_step(&step.kind, span),
    }
}

/// The effect of a column-level step on the replayed column.
fn apply_column_change(replay: &mut Replay, kind: &StepKind, path: &ast::Path, span: Span) {
    if path.parts.len() < 2 {
        return;
    }
    let (table, col) = (table_of_column(path), path.last());
    let Some(t) = replay.table(table, span) else {
        return;
    };
    let Some(c) = t.columns.get_mut(&col.name) else {
        return;
    };
    match kind {
        StepKind::SetNotNull(_) => c.nullable = false,
        StepKind::DropNotNull(_) => c.nullable = true,
        StepKind::DropDefault(_) => c.default = None,
        StepKind::SetDefault { expr, .. } => c.default = Some(crate::ir::shape::norm(&expr.text)),
        StepKind::ChangeType { ty, .. } => c.ty = ty.text.clone(),
        _ => {}
    }
}

fn split_column<'a>(
    path: &'a ast::Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'a ast::Ident, &'a ast::Ident)> {
    match path.parts.as_slice() {
        [table, column] => Some((table, column)),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` does not name a column", path.dotted()),
                )
                .at(path.span)
                .help("name the column as `table.column`"),
            );
            None
        }
    }
}

/// Whether `table.column` exists at this point; reports it if not.
pub(super) fn check_column_target(
    replay: &mut Replay,
    path: &ast::Path,
    project: &Project,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Some((table, col)) = split_column(path, diags) else {
        return false;
    };
    match table_cols(replay, table, project, diags) {
        Some(cols) => require(&cols, col, &table.name, diags),
        None => false,
    }
}

/// The columns of `table` at this point; reports an unknown table.
fn table_cols(
    replay: &mut Replay,
    table: &ast::Ident,
    project: &Project,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    if !replay.has_table(&table.name) {
        diags.push(unknown_in_history(table, replay, project));
        return None;
    }
    Some(replay.columns(&table.name))
}

fn unknown_in_history(table: &ast::Ident, replay: &Replay, project: &Project) -> Diagnostic {
    unknown(
        Code::UnknownTable,
        "table",
        &table.name,
        table.span,
        &format!(" at this point of project `{}`'s history", project.name),
        replay.tables.keys().map(String::as_str),
        "a migration step can only touch a table that an earlier step created",
    )
}

fn require(cols: &[String], col: &ast::Ident, table: &str, diags: &mut Vec<Diagnostic>) -> bool {
    if cols.contains(&col.name) {
        return true;
    }
    diags.push(unknown(
        Code::UnknownColumn,
        "column",
        &col.name,
        col.span,
        &format!(" in table `{table}` at this point of the history"),
        cols.iter().map(String::as_str),
        "add the column in an earlier step, or fix the name",
    ));
    false
}

fn already_exists(what: &str, name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateDefinition,
        format!("{what} `{name}` already exists at this point of the history"),
    )
    .at(span)
    .help(format!(
        "choose another name, or drop the existing {what} first"
    ))
}
