//! A later phase compared over the tables it touches, not the whole schema.
//!
//! Input: the schema before and after a phase (full IR), the migration and
//! the phase kind. Output: the [`PhasePlan`] that [`super::phase_from`]
//! gives on the whole states, or `None` when this cut cannot stand for
//! them: a step reaches beyond single tables (views, functions, enums,
//! SQL, grants, drops by name), or a compared object is not a touched
//! table's own. The caller then compares the whole states.
//!
//! A phase changes the tables its steps name. Both states are cut down to
//! those tables, the tables that refer to them, the audit trail and the
//! app roles table, and (without their own foreign keys) the tables these
//! reference, which their plans look up by index; the cut plans are
//! compared exactly as the whole ones are. A table outside the cut plans
//! alike in both states, so the whole comparison skips it too; so does
//! most of the cut, which is planned only as far as the comparison reads
//! it (see [`planning`]), and what no table owns (roles, schema, enums,
//! grants), left out of both plans when it would plan alike (see
//! [`shared_alike`]). When the comparison reports a table of the cut
//! that no step names (the target of a new key gains an index), that table
//! counts as changed and the phase is compared again with the tables
//! referring to it. The recipes, the views to rebuild and the grants still
//! read the whole states. A phase costs what it touches, not what the
//! schema holds.

use std::collections::{BTreeSet, HashSet};

use foldhash::fast::FixedState;

mod copies;
mod planning;

use super::delta::Delta;
use super::{attr, PhasePlan, Planned, Renderer};
use crate::ast::{self, StepKind};
use crate::ir::{
    names, AppRoles, Enum, Extension, Migration, PhaseKind, Project, Table, Workspace,
};
use crate::plan::schema::{Scope, Tabled};
#[cfg(debug_assertions)]
use crate::plan::stmt::Stmt;
pub use copies::TableCopies;
use planning::planning;

/// [`super::phase_from`] on the whole states, computed from the touched
/// tables; `None` when it cannot be. `copies` holds the tables the phases
/// before this one cut (a run of phases shares one).
pub fn phase_touched(
    ws: &Workspace,
    (before, after): (&Project, &Project),
    (migration, kind): (&Migration, PhaseKind),
    render: Renderer,
    copies: &mut TableCopies,
) -> Option<PhasePlan> {
    let steps: Vec<&ast::Step> = match kind {
        PhaseKind::Initial => return None,
        PhaseKind::Expand => migration.expand.iter().collect(),
        PhaseKind::Contract => migration.expand.iter().chain(&migration.contract).collect(),
    };
    let mut changed = BTreeSet::new();
    for s in steps {
        changed.extend(step_tables(s)?);
    }
    let states = [before, after];
    // A table the cut reports changed although no step names it (the
    // target of a new key gains an index; a table referring to a renamed
    // column follows it) joins the changed ones, with the tables that
    // refer to it, and the phase is compared again.
    for _ in 0..4 {
        let keep = cut(&states, &changed);
        let kept = [kept(before, &keep), kept(after, &keep)];
        let (b, a) = (
            restrict(before, (&keep, &kept[0]), copies)?,
            restrict(after, (&keep, &kept[1]), copies)?,
        );
        let planning = planning(&states, &kept, &changed, &keep);
        let plans = |t: &Table| planning.get(&t.name).copied().unwrap_or(Tabled::Whole);
        let scope = Scope {
            tables: &plans,
            shared: !shared_alike((before, after), (&b, &a)),
        };
        let old = Planned::of_scope(ws, &b, render, scope);
        let new = Planned::of_scope(ws, &a, render, scope);
        let (recipes, delta) = super::compared(ws, before, (after, &old, &new), migration, kind);
        let more = outside(&delta, &owned(&states, &changed))?;
        if more.is_empty() {
            let plan = super::assemble(ws, before, after, recipes, delta);
            #[cfg(debug_assertions)]
            same_as_whole(ws, (before, after), (migration, kind), render, &plan);
            return Some(plan);
        }
        if !more
            .iter()
            .all(|t| keep.full.contains(t) || keep.targets.contains(t))
        {
            return None;
        }
        changed.extend(more);
    }
    None
}

/// The tables a step changes, or `None` for a step that reaches further.
fn step_tables(step: &ast::Step) -> Option<Vec<String>> {
    let last = |p: &ast::Path| p.last().name.clone();
    let of_column = |p: &ast::Path| {
        let n = p.parts.len();
        (n >= 2).then(|| p.parts[n - 2].name.clone())
    };
    Some(match &step.kind {
        StepKind::CreateTable(t) => vec![last(&t.name)],
        StepKind::AddIndex { table, .. }
        | StepKind::AddForeignKey { table, .. }
        | StepKind::AddCheck { table, .. }
        | StepKind::AddUnique { table, .. }
        | StepKind::AddPolicy { table, .. }
        | StepKind::DropPolicy { table, .. }
        | StepKind::EnableRls(table) => vec![last(table)],
        StepKind::AddColumn { column, .. }
        | StepKind::SetNotNull(column)
        | StepKind::DropNotNull(column)
        | StepKind::SetDefault { column, .. }
        | StepKind::DropDefault(column)
        | StepKind::ChangeType { column, .. }
        | StepKind::RenameColumn { column, .. } => vec![of_column(column)?],
        StepKind::RenameTable { table, to } => vec![last(table), to.name.clone()],
        StepKind::Annotate(a) => vec![a.table()?.to_string()],
        StepKind::Drop { kind, target } => match kind.name.as_str() {
            "table" => vec![last(target)],
            "column" => vec![of_column(target)?],
            _ => return None,
        },
        // The column grants of every table the role reads.
        StepKind::Reads { .. } => return None,
        // The publication lists every table of the feed.
        StepKind::Publish { .. } | StepKind::Unpublish { .. } => return None,
        // A received table lies in another schema, planned in full.
        StepKind::Receive { .. } => return None,
        _ => return None,
    })
}

/// The tables to plan: in full, `changed`, the tables referring to them,
/// the audit trail and the app roles table; without their own foreign
/// keys, the tables those reference (a plan looks a key's target up by
/// index, for its name and indexes). A target of a changed table may
/// change itself: the comparison then shows it.
fn cut(states: &[&Project; 2], changed: &BTreeSet<String>) -> Cut {
    // Every table of both states is looked up: by hash, not down a tree.
    let is_named: HashSet<&str, FixedState> = changed.iter().map(|n| n.as_str()).collect();
    let mut full = changed.clone();
    for p in states {
        let named = |i: usize| p.tables.get(i).map(|t| t.name.clone());
        full.extend(p.audit_trail.and_then(named));
        if let Some(AppRoles::Table { table }) = &p.app_roles {
            full.extend(named(*table));
        }
        // Each table's name looked up once, not once per key naming it.
        let is_changed: Vec<bool> = p
            .tables
            .iter()
            .map(|t| is_named.contains(t.name.as_str()))
            .collect();
        for t in &p.tables {
            let refers = t
                .foreign_keys
                .iter()
                .any(|fk| is_changed.get(fk.table).copied().unwrap_or(false));
            if refers {
                full.insert(t.name.clone());
            }
        }
    }
    let mut targets = BTreeSet::new();
    let in_full: HashSet<&str, FixedState> = full.iter().map(|n| n.as_str()).collect();
    for p in states {
        for t in p
            .tables
            .iter()
            .filter(|t| in_full.contains(t.name.as_str()))
        {
            for fk in &t.foreign_keys {
                if let Some(x) = p.tables.get(fk.table) {
                    if !in_full.contains(x.name.as_str()) {
                        targets.insert(x.name.clone());
                    }
                }
            }
        }
    }
    Cut { full, targets }
}

/// The tables a cut plans with their keys, and those it plans without.
struct Cut {
    full: BTreeSet<String>,
    targets: BTreeSet<String>,
}

/// `p` with only the tables of the cut (at `kept`), their indexes
/// renumbered; `None` when a kept index points at a table left out.
fn restrict(
    p: &Project,
    (cut, kept): (&Cut, &[usize]),
    copies: &mut TableCopies,
) -> Option<Project> {
    let at = |old: usize| kept.binary_search(&old).ok();
    let mut tables = Vec::with_capacity(kept.len());
    for &i in kept {
        let t = &p.tables[i];
        // A table planned with its keys needs each target in the cut.
        let keys = match cut.full.contains(&t.name) {
            true => Some(
                t.foreign_keys
                    .iter()
                    .map(|fk| at(fk.table))
                    .collect::<Option<_>>()?,
            ),
            false => None,
        };
        tables.push(copies.of(t, keys));
    }
    let audit_trail = match p.audit_trail {
        Some(i) => Some(at(i)?),
        None => None,
    };
    let app_roles = match &p.app_roles {
        Some(AppRoles::Table { table }) => Some(AppRoles::Table { table: at(*table)? }),
        other => other.clone(),
    };
    Some(Project {
        name: p.name.clone(),
        span: p.span,
        database: p.database.clone(),
        schema: p.schema.clone(),
        postgres: p.postgres,
        out: p.out.clone(),
        schema_ts: p.schema_ts.clone(),
        app: p.app.clone(),
        app_roles,
        audit_trail,
        conventions: p.conventions.clone(),
        tenancy: p.tenancy.clone(),
        lint: p.lint.clone(),
        extensions: p.extensions.clone(),
        enums: p.enums.clone(),
        tables,
        // A phase whose steps reach views or functions is compared whole,
        // so both states plan the same ones, which the comparison drops;
        // the views a table change rebuilds are read from the whole states.
        views: Default::default(),
        functions: Default::default(),
        // The history and its replayed shapes: no plan reads them, and
        // copying them would cost what the whole project holds.
        migrations: Vec::new(),
        replayed: None,
        replayed_enums: None,
        replayed_objects: None,
        replayed_access: p.replayed_access.clone(),
        phases: Vec::new(),
    })
}

/// Whether the objects no table owns plan alike in both cut states (see
/// [`Scope::shared`]): the same extensions, enums and carried access in
/// the whole states, and the same tables, in the same order, in the cut
/// ones, which hold no views or functions. The roles and the project's
/// settings are the same in every state of its history.
fn shared_alike((before, after): (&Project, &Project), (b, a): (&Project, &Project)) -> bool {
    fn schema(e: &Enum) -> Option<&str> {
        e.schema.as_ref().map(|s| s.name.as_str())
    }
    let enums =
        |x: &Enum, y: &Enum| x.name == y.name && x.values == y.values && schema(x) == schema(y);
    let extensions = |x: &Extension, y: &Extension| {
        (&x.name, &x.schema, &x.version) == (&y.name, &y.schema, &y.version)
    };
    b.views.is_empty()
        && a.views.is_empty()
        && b.functions.is_empty()
        && a.functions.is_empty()
        && b.tables.len() == a.tables.len()
        && b.tables
            .iter()
            .zip(&a.tables)
            .all(|(x, y)| x.name == y.name)
        && before.enums.len() == after.enums.len()
        && before
            .enums
            .iter()
            .zip(&after.enums)
            .all(|(x, y)| enums(x, y))
        && before.extensions.len() == after.extensions.len()
        && (before.extensions.iter())
            .zip(&after.extensions)
            .all(|(x, y)| extensions(x, y))
        && before.replayed_access == after.replayed_access
}

/// The positions of the cut's tables in `p`, in order. Every table of
/// the state is looked up: by hash, not by comparing names down a tree.
fn kept(p: &Project, cut: &Cut) -> Vec<usize> {
    let names: HashSet<&str, FixedState> = cut
        .full
        .iter()
        .chain(&cut.targets)
        .map(|n| n.as_str())
        .collect();
    (0..p.tables.len())
        .filter(|&i| names.contains(p.tables[i].name.as_str()))
        .collect()
}

/// The changed tables and their partitions: the relations whose own
/// statements the cut comparison may report.
fn owned(states: &[&Project; 2], changed: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = changed.clone();
    for p in states {
        for t in p.tables.iter().filter(|t| changed.contains(&t.name)) {
            let count = t.partition.as_ref().and_then(|x| x.count).unwrap_or(0);
            out.extend((0..count).map(|n| names::partition(t, n)));
        }
    }
    out
}

/// Templates of statements about one table only, named by its `table`
/// attribute or its first table key: what a cut comparison may report.
/// Anything else (a view, a function, a publication listing many tables)
/// sends the phase to the whole comparison.
const ONE_TABLE: &[&str] = &[
    "create_table",
    "drop_table",
    "set_owner",
    "comment",
    "create_partition",
    "add_foreign_key",
    "drop_constraint",
    "create_index",
    "enable_rls",
    "create_policy",
    "drop_policy",
    "create_trigger",
    "compliance/column_reads",
    "recipes/create_index_concurrently",
    "recipes/drop_index",
    "recipes/validate_constraint",
    "recipes/drop_constraint",
    "recipes/drop_trigger",
];

/// The tables other than `owned` whose statements the comparison reports;
/// `None` when one is not about a single table.
fn outside(d: &Delta, owned: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    let table_of = crate::plan::stmt::table_of;
    let mut out = BTreeSet::new();
    for s in d.forward.iter().chain(&d.rollback).chain(&d.script) {
        if !ONE_TABLE.contains(&s.template) {
            return None;
        }
        let own = Some(attr(s, "table"))
            .filter(|t| !t.is_empty())
            .or_else(|| table_of(s))?;
        if !owned.contains(&own) {
            out.insert(own);
        }
    }
    Some(out)
}

/// Debug builds (every test) compare the cut plan with the whole one.
#[cfg(debug_assertions)]
fn same_as_whole(
    ws: &Workspace,
    (before, after): (&Project, &Project),
    (migration, kind): (&Migration, PhaseKind),
    render: Renderer,
    cut: &PhasePlan,
) {
    let whole = super::phase(ws, before, after, migration, kind, render);
    let texts = |p: &PhasePlan| {
        let of = |v: &[Stmt]| -> Vec<String> {
            v.iter()
                .map(|s| format!("{} {} {:?}\n{}", s.template, s.label, s.key, render(s)))
                .collect()
        };
        (
            of(&p.forward),
            of(&p.rollback),
            of(&p.script),
            p.irreversible.clone(),
            format!("{:?}", p.guards),
        )
    };
    assert_eq!(
        texts(cut),
        texts(&whole),
        "the phase compared over its touched tables differs from the whole comparison"
    );
}
