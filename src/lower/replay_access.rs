//! Extensions and role grants in the history replay: `create extension`,
//! `drop extension`, `grant` and `revoke`, so that `schema-drift` and
//! `sluice plan` compare them with the declared extensions and role
//! grants, and each phase's state holds the grants its history carries.
//!
//! Input: the history's steps, in order. Output: the extensions and grant
//! atoms the history leaves in place ([`Access`], kept in
//! [`Replay::access`]).

use super::replay::Replay;
use crate::ast::{self, StepKind};
use crate::ir::access::{Access, GrantAtom};
use crate::span::Span;

impl Replay {
    pub fn access_step(&mut self, kind: &StepKind, span: Span) {
        apply(&mut self.access, kind, span);
    }
}

/// The effect of one step on `access`.
pub fn apply(access: &mut Access, kind: &StepKind, span: Span) {
    match kind {
        StepKind::CreateExtension(e) => {
            access.extensions.insert(e.name.name.clone(), span);
        }
        StepKind::Drop { kind, target } if kind.name == "extension" => {
            access.extensions.remove(&target.last().name);
        }
        StepKind::Grant { grant, roles } => {
            for atom in atoms(grant, roles) {
                access.grants.insert(atom, span);
            }
        }
        // PostgreSQL's grants belong to the table, not its name: they
        // follow a rename and go with a drop.
        StepKind::RenameTable { table, to } => {
            access.rename_table(&table.last().name, &to.name);
            super::replay_feed::record(access, kind, span);
        }
        StepKind::Drop { kind: what, target } if what.name == "table" => {
            let on = table_target(&target.last().name);
            access.grants.retain(|a, _| a.on != on);
            super::replay_feed::record(access, kind, span);
        }
        StepKind::Revoke { grant, roles } => {
            for atom in atoms(grant, roles) {
                if atom.privilege == "all" {
                    access
                        .grants
                        .retain(|a, _| !(a.role == atom.role && a.on == atom.on));
                } else {
                    access.grants.remove(&atom);
                }
            }
        }
        StepKind::CreateTable(_) | StepKind::Publish { .. } | StepKind::Unpublish { .. } => {
            super::replay_feed::record(access, kind, span)
        }
        StepKind::Receive { .. } => super::replay_receive::apply(access, kind, span),
        StepKind::Reads {
            grant,
            classifications,
            roles,
        } => super::replay_reads::apply(access, *grant, classifications, roles, span),
        _ => {}
    }
}

/// The grant target text of table `name`.
fn table_target(name: &str) -> String {
    format!("table {name}")
}

/// Whether a migration names grants (see [`Access::explicit_grants`]).
pub fn names_grants(expand: &[ast::Step], contract: &[ast::Step]) -> bool {
    expand
        .iter()
        .chain(contract)
        .any(|s| matches!(s.kind, StepKind::Grant { .. } | StepKind::Revoke { .. }))
}

/// One atom per role, target and privilege of a `grant` or `revoke` step.
fn atoms(grant: &ast::Grant, roles: &[ast::Ident]) -> Vec<GrantAtom> {
    let targets: Vec<String> = match &grant.target {
        ast::GrantTarget::Tables(ts) => ts.iter().map(|t| table_target(&t.last().name)).collect(),
        ast::GrantTarget::Kind(k) => vec![k.name.to_ascii_lowercase()],
    };
    let mut out = Vec::new();
    for r in roles {
        for on in &targets {
            for p in &grant.privileges {
                out.push(GrantAtom {
                    role: r.name.clone(),
                    on: on.clone(),
                    privilege: p.name.to_ascii_lowercase(),
                });
            }
        }
    }
    out
}

/// The extensions of a phase's state: those its history created, first
/// of each name.
pub(super) fn extensions(created: &[ast::ExtensionDecl]) -> Vec<crate::ir::Extension> {
    let mut out: Vec<crate::ir::Extension> = Vec::new();
    for e in created {
        if out.iter().any(|x| x.name == e.name.name) {
            continue;
        }
        out.push(crate::ir::Extension {
            name: e.name.name.clone(),
            schema: e.schema.as_ref().map(|s| s.name.clone()),
            version: e.version.as_ref().map(|v| v.value.clone()),
            span: e.span,
        });
    }
    out
}
