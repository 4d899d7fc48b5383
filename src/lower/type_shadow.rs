//! The shadow column of a type change: when a `change type` step builds
//! the new type beside the old column, and what that column is called.
//!
//! Input: a step and the column's old and new types. Output: the decision,
//! shared by the replayed states and the change-type recipe.

use crate::ast::{self, StepKind};

/// The column that holds the new type while a type change is in flight.
pub fn shadow_column(column: &str) -> String {
    format!("{column}_new")
}

/// Whether `change type` goes through a shadow column: the table has rows
/// (it existed before the migration), the change is not forced `unsafe`,
/// and it is not a widening PostgreSQL does in place.
pub fn is_shadowed_type_change(step: &ast::Step, old: &str, new: &str, fresh_table: bool) -> bool {
    let in_place = match &step.kind {
        StepKind::ChangeType { column, using, .. } => crate::pg::type_change::is_in_place(
            &column.last().name,
            old,
            new,
            using.as_ref().map(|u| u.text.as_str()),
        ),
        _ => crate::pg::types::is_safe_widening(old, new),
    };
    step.unsafe_.is_none() && !fresh_table && !in_place
}
