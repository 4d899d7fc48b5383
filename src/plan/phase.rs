//! The statements of one phase of a migration after the first: what the
//! journal file runs, what its rollback runs, and what must run outside any
//! transaction between the expand and the contract phase.
//!
//! Input: the schema before and after the phase (full IR, see
//! `lower::phases`), the migration and which phase. Output: a
//! [`PhasePlan`]. Whole objects (a new table with its indexes, policies and
//! triggers; a changed policy, view or function) come from comparing the
//! statements that would create each state from empty; changes inside an
//! existing table come from the steps, each compiled to its safe recipe in
//! [`super::recipe`]. Tables created in this migration skip the online
//! recipes: nobody else sees them yet.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use minijinja::Value;

use super::recipe::Recipes;
use super::schema::initial;
use super::stmt::{Key, Stmt};
use super::Plan;
use crate::ast::StepKind;
use crate::ir::{Migration, PhaseKind, Project, Workspace};

/// One phase, compiled.
#[derive(Debug, Default)]
pub struct PhasePlan {
    /// The journal file, run inside the migrator's transaction.
    pub forward: Vec<Stmt>,
    /// Undoes exactly `forward` (and the script's objects).
    pub rollback: Vec<Stmt>,
    /// Runs with psql in autocommit: after an expand phase (concurrent
    /// index builds, batched backfills, constraint validation), or before a
    /// contract phase (the backfill caught up, the checks it relies on).
    pub script: Vec<Stmt>,
    /// Steps whose rollback cannot restore what they destroyed.
    pub irreversible: Vec<String>,
    /// What a contract checks first: rows its script must have handled.
    pub guards: Vec<super::guard::Guard>,
}

/// Compile one phase from the states around it.
pub fn phase(
    ws: &Workspace,
    before: &Project,
    after: &Project,
    migration: &Migration,
    kind: PhaseKind,
    render: Renderer,
) -> PhasePlan {
    let old = Planned::new(ws, before, render);
    let new = Planned::new(ws, after, render);
    phase_from(ws, (before, &old), (after, &new), migration, kind)
}

/// The plan that creates a state from empty, with each forward
/// statement's text: what a phase compares. A build plans each state
/// once and hands it to the phases on both sides of it.
pub struct Planned {
    pub plan: Plan,
    texts: Vec<String>,
}

/// Turns a statement into its SQL text; the render stage's, handed in by
/// the caller so that planning does not depend on rendering.
pub type Renderer<'r> = &'r dyn Fn(&Stmt) -> String;

impl Planned {
    pub fn new(ws: &Workspace, state: &Project, render: Renderer) -> Planned {
        let plan = initial(ws, state);
        let texts = plan.forward.iter().map(render).collect();
        Planned { plan, texts }
    }
}

/// [`phase`] from states already planned.
pub fn phase_from(
    ws: &Workspace,
    (before, old): (&Project, &Planned),
    (after, new): (&Project, &Planned),
    migration: &Migration,
    kind: PhaseKind,
) -> PhasePlan {
    let mut recipes = Recipes::new(before, after, migration, kind);
    recipes.compile();
    let partitioned = partitioned(before, after);
    let mut direct = forced_direct(migration);
    direct.extend(partitioned.iter().cloned());
    let delta = delta(
        old,
        new,
        after,
        kind,
        &recipes.new_tables(),
        (&direct, &partitioned),
    );
    let views = super::dependent_views::rebuild(ws, before, after);
    let rebuilt = |s: &Stmt| matches!(&s.key, Key::Table(n) if views.views.contains(n));
    let mut plan = PhasePlan::default();
    // New types and extensions come before the steps whose columns use
    // them, and go after them in the rollback.
    let is_type = |s: &Stmt| matches!(s.template, "create_enum" | "create_extension");
    let (types, rest): (Vec<Stmt>, Vec<Stmt>) = delta
        .forward
        .into_iter()
        .filter(|s| !rebuilt(s))
        .partition(is_type);
    plan.forward.extend(views.drop);
    plan.forward.extend(types);
    plan.forward.extend(recipes.pre);
    plan.forward.extend(rest);
    plan.forward.extend(views.create);
    plan.forward.extend(recipes.post);
    // Dropped with their table or view by the rollback: no undo needed.
    plan.forward
        .extend(super::grants::on_new_relations(ws, before, after));
    plan.script.extend(delta.script);
    plan.script.extend(recipes.script);
    // Undo in reverse: the last thing done is the first undone. New types
    // and extensions go last, after everything that could use them. The views
    // that stand in the way of undoing a type change are dropped first and
    // created again, as they were before the phase, last.
    let (type_undo, rest_undo): (Vec<Stmt>, Vec<Stmt>) = delta
        .rollback
        .into_iter()
        .partition(|s| matches!(s.template, "drop_type" | "drop_extension"));
    let mut undo = type_undo;
    undo.extend(recipes.undo);
    undo.extend(rest_undo);
    undo.reverse();
    let back = super::dependent_views::undo(ws, after, before);
    let mut rollback = back.drop;
    rollback.extend(undo);
    rollback.extend(back.create);
    // Views the rollback creates again get their grants back.
    rollback.extend(super::grants::on_new_relations(ws, after, before));
    plan.rollback = rollback;
    plan.irreversible = recipes.irreversible;
    plan.guards = recipes.guards;
    plan
}

#[derive(Default)]
struct Delta {
    forward: Vec<Stmt>,
    rollback: Vec<Stmt>,
    script: Vec<Stmt>,
}

/// A statement with its rendered text, for comparison.
struct Rendered<'a> {
    stmt: &'a Stmt,
    text: &'a str,
}

fn rendered(planned: &Planned) -> HashMap<&str, Vec<Rendered<'_>>> {
    let mut out: HashMap<&str, Vec<Rendered>> = HashMap::new();
    for (stmt, text) in planned.plan.forward.iter().zip(&planned.texts) {
        out.entry(stmt.label.as_str())
            .or_default()
            .push(Rendered { stmt, text });
    }
    out
}

/// Templates whose objects live inside a table that existed before: the
/// steps change those (with online recipes), not the comparison.
const IN_TABLE: &[&str] = &["create_table", "set_owner", "create_partition"];

/// Tables whose new indexes and foreign keys a step forces `unsafe`: built
/// in the journal file directly instead of concurrently / `NOT VALID`.
fn forced_direct(m: &Migration) -> BTreeSet<String> {
    m.expand
        .iter()
        .chain(&m.contract)
        .filter(|s| s.unsafe_.is_some())
        .filter_map(|s| match &s.kind {
            StepKind::AddIndex { table, .. } | StepKind::AddForeignKey { table, .. } => {
                Some(table.last().name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Partitioned tables of either state. PostgreSQL builds and drops no
/// index of theirs concurrently, and (before 18) adds no foreign key of
/// theirs `NOT VALID`: their new indexes and keys (which `check` lets
/// through only forced `unsafe`) go in the journal file directly, and
/// their dropped indexes too, marked so that lint knows why.
fn partitioned(before: &Project, after: &Project) -> BTreeSet<String> {
    before
        .tables
        .iter()
        .chain(&after.tables)
        .filter(|t| t.partition.is_some())
        .map(|t| t.name.clone())
        .collect()
}

/// Objects that appear, change or disappear between the two states.
fn delta(
    planned_old: &Planned,
    planned_new: &Planned,
    after: &Project,
    kind: PhaseKind,
    new_tables: &BTreeSet<String>,
    (direct, partitioned): (&BTreeSet<String>, &BTreeSet<String>),
) -> Delta {
    let (old, new) = (&planned_old.plan, &planned_new.plan);
    let old_forward = rendered(planned_old);
    let old_undo = by_key(&old.rollback);
    let new_undo = by_key(&new.rollback);
    let mut d = Delta::default();
    let table_of = |s: &Stmt| {
        s.deps
            .iter()
            .chain(std::iter::once(&s.key))
            .find_map(|k| match k {
                Key::Table(t) => Some(t.clone()),
                _ => None,
            })
    };
    let is_new_table = |s: &Stmt| table_of(s).is_some_and(|t| new_tables.contains(&t));
    // A statement on an existing partitioned table, marked for its template.
    let on_partitioned = |s: &Stmt| {
        table_of(s).is_some_and(|t| partitioned.contains(&t) && !new_tables.contains(&t))
    };
    let mark = |of: &Stmt, s: Stmt| {
        if on_partitioned(of) {
            with(&s, "partitioned", true)
        } else {
            s
        }
    };
    let mut seen: HashSet<&str> = HashSet::new();
    for (stmt, text) in new.forward.iter().zip(&planned_new.texts) {
        let label = stmt.label.as_str();
        let was = old_forward.get(label);
        seen.insert(label);
        if was.is_some_and(|v| v.iter().any(|r| r.text == text)) {
            continue;
        }
        let fresh = is_new_table(stmt) || table_of(stmt).is_some_and(|t| direct.contains(&t));
        if was.is_none() {
            match stmt.template {
                "create_index" if !fresh => {
                    d.script.push(concurrently(stmt));
                    d.rollback.push(drop_index_concurrently(stmt));
                }
                // A key whose unique index this phase builds concurrently
                // on an existing table (a tenant-scoped reference's
                // `(org_id, id)`), from a new table or an old one, can only
                // be added after it, in the script.
                "add_foreign_key"
                    if needs_new_index(stmt, old) && {
                        let target = attr(stmt, "ref_table");
                        !new_tables.contains(&target) && !direct.contains(&target)
                    } =>
                {
                    let quote = crate::quote::dollar_tag("fk", &attr(stmt, "name"));
                    // A partitioned table's key is added valid at once.
                    let part = on_partitioned(stmt);
                    d.script
                        .push(with(&with(stmt, "not_valid", !part), "quote", quote));
                    if !part {
                        d.script.push(validate(stmt));
                    }
                    // The rollback may run before the script did, and drops
                    // the key before the index it uses, outside its
                    // transaction as that index is.
                    d.rollback
                        .extend(new_undo.get(&stmt.key).into_iter().flatten().map(|&u| {
                            let mut u = with(u, "if_exists", true);
                            u.label = format!("{DROP_FOREIGN_KEY_FIRST} {}", attr(stmt, "name"));
                            u
                        }));
                }
                "add_foreign_key" if !fresh => {
                    d.forward.push(with(stmt, "not_valid", true));
                    d.script.push(validate(stmt));
                    d.rollback.extend(
                        new_undo
                            .get(&stmt.key)
                            .into_iter()
                            .flatten()
                            .map(|&u| u.clone()),
                    );
                }
                t if IN_TABLE.contains(&t)
                    && !fresh
                    && t != "create_table"
                    && !owns_new_object(stmt, old) => {}
                "create_table" if !fresh => {}
                // An index forced `unsafe` onto a table that existed
                // before is built directly: its rollback drops it.
                // A partitioned table's is dropped by the rollback before
                // its transaction, so its lock is held no longer than the drop.
                "create_index" if !is_new_table(stmt) => {
                    d.forward.push(stmt.clone());
                    let undo = if on_partitioned(stmt) {
                        let label = format!("{DROP_INDEX_FIRST} {}", attr(stmt, "name"));
                        drop_index_stmt(stmt, label, false)
                    } else {
                        drop_index(stmt)
                    };
                    d.rollback.push(mark(stmt, undo));
                }
                _ => {
                    d.forward.push(stmt.clone());
                    d.rollback.extend(undo_of(stmt, &new_undo));
                }
            }
            continue;
        }
        // Changed in place.
        let old_stmt = was.expect("checked above")[0].stmt;
        match stmt.template {
            "create_policy" | "create_trigger" => {
                d.forward.extend(drop_of(old_stmt, &old_undo));
                d.forward.push(stmt.clone());
                // The rollback runs in reverse: the new object (of the
                // same name) is dropped before the old one is created.
                d.rollback.push(old_stmt.clone());
                d.rollback.extend(drop_of(stmt, &new_undo));
            }
            "create_function" | "create_view" => {
                d.forward.push(or_replace(stmt));
                d.rollback.push(or_replace(old_stmt));
            }
            "comment" => {
                d.forward.push(stmt.clone());
                d.rollback.push(old_stmt.clone());
            }
            // A column added to a table with `phi` columns: granted to the
            // roles that read the table without them (the rollback drops
            // the column, and its grants with it).
            "compliance/column_reads" => d.forward.push(stmt.clone()),
            // A table joins or leaves a publication, or its columns change.
            "compliance/create_publication" => {
                d.forward.push(with(stmt, "alter", true));
                d.rollback.push(with(old_stmt, "alter", true));
            }
            _ => {}
        }
    }
    // Whole objects that disappear (a dropped table's own statements go
    // with the table; a dropped policy or view is dropped here).
    let after_tables: BTreeSet<&str> = after.tables.iter().map(|t| t.name.as_str()).collect();
    // Every label of `new.forward` is in `seen` by now.
    for stmt in &old.forward {
        if seen.contains(stmt.label.as_str()) {
            continue;
        }
        // A policy or trigger names its table in its context, not always
        // in its keys.
        let own = Some(attr(stmt, "table"))
            .filter(|t| !t.is_empty())
            .or_else(|| table_of(stmt));
        let in_dropped_table = own.is_some_and(|t| !after_tables.contains(t.as_str()));
        if in_dropped_table {
            continue;
        }
        match stmt.template {
            "create_policy"
            | "create_trigger"
            | "create_view"
            | "create_function"
            | "compliance/create_publication" => {
                d.forward.extend(drop_of(stmt, &old_undo));
                // Undone in reverse: created again, then its owner and
                // comment set as before.
                d.rollback
                    .extend(owner_and_comment(stmt, old).into_iter().rev());
                d.rollback.push(stmt.clone());
            }
            // An index goes only in a contract phase: during the expand
            // the running version may still need it (a derived index that
            // a new declared one covers is kept until then, too). It goes
            // after the phase's own drops (a key that used it first); the
            // rollback builds it again.
            //
            // Dropped concurrently by the script that runs before the
            // contract, so the table is never locked; the rollback builds it
            // again concurrently, after its transaction. A unique index a
            // foreign key of the old state stands on goes in the journal
            // file, after the phase drops that key.
            "create_index"
                if kind == PhaseKind::Contract
                    && !backs_foreign_key(stmt, old)
                    && !on_partitioned(stmt) =>
            {
                d.script.push(drop_index_concurrently(stmt));
                d.rollback.push(rebuild_index_concurrently(stmt));
            }
            // A unique index whose foreign keys the phase drops too: the
            // script drops those keys first, then the index concurrently.
            "create_index" if kind == PhaseKind::Contract && !on_partitioned(stmt) => {
                match keys_dropped_with(stmt, old, new) {
                    Some(keys) => {
                        d.script.extend(keys);
                        d.script.push(drop_index_concurrently(stmt));
                        d.rollback.push(rebuild_index_concurrently(stmt));
                    }
                    None => {
                        d.forward.push(mark(stmt, drop_index(stmt)));
                        d.rollback
                            .push(mark(stmt, with(stmt, "if_not_exists", true)));
                    }
                }
            }
            "create_index" if kind == PhaseKind::Contract => {
                d.forward.push(mark(stmt, drop_index(stmt)));
                d.rollback
                    .push(mark(stmt, with(stmt, "if_not_exists", true)));
            }
            _ => {}
        }
    }
    d
}

/// Whether `stmt` sets the owner of an object the `old` state does not
/// have (a new view or function: its owner is set with it).
fn owns_new_object(stmt: &Stmt, old: &Plan) -> bool {
    stmt.template == "set_owner"
        && stmt
            .deps
            .first()
            .is_some_and(|k| !old.forward.iter().any(|o| &o.key == k))
}

/// The statements of `plan` that set the owner of, or comment on, the
/// object `stmt` creates.
fn owner_and_comment(stmt: &Stmt, plan: &Plan) -> Vec<Stmt> {
    plan.forward
        .iter()
        .filter(|s| matches!(s.template, "set_owner" | "comment"))
        .filter(|s| s.deps.first() == Some(&stmt.key))
        .cloned()
        .collect()
}

/// Whether a foreign key of the `old` state stands on the index `stmt` creates.
fn backs_foreign_key(stmt: &Stmt, old: &Plan) -> bool {
    old.forward
        .iter()
        .any(|o| o.template == "add_foreign_key" && o.deps.contains(&stmt.key))
}

/// The drops of the foreign keys of `old` that stand on the index `stmt`
/// creates, when `new` has none of them: run before the index's concurrent
/// drop, which PostgreSQL refuses while a key needs the index.
fn keys_dropped_with(stmt: &Stmt, old: &Plan, new: &Plan) -> Option<Vec<Stmt>> {
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
fn needs_new_index(stmt: &Stmt, old: &Plan) -> bool {
    stmt.deps.iter().any(|k| {
        matches!(k, Key::Other(s) if s.starts_with("index "))
            && !old.forward.iter().any(|o| &o.key == k)
    })
}

/// Statements by the key they create, borrowed: a phase clones only the
/// few it emits.
fn by_key(stmts: &[Stmt]) -> HashMap<&Key, Vec<&Stmt>> {
    let mut out: HashMap<&Key, Vec<&Stmt>> = HashMap::new();
    for s in stmts {
        out.entry(&s.key).or_default().push(s);
    }
    out
}

/// The rollback statements of a new object (none for objects that go with
/// their table, such as indexes and triggers of a new table).
fn undo_of(stmt: &Stmt, undo: &HashMap<&Key, Vec<&Stmt>>) -> Vec<Stmt> {
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
fn drop_of(stmt: &Stmt, undo: &HashMap<&Key, Vec<&Stmt>>) -> Vec<Stmt> {
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

fn drop_template(create: &str) -> &'static str {
    match create {
        "create_policy" => "drop_policy",
        "create_view" => "drop_view",
        "create_function" => "drop_function",
        _ => "",
    }
}

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

/// A changed function or view, replaced in place.
fn or_replace(stmt: &Stmt) -> Stmt {
    Stmt {
        label: format!("{} (replace)", stmt.label),
        deps: Vec::new(),
        rank: 0,
        ..with(stmt, "or_replace", true)
    }
}

/// A new index on a table that already has rows: built without blocking
/// writes. An interrupted build leaves an invalid index behind, so a rerun
/// drops that first.
fn concurrently(stmt: &Stmt) -> Stmt {
    let build = with(&with(stmt, "concurrently", true), "if_not_exists", true);
    Stmt::new(
        "recipes/create_index_concurrently",
        format!("CreateIndexConcurrently {}", attr(stmt, "name")),
        build.ctx,
        stmt.key.clone(),
    )
}

/// Dropping the index `stmt` creates; concurrently, so that it never
/// blocks the table, when it was built so.
fn drop_index_stmt(stmt: &Stmt, label: String, concurrently: bool) -> Stmt {
    Stmt::new(
        "recipes/drop_index",
        label,
        minijinja::context! { schema => attr(stmt, "schema"), name => attr(stmt, "name"), concurrently },
        stmt.key.clone(),
    )
}

fn drop_index(stmt: &Stmt) -> Stmt {
    drop_index_stmt(stmt, format!("DropIndex {}", attr(stmt, "name")), false)
}

/// The undo of an index the script built concurrently: dropped
/// concurrently too, so it never blocks the table. It cannot run inside a
/// transaction: the rollback file runs it before its `BEGIN`
/// (see [`crate::emit`]).
fn drop_index_concurrently(stmt: &Stmt) -> Stmt {
    let label = format!("{DROP_INDEX_CONCURRENTLY} {}", attr(stmt, "name"));
    drop_index_stmt(stmt, label, true)
}

/// The undo of an index the script before a contract dropped
/// concurrently: built again concurrently, after the rollback's
/// transaction (see [`crate::emit`]).
fn rebuild_index_concurrently(stmt: &Stmt) -> Stmt {
    Stmt {
        label: format!("{REBUILD_INDEX_CONCURRENTLY} {}", attr(stmt, "name")),
        ..concurrently(stmt)
    }
}

pub use super::stmt::{
    DROP_FOREIGN_KEY_FIRST, DROP_INDEX_CONCURRENTLY, DROP_INDEX_FIRST, PROVE_NOT_NULL_FIRST,
    REBUILD_INDEX_CONCURRENTLY,
};

fn validate(stmt: &Stmt) -> Stmt {
    let name = attr(stmt, "name");
    Stmt::new(
        "recipes/validate_constraint",
        format!("ValidateConstraint {name}"),
        minijinja::context! { schema => attr(stmt, "schema"), table => attr(stmt, "table"), name },
        stmt.key.clone(),
    )
}
