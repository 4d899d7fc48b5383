//! The steps that turn one table, as its migration history builds it, into
//! the table as declared.
//!
//! Input: a declared table, its replayed shape and the sources. Output:
//! expand and contract steps with the reason for each recipe, or the
//! diagnostics of a change whose intent cannot be inferred (a new required
//! column without a default, a column that may have been renamed).

use super::{text, Bucket, Draft};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::diff::{self, ColumnDiff, Item};
use crate::ir::shape::{self, Constraint, TableShape};
use crate::ir::{Project, Table};
use crate::source::Sources;

pub(super) fn plan(
    p: &Project,
    sources: &Sources,
    t: &Table,
    built: &TableShape,
    out: &mut Draft,
    diags: &mut Vec<Diagnostic>,
) {
    let name = &t.name;
    let mut built = built.clone();
    for c in t.columns.iter() {
        let Some(old) = &c.was else { continue };
        if built.columns.contains_key(&old.name) && !built.columns.contains_key(&c.name) {
            built.rename_column(&old.name, &c.name);
            out.expand(
                Bucket::Rename,
                format!("rename column {name}.{} to {}", old.name, c.name),
                format!("`was {}`: a new column synced both ways by triggers while both app versions run; the contract drops the old one", old.name),
                format!("rename_{name}_{}", old.name),
            );
        }
    }
    let declared = TableShape::declared(p, t);
    let d = diff::table(&declared, &built);
    if d.is_empty() {
        return;
    }
    if d.key_differs {
        diags.push(
            Diagnostic::of(
                Code::PlanUnsupportedChange,
                format!("`sluice plan` cannot change the tenancy, owner or primary key of `{name}`"),
            )
            .at(t.name_span)
            .help("write this migration by hand (`sluice explain plan-unsupported-change`), or keep the table's tenancy, owner and key"),
        );
        return;
    }
    let mut blocked = false;
    for c in &d.columns {
        let ColumnDiff::Missing { name: col, want } = c else {
            continue;
        };
        let Some(column) = t.column(col) else {
            continue;
        };
        let vanished: Vec<&String> = d
            .extra_columns
            .iter()
            .filter(|e| built.columns.get(*e).is_some_and(|b| b.ty == want.ty))
            .collect();
        if let Some(old) = vanished.first() {
            diags.push(
                Diagnostic::of(
                    Code::PlanPossibleRename,
                    format!("`{name}.{col}` appears as `{name}.{old}` (also `{}`) disappears: it may be a rename", want.ty),
                )
                .at(column.span)
                .help(format!("if it is, say so on the declaration: `{col} {} was {old}`; if not, remove `{old}` and plan, then add `{col}` and plan again", want.ty)),
            );
            blocked = true;
            continue;
        }
        let required = !want.nullable && want.default.is_none();
        if required && !column.identity && column.generated.is_none() {
            diags.push(
                Diagnostic::of(
                    Code::PlanNeedsBackfill,
                    format!("new column `{name}.{col}` is `not null` without a default: its existing rows need a value"),
                )
                .at(column.span)
                .help(format!("give it a `default`, or write the migration by hand: `add column {name}.{col} {}`, `backfill {name}.{col} = EXPR`, and `set not null {name}.{col}` in its contract", want.ty)),
            );
            blocked = true;
        }
    }
    if blocked {
        return;
    }
    for c in &d.columns {
        match c {
            ColumnDiff::Missing { name: col, want } => {
                let Some(column) = t.column(col) else {
                    continue;
                };
                let volatile = want.default.as_deref().is_some_and(text::is_volatile);
                if volatile && !want.nullable {
                    let decl = text::without_not_null(&text::column(sources, column, want));
                    out.expand(
                        Bucket::Column,
                        format!("add column {name}.{decl}"),
                        "a volatile default: added nullable, new rows get the default and a script fills existing rows in batches".into(),
                        format!("add_{name}_{col}"),
                    );
                    out.contract(
                        Bucket::Column,
                        format!("set not null {name}.{col}"),
                        "once the script filled every row: a validated check first, so `SET NOT NULL` does not scan under its lock".into(),
                        format!("add_{name}_{col}"),
                    );
                    continue;
                }
                let why = if want.default.is_some() && !want.nullable {
                    "required with a default: PostgreSQL fills existing rows without rewriting the table"
                } else {
                    "a new column is invisible to the running app version"
                };
                out.expand(
                    Bucket::Column,
                    format!("add column {name}.{}", text::column(sources, column, want)),
                    why.to_string(),
                    format!("add_{name}_{col}"),
                );
            }
            ColumnDiff::Changed {
                name: col,
                have,
                want,
            } => {
                let label = format!("change_{name}_{col}");
                if have.ty != want.ty {
                    out.expand(
                        Bucket::Column,
                        format!("change type {name}.{col} to {}", want.ty),
                        "a shadow column of the new type synced by triggers (in place for a widening); the contract swaps it in".into(),
                        label.clone(),
                    );
                }
                if have.default != want.default {
                    let (step, why) = match &want.default {
                        Some(d) => (
                            format!("set default {name}.{col} = {d}"),
                            "a default applies to new rows only",
                        ),
                        None => (
                            format!("drop default {name}.{col}"),
                            "new rows get no default; existing rows keep their values",
                        ),
                    };
                    out.expand(Bucket::Column, step, why.into(), label.clone());
                }
                if have.nullable && !want.nullable {
                    out.contract(
                        Bucket::Column,
                        format!("set not null {name}.{col}"),
                        "once every app version writes it: a validated check first, so `SET NOT NULL` does not scan under its lock".into(),
                        label,
                    );
                } else if !have.nullable && want.nullable {
                    out.contract(
                        Bucket::Column,
                        format!("drop not null {name}.{col}"),
                        "once every app version handles NULL: the one still running during the expand never expects it".into(),
                        label,
                    );
                }
            }
        }
    }
    items(sources, t, &built, &d, out);
    super::notes::plan(t, &d.notes, out);
    for col in &d.extra_columns {
        out.contract(
            Bucket::DropColumn,
            format!("drop column {name}.{col}"),
            "a drop waits for the contract: the running app version may still read it".into(),
            format!("drop_{name}_{col}"),
        );
    }
}

/// Indexes, constraints and policies on one side only.
fn items(sources: &Sources, t: &Table, built: &TableShape, d: &diff::TableDiff, out: &mut Draft) {
    use shape::{index_text, key_text, norm};
    let name = &t.name;
    if let Some(ix) = d.item(Item::Index) {
        for missing in &ix.missing {
            // Declared, or the tenant column's own derived index.
            let Some(i) = t.indexes.iter().find(|i| {
                let keys: Vec<String> = i
                    .elems
                    .iter()
                    .map(|e| key_text(&e.key, e.descending))
                    .collect();
                index_text(i.unique, &i.method, &keys, i.predicate.as_deref()) == *missing
            }) else {
                continue;
            };
            out.add_index(sources, t, i);
        }
        for extra in &ix.extra {
            // A derived index that a new declared one covers is the
            // build's to drop (in the contract); one whose reference now
            // says `no index` is dropped by its name.
            let covered = built.derived.contains(extra)
                && t.foreign_keys.iter().any(|fk| {
                    fk.indexed && index_text(false, "btree", &fk.columns, None) == *extra
                });
            if covered {
                continue;
            }
            if let Some((n, _)) = built.index_names.iter().find(|(_, v)| *v == extra) {
                out.contract(
                    Bucket::DropItem,
                    format!("drop index {n}"),
                    "an index is dropped once no app version's queries rely on it".into(),
                    format!("drop_{n}"),
                );
            }
        }
    }
    if let Some(u) = d.item(Item::Unique) {
        for missing in &u.missing {
            let named = t.uniques.iter().find(|u| u.columns.join(", ") == *missing);
            let as_name = named
                .and_then(|u| u.name.as_ref())
                .map(|n| format!(" as {n}"))
                .unwrap_or_default();
            out.expand(
                Bucket::Item,
                format!("add unique on {name} ({missing}){as_name}"),
                "its index is built concurrently by a script; the contract attaches it as the constraint".into(),
                format!("add_unique_{name}"),
            );
        }
        for extra in &u.extra {
            let cols: Vec<String> = extra.split(", ").map(str::to_string).collect();
            drop_constraint(built, &Constraint::Unique(cols), out);
        }
    }
    if let Some(c) = d.item(Item::Check) {
        for missing in &c.missing {
            let Some(ch) = t.checks.iter().find(|c| norm(&c.expr.text) == *missing) else {
                continue;
            };
            let as_name = ch
                .name
                .as_ref()
                .map(|n| format!(" as {n}"))
                .unwrap_or_default();
            out.expand(
                Bucket::Item,
                format!("add check on {name} ({}){as_name}", ch.expr.text.trim()),
                "added `NOT VALID`, validated by a script without blocking writes".into(),
                format!("add_check_{name}"),
            );
        }
        for extra in &c.extra {
            drop_constraint(built, &Constraint::Check(extra.clone()), out);
        }
    }
    if let Some(f) = d.item(Item::ForeignKey) {
        for missing in &f.missing {
            out.expand(
                Bucket::Item,
                format!("add foreign key {name} {missing}"),
                "added `NOT VALID`, validated by a script without blocking writes".into(),
                format!("add_fk_{name}"),
            );
        }
        for extra in &f.extra {
            drop_constraint(built, &Constraint::ForeignKey(extra.clone()), out);
        }
    }
    if let Some(pd) = d.item(Item::Policy) {
        out.policies(sources, t, pd);
    }
}

fn drop_constraint(built: &TableShape, c: &Constraint, out: &mut Draft) {
    if let Some((n, _)) = built.constraint_names.iter().find(|(_, v)| *v == c) {
        out.contract(
            Bucket::DropItem,
            format!("drop constraint {n}"),
            "a constraint is dropped once no app version relies on it".into(),
            format!("drop_{n}"),
        );
    }
}
