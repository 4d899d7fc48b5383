//! `duplicate-definition` for indexes: PostgreSQL keeps tables, indexes and
//! the indexes behind unique and primary-key constraints in one namespace
//! per schema, so two of them with one name make the second `CREATE` fail.
//! Generated index names avoid each other (see [`crate::ir::names::index`]);
//! what is left is a real duplicate: the same index written twice, or a
//! name given twice.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::names;
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn index_names_are_unique(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, (&str, Span)> = BTreeMap::new();
    for t in &p.tables {
        seen.entry(t.name.clone()).or_insert(("table", t.name_span));
    }
    for t in &p.tables {
        for (what, name, span) in names::of_table(t) {
            if !matches!(what, "index" | "unique constraint" | "primary key") {
                continue;
            }
            match seen.get(&name) {
                Some((first, at)) => out.push(
                    Diagnostic::error(
                        Code::DuplicateDefinition,
                        format!(
                            "{what} `{name}` of `{}` has the same name as {} {first}",
                            t.name,
                            if first.starts_with(['a', 'e', 'i', 'o', 'u']) {
                                "an"
                            } else {
                                "a"
                            }
                        ),
                    )
                    .at(span)
                    .with_label(*at, format!("the {first} `{name}`"))
                    .help(if what == "index" {
                        "remove the duplicate, or give one of them another name with `as NAME`"
                    } else {
                        "give one of them another name with `as NAME`"
                    }),
                ),
                None => {
                    seen.insert(name, (what, span));
                }
            }
        }
    }
}
