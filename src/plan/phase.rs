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

use std::cell::OnceCell;
use std::collections::BTreeSet;

mod delta;
mod stmts;
mod touched;

use delta::delta;
pub use stmts::{attr, with};
pub use touched::{phase_touched, TableCopies};

use super::recipe::Recipes;
use super::schema::{initial_of, Scope};
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
    let renamed = super::renamed::before(before, migration, kind);
    let before = renamed.as_ref().unwrap_or(before);
    let old = Planned::new(ws, before, render);
    let new = Planned::new(ws, after, render);
    phase_from(ws, (before, &old), (after, &new), migration, kind)
}

/// The plan that creates a state from empty, with the text of each
/// forward statement a phase compares by text (see [`COMPARED`]), rendered
/// the first time a comparison needs it: what a phase compares. A build
/// plans each state once and hands it to the phases on both sides of it.
pub struct Planned<'r> {
    pub plan: Plan,
    texts: Vec<OnceCell<String>>,
    render: Renderer<'r>,
}

/// Templates whose statements a phase compares by their text: one that
/// changes is replaced in place (dropped and created again, or `OR
/// REPLACE`d, or its comment set again). Every other statement is compared
/// by its label only, so its text is not needed: an object that appears
/// or disappears is found by label, and a table's own changes come from
/// the steps' recipes, not from its `CREATE TABLE` text. Rendering only
/// these spares a phase most of its rendering.
pub(super) const COMPARED: &[&str] = &[
    "create_policy",
    "create_trigger",
    "create_function",
    "create_view",
    "comment",
    "compliance/column_reads",
    "compliance/create_publication",
];

/// Turns a statement into its SQL text; the render stage's, handed in by
/// the caller so that planning does not depend on rendering.
pub type Renderer<'r> = &'r dyn Fn(&Stmt) -> String;

impl<'r> Planned<'r> {
    pub fn new(ws: &Workspace, state: &Project, render: Renderer<'r>) -> Planned<'r> {
        Planned::of_scope(ws, state, render, Scope::WHOLE)
    }

    /// The plan of as much of `state` as `scope` says (see [`initial_of`]).
    pub fn of_scope(
        ws: &Workspace,
        state: &Project,
        render: Renderer<'r>,
        scope: Scope,
    ) -> Planned<'r> {
        let plan = initial_of(ws, state, scope);
        let texts = plan.forward.iter().map(|_| OnceCell::new()).collect();
        Planned {
            plan,
            texts,
            render,
        }
    }

    /// Whether forward statement `i` renders the same text as statement
    /// `j` of `other`, for a template compared by text (any other is the
    /// same when its label is). Statements made alike (template, header,
    /// label and the shape of their context: what the render cache keys
    /// by) render alike and are not rendered to be compared.
    fn same_text(&self, i: usize, other: &Planned, j: usize) -> bool {
        let (a, b) = (&self.plan.forward[i], &other.plan.forward[j]);
        let compared = |s: &Stmt| COMPARED.contains(&s.template);
        if !compared(a) {
            return true;
        }
        if !compared(b) {
            return false;
        }
        let made_alike = a.template == b.template
            && a.header == b.header
            && a.label == b.label
            && a.shape().is_some()
            && a.shape() == b.shape();
        made_alike || self.text(i) == other.text(j)
    }

    fn text(&self, i: usize) -> &str {
        self.texts[i].get_or_init(|| (self.render)(&self.plan.forward[i]))
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
    let (recipes, delta) = compared(ws, before, (after, old, new), migration, kind);
    assemble(ws, before, after, recipes, delta)
}

/// The phase's recipes, and the objects that appear, change or disappear
/// between the plans `old` and `new` (of `before` and `after`, or of the
/// part of them a phase touches).
fn compared<'a>(
    ws: &'a Workspace,
    before: &'a Project,
    (after, old, new): (&'a Project, &Planned, &Planned),
    migration: &'a Migration,
    kind: PhaseKind,
) -> (Recipes<'a>, delta::Delta) {
    let mut recipes = Recipes::new(ws, before, after, migration, kind);
    recipes.compile();
    let partitioned = partitioned(before, after);
    let mut direct = forced_direct(migration);
    direct.extend(partitioned.iter().copied());
    let mut delta = delta(
        old,
        new,
        after,
        kind,
        &recipes.new_tables(),
        (&direct, &partitioned),
    );
    // What a recipe writes, the comparison leaves out.
    for v in [&mut delta.forward, &mut delta.rollback] {
        v.retain(|s| !recipes.claimed.contains(&s.key));
    }
    // A `reads` step grants the columns of the tables it changes afresh.
    {
        let covered = super::recipe::reads::covers(&recipes.post);
        delta.forward.retain(|s| !covered(s));
    }
    (recipes, delta)
}

/// The phase's statements in the order they run, from its recipes and
/// the compared objects.
fn assemble(
    ws: &Workspace,
    before: &Project,
    after: &Project,
    recipes: Recipes,
    delta: delta::Delta,
) -> PhasePlan {
    let views = super::dependent_views::rebuild(ws, before, after);
    let mut plan = PhasePlan::default();
    // New types and extensions come before the steps whose columns use
    // them, and go after them in the rollback.
    let is_type = |s: &Stmt| matches!(s.template, "create_enum" | "create_extension");
    // Column grants a `grant` step writes after its table-wide grant.
    let by_steps: BTreeSet<&str> = recipes
        .post
        .iter()
        .filter(|s| s.template == "compliance/column_reads")
        .map(|s| s.label.as_str())
        .collect();
    let (types, rest): (Vec<Stmt>, Vec<Stmt>) = delta
        .forward
        .into_iter()
        .filter(|s| !on_rebuilt_view(s, &views.views) && !by_steps.contains(s.label.as_str()))
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
    let back = super::dependent_views::undo(ws, after, before);
    // The views it drops and creates again take their own statements with
    // them.
    let rest_undo = rest_undo
        .into_iter()
        .filter(|s| !on_rebuilt_view(s, &back.views));
    let mut undo = type_undo;
    undo.extend(recipes.undo);
    undo.extend(rest_undo);
    undo.reverse();
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

/// Whether `stmt` creates, replaces or drops one of `views`, or sets its
/// owner or comment.
fn on_rebuilt_view(stmt: &Stmt, views: &BTreeSet<String>) -> bool {
    let on = |k: Option<&Key>| matches!(k, Some(Key::Table(n)) if views.contains(n));
    on(Some(&stmt.key))
        || (matches!(stmt.template, "set_owner" | "comment") && on(stmt.deps.first()))
}

/// Templates whose objects live inside a table that existed before: the
/// steps change those (with online recipes), not the comparison.
pub(super) const IN_TABLE: &[&str] = &["create_table", "set_owner", "create_partition"];

/// Tables whose new indexes and foreign keys a step forces `unsafe`: built
/// in the journal file directly instead of concurrently / `NOT VALID`.
fn forced_direct(m: &Migration) -> BTreeSet<&str> {
    m.expand
        .iter()
        .chain(&m.contract)
        .filter(|s| s.unsafe_.is_some())
        .filter_map(|s| match &s.kind {
            StepKind::AddIndex { table, .. } | StepKind::AddForeignKey { table, .. } => {
                Some(table.last().name.as_str())
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
/// Borrowed: each phase asks, and the names would cost a copy each.
fn partitioned<'a>(before: &'a Project, after: &'a Project) -> BTreeSet<&'a str> {
    before
        .tables
        .iter()
        .chain(&after.tables)
        .filter(|t| t.partition.is_some())
        .map(|t| t.name.as_str())
        .collect()
}

pub use super::stmt::{
    DROP_FOREIGN_KEY_FIRST, DROP_INDEX_CONCURRENTLY, DROP_INDEX_FIRST, PROVE_NOT_NULL_FIRST,
    REBUILD_INDEX_CONCURRENTLY,
};
