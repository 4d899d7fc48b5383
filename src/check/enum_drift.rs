//! `schema-drift` for enums: replaying a project's migration history must
//! build exactly the declared enums, with their values in the declared
//! order (PostgreSQL compares enum values by that order).
//!
//! Input: a project's declared enums and the enums its history replays to.
//! Output: one `schema-drift` per enum missing, different or undeclared.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn history_builds_the_declared_enums(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(replayed), Some(_)) = (&p.replayed_enums, &p.replayed) else {
        return;
    };
    for e in &p.enums {
        match replayed.get(&e.name) {
            None => out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!("enum `{}` is declared but no migration creates it", e.name),
                )
                .at(e.span)
                .help(format!(
                    "add `create enum {} {{ … }}` to a new migration, or run `sluice plan`",
                    e.name
                )),
            ),
            Some((values, at)) if *values != e.values => out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!(
                        "the migration history gives enum `{}` the values ({}), declared ({})",
                        e.name,
                        values.join(", "),
                        e.values.join(", ")
                    ),
                )
                .at(e.span)
                .with_label(*at, "the history last changed the enum here")
                .help(format!(
                    "add the missing values with `add value \"VALUE\" to {} after \"…\"` (or run `sluice plan`); PostgreSQL cannot remove or reorder enum values",
                    e.name
                )),
            ),
            Some(_) => {}
        }
    }
    for (name, (_, at)) in replayed {
        if !p.enums.iter().any(|e| e.name == *name) {
            out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!("the migration history builds enum `{name}`, which is not declared"),
                )
                .at(*at)
                .help(format!(
                    "declare `enum {name}`, or drop it in a contract step: `drop enum {name}`"
                )),
            );
        }
    }
}
