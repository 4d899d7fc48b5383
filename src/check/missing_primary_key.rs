//! Tables without a primary key, when no `primary_key` convention gives
//! every table one (with a convention, `primary-key-not-uuid` reports
//! them): `missing-primary-key`, a warning. And the data moves sluice
//! pages by primary key (a `backfill`, the copy of a `rename column` or of
//! a `change type`) on such a table: `backfill-without-key`, an error,
//! since the script would have no key to page by.

use crate::ast::{Path, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn tables_have_primary_keys(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    if p.conventions.primary_key.is_none() {
        for t in p.tables.iter().filter(|t| t.primary_key.is_empty()) {
            out.push(
                Diagnostic::of(
                    Code::MissingPrimaryKey,
                    format!("table `{}` has no primary key", t.name),
                )
                .at(t.name_span)
                .help("declare one (`id uuid primary key default gen_random_uuid()`, or `primary key (a, b)`), or give every table one with `conventions { primary_key id uuid default gen_random_uuid() }`"),
            );
        }
    }
    let keyless = |path: &Path| -> Option<String> {
        let parts = &path.parts;
        let table = parts.get(parts.len().checked_sub(2)?)?;
        p.table(&table.name)
            .filter(|t| t.primary_key.is_empty())
            .map(|t| t.name.clone())
    };
    let mut report = |what: &str, path: &Path, span: Span| {
        if let Some(t) = keyless(path) {
            out.push(
                Diagnostic::of(
                    Code::BackfillWithoutKey,
                    format!(
                        "{what} on table `{t}` needs its primary key to page by, and it has none"
                    ),
                )
                .at(span)
                .help(format!(
                    "declare a primary key on `{t}` first (in an earlier migration)"
                )),
            );
        }
    };
    for m in &p.migrations {
        for b in &m.backfills {
            report("the backfill", &b.target, b.span);
        }
        for s in m.expand.iter().chain(&m.contract) {
            match &s.kind {
                StepKind::RenameColumn { column, .. } => {
                    report("the copy of `rename column`", column, s.span)
                }
                StepKind::ChangeType { column, .. } => {
                    report("the copy of `change type`", column, s.span)
                }
                _ => {}
            }
        }
    }
}
