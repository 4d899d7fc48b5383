//! Stage 4, check: convention and validity rules over the resolved IR.
//!
//! Input: the read-only [`ir::Workspace`] and the diagnostics of earlier
//! stages. Output: the same list with this stage's findings added and every
//! project's configured rule levels applied (`error`, `warning`, `off`).
//! Each rule is a predicate-named function listed in [`RULES`].

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, Level};
use crate::source::Sources;

/// A rule: reads one project, reports what breaks it.
pub type Rule = fn(&ir::Workspace, &ir::Project, &mut Vec<Diagnostic>);

/// Every check, in the order it runs.
pub const RULES: &[Rule] = &[];

pub fn check(ws: &ir::Workspace, sources: &Sources, diags: &mut Diagnostics) {
    for project in &ws.projects {
        let mut found = Vec::new();
        for rule in RULES {
            rule(ws, project, &mut found);
        }
        diags.extend(found);
    }
    apply_levels(ws, sources, diags);
}

/// Apply each project's configured levels to the diagnostics in its files.
pub fn apply_levels(ws: &ir::Workspace, sources: &Sources, diags: &mut Diagnostics) {
    let default_levels = ws
        .projects
        .first()
        .map(|p| p.lint.levels.clone())
        .unwrap_or_default();
    diags.items.retain_mut(|d| {
        let levels = d
            .span
            .and_then(|s| match &sources.get(s.file).kind {
                crate::source::FileKind::Project(p) | crate::source::FileKind::Migration(p) => ws
                    .projects
                    .iter()
                    .find(|proj| &proj.name == p)
                    .map(|proj| &proj.lint.levels),
                _ => None,
            })
            .unwrap_or(&default_levels);
        if !d.code.is_configurable() {
            return true;
        }
        match levels.get(d.code.as_str()) {
            Some(Level::Off) => false,
            Some(Level::On(sev)) => {
                d.severity = *sev;
                true
            }
            None => true,
        }
    });
}
