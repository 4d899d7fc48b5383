//! The steps that turn the enums a project's history builds into the
//! declared ones.
//!
//! Input: the declared enums, the replayed ones and the sources. Output:
//! `create enum` and `add value` steps in the expand (both online: nothing
//! uses a new type or value yet), `drop enum` in the contract, or a
//! diagnostic when declared values are removed or reordered (PostgreSQL
//! cannot drop an enum value).

use super::{Bucket, Draft};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::shape::Enums;
use crate::ir::Project;
use crate::source::Sources;

pub(super) fn plan(
    p: &Project,
    sources: &Sources,
    built: &Enums,
    out: &mut Draft,
    diags: &mut Vec<Diagnostic>,
) {
    for e in &p.enums {
        let Some((have, _)) = built.get(&e.name) else {
            out.expand(
                Bucket::CreateTable,
                format!("create {}", sources.text(e.span).trim()),
                format!(
                    "enum `{}`: a new type, before the tables that use it",
                    e.name
                ),
                format!("create_enum_{}", e.name),
            );
            continue;
        };
        if *have == e.values {
            continue;
        }
        // The built values must stay, in their order: the declared list
        // is them with new ones added around them.
        let kept: Vec<&String> = e.values.iter().filter(|v| have.contains(v)).collect();
        if kept.len() != have.len() || kept.iter().zip(have).any(|(a, b)| *a != b) {
            diags.push(
                Diagnostic::of(
                    Code::PlanUnsupportedChange,
                    format!(
                        "`sluice plan` cannot remove or reorder the values of enum `{}`: PostgreSQL cannot drop an enum value",
                        e.name
                    ),
                )
                .at(e.span)
                .help(format!(
                    "keep its values ({}) in that order and add new ones around them; to remove one, write the migration by hand: a new enum, `change type` of its columns, and `drop enum {}` in the contract",
                    have.join(", "),
                    e.name
                )),
            );
            continue;
        }
        for (i, v) in e.values.iter().enumerate() {
            if have.contains(v) {
                continue;
            }
            let at = match (i, e.values.get(1)) {
                (0, Some(next)) => format!(" before \"{next}\""),
                (0, None) => String::new(),
                _ => format!(" after \"{}\"", e.values[i - 1]),
            };
            out.expand(
                Bucket::CreateTable,
                format!("add value \"{v}\" to {}{at}", e.name),
                "adding an enum value is online: no row holds it yet".into(),
                format!("add_{}_{v}", e.name),
            );
        }
    }
    for name in built
        .keys()
        .filter(|n| !p.enums.iter().any(|e| e.name == **n))
    {
        out.contract(
            Bucket::DropTable,
            format!("drop enum {name}"),
            "a type is dropped in the contract, once no app version or column uses it".into(),
            format!("drop_enum_{name}"),
        );
    }
}
