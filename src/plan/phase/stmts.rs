//! Statements derived from others while phases are compared: the drop of
//! what a statement creates, its concurrent or `OR REPLACE` form, an
//! index's concurrent drop and rebuild, a constraint's validation.
//!
//! Input: statements of the plans that create each state. Output: new
//! statements (or answers about them) for [`super::delta`].

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::plan::stmt::{Key, Stmt};
use crate::plan::stmt::{DROP_INDEX_CONCURRENTLY, REBUILD_INDEX_CONCURRENTLY};
use crate::plan::Plan;

/// Whether `stmt` sets the owner of an object the `old` state does not
/// have (a new view or function: its owner is set with it).
pub(super) fn owns_new_object(stmt: &Stmt, old: &Plan) -> bool {
    stmt.template == "set_owner"
        && stmt
            .deps
            .first()
            .is_some_and(|k| !old.forward.iter().any(|o| &o.key == k))
}

/// The statements of `plan` that set the owner of, or comment on, the
/// object `stmt` creates.
pub(super) fn owner_and_comment(stmt: &Stmt, plan: &Plan) -> Vec<Stmt> {
    plan.forward
        .iter()
        .filter(|s| matches!(s.template, "set_owner" | "comment"))
        .filter(|s| s.deps.first() == Some(&stmt.key))
        .cloned()
        .collect()
}

/// Whether a foreign key of the `old` state stands on the index `stmt` creates.
pub(super) fn backs_foreign_key(stmt: &Stmt, old: &Plan) -> bool {
    old.forward
        .iter()
        .any(|o| o.template == "add_foreign_key" && o.deps.contains(&stmt.key))
}

/// The drops of the foreign keys of `old` that stand on the index `stmt`
/// creates, when `new` has none of them: run before the index's concurrent
/// drop, which PostgreSQL refuses while a key needs the index.
pub(super) fn keys_dropped_with(stmt: &Stmt, old: &Plan, new: &Plan) -> Option<Vec<Stmt>> {
    let keys: Vec<&Stmt> = old
        .forward
        .iter()
        .filter(|o| o.template == "add_foreign_key" && o.deps.contains(&stmt.key))
        .collect();
    if keys
        .iter()
        .any(|k| new.forward.iter().any(|n| n.key == k.key))
    {
        return None;
    }
    Some(
        keys.into_iter()
            .map(|k| {
                let name = attr(k, "name");
                Stmt::new(
                    "recipes/drop_constraint",
                    format!("DropConstraint {name}"),
                    minijinja::context! { schema => attr(k, "schema"), table => attr(k, "table"), name },
                    k.key.clone(),
                )
            })
            .collect(),
    )
}

/// Whether a foreign key needs an index the `old` state does not have.
pub(super) fn needs_new_index(stmt: &Stmt, old: &Plan) -> bool {
    stmt.deps.iter().any(|k| {
        matches!(k, Key::Other(s) if s.starts_with("index "))
            && !old.forward.iter().any(|o| &o.key == k)
    })
}

/// Statements by the key they create, borrowed: a phase clones only the
/// few it emits. Looked up, never iterated: the fixed-seed fast hasher
/// cannot reach the output.
pub(super) type ByKey<'a> = HashMap<&'a Key, Vec<&'a Stmt>, FixedState>;

/// Statements by the key they create (see [`ByKey`]).
pub(super) fn by_key(stmts: &[Stmt]) -> ByKey<'_> {
    let mut out = ByKey::with_capacity_and_hasher(stmts.len(), FixedState::default());
    for s in stmts {
        out.entry(&s.key).or_default().push(s);
    }
    out
}

/// The rollback statements of a new object (none for objects that go with
/// their table, such as indexes and triggers of a new table).
pub(super) fn undo_of(stmt: &Stmt, undo: &ByKey) -> Vec<Stmt> {
    match stmt.template {
        "create_index" | "create_trigger" | "enable_rls" | "comment" | "set_owner" => Vec::new(),
        _ => undo
            .get(&stmt.key)
            .into_iter()
            .flatten()
            .map(|&u| u.clone())
            .collect(),
    }
}

/// The statement that removes the object `stmt` creates.
pub(super) fn drop_of(stmt: &Stmt, undo: &ByKey) -> Vec<Stmt> {
    if stmt.template == "create_trigger" {
        let name = attr(stmt, "name");
        return vec![Stmt::new(
            "recipes/drop_trigger",
            format!("DropTrigger {name}"),
            minijinja::context! { schema => attr(stmt, "schema"), table => attr(stmt, "table"), name },
            stmt.key.clone(),
        )];
    }
    undo.get(&stmt.key)
        .map(|v| {
            v.iter()
                .filter(|s| s.template == drop_template(stmt.template))
                .map(|&s| s.clone())
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn drop_template(create: &str) -> &'static str {
    match create {
        "create_policy" => "drop_policy",
        "create_view" => "drop_view",
        "create_function" => "drop_function",
        _ => "",
    }
}

pub use crate::plan::stmt::{attr, with};

/// A changed function or view, replaced in place.
pub(super) fn or_replace(stmt: &Stmt) -> Stmt {
    let mut out = with(stmt, "or_replace", true).labelled(format!("{} (replace)", stmt.label));
    out.deps = Vec::new();
    out.ranked(0)
}

/// A new index on a table that already has rows: built without blocking
/// writes. An interrupted build leaves an invalid index behind, so a rerun
/// drops that first.
pub(super) fn concurrently(stmt: &Stmt) -> Stmt {
    let build = with(&with(stmt, "concurrently", true), "if_not_exists", true);
    Stmt::new(
        "recipes/create_index_concurrently",
        format!("CreateIndexConcurrently {}", attr(stmt, "name")),
        build.ctx(),
        stmt.key.clone(),
    )
}

/// Dropping the index `stmt` creates; concurrently, so that it never
/// blocks the table, when it was built so.
pub(super) fn drop_index_stmt(stmt: &Stmt, label: String, concurrently: bool) -> Stmt {
    Stmt::new(
        "recipes/drop_index",
        label,
        minijinja::context! { schema => attr(stmt, "schema"), name => attr(stmt, "name"), concurrently },
        stmt.key.clone(),
    )
    // Its table, as the index's: a phase compared over the tables it
    // touches finds which table the drop belongs to.
    .after(stmt.deps.iter().cloned())
}

pub(super) fn drop_index(stmt: &Stmt) -> Stmt {
    drop_index_stmt(stmt, format!("DropIndex {}", attr(stmt, "name")), false)
}

/// The undo of an index the script built concurrently: dropped
/// concurrently too, so it never blocks the table. It cannot run inside a
/// transaction: the rollback file runs it before its `BEGIN`
/// (see [`crate::emit`]).
pub(super) fn drop_index_concurrently(stmt: &Stmt) -> Stmt {
    let label = format!("{DROP_INDEX_CONCURRENTLY} {}", attr(stmt, "name"));
    drop_index_stmt(stmt, label, true)
}

/// The undo of an index the script before a contract dropped
/// concurrently: built again concurrently, after the rollback's
/// transaction (see [`crate::emit`]).
pub(super) fn rebuild_index_concurrently(stmt: &Stmt) -> Stmt {
    concurrently(stmt).labelled(format!(
        "{REBUILD_INDEX_CONCURRENTLY} {}",
        attr(stmt, "name")
    ))
}

pub(super) fn validate(stmt: &Stmt) -> Stmt {
    let name = attr(stmt, "name");
    Stmt::new(
        "recipes/validate_constraint",
        format!("ValidateConstraint {name}"),
        minijinja::context! { schema => attr(stmt, "schema"), table => attr(stmt, "table"), name },
        stmt.key.clone(),
    )
}
