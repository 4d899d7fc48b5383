//! The states of a generated history hold each table a phase leaves
//! unchanged once: a phase's state shares (as the same allocation) every
//! table of the state before it but those its migration's steps change,
//! so memory grows with the changes, not with migrations × tables.

use std::collections::BTreeSet;
use std::sync::Arc;

use sluice::ast::{Path, StepKind};

use crate::scale::gen;

const SPEC: gen::Spec = gen::Spec {
    projects: 2,
    tables: 12,
    columns: 20,
    migrations: 30,
};

/// The table a step of the generated histories changes.
fn table_of(kind: &StepKind) -> Option<String> {
    let of_column = |p: &Path| p.parts[p.parts.len() - 2].name.clone();
    match kind {
        StepKind::AddColumn { column, .. } | StepKind::RenameColumn { column, .. } => {
            Some(of_column(column))
        }
        StepKind::SetNotNull(column) => Some(of_column(column)),
        StepKind::AddIndex { table, .. } => Some(table.last().name.clone()),
        _ => None,
    }
}

#[test]
fn a_phase_shares_every_table_its_steps_leave_unchanged_with_the_state_before() {
    let dir = crate::scratch::ScratchDir::new("scale-states");
    gen::write(&dir.join("ws"), &SPEC).expect("the generator writes the workspace");
    let c = sluice::compile(&dir.join("ws")).expect("the generated workspace loads");
    let mut compared = 0;
    for p in &c.workspace.projects {
        assert!(
            p.phases.len() > SPEC.migrations,
            "{} phases",
            p.phases.len()
        );
        for pair in p.phases.windows(2) {
            let (before, ph) = (&pair[0].state, &pair[1]);
            let m = &p.migrations[ph.migration];
            let named: BTreeSet<String> = m
                .expand
                .iter()
                .chain(&m.contract)
                .filter_map(|s| table_of(&s.kind))
                .collect();
            let unshared: BTreeSet<String> = ph
                .state
                .tables
                .iter()
                .filter(|t| {
                    let old = before.tables.iter().find(|o| o.name == t.name);
                    !old.is_some_and(|o| Arc::ptr_eq(o, t))
                })
                .map(|t| t.name.clone())
                .collect();
            assert!(
                unshared.is_subset(&named),
                "{} phase {:?} of {}: tables {unshared:?} are copies, its steps change {named:?}",
                p.name,
                ph.kind,
                m.name
            );
            compared += ph.state.tables.len();
        }
    }
    assert!(compared > 0, "no phase was compared");
}
