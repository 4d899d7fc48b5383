//! New objects as `create` steps: the whole initial migration of a project
//! without history (with its extensions and role grants named), and the
//! tables a later migration adds.
//!
//! Input: declared objects and their sources. Output: `create` steps whose
//! text is each declaration as written (`was` hints cut), tables ordered so
//! that each comes after the tables its foreign keys point to.

use super::{text, Bucket, Draft};
use crate::ir::{Project, Role, Table};
use crate::source::Sources;

/// A project's first migration: its enums, tables, views and functions.
pub(super) fn draft(p: &Project, sources: &Sources, roles: &[Role]) -> Draft {
    let mut d = Draft::default();
    super::access::initial_extensions(p, sources, &mut d);
    for e in &p.enums {
        d.expand(
            Bucket::CreateTable,
            format!("create {}", sources.text(e.span).trim()),
            format!("enum `{}`, before the tables that use it", e.name),
            "initial".into(),
        );
    }
    create_tables(
        p,
        &p.tables.iter().map(|t| &**t).collect::<Vec<_>>(),
        sources,
        &mut d,
    );
    for v in p.views.iter() {
        d.expand(
            Bucket::Item,
            format!("create {}", sources.text(v.span).trim()),
            format!("view `{}`, after the tables it reads", v.name),
            "initial".into(),
        );
    }
    for f in p.functions.iter() {
        d.expand(
            Bucket::Item,
            format!("create {}", sources.text(f.span).trim()),
            format!("function `{}`", f.name),
            "initial".into(),
        );
    }
    super::access::initial_grants(p, sources, roles, &mut d);
    super::reads::initial(roles, &mut d);
    d
}

/// `create table` steps for `tables`, each after the tables it references.
pub(super) fn create_tables(p: &Project, tables: &[&Table], sources: &Sources, d: &mut Draft) {
    let mut done: Vec<&str> = Vec::new();
    let mut left: Vec<&Table> = tables.to_vec();
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|t| {
                t.foreign_keys.iter().all(|fk| {
                    let target = p.tables[fk.table].name.as_str();
                    target == t.name
                        || done.contains(&target)
                        || !left.iter().any(|l| l.name == target)
                })
            })
            .unwrap_or(0);
        let t = left.remove(ready);
        done.push(&t.name);
        d.expand(
            Bucket::CreateTable,
            format!(
                "create {}",
                text::without_hints(sources, t.span, &text::hints(t)).trim()
            ),
            format!(
                "table `{}` as declared: nobody uses it yet, so it needs no online recipe",
                t.name
            ),
            format!("create_{}", t.name),
        );
    }
}
