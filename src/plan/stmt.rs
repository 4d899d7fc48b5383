//! One SQL statement to emit: which template renders it, with what context,
//! which object it creates and which objects it needs first.

use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// An object a statement creates or needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Schema,
    Role(String),
    Extension(String),
    Type(String),
    Table(String),
    Function(String),
    /// Anything else, named uniquely within the project.
    Other(String),
}

#[derive(Debug, Clone)]
pub struct Stmt {
    /// Template file under `templates/postgres/`, without `.sql.j2`.
    pub template: &'static str,
    /// Header comment, e.g. `CreateTable notes`, and the statement's
    /// identity when phases are compared.
    pub label: String,
    /// Template under `templates/postgres/labels/` that writes the header
    /// comment from `ctx` instead of `label`, when the header names SQL.
    pub header: Option<&'static str>,
    pub ctx: Value,
    pub key: Key,
    pub deps: Vec<Key>,
    /// Rank in the canonical order (ties broken by insertion order).
    pub rank: u8,
}

impl Stmt {
    pub fn new(
        template: &'static str,
        label: impl Into<String>,
        ctx: impl Serialize,
        key: Key,
    ) -> Stmt {
        Stmt {
            template,
            label: label.into(),
            header: None,
            ctx: Value::from_serialize(&ctx),
            key,
            deps: Vec::new(),
            rank: 0,
        }
    }

    /// The header comment written by the template `labels/<name>`.
    pub fn headed(mut self, name: &'static str) -> Stmt {
        self.header = Some(name);
        self
    }

    pub fn after(mut self, deps: impl IntoIterator<Item = Key>) -> Stmt {
        self.deps.extend(deps);
        self
    }
}

// Labels of rollback statements that run outside the rollback's
// transaction; `emit` places them by these prefixes.

/// The label of a rollback statement that must run outside any
/// transaction, after it: an index built again concurrently.
pub const REBUILD_INDEX_CONCURRENTLY: &str = "RebuildIndexConcurrently";

/// Label of a rollback's `DROP CONSTRAINT` of a foreign key whose script
/// built its key concurrently: it runs before that index is dropped.
pub const DROP_FOREIGN_KEY_FIRST: &str = "DropForeignKeyFirst";

/// The label of a rollback's drop of a partitioned table's index, which
/// runs before the rollback's transaction, on its own.
pub const DROP_INDEX_FIRST: &str = "DropIndexFirst";

/// The label prefix of a rollback's `CHECK (c IS NOT NULL) NOT VALID` and
/// its `VALIDATE`, which run before the rollback's transaction, each in a
/// transaction of its own, so that its `SET NOT NULL` does not scan.
pub const PROVE_NOT_NULL_FIRST: &str = "ProveNotNullFirst";

/// The label of a statement that must run outside any transaction.
pub const DROP_INDEX_CONCURRENTLY: &str = "DropIndexConcurrently";
/// A string attribute of a statement's context ("" when absent).
pub fn attr(stmt: &Stmt, name: &str) -> String {
    stmt.ctx
        .get_attr(name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The statement with one context attribute set.
pub fn with(stmt: &Stmt, name: &str, value: impl Into<Value>) -> Stmt {
    let mut map: BTreeMap<String, Value> = BTreeMap::new();
    if let Ok(keys) = stmt.ctx.try_iter() {
        for k in keys {
            if let Some(key) = k.as_str() {
                if let Ok(v) = stmt.ctx.get_attr(key) {
                    map.insert(key.to_string(), v);
                }
            }
        }
    }
    map.insert(name.to_string(), value.into());
    Stmt {
        ctx: Value::from(map),
        ..stmt.clone()
    }
}
