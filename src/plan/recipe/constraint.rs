//! Statements shared by the constraint recipes: validating a constraint
//! added `NOT VALID`, and dropping one by name.
//!
//! Input: a table and a constraint name. Output: one [`Stmt`] each.

use minijinja::context;

use super::Recipes;
use crate::plan::stmt::Stmt;

impl Recipes<'_> {
    pub(super) fn validate(&self, t: &str, name: &str) -> Stmt {
        self.on_table(
            "recipes/validate_constraint",
            format!("ValidateConstraint {name}"),
            t,
            context! { name },
        )
    }

    pub(super) fn drop_constraint(&self, t: &str, name: &str) -> Stmt {
        self.on_table(
            "recipes/drop_constraint",
            format!("DropConstraint {name}"),
            t,
            context! { name },
        )
    }
}
