//! What sluice knows about PostgreSQL itself, independent of any stage:
//! which type changes are safe widenings, which functions are volatile.
//!
//! Input: type names and SQL expressions. Output: answers the lower, check,
//! plan and lint stages share (the lint re-exports both modules).

pub mod type_change;
pub mod types;
pub mod volatility;
