//! The state a phase that renames tables starts from, once the renames are
//! done: the rename recipe changes the names and nothing else, so the rest
//! of the phase is the comparison of that state with the state after it.
//!
//! Input: the state before a phase, its migration and which phase. Output:
//! that state with each table the phase's steps rename (and that existed
//! before it) under its new name, or `None` when the phase renames none.
//! The callers plan it in place of the state before (see
//! [`super::phase::phase`]).

use crate::ast::StepKind;
use crate::ir::{Migration, PhaseKind, Project};

pub fn before(before: &Project, m: &Migration, kind: PhaseKind) -> Option<Project> {
    let steps = match kind {
        PhaseKind::Initial => return None,
        PhaseKind::Expand => &m.expand,
        PhaseKind::Contract => &m.contract,
    };
    let mut out: Option<Project> = None;
    for s in steps {
        let StepKind::RenameTable { table, to } = &s.kind else {
            continue;
        };
        let from = &table.last().name;
        let state = out.as_ref().unwrap_or(before);
        let Some(i) = state.tables.iter().position(|t| t.name == *from) else {
            continue;
        };
        let p = out.get_or_insert_with(|| before.clone());
        std::sync::Arc::make_mut(&mut p.tables[i]).name = to.name.clone();
        // The grants the history carries follow the table.
        if let Some(access) = p.replayed_access.as_mut() {
            access.rename_table(from, &to.name);
        }
    }
    out
}
