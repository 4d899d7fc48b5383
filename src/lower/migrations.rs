//! Pass 6: migrations — unique names, `after` dependencies, and the target
//! of every step checked against the schema the history has built so far
//! (replayed by name, in file order).

use std::collections::BTreeMap;

use super::collect::ProjectFiles;
use super::values::{one_of, unknown, Scope};
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

/// Table name → column names, as the history has built them so far.
#[derive(Default)]
struct Replay {
    tables: BTreeMap<String, Vec<String>>,
}

pub(super) fn lower_migrations(
    project: &Project,
    ws: &Workspace,
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Migration> {
    let mut scope = Scope::default();
    let mut out = Vec::new();
    let mut order = Vec::new();
    for (file_order, m) in &pf.migrations {
        if scope.define(&m.name.name, m.name.span, "migration", diags) {
            order.push(*file_order);
            out.push(*m);
        }
    }
    let names: Vec<&str> = out.iter().map(|m| m.name.name.as_str()).collect();
    let mut replay = Replay::default();
    let mut result = Vec::new();
    for (i, m) in out.iter().enumerate() {
        for dep in &m.after {
            if dep.name == m.name.name {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownMigration,
                        format!("migration `{}` is declared to run after itself", dep.name),
                    )
                    .at(dep.span)
                    .help("name another migration in `after`"),
                );
            } else if !names.contains(&dep.name.as_str()) {
                diags.push(unknown(
                    Code::UnknownMigration,
                    "migration",
                    &dep.name,
                    dep.span,
                    &format!(" in project `{}`", project.name),
                    names.iter().copied(),
                    "`after` names a migration of the same project",
                ));
            }
        }
        let mut seen_steps = false;
        for step in m.expand.iter().chain(m.contract.iter()) {
            seen_steps = true;
            check_step(project, ws, &mut replay, step, diags);
        }
        for b in &m.backfills {
            seen_steps = true;
            check_column_target(&replay, &b.target, project, diags);
            if let Some((0, s)) = b.batch {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "a backfill batch of 0 rows never finishes",
                    )
                    .at(s)
                    .help("use a batch size such as `batch 1000`"),
                );
            }
        }
        if !seen_steps {
            diags.push(
                Diagnostic::warning(
                    Code::UnexpectedItem,
                    format!("migration `{}` has no steps", m.name.name),
                )
                .at(m.name.span)
                .help("add steps, or delete the migration file"),
            );
        }
        result.push(Migration {
            name: m.name.name.clone(),
            span: m.span,
            file_order: order[i],
            after: m.after.iter().map(|a| a.name.clone()).collect(),
            expand: m.expand.clone(),
            backfills: m.backfills.clone(),
            contract: m.contract.clone(),
        });
    }
    result
}

fn check_step(
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
    match &step.kind {
        StepKind::CreateTable(t) => {
            let name = t.name.last();
            if replay.tables.contains_key(&name.name) {
                diags.push(already_exists("table", &name.name, name.span));
            }
            let cols = created_columns(project, t);
            replay.tables.insert(name.name.clone(), cols);
        }
        StepKind::AddColumn { column, .. } => {
            if let Some((table, col)) = split_column(column, diags) {
                if let Some(cols) = table_cols(replay, table, project, diags) {
                    if cols.contains(&col.name) {
                        diags.push(already_exists("column", &col.name, col.span));
                    } else {
                        cols.push(col.name.clone());
                    }
                }
            }
        }
        StepKind::AddIndex { table, index } => {
            if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                for e in &index.elems {
                    if let ast::IndexKey::Column(c) = &e.key {
                        require(cols, c, &table.last().name, diags);
                    }
                }
            }
        }
        StepKind::AddForeignKey { table, columns, .. } => {
            if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                for c in columns {
                    require(cols, c, &table.last().name, diags);
                }
            }
        }
        StepKind::AddUnique { table, unique } => {
            if let Some(cols) = table_cols(replay, table.last(), project, diags) {
                for c in &unique.columns {
                    require(cols, c, &table.last().name, diags);
                }
            }
        }
        StepKind::AddCheck { table, .. }
        | StepKind::AddPolicy { table, .. }
        | StepKind::DropPolicy { table, .. }
        | StepKind::EnableRls(table) => {
            table_cols(replay, table.last(), project, diags);
        }
        StepKind::SetNotNull(c)
        | StepKind::DropNotNull(c)
        | StepKind::DropDefault(c)
        | StepKind::SetDefault { column: c, .. }
        | StepKind::ChangeType { column: c, .. } => check_column_target(replay, c, project, diags),
        StepKind::RenameColumn { column, to } => {
            if let Some((table, col)) = split_column(column, diags) {
                if let Some(cols) = table_cols(replay, table, project, diags) {
                    if require(cols, col, &table.name, diags) {
                        if cols.contains(&to.name) {
                            diags.push(already_exists("column", &to.name, to.span));
                        }
                        for c in cols.iter_mut().filter(|c| **c == col.name) {
                            *c = to.name.clone();
                        }
                    }
                }
            }
        }
        StepKind::RenameTable { table, to } => {
            if table_cols(replay, table.last(), project, diags).is_some() {
                if replay.tables.contains_key(&to.name) {
                    diags.push(already_exists("table", &to.name, to.span));
                }
                if let Some(cols) = replay.tables.remove(&table.last().name) {
                    replay.tables.insert(to.name.clone(), cols);
                }
            }
        }
        StepKind::Drop { kind, target } => match one_of(kind, &DROP_KINDS, "kind of object to drop", diags) {
            Some("table") => {
                if table_cols(replay, target.last(), project, diags).is_some() {
                    replay.tables.remove(&target.last().name);
                }
            }
            Some("column") => {
                if let Some((table, col)) = split_column(target, diags) {
                    if let Some(cols) = table_cols(replay, table, project, diags) {
                        if require(cols, col, &table.name, diags) {
                            cols.retain(|c| *c != col.name);
                        }
                    }
                }
            }
            _ => {}
        },
        StepKind::Grant { roles, .. } | StepKind::Revoke { roles, .. } => {
            for r in roles {
                if !ws.roles.iter().any(|role| role.name == r.name) {
                    diags.push(super::settings::unknown_role(&r.name, r.span, &ws.roles));
                }
            }
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
        StepKind::CreateView(_)
        | StepKind::CreateFunction(_)
        | StepKind::CreateEnum(_)
        | StepKind::CreateExtension(_)
        | StepKind::AddEnumValue { .. } => {}
    }
}

/// Column names a `create table` step creates, derived columns included.
fn created_columns(project: &Project, t: &ast::TableDecl) -> Vec<String> {
    let cx = super::tables::TableCx {
        project: &project.name,
        conventions: &project.conventions,
        tenancy: project.tenancy.as_ref(),
        enums: project.enums.iter().map(|e| e.name.clone()).collect(),
        roles: &[],
        has_app_roles: true,
    };
    // Diagnostics about the table's own shape come from the declared tables
    // and from the history check; here only its columns matter.
    let table = super::tables::lower_table(&cx, t, 0, &mut Vec::new(), &mut Vec::new());
    table.columns.into_iter().map(|c| c.name).collect()
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

fn check_column_target(
    replay: &Replay,
    path: &ast::Path,
    project: &Project,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some((table, col)) = split_column(path, diags) {
        match replay.tables.get(&table.name) {
            Some(cols) => {
                let mut cols = cols.clone();
                require(&mut cols, col, &table.name, diags);
            }
            None => diags.push(unknown_in_history(table, replay, project)),
        }
    }
}

fn table_cols<'r>(
    replay: &'r mut Replay,
    table: &ast::Ident,
    project: &Project,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'r mut Vec<String>> {
    if !replay.tables.contains_key(&table.name) {
        diags.push(unknown_in_history(table, replay, project));
        return None;
    }
    replay.tables.get_mut(&table.name)
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

fn require(
    cols: &mut [String],
    col: &ast::Ident,
    table: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
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
