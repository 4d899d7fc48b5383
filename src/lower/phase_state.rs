//! The syntax tree of a phase's schema, as the history builds it: each
//! step of a migration applied to the tables, views, functions, enums and
//! extensions the steps before it left.
//!
//! Input: a state and one step (and which half of it). Output: the state
//! after it. Each table is held behind an [`Arc`] and each list of objects
//! too, and a step changes only what it names through `Arc::make_mut`: a
//! table (or list) a step leaves alone stays the same `Arc`, which is how
//! lowering tells what a phase changed (see `phase_lowering`).

use std::sync::Arc;

use super::type_shadow::{is_shadowed_type_change, shadow_column};
use crate::ast::{self, ColumnOpt, StepKind, TableItem};
use crate::ir::Project;

mod contract;

/// Which half of a step to apply: a rename keeps both columns through the
/// expand phase and drops the old one in the contract phase.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Whole,
    Expand,
    ContractOfExpand,
}

#[derive(Default, Clone)]
pub(super) struct AstState {
    /// Tables the migration being applied creates itself.
    pub fresh: Vec<String>,
    pub tables: Vec<Arc<ast::TableDecl>>,
    pub views: Arc<Vec<ast::ViewDecl>>,
    pub functions: Arc<Vec<ast::FunctionDecl>>,
    pub enums: Arc<Vec<ast::EnumDecl>>,
    pub extensions: Arc<Vec<ast::ExtensionDecl>>,
    /// Grants the history carries so far.
    pub access: crate::ir::access::Access,
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
    /// The table called `name`, to change: it stops being shared.
    fn table(&mut self, name: &str) -> Option<&mut ast::TableDecl> {
        self.tables
            .iter_mut()
            .find(|t| t.name.last().name == name)
            .map(Arc::make_mut)
    }

    fn column(&mut self, path: &ast::Path) -> Option<&mut ast::ColumnDef> {
        let table = table_of(path)?.to_string();
        let col = path.last().name.clone();
        self.table(&table)?.items.iter_mut().find_map(|i| match i {
            TableItem::Column(c) if c.name.name == col => Some(Arc::make_mut(c)),
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
    pub(super) fn apply_lowered(
        &mut self,
        step: &ast::Step,
        part: Part,
        lower: &mut dyn FnMut(&AstState) -> Project,
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

    pub(super) fn apply(&mut self, step: &ast::Step, part: Part) {
        if part == Part::ContractOfExpand {
            self.finish(step);
            return;
        }
        match &step.kind {
            StepKind::CreateTable(t) => self.tables.push(Arc::new(t.clone())),
            StepKind::CreateView(v) => Arc::make_mut(&mut self.views).push(v.clone()),
            StepKind::CreateFunction(f) => Arc::make_mut(&mut self.functions).push(f.clone()),
            StepKind::CreateEnum(e) => Arc::make_mut(&mut self.enums).push(e.clone()),
            StepKind::CreateExtension(e) => Arc::make_mut(&mut self.extensions).push(e.clone()),
            // Replaced where it stands: views keep their order.
            StepKind::ReplaceView(v) => {
                let name = &v.name.last().name;
                let views = Arc::make_mut(&mut self.views);
                if let Some(x) = views.iter_mut().find(|x| x.name.last().name == *name) {
                    *x = v.clone();
                }
            }
            StepKind::ReplaceFunction(f) => {
                let name = &f.name.last().name;
                if let Some(x) = Arc::make_mut(&mut self.functions)
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
                        t.items.push(TableItem::Column(Arc::new(def)));
                    }
                }
            }
            StepKind::AddIndex { table, index } => {
                self.push_item(table, TableItem::Index(Box::new(index.clone())))
            }
            StepKind::AddForeignKey {
                table,
                columns,
                reference,
                name,
            } => self.push_item(
                table,
                TableItem::ForeignKey(Box::new(ast::ForeignKeyDef {
                    columns: columns.clone(),
                    reference: reference.clone(),
                    name: name.clone(),
                    span: step.span,
                })),
            ),
            StepKind::AddCheck { table, check } => {
                self.push_item(table, TableItem::Check(check.clone()))
            }
            StepKind::AddUnique { table, unique } => {
                self.push_item(table, TableItem::Unique(unique.clone()))
            }
            StepKind::AddPolicy { table, policy } => {
                self.push_item(table, TableItem::Policy(Box::new(policy.clone())))
            }
            StepKind::AddEnumValue {
                value,
                enum_name,
                position,
            } => {
                if let Some(e) = Arc::make_mut(&mut self.enums)
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
                        t.items.push(TableItem::Column(Arc::new(shadow)));
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
                        t.items.push(TableItem::Column(Arc::new(c)));
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

    fn drop(&mut self, kind: &str, target: &ast::Path) {
        let name = target.last().name.clone();
        match kind {
            "table" => self.tables.retain(|t| t.name.last().name != name),
            "view" => Arc::make_mut(&mut self.views).retain(|v| v.name.last().name != name),
            "function" => Arc::make_mut(&mut self.functions).retain(|f| f.name.last().name != name),
            "enum" | "type" => {
                Arc::make_mut(&mut self.enums).retain(|e| e.name.last().name != name)
            }
            "extension" => Arc::make_mut(&mut self.extensions).retain(|e| e.name.name != name),
            "column" => {
                if let Some(t) = table_of(target).map(str::to_string) {
                    if let Some(t) = self.table(&t) {
                        t.items.retain(|i| column_name(i) != Some(name.as_str()));
                    }
                }
            }
            "index" | "constraint" => {
                let keep = |i: &TableItem| match i {
                    TableItem::Index(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                    TableItem::Unique(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                    TableItem::Check(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                    TableItem::ForeignKey(x) => x.name.as_ref().is_none_or(|n| n.name != name),
                    _ => true,
                };
                // Only the table that holds it changes.
                for t in &mut self.tables {
                    if !t.items.iter().all(keep) {
                        Arc::make_mut(t).items.retain(keep);
                    }
                }
            }
            _ => {}
        }
    }
}
