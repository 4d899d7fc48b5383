//! How [`State`] learns from the statements that define tables: the
//! columns, types, keys, constraints and foreign keys of `CREATE TABLE`
//! and `ALTER TABLE` operations.
//!
//! Input: a parsed statement and the lint context. Output: the state and
//! its [`super::Catalog`] updated.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, RenameTableNameKind, TableConstraint,
};

use super::{expr_column, is_not_null_check, ForeignKey, LintContext, Place, State};
use crate::lint::statement::{ident_name, object_name, Stmt};
use crate::lint::types::type_text;

impl State {
    pub(super) fn learn_create_table(
        &mut self,
        ct: &sqlparser::ast::CreateTable,
        s: &Stmt,
        cx: &LintContext,
    ) {
        let table = object_name(&ct.name);
        // `IF NOT EXISTS` may name a table that already exists, with rows
        // and readers: it is new only when it is surely created here.
        // A table the catalog already knows keeps its columns then.
        if !ct.if_not_exists {
            self.created_tables.insert(table.clone());
            self.catalog.columns.remove(&table);
            self.catalog.indexes.remove(&table);
        } else if self.catalog.columns.contains_key(&table) {
            return;
        }
        for (i, c) in ct.columns.iter().enumerate() {
            let col = ident_name(&c.name);
            let ty = written_type(s, i, &col, &c.data_type);
            self.catalog.add_column(&table, col.clone(), ty);
            self.learn_column_options(&table, &col, &c.options, s);
            if cx.tenant_column.as_deref() == Some(col.as_str()) {
                self.tenant_tables.insert(
                    table.clone(),
                    Place {
                        statement: s.range.clone(),
                        at: s.at_name(&ct.name),
                    },
                );
            }
        }
        for tc in &ct.constraints {
            self.learn_constraint(&table, tc, false, s, cx);
        }
    }

    pub(super) fn learn_column_options(
        &mut self,
        table: &str,
        col: &str,
        opts: &[sqlparser::ast::ColumnOptionDef],
        s: &Stmt,
    ) {
        for o in opts {
            match &o.option {
                ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) => {
                    self.catalog.add_index(table, vec![col.to_string()]);
                }
                ColumnOption::ForeignKey(fk) => self.foreign_keys.push(ForeignKey {
                    table: table.to_string(),
                    columns: vec![col.to_string()],
                    statement: s.range.clone(),
                    at: s.at_name(&fk.foreign_table),
                }),
                _ => {}
            }
        }
    }

    pub(super) fn learn_constraint(
        &mut self,
        table: &str,
        tc: &TableConstraint,
        not_valid: bool,
        s: &Stmt,
        cx: &LintContext,
    ) {
        match tc {
            TableConstraint::PrimaryKey(pk) => {
                let cols = pk
                    .columns
                    .iter()
                    .filter_map(|c| expr_column(&c.column.expr))
                    .collect();
                self.catalog.add_index(table, cols);
            }
            TableConstraint::Unique(u) => {
                let cols = u
                    .columns
                    .iter()
                    .filter_map(|c| expr_column(&c.column.expr))
                    .collect();
                self.catalog.add_index(table, cols);
            }
            TableConstraint::ForeignKey(fk) => {
                self.foreign_keys.push(ForeignKey {
                    table: table.to_string(),
                    columns: fk.columns.iter().map(ident_name).collect(),
                    statement: s.range.clone(),
                    at: s.at_words(&["FOREIGN", "KEY"]),
                });
                self.learn_not_valid(fk.name.as_ref(), not_valid, cx);
            }
            TableConstraint::Check(c) => {
                if let (Some(name), Some(col)) = (&c.name, is_not_null_check(&c.expr)) {
                    let name = ident_name(name);
                    if !not_valid {
                        self.catalog
                            .validated_not_null
                            .insert((table.to_string(), col.clone()));
                    }
                    self.catalog
                        .not_null_checks
                        .insert(name, (table.to_string(), col));
                }
                self.learn_not_valid(c.name.as_ref(), not_valid, cx);
            }
            _ => {}
        }
    }

    pub(super) fn learn_not_valid(
        &mut self,
        name: Option<&sqlparser::ast::Ident>,
        not_valid: bool,
        cx: &LintContext,
    ) {
        if let (Some(n), true) = (name, not_valid) {
            let tx = self.transaction(cx);
            self.not_valid.insert(ident_name(n), tx);
        }
    }

    pub(super) fn learn_alter(
        &mut self,
        table: &str,
        op: &AlterTableOperation,
        s: &Stmt,
        cx: &LintContext,
        next: &mut [usize; 2],
    ) {
        match op {
            AlterTableOperation::AddColumn { column_def: c, .. } => {
                let col = ident_name(&c.name);
                let ty = written_type(s, next[0], &col, &c.data_type);
                next[0] += 1;
                self.catalog.add_column(table, col.clone(), ty);
                self.learn_column_options(table, &col, &c.options, s);
            }
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => self.learn_constraint(table, constraint, *not_valid, s, cx),
            AlterTableOperation::ValidateConstraint { name } => {
                let name = ident_name(name);
                if let Some(tc) = self.catalog.not_null_checks.get(&name) {
                    self.catalog.validated_not_null.insert(tc.clone());
                }
            }
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } => {
                let col = ident_name(column_name);
                let ty = written_type(s, next[1], &col, data_type);
                next[1] += 1;
                self.catalog.add_column(table, col, ty);
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                for c in column_names {
                    let c = ident_name(c);
                    if let Some(cols) = self.catalog.columns.get_mut(table) {
                        cols.remove(&c);
                    }
                    self.catalog
                        .validated_not_null
                        .remove(&(table.to_string(), c));
                }
            }
            // A validated `IS NOT NULL` check follows its column's new name
            // (the shadow column of a type change takes the old name).
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let old = (table.to_string(), ident_name(old_column_name));
                let new = (table.to_string(), ident_name(new_column_name));
                self.catalog.validated_not_null.remove(&new);
                if self.catalog.validated_not_null.remove(&old) {
                    self.catalog.validated_not_null.insert(new);
                }
            }
            AlterTableOperation::RenameTable {
                table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
            } => self.rename_table(table, &object_name(n)),
            AlterTableOperation::EnableRowLevelSecurity => {
                self.rls_enabled.entry(table.to_string()).or_insert(Place {
                    statement: s.range.clone(),
                    at: s.at_words(&["ENABLE", "ROW", "LEVEL", "SECURITY"]),
                });
            }
            AlterTableOperation::ForceRowLevelSecurity => {
                self.rls_forced.insert(table.to_string());
            }
            _ => {}
        }
    }
}

/// The normalized type the statement writes for column `col`, the `i`th
/// of the types it writes: the text the rules already worked out for it
/// (`rules::written_types`, cached on the statement), or worked out here
/// when no rule asked.
fn written_type(s: &Stmt, i: usize, col: &str, dt: &sqlparser::ast::DataType) -> String {
    match s.written.get().and_then(|w| w.get(i)) {
        Some((name, ty, _)) if name == col => ty.clone(),
        _ => type_text(dt),
    }
}
