//! The migration history replayed from an empty database into table shapes
//! ([`crate::ir::shape`]), step by step, so each step can be checked against
//! what exists at that point and the end result compared with the declared
//! tables (`schema-drift`).

use super::replay_derived::{add_reference, drop_derived, rederive};
use super::tables::{lower_table, FkTarget, PendingFk, TableCx};
use super::tenant_scope::{scope, Scope};
use crate::ast::{self, ColumnOpt};
use crate::ir::names;
use crate::ir::shape::{self, ColumnShape, Constraint, Reference, Shapes, TableShape};
use crate::ir::{Command, FkAction, Project};
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

    /// A foreign key's columns, scoped by the tenant column where the
    /// lowering scopes them, and its comparable text.
    fn scoped_foreign_key(
        &self,
        fk: &PendingFk,
        own: &str,
        own_shape: &TableShape,
    ) -> Option<(Vec<String>, String)> {
        let columns: Vec<String> = fk.columns.iter().map(|c| c.name.clone()).collect();
        let (table, refs) = match &fk.target {
            FkTarget::Derived { table, column } => (table.clone(), vec![column.clone()]),
            FkTarget::Written(r) => self.target(r, own)?,
        };
        let target = if table == own {
            Some(own_shape)
        } else {
            self.tables.get(&table).map(|(t, _)| t)
        };
        let mut refs = if refs.is_empty() {
            target.map(|t| t.primary_key.clone()).unwrap_or_default()
        } else {
            refs
        };
        let mut columns = columns;
        // Scoped by the tenant column as the declared tables are.
        if let (Some(tenant), true) = (
            &self.tenant,
            own_shape.tenant && target.is_some_and(|t| t.tenant),
        ) {
            if let Scope::Widen = scope(tenant, &columns, &refs, fk.on_delete, self.postgres) {
                columns.insert(0, tenant.clone());
                refs.insert(0, tenant.clone());
            }
        }
        let text = shape::foreign_key_text(&columns, &table, &refs, fk.on_delete.as_sql());
        Some((columns, text))
    }

    /// Target table and explicit columns of a written reference.
    fn target(&self, r: &ast::Reference, own: &str) -> Option<(String, Vec<String>)> {
        let is_table = |n: &str| n == own || self.tables.contains_key(n);
        let explicit: Vec<String> = r.columns.iter().map(|c| c.name.clone()).collect();
        Some(match r.target.parts.as_slice() {
            [t] => (t.name.clone(), explicit),
            [a, b] if is_table(&a.name) => (a.name.clone(), vec![b.name.clone()]),
            [_, t] => (t.name.clone(), explicit),
            [_, t, c] => (t.name.clone(), vec![c.name.clone()]),
            _ => return None,
        })
    }

    /// `add column`, with its inline constraints.
    pub fn add_column(&mut self, table: &str, def: &ast::ColumnDef, span: Span) {
        let mut col = ColumnShape {
            ty: def.ty.text.clone(),
            nullable: true,
            default: None,
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

    /// `add unique on TABLE (cols) [as NAME]`.
    pub fn add_unique(&mut self, table: &str, u: &ast::UniqueDef, span: Span) {
        let cols: Vec<String> = u.columns.iter().map(|c| c.name.clone()).collect();
        let name = u.name.as_ref().map_or_else(
            || format!("{table}_{}_key", cols.join("_")),
            |n| n.name.clone(),
        );
        if let Some(t) = self.table(table, span) {
            t.constraint_names
                .insert(name, Constraint::Unique(cols.clone()));
            t.uniques.insert(cols);
            rederive(t, table);
        }
    }

    /// `add check on TABLE (expr) [as NAME]`; an unnamed one is found by
    /// the name the build gives it, the first `<table>_checkN` free (see
    /// `names::check`).
    pub fn add_check(&mut self, table: &str, c: &ast::CheckDef, span: Span) {
        let text = shape::norm(&c.expr.text);
        if let Some(t) = self.table(table, span) {
            let name = c.name.as_ref().map_or_else(
                || {
                    (1..)
                        .map(|n| format!("{table}_check{n}"))
                        .find(|n| !t.constraint_names.contains_key(n))
                        .unwrap_or_default()
                },
                |n| n.name.clone(),
            );
            t.constraint_names
                .entry(name)
                .or_insert(Constraint::Check(text.clone()));
            t.checks.insert(text);
        }
    }

    /// `drop constraint NAME`: whichever table holds it. Whether it existed.
    pub fn drop_constraint(&mut self, name: &str, span: Span) -> bool {
        for (table, (t, at)) in self.tables.iter_mut() {
            if t.drop_constraint(name) {
                *at = span;
                rederive(t, table);
                return true;
            }
        }
        false
    }

    pub fn add_index(&mut self, table: &str, ix: &ast::IndexDef, span: Span) {
        let ix = ir_index(ix);
        let keys: Vec<String> = ix
            .elems
            .iter()
            .map(|e| shape::key_text(&e.key, e.descending))
            .collect();
        let text = shape::index_text(ix.unique, &ix.method, &keys, ix.predicate.as_deref());
        if let Some(t) = self.table(table, span) {
            // The name `names::index` gives it in the table lowered from
            // the same history: a taken base name gets the hash.
            // A derived index's name is not: the build derives it after
            // the declared ones, and no longer once this one covers it.
            let name = ix.name.clone().unwrap_or_else(|| {
                let base = names::index_base(table, &ix);
                let taken = t
                    .index_names
                    .get(&base)
                    .is_some_and(|v| !t.derived.contains(v))
                    || t.constraint_names.contains_key(&base);
                if taken {
                    names::with_hash(&base, &ix)
                } else {
                    base
                }
            });
            t.indexes.insert(text.clone());
            if ix.predicate.is_none() {
                let lead = ix.leading_columns().into_iter().map(String::from);
                t.index_leads.insert(text.clone(), lead.collect());
            }
            t.index_names.insert(name, text);
            rederive(t, table);
        }
    }

    /// `drop index NAME`: whichever table holds it. Whether it existed.
    pub fn drop_index(&mut self, name: &str, span: Span) -> bool {
        for (table, (t, at)) in self.tables.iter_mut() {
            if let Some(text) = t.index_names.get(name).cloned() {
                *at = span;
                if drop_derived(t, table, &text) {
                    return true;
                }
                t.index_names.remove(name);
                t.indexes.remove(&text);
                t.index_leads.remove(&text);
                rederive(t, table);
                return true;
            }
        }
        false
    }

    pub fn add_foreign_key(
        &mut self,
        table: &str,
        columns: &[ast::Ident],
        r: &ast::Reference,
        name: Option<&ast::Ident>,
        span: Span,
    ) {
        if let Some((cols, text)) = self.written_foreign_key(table, columns, r, span) {
            let name = name.map_or_else(
                || format!("{table}_{}_fkey", cols.join("_")),
                |n| n.name.clone(),
            );
            if let Some(t) = self.table(table, span) {
                t.constraint_names
                    .insert(name, Constraint::ForeignKey(text.clone()));
                t.foreign_keys.insert(text.clone());
                let r = Reference {
                    text,
                    columns: cols,
                    indexed: r.no_index.is_none(),
                };
                add_reference(t, table, r);
            }
        }
    }

    /// The comparable text of a foreign key written in a step (`->` on a
    /// column, or `add foreign key`), resolved against the replay so far.
    fn written_foreign_key(
        &self,
        table: &str,
        columns: &[ast::Ident],
        r: &ast::Reference,
        span: Span,
    ) -> Option<(Vec<String>, String)> {
        let pending = PendingFk {
            table: 0,
            columns: columns.to_vec(),
            target: FkTarget::Written(r.clone()),
            name: None,
            on_delete: r
                .on_delete
                .as_ref()
                .map(|a| FkAction::parse(&a.name))
                .unwrap_or(FkAction::NoAction),
            on_update: FkAction::NoAction,
            indexed: true,
            origin: crate::ir::Origin::Declared,
            span,
        };
        let own = self
            .tables
            .get(table)
            .map(|(t, _)| t.clone())
            .unwrap_or_default();
        self.scoped_foreign_key(&pending, table, &own)
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

    pub fn rename_table(&mut self, from: &str, to: &str, span: Span) {
        if let Some((t, _)) = self.tables.remove(from) {
            self.tables.insert(to.to_string(), (t, span));
        }
        for (t, _) in self.tables.values_mut() {
            t.foreign_keys = std::mem::take(&mut t.foreign_keys)
                .into_iter()
                .map(|s| s.replace(&format!("-> {from}("), &format!("-> {to}(")))
                .collect();
            for r in &mut t.references {
                r.text = r.text.replace(&format!("-> {from}("), &format!("-> {to}("));
            }
        }
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

/// A step's index as the lowering builds it, for its name.
fn ir_index(ix: &ast::IndexDef) -> crate::ir::Index {
    crate::ir::Index {
        name: ix.name.as_ref().map(|n| n.name.clone()),
        unique: ix.unique,
        method: ix
            .method
            .as_ref()
            .map_or_else(|| "btree".to_string(), |m| m.name.to_lowercase()),
        elems: ix
            .elems
            .iter()
            .map(|e| crate::ir::IndexElem {
                key: match &e.key {
                    ast::IndexKey::Column(c) => crate::ir::IndexKey::Column(c.name.clone()),
                    ast::IndexKey::Expr(x) => crate::ir::IndexKey::Expr(x.text.clone()),
                },
                descending: e.descending,
                nulls_first: e.nulls.as_ref().map(|n| n.name == "first"),
                opclass: e.opclass.as_ref().map(|o| o.name.clone()),
            })
            .collect(),
        include: ix.include.iter().map(|c| c.name.clone()).collect(),
        predicate: ix.predicate.as_ref().map(|p| p.text.clone()),
        derived: false,
        span: ix.span,
    }
}
