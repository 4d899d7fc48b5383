//! What a comment or an owner change is on, as the `target` macro reads it.
//!
//! Input: a schema and an object name (a relation, one of its columns, or
//! a function with its argument types). Output: a serializable target, and
//! its unquoted name for labels.

use serde::Serialize;

/// The object a `COMMENT ON` or `ALTER … OWNER TO` names, as the `target`
/// macro writes it: `schema.name`, a column of it, or a function with its
/// argument types.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Target {
    schema: String,
    name: String,
    column: Option<String>,
    args: Option<Vec<String>>,
}

impl Target {
    pub(super) fn relation(schema: &str, name: &str) -> Target {
        Target {
            schema: schema.to_string(),
            name: name.to_string(),
            column: None,
            args: None,
        }
    }

    pub(super) fn column(&self, column: &str) -> Target {
        Target {
            column: Some(column.to_string()),
            ..self.clone()
        }
    }

    pub(super) fn function(schema: &str, name: &str, args: Vec<String>) -> Target {
        Target {
            args: Some(args),
            ..Target::relation(schema, name)
        }
    }

    /// `schema.name[.column]`, unquoted: how labels name the object.
    pub(super) fn describe(&self) -> String {
        let mut parts = vec![self.schema.as_str(), self.name.as_str()];
        parts.extend(self.column.as_deref());
        parts.join(".")
    }
}
