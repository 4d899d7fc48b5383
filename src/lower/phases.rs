//! Pass 8: the schema after each phase the build ships, as full IR.
//!
//! Input: a project's ordered migrations and the declarations of its folder.
//! Output: [`ir::Phase`]s in journal order — the first migration as the
//! initial phase, then each migration's expand phase, each contract phase
//! where a migration releases it — each with the [`ir::Project`] the
//! database holds once it ran. The history is replayed on the syntax tree
//! (a `create table` repeats a declaration, `add column` adds one to it)
//! and every state is lowered by the same passes as the declarations, so a
//! state derives its columns, indexes and policies exactly as they do.
//! Diagnostics of these re-lowerings are dropped: the declarations and the
//! history were already checked.

use super::collect::{Collected, ProjectFiles};
use super::{audit, objects, references, settings, tables};
use crate::ast::{self, ColumnOpt, StepKind, TableItem};
use crate::ir::{Migration, Phase, PhaseKind, Project, Workspace};

/// The phases of a project with a migration history, in journal order.
pub(super) fn phases(
    ws: &Workspace,
    c: &Collected,
    folder: &str,
    pf: &ProjectFiles,
    migrations: &[Migration],
) -> Vec<Phase> {
    let mut state = AstState::default();
    let mut out = Vec::new();
    // Each state holds the tables it leaves unchanged once.
    let mut shared = super::share_tables::Shared::default();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, m) in migrations.iter().enumerate() {
        by_name.entry(m.name.as_str()).or_insert(i);
    }
    // A drop by a generated name finds its object in the state lowered.
    let lower = |st: &AstState| lower_state(ws, c, folder, pf, st);
    for (i, m) in migrations.iter().enumerate() {
        if i == 0 {
            state.access.explicit_grants =
                super::replay_access::names_grants(&m.expand, &m.contract);
            state.access.explicit_reads = super::replay_reads::names_reads(&m.expand, &m.contract);
            super::replay_receive::first(
                &mut state.access,
                &m.expand.iter().chain(&m.contract).collect::<Vec<_>>(),
                migrations[1..]
                    .iter()
                    .flat_map(|l| l.expand.iter().chain(&l.contract)),
            );
            for s in m.expand.iter().chain(&m.contract) {
                state.apply_lowered(s, Part::Whole, &lower);
            }
            out.push(phase(lower(&state), i, PhaseKind::Initial, &mut shared));
        } else {
            state.fresh = created_tables(m);
            for s in &m.expand {
                state.apply_lowered(s, Part::Expand, &lower);
            }
            // A migration that only releases contracts has no expand file.
            let only_releases =
                m.expand.is_empty() && m.backfills.is_empty() && m.contract.is_empty();
            if !only_releases {
                out.push(phase(lower(&state), i, PhaseKind::Expand, &mut shared));
            }
        }
        for r in &m.releases {
            let Some(&t) = by_name.get(r.migration.name.as_str()) else {
                continue;
            };
            if t == 0 || t > i || !has_contract(&migrations[t]) {
                continue;
            }
            let released = &migrations[t];
            state.fresh = created_tables(released);
            for s in &released.expand {
                state.apply(s, Part::ContractOfExpand);
            }
            for s in &released.contract {
                state.apply_lowered(s, Part::Whole, &lower);
            }
            out.push(phase(lower(&state), t, PhaseKind::Contract, &mut shared));
        }
    }
    out
}

/// Tables a migration creates (and the names it renames them to): they
/// skip the online recipes.
pub fn created_tables(m: &Migration) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in m.expand.iter().chain(&m.contract) {
        match &s.kind {
            StepKind::CreateTable(t) => out.push(t.name.last().name.clone()),
            StepKind::RenameTable { table, to } if out.contains(&table.last().name) => {
                out.push(to.name.clone())
            }
            _ => {}
        }
    }
    out
}

/// The column that holds the new type while a type change is in flight.
pub fn shadow_column(column: &str) -> String {
    format!("{column}_new")
}

/// Whether `change type` goes through a shadow column: the table has rows
/// (it existed before the migration), the change is not forced `unsafe`,
/// and it is not a widening PostgreSQL does in place.
pub fn is_shadowed_type_change(step: &ast::Step, old: &str, new: &str, fresh_table: bool) -> bool {
    let in_place = match &step.kind {
        StepKind::ChangeType { column, using, .. } => crate::pg::type_change::is_in_place(
            &column.last().name,
            old,
            new,
            using.as_ref().map(|u| u.text.as_str()),
        ),
        _ => crate::pg::types::is_safe_widening(old, new),
    };
    step.unsafe_.is_none() && !fresh_table && !in_place
}

/// Whether a migration has work for a contract phase: its own contract
/// steps, or the second half of an expand step (a rename drops the old
/// column once no app version reads it; a unique index built concurrently
/// becomes the constraint; a type change swaps its shadow column in).
pub fn has_contract(m: &Migration) -> bool {
    !m.contract.is_empty()
        || m.expand.iter().any(|s| {
            matches!(
                s.kind,
                StepKind::RenameColumn { .. }
                    | StepKind::RenameTable { .. }
                    | StepKind::AddUnique { .. }
                    | StepKind::ChangeType { .. }
            )
        })
}

fn phase(
    mut lowered: Project,
    migration: usize,
    kind: PhaseKind,
    shared: &mut super::share_tables::Shared,
) -> Phase {
    shared.share(&mut lowered);
    Phase {
        migration,
        kind,
        state: Box::new(lowered),
    }
}

/// Lower a replayed state like a project folder's declarations.
fn lower_state(
    ws: &Workspace,
    c: &Collected,
    folder: &str,
    pf: &ProjectFiles,
    st: &AstState,
) -> Project {
    let files = ProjectFiles {
        decls: pf.decls.clone(),
        tables: st.tables.iter().collect(),
        views: st.views.iter().collect(),
        functions: st.functions.iter().collect(),
        enums: st.enums.iter().collect(),
        // The history's extensions only (see below).
        extensions: Vec::new(),
        migrations: Vec::new(),
        first_file: pf.first_file,
    };
    let mut ignored = Vec::new();
    let mut project = settings::project(ws, c, folder, &files, &mut ignored);
    let pending = tables::lower_tables(&mut project, &ws.roles, &files, &mut ignored);
    references::resolve(&mut project, pending, &c.projects, &mut ignored);
    audit::resolve_audit_trail(&mut project, &files, &mut ignored);
    objects::lower_objects(&mut project, c, &files, &mut ignored);
    // A state holds the extensions and role grants its history carries,
    // not the declared ones: a declared change lands in the migration
    // that carries it.
    project.extensions = super::replay_access::extensions(&st.extensions);
    project.replayed_access = Some(st.access.clone());
    settings::resolve_app_roles(std::slice::from_mut(&mut project), c, &mut ignored);
    project
}

/// Which half of a step to apply: a rename keeps both columns through the
/// expand phase and drops the old one in the contract phase.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Whole,
    Expand,
    ContractOfExpand,
}

#[derive(Default, Clone)]
struct AstState {
    /// Tables the migration being applied creates itself.
    fresh: Vec<String>,
    tables: Vec<ast::TableDecl>,
    views: Vec<ast::ViewDecl>,
    functions: Vec<ast::FunctionDecl>,
    enums: Vec<ast::EnumDecl>,
    extensions: Vec<ast::ExtensionDecl>,
    /// Grants the history carries so far.
    access: crate::ir::access::Access,
}

fn table_of(path: &ast::Path) -> Option<&str> {
    let n = path.parts.len();
    (n >= 2).then(|| path.parts[n - 2].name.as_str())
}

fn column_name(item: &TableItem) -> Option<&str> {
    match item {
        TableItem::Column(c) => Some(&c.name.name),
        _ => None,
    }
}

impl AstState {
    fn table(&mut self, name: &str) -> Option<&mut ast::TableDecl> {
        self.tables.iter_mut().find(|t| t.name.last().name == name)
    }

    fn column(&mut self, path: &ast::Path) -> Option<&mut ast::ColumnDef> {
        let table = table_of(path)?.to_string();
        let col = path.last().name.clone();
        self.table(&table)?.items.iter_mut().find_map(|i| match i {
            TableItem::Column(c) if c.name.name == col => Some(c),
            _ => None,
        })
    }

    fn push_item(&mut self, table: &ast::Path, item: TableItem) {
        if let Some(t) = self.table(&table.last().name) {
            t.items.push(item);
        }
    }

    /// [`Self::apply`], with `drop index|constraint NAME` of a name sluice
    /// generated resolved on the state lowered by `lower`.
    fn apply_lowered(
        &mut self,
        step: &ast::Step,
        part: Part,
        lower: &dyn Fn(&AstState) -> Project,
    ) {
        if let StepKind::Drop { kind, target } = &step.kind {
            if part != Part::ContractOfExpand
                && matches!(kind.name.as_str(), "index" | "constraint")
                && !self.has_named(&target.last().name)
            {
                let lowered = lower(self);
                super::drop_generated::drop(&mut self.tables, &lowered, &target.last().name);
                return;
            }
        }
        self.apply(step, part);
    }

    /// Whether an index or constraint carries `name` as its declared name.
    fn has_named(&self, name: &str) -> bool {
        let named = |n: &Option<ast::Ident>| n.as_ref().is_some_and(|n| n.name == name);
        self.tables.iter().flat_map(|t| &t.items).any(|i| match i {
            TableItem::Index(x) => named(&x.name),
            TableItem::Unique(x) => named(&x.name),
            TableItem::Check(x) => named(&x.name),
            TableItem::ForeignKey(x) => named(&x.name),
            _ => false,
        })
    }

    fn apply(&mut self, step: &ast::Step, part: Part) {
        if part == Part::ContractOfExpand {
            self.finish(step);
            return;
        }
        match &step.kind {
            StepKind::CreateTable(t) => self.tables.push(t.clone()),
            StepKind::CreateView(v) => self.views.push(v.clone()),
            StepKind::CreateFunction(f) => self.functions.push(f.clone()),
            StepKind::CreateEnum(e) => self.enums.push(e.clone()),
            StepKind::CreateExtension(e) => self.extensions.push(e.clone()),
            // Replaced where it stands: views keep their order.
            StepKind::ReplaceView(v) => {
                let name = &v.name.last().name;
                if let Some(x) = self.views.iter_mut().find(|x| x.name.last().name == *name) {
                    *x = v.clone();
                }
            }
            StepKind::ReplaceFunction(f) => {
                let name = &f.name.last().name;
                if let Some(x) = self
                    .functions
                    .iter_mut()
                    .find(|x| x.name.last().name == *name)
                {
                    *x = f.clone();
                }
            }
            StepKind::AddColumn { column, def } => {
                if let Some(t) = table_of(column).map(str::to_string) {
                    let mut def = def.clone();
                    def.name = column.last().clone();
                    if let Some(t) = self.table(&t) {
                        t.items.push(TableItem::Column(def));
                    }
                }
            }
            StepKind::AddIndex { table, index } => {
                self.push_item(table, TableItem::Index(index.clone()))
            }
            StepKind::AddForeignKey {
                table,
                columns,
                reference,
                name,
            } => self.push_item(
                table,
                TableItem::ForeignKey(ast::ForeignKeyDef {
                    columns: columns.clone(),
                    reference: reference.clone(),
                    name: name.clone(),
                    span: step.span,
                }),
            ),
            StepKind::AddCheck { table, check } => {
                self.push_item(table, TableItem::Check(check.clone()))
            }
            StepKind::AddUnique { table, unique } => {
                self.push_item(table, TableItem::Unique(unique.clone()))
            }
            StepKind::AddPolicy { table, policy } => {
                self.push_item(table, TableItem::Policy(policy.clone()))
            }
            StepKind::AddEnumValue {
                value,
                enum_name,
                position,
            } => {
                if let Some(e) = self
                    .enums
                    .iter_mut()
                    .find(|e| e.name.last().name == enum_name.last().name)
                {
                    let at = position
                        .as_ref()
                        .and_then(|(before, other)| {
                            let i = e.values.iter().position(|v| v.value == other.value)?;
                            Some(if *before { i } else { i + 1 })
                        })
                        .unwrap_or(e.values.len());
                    e.values.insert(at, value.clone());
                }
            }
            StepKind::SetNotNull(path) => {
                if let Some(c) = self.column(path) {
                    c.opts
                        .retain(|o| !matches!(o, ColumnOpt::Null(_) | ColumnOpt::NotNull(_)));
                    c.opts.push(ColumnOpt::NotNull(step.span));
                }
            }
            StepKind::DropNotNull(path) => {
                if let Some(c) = self.column(path) {
                    c.opts.retain(|o| !matches!(o, ColumnOpt::NotNull(_)));
                }
            }
            StepKind::SetDefault { column, expr } => {
                if let Some(c) = self.column(column) {
                    c.opts.retain(|o| !matches!(o, ColumnOpt::Default(_)));
                    c.opts.push(ColumnOpt::Default(expr.clone()));
                }
            }
            StepKind::DropDefault(path) => {
                if let Some(c) = self.column(path) {
                    c.opts.retain(|o| !matches!(o, ColumnOpt::Default(_)));
                }
            }
            StepKind::ChangeType { column, ty, .. } => {
                let table = table_of(column).unwrap_or_default().to_string();
                let fresh = self.fresh.contains(&table);
                let Some(c) = self.column(column) else {
                    return;
                };
                if part == Part::Expand
                    && is_shadowed_type_change(step, &c.ty.text, &ty.text, fresh)
                {
                    // The new type lives in a shadow column until the
                    // contract phase swaps it in.
                    let mut shadow = c.clone();
                    shadow.name.name = shadow_column(&c.name.name);
                    shadow.ty = ty.clone();
                    shadow
                        .opts
                        .retain(|o| matches!(o, ColumnOpt::Comment(_) | ColumnOpt::Classify(_)));
                    if let Some(t) = self.table(&table) {
                        t.items.push(TableItem::Column(shadow));
                    }
                } else {
                    c.ty = ty.clone();
                }
            }
            StepKind::RenameColumn { column, to } => {
                // Both columns live through the transition; the new one is
                // nullable until the contract phase drops the old one.
                if let Some(mut c) = self.column(column).cloned() {
                    c.name = to.clone();
                    c.opts
                        .retain(|o| matches!(o, ColumnOpt::Comment(_) | ColumnOpt::Classify(_)));
                    let table = table_of(column).unwrap_or_default().to_string();
                    if let Some(t) = self.table(&table) {
                        t.items.push(TableItem::Column(c));
                    }
                }
                if part == Part::Whole {
                    self.finish(step);
                }
            }
            StepKind::RenameTable { table, to } => {
                if let Some(t) = self.table(&table.last().name) {
                    t.name.parts.last_mut().expect("a path has a part").name = to.name.clone();
                }
                super::replay_access::apply(&mut self.access, &step.kind, step.span);
            }
            StepKind::DropPolicy { table, policy } => {
                if let Some(t) = self.table(&table.last().name) {
                    // `drop policy on T X` names a command (as the history
                    // replay reads it), or a policy's own `as` name.
                    for i in &mut t.items {
                        if let TableItem::Policy(p) = i {
                            if p.name.as_ref().is_none_or(|n| n.name != policy.name) {
                                p.commands.retain(|c| c.name != policy.name);
                            }
                        }
                    }
                    t.items.retain(|i| match i {
                        TableItem::Policy(p) => {
                            !p.commands.is_empty()
                                && p.name.as_ref().is_none_or(|n| n.name != policy.name)
                        }
                        _ => true,
                    });
                }
            }
            StepKind::Drop { kind, target } => {
                self.drop(&kind.name, target);
                if kind.name == "table" {
                    super::replay_access::apply(&mut self.access, &step.kind, step.span)
                }
            }
            StepKind::Publish { .. } | StepKind::Unpublish { .. } => {
                super::replay_feed::apply(&mut self.tables, &step.kind)
            }
            StepKind::Grant { .. }
            | StepKind::Revoke { .. }
            | StepKind::Reads { .. }
            | StepKind::Receive { .. } => {
                super::replay_access::apply(&mut self.access, &step.kind, step.span)
            }
            StepKind::Annotate(a) => super::annotate_state::apply(&mut self.tables, a),
            StepKind::EnableRls(_) | StepKind::Sql { .. } => {}
        }
    }

    /// The contract half of an expand step.
    fn finish(&mut self, step: &ast::Step) {
        if let StepKind::ChangeType { column, ty, .. } = &step.kind {
            let Some(table) = table_of(column).map(str::to_string) else {
                return;
            };
            let name = column.last().name.clone();
            let shadow = shadow_column(&name);
            let Some(t) = self.table(&table) else {
                return;
            };
            let Some(at) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(shadow.as_str()))
            else {
                return;
            };
            t.items.remove(at);
            if let Some(TableItem::Column(c)) = t
                .items
                .iter_mut()
                .find(|i| column_name(i) == Some(name.as_str()))
            {
                c.ty = ty.clone();
            }
            return;
        }
        if let StepKind::RenameColumn { column, to } = &step.kind {
            let Some(table) = table_of(column).map(str::to_string) else {
                return;
            };
            let from = column.last().name.clone();
            let Some(t) = self.table(&table) else {
                return;
            };
            let Some(old) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(from.as_str()))
            else {
                return;
            };
            let TableItem::Column(mut def) = t.items.remove(old) else {
                return;
            };
            def.name = to.clone();
            if let Some(new) = t
                .items
                .iter()
                .position(|i| column_name(i) == Some(to.name.as_str()))
            {
                t.items[new] = TableItem::Column(def);
            }
            for item in &mut t.items {
                rename_in_item(item, &from, &to.name);
            }
        }
    }

    fn drop(&mut self, kind: &str, target: &ast::Path) {
        let name = target.last().name.clone();
        match kind {
            "table" => self.tables.retain(|t| t.name.last().name != name),
            "view" => self.views.retain(|v| v.name.last().name != name),
            "function" => self.functions.retain(|f| f.name.last().name != name),
            "enum" | "type" => self.enums.retain(|e| e.name.last().name != name),
            "extension" => self.extensions.retain(|e| e.name.name != name),
            "column" => {
                if let Some(t) = table_of(target).map(str::to_string) {
                    if let Some(t) = self.table(&t) {
                        t.items.retain(|i| column_name(i) != Some(name.as_str()));
                    }
                }
            }
            "index" | "constraint" => {
                for t in &mut self.tables {
                    t.items.retain(|i| match i {
                        TableItem::Index(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                        TableItem::Unique(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                        TableItem::Check(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                        TableItem::ForeignKey(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                        _ => true,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Column lists of indexes and constraints follow a renamed column.
fn rename_in_item(item: &mut TableItem, from: &str, to: &str) {
    let fix = |ids: &mut Vec<ast::Ident>| {
        for id in ids.iter_mut() {
            if id.name == from {
                id.name = to.to_string();
            }
        }
    };
    match item {
        TableItem::Index(ix) => {
            for e in &mut ix.elems {
                if let ast::IndexKey::Column(c) = &mut e.key {
                    if c.name == from {
                        c.name = to.to_string();
                    }
                }
            }
            fix(&mut ix.include);
        }
        TableItem::Unique(u) => fix(&mut u.columns),
        TableItem::ForeignKey(f) => fix(&mut f.columns),
        TableItem::PrimaryKey { columns, .. } => fix(columns),
        _ => {}
    }
}
