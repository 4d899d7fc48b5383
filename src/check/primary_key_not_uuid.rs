//! `primary-key-not-uuid`: every table's primary key is the configured UUID
//! column with its default (the blueprint: "All primary keys use UUID v4").

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Origin, Project, Workspace};

pub fn tables_have_uuid_primary_keys(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(conv) = &p.conventions.primary_key else {
        return;
    };
    let default = conv.default.as_deref().unwrap_or("");
    for t in &p.tables {
        let want = format!(
            "`{} {}{}`",
            conv.column,
            conv.ty.text,
            if default.is_empty() {
                String::new()
            } else {
                format!(" default {default}")
            }
        );
        let partitioned_key = is_id_plus_partition_key(t, &conv.column);
        if t.primary_key.len() != 1 && !partitioned_key {
            let span = t.primary_key_span.unwrap_or(t.name_span);
            out.push(
                Diagnostic::of(
                    Code::PrimaryKeyNotUuid,
                    if t.primary_key.is_empty() {
                        format!("table `{}` has no primary key", t.name)
                    } else {
                        format!("table `{}` has a composite primary key ({})", t.name, t.primary_key.join(", "))
                    },
                )
                .at(span)
                .help(format!(
                    "use the conventional key {want}, with a `unique (…)` constraint on the natural key; or `allow primary-key-not-uuid \"reason\"`"
                )),
            );
            continue;
        }
        let Some(col) = t.column(&t.primary_key[0]) else {
            continue;
        };
        if col.origin != Origin::PrimaryKey && col.origin != Origin::Declared {
            continue;
        }
        let type_ok = col.ty.base == conv.ty.base;
        let default_ok = default.is_empty()
            || col
                .default
                .as_ref()
                .is_some_and(|d| normalize(&d.text) == normalize(default));
        if !(type_ok && default_ok) {
            let problem = if type_ok {
                format!(
                    "the primary key `{}.{}` lacks the default `{default}`",
                    t.name, col.name
                )
            } else {
                format!(
                    "the primary key `{}.{}` is `{}`, not `{}`",
                    t.name, col.name, col.ty.text, conv.ty.text
                )
            };
            out.push(
                Diagnostic::of(Code::PrimaryKeyNotUuid, problem)
                    .at(col.span)
                    .help(format!(
                        "declare it as {want}, or drop the column and let the convention add it"
                    )),
            );
        }
    }
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A partitioned table's primary key must include the partition key, so
/// `(id, org_id)` under `partition by hash (org_id)` is the conventional key.
fn is_id_plus_partition_key(t: &crate::ir::Table, id: &str) -> bool {
    let Some(part) = &t.partition else {
        return false;
    };
    t.primary_key.len() > 1
        && t.primary_key.first().is_some_and(|c| c == id)
        && t.primary_key[1..].iter().all(|c| part.columns.contains(c))
        && part.columns.iter().all(|c| t.primary_key.contains(c))
}
