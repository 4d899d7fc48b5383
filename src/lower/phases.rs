//! Pass 8: the schema after each phase the build ships, as full IR.
//!
//! Input: a project's ordered migrations and the declarations of its folder.
//! Output: [`ir::Phase`]s in journal order — the first migration as the
//! initial phase, then each migration's expand phase, each contract phase
//! where a migration releases it — each with the [`ir::Project`] the
//! database holds once it ran. The history is replayed on the syntax tree
//! (a `create table` repeats a declaration, `add column` adds one to it)
//! and every state is lowered by the same passes as the declarations, so a
//! state derives its columns, indexes and policies exactly as they do.
//! Diagnostics of these re-lowerings are dropped: the declarations and the
//! history were already checked.

use super::collect::{Collected, ProjectFiles};
use super::phase_lowering::Lowerer;
use super::phase_state::{AstState, Part};
use crate::ast::StepKind;
use crate::ir::{Migration, Phase, PhaseKind, Project, Workspace};

/// The phases of a project with a migration history, in journal order.
pub(super) fn phases(
    ws: &Workspace,
    c: &Collected,
    folder: &str,
    pf: &ProjectFiles,
    migrations: &[Migration],
) -> Vec<Phase> {
    let mut state = AstState::default();
    let mut out = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, m) in migrations.iter().enumerate() {
        by_name.entry(m.name.as_str()).or_insert(i);
    }
    // A drop by a generated name finds its object in the state lowered.
    let mut lowerer = Lowerer::new(ws, c, folder, pf);
    let mut lower = |st: &AstState| lowerer.lower(st);
    for (i, m) in migrations.iter().enumerate() {
        if i == 0 {
            state.access.explicit_grants =
                super::replay_access::names_grants(&m.expand, &m.contract);
            state.access.explicit_reads = super::replay_reads::names_reads(&m.expand, &m.contract);
            super::replay_receive::first(
                &mut state.access,
                &m.expand.iter().chain(&m.contract).collect::<Vec<_>>(),
                migrations[1..]
                    .iter()
                    .flat_map(|l| l.expand.iter().chain(&l.contract)),
            );
            for s in m.expand.iter().chain(&m.contract) {
                state.apply_lowered(s, Part::Whole, &mut lower);
            }
            let ph = phase(lower(&state), i, PhaseKind::Initial, out.last());
            out.push(ph);
        } else {
            state.fresh = created_tables(m);
            for s in &m.expand {
                state.apply_lowered(s, Part::Expand, &mut lower);
            }
            // A migration that only releases contracts has no expand file.
            let only_releases =
                m.expand.is_empty() && m.backfills.is_empty() && m.contract.is_empty();
            if !only_releases {
                let ph = phase(lower(&state), i, PhaseKind::Expand, out.last());
                out.push(ph);
            }
        }
        for r in &m.releases {
            let Some(&t) = by_name.get(r.migration.name.as_str()) else {
                continue;
            };
            if t == 0 || t > i || !has_contract(&migrations[t]) {
                continue;
            }
            let released = &migrations[t];
            state.fresh = created_tables(released);
            for s in &released.expand {
                state.apply(s, Part::ContractOfExpand);
            }
            for s in &released.contract {
                state.apply_lowered(s, Part::Whole, &mut lower);
            }
            let ph = phase(lower(&state), t, PhaseKind::Contract, out.last());
            out.push(ph);
        }
    }
    out
}

/// Tables a migration creates (and the names it renames them to): they
/// skip the online recipes.
pub fn created_tables(m: &Migration) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in m.expand.iter().chain(&m.contract) {
        match &s.kind {
            StepKind::CreateTable(t) => out.push(t.name.last().name.clone()),
            StepKind::RenameTable { table, to } if out.contains(&table.last().name) => {
                out.push(to.name.clone())
            }
            _ => {}
        }
    }
    out
}

/// Whether a migration has work for a contract phase: its own contract
/// steps, or the second half of an expand step (a rename drops the old
/// column once no app version reads it; a unique index built concurrently
/// becomes the constraint; a type change swaps its shadow column in).
pub fn has_contract(m: &Migration) -> bool {
    !m.contract.is_empty()
        || m.expand.iter().any(|s| {
            matches!(
                s.kind,
                StepKind::RenameColumn { .. }
                    | StepKind::RenameTable { .. }
                    | StepKind::AddUnique { .. }
                    | StepKind::ChangeType { .. }
            )
        })
}

/// A phase whose state holds each table the phase `prev` before it left
/// unchanged as that phase's.
fn phase(mut lowered: Project, migration: usize, kind: PhaseKind, prev: Option<&Phase>) -> Phase {
    super::share_tables::share(prev.map(|p| &*p.state), &mut lowered);
    Phase {
        migration,
        kind,
        state: Box::new(lowered),
    }
}
