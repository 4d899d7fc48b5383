//! What a grant is on, as the `grant` template reads it.
//!
//! Input: a schema and the tables, the schema itself, or a kind of object.
//! Output: a serializable target (and its unquoted description for labels).

use serde::Serialize;

/// What a grant is on, for the `grant` template: `tables` of the schema,
/// the `schema` itself, or `all` its objects of one kind (`tables`,
/// `sequences`, `functions`).
#[derive(Debug, Clone, Serialize)]
pub(super) struct GrantTarget {
    kind: &'static str,
    schema: String,
    tables: Vec<String>,
    all: Option<&'static str>,
}

impl GrantTarget {
    pub(super) fn tables(schema: &str, tables: Vec<String>) -> GrantTarget {
        GrantTarget {
            kind: "tables",
            schema: schema.to_string(),
            tables,
            all: None,
        }
    }

    pub(super) fn schema(schema: &str) -> GrantTarget {
        GrantTarget {
            kind: "schema",
            schema: schema.to_string(),
            tables: Vec::new(),
            all: None,
        }
    }

    pub(super) fn all(schema: &str, kind: &'static str) -> GrantTarget {
        GrantTarget {
            kind: "all",
            schema: schema.to_string(),
            tables: Vec::new(),
            all: Some(kind),
        }
    }

    /// The target as the statement's label names it (unquoted).
    pub(super) fn describe(&self) -> String {
        let qualified: Vec<String> = self
            .tables
            .iter()
            .map(|t| format!("{}.{t}", self.schema))
            .collect();
        match (self.kind, self.all) {
            ("tables", _) => format!("TABLE {}", qualified.join(", ")),
            ("schema", _) => format!("SCHEMA {}", self.schema),
            (_, all) => format!(
                "ALL {} IN SCHEMA {}",
                all.unwrap_or_default().to_uppercase(),
                self.schema
            ),
        }
    }
}
