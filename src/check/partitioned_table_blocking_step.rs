//! `blocking-step-on-partitioned-table`: a later phase builds an index on,
//! or adds a foreign key to, a partitioned table that already exists.
//! PostgreSQL builds no index of a partitioned table concurrently, and
//! (before 18) adds none of its foreign keys `NOT VALID`, so sluice has no
//! online form for them: the build or the validation blocks writes to
//! every partition while it reads them all.
//!
//! Input: a project's phases (the schema after each; the one before is the
//! previous phase's). Output: one error per index or key, at the step that
//! brings it (`add index`, `add unique`, `add foreign key`, or the `drop
//! index` after which the tenant column's own index comes back), unless
//! that step is forced `unsafe "reason"`: then sluice builds it in the
//! journal file directly.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::ast::{Step, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{names, PhaseKind, Project, Table, Workspace};

pub fn partitioned_tables_change_online(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for pair in p.phases.windows(2) {
        let (before, ph) = (&pair[0].state, &pair[1]);
        if ph.kind == PhaseKind::Initial {
            continue;
        }
        let m = &p.migrations[ph.migration];
        let steps = match ph.kind {
            PhaseKind::Contract => &m.contract,
            _ => &m.expand,
        };
        let partitioned = ph.state.tables.iter().enumerate();
        for (i, t) in partitioned.filter(|(_, t)| t.partition.is_some()) {
            // Most tables keep their place from one phase to the next.
            let old = match before.tables.get(i) {
                Some(o) if o.name == t.name => Some(o),
                _ => before.tables.iter().find(|o| o.name == t.name),
            };
            let Some(old) = old else {
                continue;
            };
            // A table the phase left alone is shared with the state before.
            if Arc::ptr_eq(old, t) {
                continue;
            }
            let had: BTreeSet<String> = old.indexes.iter().map(|i| names::index(old, i)).collect();
            let keys: BTreeSet<String> = old
                .foreign_keys
                .iter()
                .map(|f| names::foreign_key(old, f))
                .collect();
            let new_indexes = t
                .indexes
                .iter()
                .map(|i| names::index(t, i))
                .filter(|n| !had.contains(n))
                .map(|n| ("index", n));
            let new_keys = t
                .foreign_keys
                .iter()
                .map(|f| names::foreign_key(t, f))
                .filter(|n| !keys.contains(n))
                .map(|n| ("foreign key", n));
            for (what, name) in new_indexes.chain(new_keys) {
                let step = step_on(steps, t, what, &name);
                if step.is_some_and(|s| s.unsafe_.is_some()) {
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        Code::BlockingStepOnPartitionedTable,
                        format!(
                            "the {} phase of migration `{}` adds the {what} `{name}` to the partitioned table `{}`, which PostgreSQL can only do while blocking writes to it",
                            if ph.kind == PhaseKind::Contract { "contract" } else { "expand" },
                            m.name,
                            t.name
                        ),
                    )
                    .at(step.map_or(m.span, |s| s.span))
                    .label(format!("this step adds the {what}"))
                    .help(format!(
                        "PostgreSQL builds no index of a partitioned table concurrently (and before 18 adds no foreign key to one `NOT VALID`); end the step with `unsafe \"reason\"` to build it in the journal file while writes to `{}` wait, or give the table the {what} in the migration that creates it",
                        t.name
                    )),
                );
            }
        }
    }
}

/// The step of `steps` that brings the `what` named `name` to `t`: one
/// that names it, else one of its kind on `t`, else any that adds to `t`
/// or drops one of its indexes.
fn step_on<'s>(steps: &'s [Step], t: &Table, what: &str, name: &str) -> Option<&'s Step> {
    let on_t = |s: &&Step| match &s.kind {
        StepKind::AddIndex { table, .. }
        | StepKind::AddUnique { table, .. }
        | StepKind::AddForeignKey { table, .. } => table.last().name == t.name,
        StepKind::Drop { kind, target } => {
            kind.name == "index"
                && t.indexes
                    .iter()
                    .all(|i| names::index(t, i) != target.last().name)
        }
        _ => false,
    };
    let named = |s: &&Step| match &s.kind {
        StepKind::AddIndex { index, .. } => index.name.as_ref().is_some_and(|n| n.name == name),
        StepKind::AddForeignKey { name: n, .. } => n.as_ref().is_some_and(|n| n.name == name),
        _ => false,
    };
    let kind = |s: &&Step| match &s.kind {
        StepKind::AddForeignKey { .. } => what == "foreign key",
        _ => what == "index",
    };
    let on: Vec<&Step> = steps.iter().filter(on_t).collect();
    on.iter()
        .find(|s| named(s))
        .or_else(|| on.iter().find(|s| kind(s)))
        .or_else(|| on.first())
        .copied()
}
