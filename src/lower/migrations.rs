//! Pass 6: migrations — unique names, `after` dependencies, and the target
//! of every step checked against the schema the history has built so far
//! (replayed by name, in file order).

mod annotate;
mod placement;
mod rename_hints;
mod rename_table;
mod steps;

use std::collections::HashMap;

use super::collect::ProjectFiles;
use super::history;
use super::replay::Replay;
use super::values::{unknown, Scope};
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

use placement::{check_placement, report_forced_unsafe};
use steps::{check_column_target, check_step};

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
    let later: Vec<_> = sequence.iter().skip(1).map(|&i| out[i]).collect();
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
        if position == 0 {
            replay.access.explicit_grants =
                super::replay_access::names_grants(&m.expand, &m.contract);
            replay.access.explicit_reads = super::replay_reads::names_reads(&m.expand, &m.contract);
            super::replay_receive::first(
                &mut replay.access,
                &m.expand.iter().chain(&m.contract).collect::<Vec<_>>(),
                later
                    .iter()
                    .flat_map(|l| l.expand.iter().chain(&l.contract)),
            );
        }
        check_placement(m, &replay, diags);
        let released = out
            .iter()
            .any(|x| x.releases.iter().any(|r| r.migration.name == m.name.name));
        rename_table::check(m, &replay, project, ws, released, diags);
        let partitioned = |t: &str| {
            project
                .tables
                .iter()
                .any(|x| x.name == t && x.partition.is_some())
        };
        report_forced_unsafe(m, &replay, &partitioned, diags);
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
        project.replayed_enums = Some(replay.enums.clone());
        project.replayed_objects = Some(replay.objects.clone());
        project.replayed_access = Some(replay.access.clone());
        project.replayed = Some(replay.tables);
    }
    result
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

/// `t` of a `t.c` path ("" for a bare name).
fn table_of_column(p: &ast::Path) -> &str {
    let n = p.parts.len();
    if n >= 2 {
        &p.parts[n - 2].name
    } else {
        ""
    }
}
