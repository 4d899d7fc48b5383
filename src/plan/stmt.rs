//! One SQL statement to emit: which template renders it, with what context,
//! which object it creates and which objects it needs first.

use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

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
    /// Every table of the project a plan creates, for the statements that
    /// may read any of them (policies, views, functions): one list a plan
    /// shares, not a copy per statement, so a plan of T tables holds O(T)
    /// keys, not O(T²). Ordering waits for each of its tables.
    Tables(Arc<[Key]>),
}

/// A statement, shared: cloning one (a plan's statements are copied into
/// every phase that compares them) costs a reference count, not its
/// strings. Reading goes through [`StmtData`]; writing to a shared one
/// copies it first.
#[derive(Debug, Clone)]
pub struct Stmt(Arc<StmtData>);

#[derive(Debug, Clone)]
pub struct StmtData {
    /// Template file under `templates/postgres/`, without `.sql.j2`.
    pub template: &'static str,
    /// Header comment, e.g. `CreateTable notes`, and the statement's
    /// identity when phases are compared.
    pub label: String,
    /// Template under `templates/postgres/labels/` that writes the header
    /// comment from `ctx` instead of `label`, when the header names SQL.
    pub header: Option<&'static str>,
    /// Read with [`StmtData::ctx`]; set only with its shape.
    ctx: Context,
    pub key: Key,
    pub deps: Vec<Key>,
    /// Rank in the canonical order (ties broken by insertion order).
    pub rank: u8,
    /// One of the few statements nearly every file repeats (a setting of
    /// its preamble, a rollback's `BEGIN`): rendered once per thread.
    pub repeated: bool,
}

/// A template context, with its shape: the bytes [`super::shape`] writes
/// from what it was made of, by which the render cache knows it (`None`
/// for a context set attribute by attribute; the cache then reads it).
/// The context itself is made from the shape when first read: most
/// statements a phase plans are compared by their shape and never
/// rendered. Copies share it.
#[derive(Debug, Clone)]
pub struct Context {
    value: Arc<OnceLock<Value>>,
    shape: Option<Arc<[u8]>>,
}

impl Context {
    /// The context of `ctx`, for one statement or several.
    pub fn of(ctx: &impl Serialize) -> Context {
        match super::shape::of(ctx) {
            Some(shape) => Context {
                value: Arc::default(),
                shape: Some(Arc::from(shape)),
            },
            None => Context::made(Value::from_serialize(ctx)),
        }
    }

    /// A context made already, without a shape.
    fn made(value: Value) -> Context {
        Context {
            value: Arc::new(OnceLock::from(value)),
            shape: None,
        }
    }
}

impl StmtData {
    /// What the template renders.
    pub fn ctx(&self) -> &Value {
        self.ctx.value.get_or_init(|| match &self.ctx.shape {
            Some(shape) => super::shape::value(shape),
            None => Value::UNDEFINED,
        })
    }

    /// The bytes that tell this context from every other, when known.
    pub fn shape(&self) -> Option<&[u8]> {
        self.ctx.shape.as_deref()
    }
}

impl Stmt {
    pub fn new(
        template: &'static str,
        label: impl Into<String>,
        ctx: impl Serialize,
        key: Key,
    ) -> Stmt {
        Stmt::with_context(template, label, Context::of(&ctx), key)
    }

    /// [`Stmt::new`] with a context already made.
    pub fn with_context(
        template: &'static str,
        label: impl Into<String>,
        ctx: Context,
        key: Key,
    ) -> Stmt {
        Stmt(Arc::new(StmtData {
            template,
            label: label.into(),
            header: None,
            ctx,
            key,
            deps: Vec::new(),
            rank: 0,
            repeated: false,
        }))
    }

    /// The statement with another label.
    pub fn labelled(mut self, label: String) -> Stmt {
        self.label = label;
        self
    }

    /// The statement with another key.
    pub fn keyed(mut self, key: Key) -> Stmt {
        self.key = key;
        self
    }

    /// The statement at a rank of the canonical order.
    pub fn ranked(mut self, rank: u8) -> Stmt {
        self.rank = rank;
        self
    }

    /// The statement marked as one nearly every file repeats: files
    /// render it from a cache kept per thread.
    pub fn repeated(mut self) -> Stmt {
        self.repeated = true;
        self
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
/// The table a statement is about: the first table among its
/// dependencies, then its key. A statement that may read every table (a
/// view, a function, a policy: see [`Key::Tables`]) belongs to none
/// through them: a view is not its first table's, and goes when it goes,
/// not with that table.
pub fn table_of(stmt: &Stmt) -> Option<String> {
    stmt.deps
        .iter()
        .chain(std::iter::once(&stmt.key))
        .take_while(|k| !matches!(k, Key::Tables(_)))
        .find_map(|k| match k {
            Key::Table(t) => Some(t.clone()),
            _ => None,
        })
}

/// A string attribute of a statement's context ("" when absent).
pub fn attr(stmt: &Stmt, name: &str) -> String {
    stmt.ctx()
        .get_attr(name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The statement with one context attribute set.
pub fn with(stmt: &Stmt, name: &str, value: impl Into<Value>) -> Stmt {
    let mut map: BTreeMap<String, Value> = BTreeMap::new();
    if let Ok(keys) = stmt.ctx().try_iter() {
        for k in keys {
            if let Some(key) = k.as_str() {
                if let Ok(v) = stmt.ctx().get_attr(key) {
                    map.insert(key.to_string(), v);
                }
            }
        }
    }
    map.insert(name.to_string(), value.into());
    let mut out = stmt.clone();
    out.ctx = Context::made(Value::from(map));
    out
}

impl Deref for Stmt {
    type Target = StmtData;
    fn deref(&self) -> &StmtData {
        &self.0
    }
}

impl DerefMut for Stmt {
    fn deref_mut(&mut self) -> &mut StmtData {
        Arc::make_mut(&mut self.0)
    }
}
