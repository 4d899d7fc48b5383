//! What a grant is on, as the `grant` template reads it.
//!
//! Input: a schema and the tables, the schema itself, or a kind of object.
//! Output: a serializable target (and its unquoted identity for keys).

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

    /// The target as keys and statement identities name it: unique,
    /// unquoted (the `labels/grant` template writes it for people).
    pub(super) fn id(&self) -> String {
        let what = match self.all {
            Some(all) => all.to_string(),
            None => self.tables.join(","),
        };
        format!("{} {}.{what}", self.kind, self.schema)
    }
}
