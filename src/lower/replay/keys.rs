//! Foreign keys in the history replay: `add foreign key`, a column's `->`
//! and a created table's references, resolved against the tables replayed
//! so far and scoped by the tenant column as the declared tables are.
//!
//! Input: a step's reference and the replay up to it. Output: the
//! reference's columns and comparable text, recorded in its table's shape.

use super::super::replay_derived::add_reference;
use super::super::tables::{FkTarget, PendingFk};
use super::super::tenant_scope::{scope, Scope};
use super::Replay;
use crate::ast;
use crate::ir::shape::{self, Constraint, Reference, TableShape};
use crate::ir::FkAction;
use crate::span::Span;

impl Replay {
    /// A foreign key's columns, scoped by the tenant column where the
    /// lowering scopes them, and its comparable text.
    pub(super) fn scoped_foreign_key(
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
    pub(super) fn written_foreign_key(
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
}
