//! The analytics feed in the history replay: a table joins a feed in the
//! `create table` step that creates it (`publish to` among its items) or
//! later by `publish TABLE to PROJECT [(col, …)]`, which also changes the
//! columns it sends, and leaves it by `unpublish TABLE from PROJECT`.
//!
//! Input: the history's steps, in order. Output: for `schema-drift` and
//! `sluice plan`, the feed the history leaves ([`Access::published`]); for
//! each phase's state, the table declarations with the `publish to` items
//! the history has given them by then ([`apply`]).

use std::sync::Arc;

use crate::ast::{self, StepKind, TableItem};
use crate::ir::access::Access;
use crate::span::Span;

/// The effect of a step on the feed the history carries.
pub(super) fn record(access: &mut Access, kind: &StepKind, span: Span) {
    let names = |cols: &Option<Vec<ast::Ident>>| {
        cols.as_ref()
            .map(|c| c.iter().map(|i| i.name.clone()).collect::<Vec<_>>())
    };
    match kind {
        StepKind::CreateTable(t) => {
            let table = &t.name.last().name;
            for item in &t.items {
                if let TableItem::Publish {
                    target, columns, ..
                } = item
                {
                    let key = (table.clone(), target.name.clone());
                    access.published.insert(key, (names(columns), span));
                }
            }
        }
        StepKind::Publish {
            table,
            target,
            columns,
        } => {
            let key = (table.last().name.clone(), target.name.clone());
            access.published.insert(key, (names(columns), span));
        }
        StepKind::Unpublish { table, target } => {
            access
                .published
                .remove(&(table.last().name.clone(), target.name.clone()));
        }
        StepKind::RenameTable { table, to } => {
            let from = &table.last().name;
            let moved: Vec<_> = access
                .published
                .iter()
                .filter(|((t, _), _)| t == from)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for ((_, target), v) in moved {
                access.published.remove(&(from.clone(), target.clone()));
                access.published.insert((to.name.clone(), target), v);
            }
        }
        StepKind::Drop { target, .. } => {
            let name = &target.last().name;
            access.published.retain(|(t, _), _| t != name);
        }
        _ => {}
    }
}

/// The effect of a `publish` or `unpublish` step on a phase's table
/// declarations: the table's `publish to` item for that target is
/// replaced, or removed.
pub(super) fn apply(tables: &mut [Arc<ast::TableDecl>], kind: &StepKind) {
    let (table, target, columns) = match kind {
        StepKind::Publish {
            table,
            target,
            columns,
        } => (table, target, Some(columns)),
        StepKind::Unpublish { table, target } => (table, target, None),
        _ => return,
    };
    let Some(t) = tables
        .iter_mut()
        .find(|t| t.name.last().name == table.last().name)
    else {
        return;
    };
    let t = Arc::make_mut(t);
    t.items
        .retain(|i| !matches!(i, TableItem::Publish { target: x, .. } if x.name == target.name));
    if let Some(columns) = columns {
        t.items.push(TableItem::Publish {
            target: target.clone(),
            columns: columns.clone(),
            span: target.span,
        });
    }
}
