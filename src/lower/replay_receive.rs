//! The receiving side of the analytics feed in the history replay:
//! `receive SCHEMA.TABLE from PROJECT` creates, in a later migration of the
//! receiving project, a table another project publishes to it, so that a
//! table joining a feed after the receiving project's first release lands
//! in a new migration of the receiving project instead of changing a
//! released one.
//!
//! Input: the history's steps, in order. Output: the tables the history
//! receives ([`Access::received`]), and for a first migration that names
//! no `receive` step (written before histories carried them) the tables a
//! later step receives ([`Access::received_later`]): that first migration
//! receives every other declared feed, as sluice always built it.

use std::collections::BTreeSet;

use crate::ast::{self, StepKind};
use crate::ir::access::Access;
use crate::span::Span;

/// The (source project, table) a `receive` step names.
fn key(kind: &StepKind) -> Option<(String, String)> {
    match kind {
        StepKind::Receive { table, source } => {
            Some((source.name.clone(), table.last().name.clone()))
        }
        _ => None,
    }
}

/// Set up `access` for a history whose first migration is `first` and
/// whose later migrations' steps are `later`.
pub fn first<'a>(
    access: &mut Access,
    first: &[&ast::Step],
    later: impl Iterator<Item = &'a ast::Step>,
) {
    access.explicit_receives = first.iter().any(|s| key(&s.kind).is_some());
    access.received_later = if access.explicit_receives {
        BTreeSet::new()
    } else {
        later.filter_map(|s| key(&s.kind)).collect()
    };
}

/// The effect of a `receive` step.
pub(super) fn apply(access: &mut Access, kind: &StepKind, span: Span) {
    if let Some(k) = key(kind) {
        access.received.insert(k, span);
    }
}
