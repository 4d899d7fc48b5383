//! The view a table renamed online leaves under its old name (see
//! `rename_table`) lives from the rename's expand phase to its contract,
//! and phases of later migrations may run in between. PostgreSQL refuses
//! to drop, or change the type of, a column such a view reads. So a phase
//! that drops or retypes a column of a table whose old name is still a
//! view drops the view first and creates it again last, over the columns
//! it had that remain; its rollback does the same the other way. A column
//! added to the table meanwhile stays out of the view: the app version
//! that uses the old name does not know it.
//!
//! Input: the workspace's phases of the project, the phase being compiled
//! and the states around it. Output: statements at the start of `pre`
//! and the end of `post`, and their undo.

use crate::ast::StepKind;
use crate::ir::{PhaseKind, Project};

use super::Recipes;

/// A view under a renamed table's old name, as the rename's expand phase
/// created it.
pub(super) struct CompatView {
    pub from: String,
    pub to: String,
    /// The table's columns when the view was created, in order.
    pub columns: Vec<String>,
}

impl CompatView {
    /// Its columns that `state`'s table still has.
    pub fn columns_in(&self, state: &Project) -> Vec<String> {
        let Some(t) = state.table(&self.to) else {
            return Vec::new();
        };
        self.columns
            .iter()
            .filter(|c| t.column(c).is_some())
            .cloned()
            .collect()
    }
}

impl Recipes<'_> {
    /// The project's phases, and where this phase is among them.
    fn journal(&self) -> Option<(&Project, usize, usize)> {
        let p = self
            .ws
            .projects
            .iter()
            .find(|p| p.name == self.after.name)?;
        // A build's phase holds the project's own migration: found by
        // address, its name is compared only otherwise.
        let m = p
            .migrations
            .iter()
            .position(|m| std::ptr::eq(m, self.migration))
            .or_else(|| {
                p.migrations
                    .iter()
                    .position(|m| m.name == self.migration.name)
            })?;
        let at = p
            .phases
            .iter()
            .position(|ph| ph.migration == m && ph.kind == self.kind)?;
        Some((p, m, at))
    }

    /// The compat views of migration `m`'s expand phase (an earlier one
    /// than phase `at`, or none).
    fn compat_views_of(p: &Project, m: usize, at: usize) -> Vec<CompatView> {
        let Some(expand) = p.phases[..at]
            .iter()
            .find(|ph| ph.migration == m && ph.kind == PhaseKind::Expand)
        else {
            return Vec::new();
        };
        let steps = &p.migrations[m].expand;
        let created: Vec<&str> = steps
            .iter()
            .chain(&p.migrations[m].contract)
            .filter_map(|s| match &s.kind {
                StepKind::CreateTable(t) => Some(t.name.last().name.as_str()),
                _ => None,
            })
            .collect();
        steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::RenameTable { table, to } => Some((table.last().name.clone(), to)),
                _ => None,
            })
            .filter(|(from, _)| !created.contains(&from.as_str()))
            .filter_map(|(from, to)| {
                let t = expand.state.table(&to.name)?;
                Some(CompatView {
                    from,
                    to: to.name.clone(),
                    columns: t.columns.iter().map(|c| c.name.clone()).collect(),
                })
            })
            .collect()
    }

    /// The compat views this phase's own migration created, for its
    /// contract (which drops them).
    pub(super) fn own_compat_views(&self) -> Vec<CompatView> {
        match self.journal() {
            Some((p, m, at)) => Self::compat_views_of(p, m, at),
            None => Vec::new(),
        }
    }

    /// The compat views in place before this phase that it leaves in
    /// place: renames of earlier expand phases whose contract has not run
    /// and is not this phase.
    fn pending_compat_views(&self) -> Vec<CompatView> {
        let Some((p, _, at)) = self.journal() else {
            return Vec::new();
        };
        // Only an expand phase that renames a table leaves a view: found
        // in one pass over the phases so far that builds nothing, then
        // those whose contract ran are left out (a long history has
        // thousands of phases, and most have no rename).
        let renames = |m: usize| {
            p.migrations[m]
                .expand
                .iter()
                .any(|s| matches!(s.kind, StepKind::RenameTable { .. }))
        };
        let open: Vec<usize> = p.phases[..at]
            .iter()
            .filter(|ph| ph.kind == PhaseKind::Expand && renames(ph.migration))
            .map(|ph| ph.migration)
            .collect();
        if open.is_empty() {
            return Vec::new();
        }
        let contracted: std::collections::HashSet<usize> = p.phases[..=at]
            .iter()
            .filter(|q| q.kind == PhaseKind::Contract && open.contains(&q.migration))
            .map(|q| q.migration)
            .collect();
        let mut out = Vec::new();
        for m in open.into_iter().filter(|m| !contracted.contains(m)) {
            out.extend(Self::compat_views_of(p, m, at));
        }
        out
    }

    /// Whether the phase drops or retypes a column `view` reads.
    fn narrows(&self, view: &CompatView) -> bool {
        let (Some(b), Some(a)) = (self.before.table(&view.to), self.after.table(&view.to)) else {
            return false;
        };
        view.columns.iter().any(|name| {
            let Some(was) = b.column(name) else {
                return false;
            };
            a.column(name)
                .is_none_or(|now| now.ty.text.trim() != was.ty.text.trim())
        })
    }

    /// First statements of the phase: drop each compat view a column
    /// change of it would break; the rollback creates it again last.
    pub(super) fn lift_compat_views(&mut self) -> Vec<CompatView> {
        let lifted: Vec<CompatView> = self
            .pending_compat_views()
            .into_iter()
            .filter(|v| self.narrows(v))
            .collect();
        for v in &lifted {
            self.pre.push(self.drop_compat_view(&v.from));
            let back =
                self.compat_view(&v.from, &v.to, Some(v.columns_in(self.before)), self.before);
            self.undo.extend(back.into_iter().rev());
        }
        lifted
    }

    /// Last statements of the phase: the views lifted, created again over
    /// the columns they keep; the rollback drops them first.
    pub(super) fn restore_compat_views(&mut self, lifted: Vec<CompatView>) {
        for v in lifted {
            let view = self.compat_view(&v.from, &v.to, Some(v.columns_in(self.after)), self.after);
            self.post.extend(view);
            self.undo.push(self.drop_compat_view(&v.from));
        }
    }
}
