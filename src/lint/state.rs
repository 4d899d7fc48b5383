//! What a file has done so far, as the rules need to know it: tables and
//! indexes it created, its transaction, timeouts, constraints added `NOT
//! VALID`, locks held, row-level security and policies; and the
//! [`Catalog`] of column types and indexes learnt from earlier files.
//!
//! Rules only read the state; [`State::learn`] updates it after every rule
//! has judged a statement, so "created earlier in this file" means earlier.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use sqlparser::ast::{AlterTableOperation, CreatePolicyCommand, Expr, ObjectType, Statement};

use super::fallback::Known;
use super::statement::{ident_name, object_name, Stmt};
use super::LintContext;

mod ddl;
mod rename;

/// Facts carried from file to file in one run (a migrations folder).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// table → column → normalized type.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// table → the column lists indexes (and keys) lead with.
    pub indexes: BTreeMap<String, Vec<Vec<String>>>,
    /// constraint → (table, column) of a `CHECK (col IS NOT NULL)`.
    pub not_null_checks: BTreeMap<String, (String, String)>,
    /// (table, column) with a validated `IS NOT NULL` check.
    pub validated_not_null: BTreeSet<(String, String)>,
    /// The transaction a drizzle journal entry leaves open for the next.
    pub open: Open,
}

/// The facts of the transaction still open at the end of a journal entry,
/// which drizzle-orm's one transaction carries into the next (see
/// [`super::carry`]).
#[derive(Debug, Clone, Default)]
pub struct Open {
    /// Constraints added `NOT VALID` in it.
    pub not_valid: BTreeSet<String>,
}

impl Catalog {
    pub fn column_type(&self, table: &str, column: &str) -> Option<&str> {
        self.columns.get(table)?.get(column).map(String::as_str)
    }

    /// Whether some index on `table` leads with exactly `columns` (in any order).
    pub fn has_index_leading_with(&self, table: &str, columns: &[String]) -> bool {
        let want: BTreeSet<&String> = columns.iter().collect();
        self.indexes.get(table).is_some_and(|ixs| {
            ixs.iter().any(|ix| {
                ix.len() >= columns.len()
                    && ix[..columns.len()].iter().collect::<BTreeSet<_>>() == want
            })
        })
    }

    fn add_column(&mut self, table: &str, column: String, ty: String) {
        self.columns
            .entry(table.to_string())
            .or_default()
            .insert(column, ty);
    }

    fn add_index(&mut self, table: &str, columns: Vec<String>) {
        if !columns.is_empty() {
            self.indexes
                .entry(table.to_string())
                .or_default()
                .push(columns);
        }
    }
}

/// A foreign key seen in this file.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    pub statement: Range<usize>,
    pub at: Range<usize>,
}

/// Where something happened: its statement and the token to point at.
#[derive(Debug, Clone)]
pub struct Place {
    pub statement: Range<usize>,
    pub at: Range<usize>,
}

#[derive(Debug, Default)]
pub struct State {
    pub catalog: Catalog,
    pub created_tables: BTreeSet<String>,
    pub created_views: BTreeSet<String>,
    /// index → its table.
    pub created_indexes: BTreeMap<String, String>,
    /// Open explicit `BEGIN`s and where the outermost was.
    pub explicit_depth: u32,
    pub begin_at: Option<Place>,
    /// Transactions ended so far (identifies the current one).
    pub transaction_seq: u32,
    /// A `COMMIT` ended the transaction the runner opened: what follows
    /// runs outside it.
    pub left_runner: bool,
    /// Where the part's last statement that cannot run in a transaction
    /// starts: a `COMMIT` before it leaves the runner's transaction on
    /// purpose.
    pub last_non_transactional: Option<usize>,
    /// Where the part's last `VALIDATE CONSTRAINT` starts: a `COMMIT`
    /// before it may commit a constraint added `NOT VALID` on purpose.
    pub last_validation: Option<usize>,
    /// Statements in the part: one alone cannot fail half-way.
    pub part_statements: usize,
    pub lock_timeout: bool,
    pub statement_timeout: bool,
    /// Timeouts set with `SET LOCAL` in an explicit transaction: they end
    /// with it.
    local_timeouts: Vec<&'static str>,
    /// Where a `SET LOCAL …_timeout` ran outside any transaction, where it
    /// has no effect (PostgreSQL only warns).
    pub ineffective_local: BTreeMap<&'static str, Place>,
    /// Statements so far that took a strong lock on an existing table.
    pub strong_locks: usize,
    /// Existing tables locked ACCESS EXCLUSIVE in the current transaction
    /// (but for those the file drops).
    pub exclusive_held: BTreeSet<String>,
    /// Tables and views the file drops somewhere: gone once it has run, so
    /// holding their locks blocks nobody who could still use them (a
    /// rollback drops policies, triggers, then the tables).
    pub doomed: BTreeSet<String>,
    /// Existing tables locked at all in the current transaction.
    pub locked: BTreeSet<String>,
    /// constraint → the transaction that added it `NOT VALID` (None: autocommit).
    pub not_valid: BTreeMap<String, Option<u32>>,
    pub foreign_keys: Vec<ForeignKey>,
    /// table → where row-level security was enabled.
    pub rls_enabled: BTreeMap<String, Place>,
    pub rls_forced: BTreeSet<String>,
    /// table → commands its policies cover.
    pub policies: BTreeMap<String, BTreeSet<&'static str>>,
    /// Tables created in this file with the tenant column, and where.
    pub tenant_tables: BTreeMap<String, Place>,
}

impl State {
    pub fn with_catalog(catalog: Catalog) -> State {
        State {
            catalog,
            ..State::default()
        }
    }

    /// Whether the statement runs inside a transaction.
    pub fn is_in_transaction(&self, cx: &LintContext) -> bool {
        self.in_runner_transaction(cx) || self.explicit_depth > 0
    }

    /// Whether the statement runs in the transaction the runner opened
    /// (and no `BEGIN` of the file's own).
    pub fn in_runner_transaction(&self, cx: &LintContext) -> bool {
        cx.in_transaction && !self.left_runner && self.explicit_depth == 0
    }

    /// The current transaction, `None` in autocommit.
    pub fn transaction(&self, cx: &LintContext) -> Option<u32> {
        self.is_in_transaction(cx).then_some(self.transaction_seq)
    }

    /// Whether `table` was created earlier in this file (nobody sees it yet).
    pub fn is_new_table(&self, table: &str) -> bool {
        self.created_tables.contains(table)
    }

    /// Learn from a statement every rule has judged.
    pub fn learn(&mut self, s: &Stmt, cx: &LintContext) {
        self.learn_lock(s, cx);
        if let Some(k) = &s.known {
            self.learn_known(k);
        }
        let Some(ast) = s.ast.as_deref() else { return };
        match ast {
            // PostgreSQL ignores a `BEGIN` inside the runner's transaction
            // (it only warns): the file's `COMMIT` then ends the runner's.
            Statement::StartTransaction { .. }
                if self.in_runner_transaction(cx) && !cx.one_query => {}
            Statement::StartTransaction { .. } => {
                if self.explicit_depth == 0 {
                    self.begin_at = Some(Place {
                        statement: s.range.clone(),
                        at: s.head(),
                    });
                }
                self.explicit_depth += 1;
            }
            Statement::Commit { .. }
            | Statement::Rollback {
                savepoint: None, ..
            } => {
                if self.in_runner_transaction(cx) && !cx.one_query {
                    self.left_runner = true;
                }
                self.explicit_depth = self.explicit_depth.saturating_sub(1);
                if self.explicit_depth == 0 {
                    self.begin_at = None;
                    for name in std::mem::take(&mut self.local_timeouts) {
                        self.set_timeout(name, false);
                    }
                }
                self.end_transaction();
            }
            Statement::Set(set) => self.learn_set(set, s, cx),
            Statement::CreateTable(ct) => self.learn_create_table(ct, s, cx),
            Statement::CreateView(v) if v.materialized => {
                self.created_views.insert(object_name(&v.name));
            }
            Statement::CreateIndex(ci) => {
                let table = object_name(&ci.table_name);
                if let Some(n) = &ci.name {
                    self.created_indexes.insert(object_name(n), table.clone());
                }
                let cols = ci
                    .columns
                    .iter()
                    .map(|c| expr_column(&c.column.expr))
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default();
                self.catalog.add_index(&table, cols);
            }
            Statement::AlterTable(at) => {
                let table = object_name(&at.name);
                // Where the next added column and the next type change
                // stand among the types the statement writes.
                let added = at
                    .operations
                    .iter()
                    .filter(|op| matches!(op, AlterTableOperation::AddColumn { .. }))
                    .count();
                let mut next = [0, added];
                for op in &at.operations {
                    self.learn_alter(&table, op, s, cx, &mut next);
                }
            }
            Statement::CreatePolicy(p) => {
                let table = object_name(&p.table_name);
                let cmds: &[&'static str] = match p.command {
                    None | Some(CreatePolicyCommand::All) => {
                        &["select", "insert", "update", "delete"]
                    }
                    Some(CreatePolicyCommand::Select) => &["select"],
                    Some(CreatePolicyCommand::Insert) => &["insert"],
                    Some(CreatePolicyCommand::Update) => &["update"],
                    Some(CreatePolicyCommand::Delete) => &["delete"],
                };
                self.policies.entry(table).or_default().extend(cmds);
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for n in names {
                    let t = object_name(n);
                    self.catalog.columns.remove(&t);
                    self.catalog.indexes.remove(&t);
                }
            }
            _ => {}
        }
        if !self.is_in_transaction(cx) {
            self.end_transaction();
        }
    }

    fn end_transaction(&mut self) {
        self.transaction_seq += 1;
        self.exclusive_held.clear();
        self.locked.clear();
    }

    fn learn_known(&mut self, k: &Known) {
        match k {
            Known::AddNotNullConstraint {
                table,
                column,
                not_valid: false,
            } => {
                self.catalog
                    .validated_not_null
                    .insert((table.clone(), column.clone()));
            }
            // A `DO` block adding a `CHECK (col IS NOT NULL) NOT VALID` only
            // when it is missing, so that a later `VALIDATE` proves it.
            Known::Do { not_null_checks } => {
                for (table, name, column) in not_null_checks {
                    self.catalog
                        .not_null_checks
                        .insert(name.clone(), (table.clone(), column.clone()));
                }
            }
            _ => {}
        }
    }

    /// `SET [LOCAL] lock_timeout | statement_timeout`. `SET LOCAL` lasts
    /// until the end of the transaction, and outside one it does nothing.
    fn learn_set(&mut self, set: &sqlparser::ast::Set, s: &Stmt, cx: &LintContext) {
        let sqlparser::ast::Set::SingleAssignment {
            scope,
            variable,
            values,
            ..
        } = set
        else {
            return;
        };
        let name = match object_name(variable).as_str() {
            "lock_timeout" => "lock_timeout",
            "statement_timeout" => "statement_timeout",
            _ => return,
        };
        let on = !values.first().is_some_and(is_zero);
        if matches!(scope, Some(sqlparser::ast::ContextModifier::Local)) {
            if !self.is_in_transaction(cx) {
                self.ineffective_local.insert(
                    name,
                    Place {
                        statement: s.range.clone(),
                        at: s.head(),
                    },
                );
                return;
            }
            self.local_timeouts.push(name);
        }
        self.set_timeout(name, on);
    }

    fn set_timeout(&mut self, name: &str, on: bool) {
        match name {
            "lock_timeout" => self.lock_timeout = on,
            _ => self.statement_timeout = on,
        }
    }
}

/// `col IS NOT NULL` → `col`.
pub fn is_not_null_check(e: &Expr) -> Option<String> {
    match e {
        Expr::IsNotNull(inner) => expr_column(inner),
        Expr::Nested(inner) => is_not_null_check(inner),
        _ => None,
    }
}

/// A plain column reference → its name.
pub fn expr_column(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(ident_name(i)),
        Expr::CompoundIdentifier(parts) => parts.last().map(ident_name),
        Expr::Nested(inner) => expr_column(inner),
        _ => None,
    }
}

fn is_zero(e: &Expr) -> bool {
    let s = e.to_string();
    let s = s.trim_matches('\'');
    s == "0" || s == "0s" || s == "0ms"
}
