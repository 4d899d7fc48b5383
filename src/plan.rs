//! Stage 5, plan: the IR → ordered SQL statements.
//!
//! Input: one resolved [`ir::Project`] (and the workspace's roles). Output:
//! a [`Plan`]: the statements that create the project's schema from an
//! empty database, ordered by object dependencies with petgraph, and the
//! rollback statements that undo them in reverse order. Statements are data
//! (a template name and a context); [`crate::render`] turns them into SQL.

mod classified_reads;
mod dependent_views;
pub mod expr;
mod global_reads;
mod grant_target;
mod grants;
pub mod guard;
mod objects;
mod order;
pub mod phase;
mod predicate;
mod recipe;
pub mod renamed;
mod schema;
pub mod script_guard;
mod shape;
pub mod stmt;
mod target;

pub use objects::MAINTENANCE_SETTING;
pub use phase::{phase, phase_from, phase_touched, PhasePlan, Planned, TableCopies};
pub use schema::{initial, policies};
pub use stmt::{Context, Key, Stmt};

/// Ordered statements and their rollback.
#[derive(Debug, Clone)]
pub struct Plan {
    pub forward: Vec<Stmt>,
    /// Already in execution order (reverse of `forward`'s dependencies).
    pub rollback: Vec<Stmt>,
}
