//! The migration history replayed from an empty database into table shapes
//! ([`crate::ir::shape`]), step by step, so each step can be checked against
//! what exists at that point and the end result compared with the declared
//! tables (`schema-drift`).
//!
//! Indexes and constraints are in [`items`], foreign keys in [`keys`].

mod items;
mod keys;
mod notes;

use super::replay_derived::{add_reference, rederive};
use super::tables::{lower_table, TableCx};
use crate::ast::{self, ColumnOpt};
use crate::ir::shape::{self, ColumnShape, Constraint, Reference, Shapes, TableShape};
use crate::ir::{Command, Project};
use crate::span::Span;

#[derive(Default)]
pub(super) struct Replay {
    pub tables: Shapes,
    /// Enums by name: values in order, and where they last changed.
    pub enums: shape::Enums,
    /// Views and functions by name, with their shape text.
    pub objects: crate::ir::object_shape::ObjectShapes,
    /// Extensions and role grants (see `replay_access`).
    pub access: crate::ir::access::Access,
    /// The tenant column, which scopes references between tenant tables.
    pub tenant: Option<String>,
    /// The target PostgreSQL major version.
    pub postgres: u32,
}

impl Replay {
    pub fn has_table(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }

    pub fn table(&mut self, name: &str, span: Span) -> Option<&mut TableShape> {
        self.tables.get_mut(name).map(|(t, s)| {
            *s = span;
            t
        })
    }

    pub fn column_type(&self, table: &str, column: &str) -> Option<String> {
        let (t, _) = self.tables.get(table)?;
        t.columns.get(column).map(|c| c.ty.clone())
    }

    /// Whether a column is in the primary key or any index, unique, check
    /// or foreign key of its table.
    pub fn is_column_constrained(&self, table: &str, column: &str) -> bool {
        let Some((t, _)) = self.tables.get(table) else {
            return false;
        };
        t.primary_key.iter().any(|c| c == column)
            || t.uniques.iter().any(|u| u.iter().any(|c| c == column))
            || t.indexes.iter().any(|i| mentions(i, column))
            || t.checks.iter().any(|c| mentions(c, column))
            || t.foreign_keys
                .iter()
                .any(|f| mentions(f.split("->").next().unwrap_or_default(), column))
    }

    pub fn columns(&self, table: &str) -> Vec<String> {
        self.tables
            .get(table)
            .map(|(t, _)| t.columns.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// `create table`: the table as the same lowering builds a declared one.
    pub fn create_table(&mut self, project: &Project, decl: &ast::TableDecl, span: Span) {
        let cx = TableCx {
            project: &project.name,
            conventions: &project.conventions,
            tenancy: project.tenancy.as_ref(),
            enums: project.enums.iter().map(|e| e.name.clone()).collect(),
            roles: &[],
            has_app_roles: true,
        };
        let mut pending = Vec::new();
        // Problems of the table's own shape are reported on the declared
        // tables and by the history checks; here only the shape matters.
        let mut table = lower_table(&cx, decl, 0, &mut pending, &mut Vec::new());
        // The tenant column's own index, where nothing declared leads with
        // it, is built with the table.
        super::references::derive_indexes(&mut table, project.tenancy.as_ref());
        let mut shape = TableShape::of(&table, |_| String::new());
        for fk in &pending {
            if let Some((cols, text)) = self.scoped_foreign_key(fk, &table.name, &shape) {
                // Named as the lowering names it: by its scoped columns.
                let name = fk
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_fkey", table.name, cols.join("_")));
                shape
                    .constraint_names
                    .insert(name, Constraint::ForeignKey(text.clone()));
                shape.foreign_keys.insert(text.clone());
                let indexed = fk.indexed;
                let r = Reference {
                    text,
                    columns: cols,
                    indexed,
                };
                add_reference(&mut shape, &table.name, r);
            }
        }
        self.tables.insert(table.name.clone(), (shape, span));
    }

    /// `add column`, with its inline constraints.
    pub fn add_column(&mut self, table: &str, def: &ast::ColumnDef, span: Span) {
        let mut col = ColumnShape {
            ty: def.ty.text.clone(),
            nullable: true,
            default: None,
            note: Default::default(),
        };
        let mut fks = Vec::new();
        let mut extra_checks = Vec::new();
        let mut unique = false;
        for opt in &def.opts {
            match opt {
                ColumnOpt::NotNull(_) | ColumnOpt::PrimaryKey(_) | ColumnOpt::Identity(_) => {
                    col.nullable = false
                }
                ColumnOpt::Default(d) => col.default = Some(shape::norm(&d.text)),
                ColumnOpt::Unique(_) => unique = true,
                ColumnOpt::Check(c) => extra_checks.push(shape::norm(&c.text)),
                ColumnOpt::References(r) => fks.push(r.clone()),
                ColumnOpt::Comment(c) => col.note.comment = Some(c.value.clone()),
                ColumnOpt::Classify(k) => {
                    col.note.classification = crate::ir::Classification::parse(&k.name)
                }
                _ => {}
            }
        }
        let fk_texts: Vec<(Vec<String>, String, bool)> = fks
            .iter()
            .filter_map(|r| {
                self.written_foreign_key(table, std::slice::from_ref(&def.name), r, span)
                    .map(|(cols, text)| (cols, text, r.no_index.is_none()))
            })
            .collect();
        let col_name = &def.name.name;
        if let Some(t) = self.table(table, span) {
            t.columns.insert(col_name.clone(), col);
            for c in extra_checks {
                t.constraint_names.insert(
                    format!("{table}_{col_name}_check"),
                    Constraint::Check(c.clone()),
                );
                t.checks.insert(c);
            }
            if unique {
                let u = vec![col_name.clone()];
                t.constraint_names.insert(
                    format!("{table}_{col_name}_key"),
                    Constraint::Unique(u.clone()),
                );
                t.uniques.insert(u);
            }
            for (cols, f, indexed) in fk_texts {
                t.constraint_names.insert(
                    format!("{table}_{}_fkey", cols.join("_")),
                    Constraint::ForeignKey(f.clone()),
                );
                t.foreign_keys.insert(f.clone());
                t.references.push(Reference {
                    text: f,
                    columns: cols,
                    indexed,
                });
            }
            rederive(t, table);
        }
    }

    pub fn add_policy(&mut self, table: &str, p: &ast::PolicyDef, span: Span) {
        let roles: Vec<String> = p.to.iter().map(|r| r.name.clone()).collect();
        if let Some(t) = self.table(table, span) {
            for c in p.commands.iter().filter_map(|c| Command::parse(&c.name)) {
                t.policies.insert(
                    shape::policy_text(c, &roles, &p.using, p.check.as_ref())
                        + if p.check_using.is_some() {
                            " check using"
                        } else {
                            ""
                        },
                );
            }
        }
    }

    pub fn drop_policy(&mut self, table: &str, command: &str, span: Span) {
        if let Some(t) = self.table(table, span) {
            let prefix = format!("{command} ");
            t.policies.retain(|p| !p.starts_with(&prefix));
        }
    }

    pub fn rename_column(&mut self, table: &str, from: &str, to: &str, span: Span) {
        if let Some(t) = self.table(table, span) {
            t.rename_column(from, to);
            rederive(t, table);
        }
    }

    /// `rename table`: the recipe renames the names sluice generated from
    /// the old name too.
    pub fn rename_table(&mut self, from: &str, to: &str, span: Span) {
        crate::ir::table_rename::rename_table(&mut self.tables, from, to, span);
    }

    /// `drop column`: PostgreSQL drops every index and constraint of the
    /// table that involves the column with it.
    pub fn drop_column(&mut self, table: &str, col: &str, span: Span) {
        if let Some(t) = self.table(table, span) {
            t.columns.remove(col);
            t.uniques.retain(|u| !u.iter().any(|c| c == col));
            t.indexes.retain(|i| !mentions(i, col));
            t.checks.retain(|c| !mentions(c, col));
            t.foreign_keys
                .retain(|f| !mentions(f.split("->").next().unwrap_or_default(), col));
            t.prune_names();
            rederive(t, table);
        }
    }
}

/// Whether `text` (SQL or a shape entry) names `column` as a whole word.
fn mentions(text: &str, column: &str) -> bool {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .any(|w| w == column)
}
