//! Pass 6: migrations — unique names, `after` dependencies, and the target
//! of every step checked against the schema the history has built so far
//! (replayed by name, in file order).

use std::collections::HashMap;

use super::collect::ProjectFiles;
use super::history;
use super::replay::Replay;
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

pub(super) fn lower_migrations(
    project: &mut Project,
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
    let applied = history::order(&out, diags);
    let sequence = applied.clone().unwrap_or_else(|| (0..out.len()).collect());
    let mut replay = Replay {
        tenant: project.tenancy.as_ref().map(|t| t.column.clone()),
        postgres: project.postgres,
        ..Replay::default()
    };
    let mut result = Vec::new();
    for (position, i) in sequence.into_iter().enumerate() {
        let m = out[i];
        super::baseline::check(m, position, diags);
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
        check_placement(m, &replay, diags);
        report_forced_unsafe(m, &replay, diags);
        let mut seen_steps = !m.releases.is_empty();
        for step in &m.expand {
            seen_steps = true;
            check_step(project, ws, &mut replay, step, diags);
        }
        super::backfill_columns::check(&replay, m, diags);
        for step in &m.contract {
            seen_steps = true;
            check_step(project, ws, &mut replay, step, diags);
        }
        for b in &m.backfills {
            seen_steps = true;
            check_column_target(&mut replay, &b.target, project, diags);
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
            baseline: m.baseline.is_some(),
            file_order: order[i],
            after: m.after.iter().map(|a| a.name.clone()).collect(),
            releases: m.releases.clone(),
            expand: m.expand.clone(),
            backfills: m.backfills.clone(),
            contract: m.contract.clone(),
        });
    }
    check_releases(&result, &names, project, diags);
    // Without any migration the declarations are the whole story (the
    // build emits them as the initial migration); with a history, replaying
    // it must build them.
    if applied.is_some() && !out.is_empty() {
        project.replayed = Some(replay.tables);
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
    let span = step.span;
    refuse_rename_hints(&step.kind, diags);
    match &step.kind {
        StepKind::CreateTable(t) => {
            let name = t.name.last();
            if replay.has_table(&name.name) {
                diags.push(already_exists("table", &name.name, name.span));
            }
            replay.create_table(project, t, span);
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
fn check_column_target(
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

/// `release M`: M exists, comes earlier, has a contract, is released once;
/// a migration releasing its own contract says `together "reason"`.
fn check_releases(
    applied: &[Migration],
    names: &[&str],
    project: &Project,
    diags: &mut Vec<Diagnostic>,
) {
    let mut released: HashMap<&str, Span> = HashMap::new();
    // The first migration of each name, as a linear search would find it.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, x) in applied.iter().enumerate() {
        by_name.entry(x.name.as_str()).or_insert(i);
    }
    for (pos, m) in applied.iter().enumerate() {
        for r in &m.releases {
            let name = r.migration.name.as_str();
            let at = r.migration.span;
            let Some(&target) = by_name.get(name) else {
                diags.push(unknown(
                    Code::UnknownMigration,
                    "migration",
                    name,
                    at,
                    &format!(" in project `{}`", project.name),
                    names.iter().copied(),
                    "`release` names a migration of the same project",
                ));
                continue;
            };
            if let Some(first) = released.get(name) {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        format!("the contract of `{name}` is released twice"),
                    )
                    .at(at)
                    .with_label(*first, "first released here")
                    .help("delete one of the `release` lines"),
                );
                continue;
            }
            released.insert(name, at);
            if target > pos {
                diags.push(
                    Diagnostic::error(
                        Code::ContractInSameDeploy,
                        format!(
                            "`{}` releases the contract of `{name}`, which runs after it",
                            m.name
                        ),
                    )
                    .at(at)
                    .help(format!(
                        "move `release {name}` into a migration that runs after `{name}`"
                    )),
                );
            } else if target == pos {
                let reason = r.together.as_ref().and_then(|(reason, _)| reason.as_ref());
                if reason.is_none_or(|s| s.value.trim().is_empty()) {
                    diags.push(
                        Diagnostic::error(
                            Code::ContractInSameDeploy,
                            format!("migration `{name}` releases its own contract, so expand and contract ship in one deploy"),
                        )
                        .at(at)
                        .help(format!(
                            "release it from a later migration once the app version for the expand is deployed, or write `release {name} together \"why no old app version is running\"`"
                        )),
                    );
                }
            }
            if !super::phases::has_contract(&applied[target]) {
                diags.push(
                    Diagnostic::warning(
                        Code::UnexpectedItem,
                        format!("migration `{name}` has no contract steps to release"),
                    )
                    .at(at)
                    .help("delete this `release` line"),
                );
            }
        }
    }
}

/// Steps that are only safe in one phase, judged with the schema as it was
/// before the migration: a drop breaks the app version still running during
/// the expand phase; a required column without a default cannot be added to
/// a table with rows; a type change that is not a widening rewrites the table.
fn check_placement(m: &ast::MigrationDecl, replay: &Replay, diags: &mut Vec<Diagnostic>) {
    let old = OldTables::of(m, replay);
    let existing = |path: &ast::Path, is_column: bool| {
        if is_column {
            old.has_column_table(path)
        } else {
            old.has(&path.last().name)
        }
    };
    for step in m.expand.iter().chain(&m.contract) {
        if let StepKind::RenameTable { table, to } = &step.kind {
            if existing(table, false) {
                diags.push(
                    Diagnostic::error(
                        Code::RenamingTable,
                        format!(
                            "renaming `{}` to `{}` breaks the app version that still uses the old name, and sluice has no online recipe for it",
                            table.dotted(),
                            to.name
                        ),
                    )
                    .at(step.span)
                    .help(format!(
                        "create `{}` in this migration, copy the rows (a `sql $$ insert … $$` step with its `inverse`), move the app to it, and `drop table {}` in a contract phase",
                        to.name,
                        table.dotted()
                    )),
                );
            }
        }
    }
    for step in &m.expand {
        if step.unsafe_.is_some() {
            continue;
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
            StepKind::ChangeType { column, ty, .. } if existing(column, true) => {
                let table = table_of_column(column);
                let name = &column.last().name;
                let before = replay.column_type(table, name);
                let shadowed = before
                    .as_deref()
                    .is_some_and(|b| !crate::pg::types::is_safe_widening(b, &ty.text));
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

/// A step forced `unsafe` compiles to its direct form; the safety rule that
/// form breaks reports it, as a warning by default (the reason is on
/// record), at the level the workspace's `lint` settings give that rule.
fn report_forced_unsafe(m: &ast::MigrationDecl, replay: &Replay, diags: &mut Vec<Diagnostic>) {
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
            diags.push(
                Diagnostic::warning(code, format!("this step is forced `unsafe`: it {what}"))
                    .at(step.span)
                    .help(format!(
                        "forced because \"{}\"; remove `unsafe` to get the safe recipe (see `sluice explain {}`)",
                        reason.value,
                        code.as_str()
                    )),
            );
        }
    }
}

/// The tables that existed before a migration: its online recipes apply to
/// them (a table it creates itself has no rows and no readers yet).
struct OldTables<'a> {
    created: Vec<&'a str>,
    replay: &'a Replay,
}

impl<'a> OldTables<'a> {
    fn of(m: &'a ast::MigrationDecl, replay: &'a Replay) -> OldTables<'a> {
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

    fn has(&self, table: &str) -> bool {
        self.replay.has_table(table) && !self.created.contains(&table)
    }

    fn has_column_table(&self, column: &ast::Path) -> bool {
        self.has(table_of_column(column))
    }
}

/// `t` of a `t.c` path ("" for a bare name).
fn table_of_column(p: &ast::Path) -> &str {
    let n = p.parts.len();
    if n >= 2 {
        &p.parts[n - 2].name
    } else {
        ""
    }
}

/// A `was` hint says what a declared column used to be called; inside a
/// migration the rename is a step of its own, so a hint there would do
/// nothing.
fn refuse_rename_hints(kind: &StepKind, diags: &mut Vec<Diagnostic>) {
    let defs: Vec<&ast::ColumnDef> = match kind {
        StepKind::CreateTable(t) => t
            .items
            .iter()
            .filter_map(|i| match i {
                ast::TableItem::Column(c) => Some(c),
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
