//! `add value … to enum`: added in place, before anything that may use it;
//! PostgreSQL cannot remove an enum value, so the step is irreversible.
//!
//! Input: the value, the enum and where the value goes. Output: one
//! statement in `pre` and an irreversible note.

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::plan::stmt::{Key, Stmt};
use crate::quote::literal;

impl Recipes<'_> {
    pub(super) fn add_enum_value(
        &mut self,
        value: &ast::StrLit,
        enum_name: &ast::Path,
        position: Option<&(bool, ast::StrLit)>,
    ) {
        let e = &enum_name.last().name;
        let (before, other) = match position {
            Some((before, other)) => (*before, Some(other.value.as_str())),
            None => (false, None),
        };
        self.pre.push(Stmt::new(
            "recipes/add_enum_value",
            format!("AddEnumValue {e}"),
            context! { schema => self.schema(), name => e, value => &value.value, before, other },
            Key::Type(e.clone()),
        ));
        self.irreversible.push(format!(
            "add value {} to {e} (PostgreSQL cannot remove an enum value)",
            literal(&value.value)
        ));
    }
}
