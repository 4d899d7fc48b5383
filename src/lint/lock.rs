//! The table lock a statement takes, as far as the rules care: the
//! strongest mode on a table that existed before this file (a table created
//! in the same file is invisible to other sessions, so its locks are free).

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, DetachPartitionMode, LockTableMode, ObjectType, Statement,
    TableConstraint,
};

use super::fallback::Known;
use super::state::State;
use super::statement::{object_name, Stmt};
use super::LintContext;

/// Lock modes in increasing strength (only those that matter here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockMode {
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    AccessExclusive,
}

impl LockMode {
    pub fn name(self) -> &'static str {
        match self {
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    pub mode: LockMode,
    pub table: String,
}

/// The strongest lock `s` takes on a pre-existing table.
pub fn taken(s: &Stmt, st: &State) -> Option<Lock> {
    let mut locks: Vec<(LockMode, String)> = Vec::new();
    if let Some(k) = &s.known {
        known(k, st, &mut locks);
    }
    if let Some(ast) = s.ast.as_deref() {
        statement(ast, st, &mut locks);
    }
    locks
        .into_iter()
        .filter(|(_, t)| !st.is_new_table(t) && !st.created_views.contains(t))
        .max_by_key(|(m, _)| *m)
        .map(|(mode, table)| Lock { mode, table })
}

fn known(k: &Known, st: &State, out: &mut Vec<(LockMode, String)>) {
    match k {
        Known::Cluster { table: Some(t) } | Known::SetTablespace { table: t } => {
            out.push((LockMode::AccessExclusive, t.clone()))
        }
        Known::DropIndex {
            concurrently,
            names,
            ..
        } => {
            let mode = if *concurrently {
                LockMode::ShareUpdateExclusive
            } else {
                LockMode::AccessExclusive
            };
            for n in names {
                out.push((mode, index_table(st, n)));
            }
        }
        Known::AddNotNullConstraint { table, .. } => {
            out.push((LockMode::AccessExclusive, table.clone()))
        }
        Known::CreateTrigger { table } => out.push((LockMode::ShareRowExclusive, table.clone())),
        _ => {}
    }
}

/// The table an index belongs to when this file created it, else the
/// index's own name (an unknown, existing relation).
fn index_table(st: &State, index: &str) -> String {
    st.created_indexes
        .get(index)
        .cloned()
        .unwrap_or_else(|| index.to_string())
}

fn statement(ast: &Statement, st: &State, out: &mut Vec<(LockMode, String)>) {
    use LockMode::*;
    match ast {
        Statement::AlterTable(at) => {
            let table = object_name(&at.name);
            for op in &at.operations {
                out.push((alter_mode(op), table.clone()));
                match op {
                    AlterTableOperation::AddConstraint {
                        constraint: TableConstraint::ForeignKey(fk),
                        ..
                    } => out.push((ShareRowExclusive, object_name(&fk.foreign_table))),
                    // `ADD COLUMN … REFERENCES t` locks `t` as a foreign key does.
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        for o in &column_def.options {
                            if let ColumnOption::ForeignKey(fk) = &o.option {
                                out.push((ShareRowExclusive, object_name(&fk.foreign_table)));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Statement::CreateIndex(ci) => {
            let mode = if ci.concurrently {
                ShareUpdateExclusive
            } else {
                Share
            };
            out.push((mode, object_name(&ci.table_name)));
        }
        Statement::CreateTable(ct) => {
            for tc in &ct.constraints {
                if let TableConstraint::ForeignKey(fk) = tc {
                    out.push((ShareRowExclusive, object_name(&fk.foreign_table)));
                }
            }
            for c in &ct.columns {
                for o in &c.options {
                    if let ColumnOption::ForeignKey(fk) = &o.option {
                        out.push((ShareRowExclusive, object_name(&fk.foreign_table)));
                    }
                }
            }
        }
        Statement::Drop {
            object_type, names, ..
        } => {
            for n in names {
                let name = object_name(n);
                match object_type {
                    ObjectType::Table | ObjectType::MaterializedView | ObjectType::View => {
                        out.push((AccessExclusive, name))
                    }
                    ObjectType::Index => out.push((AccessExclusive, index_table(st, &name))),
                    _ => {}
                }
            }
        }
        Statement::Truncate(t) => {
            for n in &t.table_names {
                out.push((AccessExclusive, object_name(&n.name)));
            }
        }
        Statement::CreatePolicy(p) => out.push((AccessExclusive, object_name(&p.table_name))),
        Statement::AlterPolicy(p) => out.push((AccessExclusive, object_name(&p.table_name))),
        Statement::DropPolicy(p) => out.push((AccessExclusive, object_name(&p.table_name))),
        Statement::CreateTrigger(t) => out.push((ShareRowExclusive, object_name(&t.table_name))),
        // Dropping a trigger (or a rule) changes how the table behaves for
        // every query: ACCESS EXCLUSIVE.
        Statement::DropTrigger(t) => {
            if let Some(table) = &t.table_name {
                out.push((AccessExclusive, object_name(table)));
            }
        }
        Statement::RefreshMaterializedView(r) => {
            let mode = if r.concurrently {
                Share
            } else {
                AccessExclusive
            };
            out.push((mode, object_name(&r.name)));
        }
        Statement::Vacuum(v) if v.full => {
            if let Some(t) = &v.table_name {
                out.push((AccessExclusive, object_name(t)));
            }
        }
        Statement::Lock(l) => {
            let mode = match l.lock_mode {
                Some(LockTableMode::AccessExclusive) | None => AccessExclusive,
                Some(LockTableMode::ShareRowExclusive) | Some(LockTableMode::Exclusive) => {
                    ShareRowExclusive
                }
                Some(LockTableMode::Share) => Share,
                _ => return,
            };
            for t in &l.tables {
                out.push((mode, object_name(&t.name)));
            }
        }
        _ => {}
    }
}

fn alter_mode(op: &AlterTableOperation) -> LockMode {
    use AlterTableOperation as Op;
    match op {
        Op::ValidateConstraint { .. } => LockMode::ShareUpdateExclusive,
        Op::DetachPartitionOf {
            mode: Some(DetachPartitionMode::Concurrently),
            ..
        } => LockMode::ShareUpdateExclusive,
        Op::AddConstraint {
            constraint: TableConstraint::ForeignKey(_),
            ..
        }
        | Op::EnableTrigger { .. }
        | Op::DisableTrigger { .. }
        | Op::EnableAlwaysTrigger { .. }
        | Op::EnableReplicaTrigger { .. } => LockMode::ShareRowExclusive,
        _ => LockMode::AccessExclusive,
    }
}
impl State {
    /// Learn the lock a statement takes: how many strong locks so far, and
    /// which tables the current transaction holds.
    pub(super) fn learn_lock(&mut self, s: &Stmt, cx: &LintContext) {
        let lock = taken(s, self);
        if let Some(l) = &lock {
            if l.mode >= LockMode::Share {
                self.strong_locks += 1;
            }
            if self.is_in_transaction(cx) {
                self.locked.insert(l.table.clone());
                if l.mode == LockMode::AccessExclusive && !self.doomed.contains(&l.table) {
                    self.exclusive_held.insert(l.table.clone());
                }
            }
        }
    }
}
