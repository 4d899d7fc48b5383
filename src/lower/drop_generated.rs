//! `drop index NAME` / `drop constraint NAME` where NAME is one sluice
//! generated (an unnamed index, check, unique or foreign key), applied to
//! a replayed state.
//!
//! Input: the state's table declarations and the same state lowered to IR
//! (whose names are the emitted ones). Output: the declarations without the
//! item that carries that name — a table item, or a column's `unique`,
//! `check` or reference — found by its source span; for an index derived
//! for a foreign key, the reference marked `no index` instead. Whether one
//! was found.
//!
//! Unnamed table checks are numbered by position: dropping one would
//! renumber those after it, in the state, though not in the database. So
//! the table's other unnamed checks keep, from then on, the names the
//! database knows them by.

use std::sync::Arc;

use crate::ast::{self, ColumnOpt, TableItem};
use crate::ir::{names, Project, Table};
use crate::span::Span;

/// What carries a generated name in the declarations.
enum Target {
    /// A table item or column option at this span.
    Span(Span),
    /// A column's own `unique`.
    ColumnUnique(String),
    /// The reference (column option or table item) at this span, whose
    /// derived index is dropped: it is marked `no index`.
    NoIndex(Span),
}

/// Remove the object called `name` from `tables`, as `lowered` names it.
pub(super) fn drop(tables: &mut [Arc<ast::TableDecl>], lowered: &Project, name: &str) -> bool {
    let Some((table, target)) = find(lowered, name) else {
        return false;
    };
    let Some(t) = tables.iter_mut().find(|t| t.name.last().name == table) else {
        return false;
    };
    let t = Arc::make_mut(t);
    if let Some(lt) = lowered.table(&table) {
        if lt
            .checks
            .iter()
            .any(|c| c.name.is_none() && c.column.is_none() && names::check(lt, c) == name)
        {
            pin_checks(t, lt);
        }
    }
    match target {
        Target::Span(span) => {
            t.items.retain(|i| item_span(i) != Some(span));
            for i in &mut t.items {
                // A column is copied only when it loses an option.
                if let TableItem::Column(c) = i {
                    if c.opts.iter().any(|o| opt_span(o) == Some(span)) {
                        Arc::make_mut(c).opts.retain(|o| opt_span(o) != Some(span));
                    }
                }
            }
        }
        Target::NoIndex(span) => {
            for i in &mut t.items {
                match i {
                    TableItem::ForeignKey(fk) if fk.span == span => {
                        fk.reference.no_index = Some(span)
                    }
                    TableItem::Column(c)
                        if c.opts
                            .iter()
                            .any(|o| matches!(o, ColumnOpt::References(r) if r.span == span)) =>
                    {
                        for o in &mut Arc::make_mut(c).opts {
                            if let ColumnOpt::References(r) = o {
                                if r.span == span {
                                    r.no_index = Some(span);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Target::ColumnUnique(col) => {
            for i in &mut t.items {
                if let TableItem::Column(c) = i {
                    if c.name.name == col {
                        Arc::make_mut(c)
                            .opts
                            .retain(|o| !matches!(o, ColumnOpt::Unique(_)));
                    }
                }
            }
        }
    }
    true
}

/// Name each unnamed table check of `t` as `lowered` (the same table)
/// names it.
fn pin_checks(t: &mut ast::TableDecl, lowered: &Table) {
    for c in lowered
        .checks
        .iter()
        .filter(|c| c.name.is_none() && c.column.is_none())
    {
        let name = names::check(lowered, c);
        for i in &mut t.items {
            if let TableItem::Check(d) = i {
                if d.span == c.span && d.name.is_none() {
                    d.name = Some(ast::Ident {
                        name: name.clone(),
                        span: d.span,
                    });
                }
            }
        }
    }
}

fn find(p: &Project, name: &str) -> Option<(String, Target)> {
    for t in &p.tables {
        let found = if let Some(ix) = t
            .indexes
            .iter()
            .find(|ix| !ix.derived && names::index(t, ix) == name)
        {
            Some(Target::Span(ix.span))
        } else if let Some(span) = derived_reference(t, name) {
            Some(Target::NoIndex(span))
        } else if let Some(c) = t.checks.iter().find(|c| names::check(t, c) == name) {
            Some(Target::Span(c.span))
        } else if let Some(u) = t.uniques.iter().find(|u| names::unique(t, u) == name) {
            Some(Target::Span(u.span))
        } else if let Some(fk) = t
            .foreign_keys
            .iter()
            .find(|fk| names::foreign_key(t, fk) == name)
        {
            Some(Target::Span(fk.span))
        } else {
            t.columns
                .iter()
                .filter(|c| c.unique)
                .find(|c| format!("{}_{}_key", t.name, c.name) == name)
                .map(|c| Target::ColumnUnique(c.name.clone()))
        };
        if let Some(target) = found {
            return Some((t.name.clone(), target));
        }
    }
    None
}

/// The indexed foreign key whose derived index `t` calls `name`.
fn derived_reference(t: &Table, name: &str) -> Option<Span> {
    let ix = t
        .indexes
        .iter()
        .find(|ix| ix.derived && !ix.unique && names::index(t, ix) == name)?;
    let cols = ix.leading_columns();
    t.foreign_keys
        .iter()
        .find(|fk| {
            fk.indexed
                && fk
                    .columns
                    .iter()
                    .map(String::as_str)
                    .eq(cols.iter().copied())
        })
        .map(|fk| fk.span)
}

fn item_span(i: &TableItem) -> Option<Span> {
    match i {
        TableItem::Index(x) => Some(x.span),
        TableItem::Unique(x) => Some(x.span),
        TableItem::Check(x) => Some(x.span),
        TableItem::ForeignKey(x) => Some(x.span),
        _ => None,
    }
}

fn opt_span(o: &ColumnOpt) -> Option<Span> {
    match o {
        ColumnOpt::Check(e) => Some(e.span),
        ColumnOpt::References(r) => Some(r.span),
        _ => None,
    }
}
