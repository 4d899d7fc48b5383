//! A role's `reads` in the history replay: `grant reads pii to R` and
//! `revoke reads pii from R`, so that `schema-drift` and `sluice plan`
//! compare them with the declared `reads`, and each phase's state withholds
//! the columns its history says the role does not read.
//!
//! Input: a `reads` step. Output: its diagnostics (an unknown role or
//! classification) and its effect on [`Access::reads`].

use crate::ast::{self, Ident, StepKind};
use crate::diagnostic::Diagnostic;
use crate::ir::access::Access;
use crate::ir::Role;
use crate::span::Span;

/// The classifications a `reads` step may name.
const READABLE: [&str; 2] = ["pii", "phi"];

/// Report what a `reads` step names that does not exist.
pub(super) fn check(
    classifications: &[Ident],
    roles: &[Ident],
    declared: &[Role],
    diags: &mut Vec<Diagnostic>,
) {
    for c in classifications {
        super::values::one_of(c, &READABLE, "classification a role reads", diags);
    }
    for r in roles {
        if !declared.iter().any(|role| role.name == r.name) {
            diags.push(super::settings::unknown_role(&r.name, r.span, declared));
        }
    }
}

/// The effect of a `reads` step on `access`.
pub(super) fn apply(
    access: &mut Access,
    grant: bool,
    classifications: &[Ident],
    roles: &[Ident],
    span: Span,
) {
    for r in roles {
        for c in classifications
            .iter()
            .filter(|c| READABLE.contains(&c.name.as_str()))
        {
            let key = (r.name.clone(), c.name.clone());
            if grant {
                access.reads.insert(key, span);
            } else {
                access.reads.remove(&key);
            }
        }
    }
}

/// Whether a migration names `reads` (see [`Access::explicit_reads`]).
pub fn names_reads(expand: &[ast::Step], contract: &[ast::Step]) -> bool {
    expand
        .iter()
        .chain(contract)
        .any(|s| matches!(s.kind, StepKind::Reads { .. }))
}
