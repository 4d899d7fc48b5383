//! The steps that turn the views and functions a project's history builds
//! into the declared ones.
//!
//! Input: the declared views and functions, the replayed ones and the
//! sources. Output: `create` steps for new ones and `replace` steps for
//! changed ones in the expand (a view or function is replaced in place, so
//! the running app version keeps working), `drop` steps in the contract,
//! or a diagnostic when a function's parameters or result type change
//! (PostgreSQL cannot replace those).

use super::{Bucket, Draft};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::object_shape::{
    declared_view_text, function_signature, function_text, ObjectShapes,
};
use crate::ir::Project;
use crate::source::Sources;

pub(super) fn plan(
    p: &Project,
    sources: &Sources,
    built: &ObjectShapes,
    out: &mut Draft,
    diags: &mut Vec<Diagnostic>,
) {
    for v in p.views.iter() {
        let written = sources.text(v.span).trim().to_string();
        match built.views.get(&v.name) {
            None => out.expand(
                Bucket::Object,
                format!("create {written}"),
                format!(
                    "view `{}`: new, after the tables and columns it reads",
                    v.name
                ),
                format!("create_view_{}", v.name),
            ),
            Some((have, _)) if *have != declared_view_text(v) => out.expand(
                Bucket::Object,
                format!("replace {written}"),
                if v.materialized {
                    format!(
                        "materialized view `{}`: dropped and created again with its owner and grants (PostgreSQL cannot replace one in place)",
                        v.name
                    )
                } else {
                    format!(
                        "view `{}`: `CREATE OR REPLACE`, in place, so its readers never see it missing",
                        v.name
                    )
                },
                format!("replace_view_{}", v.name),
            ),
            Some(_) => {}
        }
    }
    for f in p.functions.iter() {
        let written = sources.text(f.span).trim().to_string();
        let Some((have, _)) = built.functions.get(&f.name) else {
            out.expand(
                Bucket::Object,
                format!("create {written}"),
                format!("function `{}`: new; nothing calls it yet", f.name),
                format!("create_function_{}", f.name),
            );
            continue;
        };
        if *have == function_text(&f.decl) {
            continue;
        }
        let sig = function_signature(&f.decl);
        if !have.starts_with(&sig) || have[sig.len()..].chars().next().is_some_and(|c| c != ' ') {
            diags.push(
                Diagnostic::of(
                    Code::PlanUnsupportedChange,
                    format!("`sluice plan` cannot change the parameters or result type of function `{}`", f.name),
                )
                .at(f.decl.name.span)
                .help(format!("PostgreSQL replaces a function of the same signature only: declare a function of another name (and drop `{}` once no app version calls it), or write the migration by hand", f.name)),
            );
            continue;
        }
        out.expand(
            Bucket::Object,
            format!("replace {written}"),
            format!(
                "function `{}`: `CREATE OR REPLACE`, in place, with the same signature",
                f.name
            ),
            format!("replace_function_{}", f.name),
        );
    }
    let drops = [
        (
            "view",
            &built.views,
            p.views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ),
        (
            "function",
            &built.functions,
            p.functions.iter().map(|f| f.name.as_str()).collect(),
        ),
    ];
    for (what, built, declared) in drops {
        for name in built.keys().filter(|n| !declared.contains(&n.as_str())) {
            out.contract(
                Bucket::DropObject,
                format!("drop {what} {name}"),
                format!("a {what} is dropped in the contract, once no app version uses it"),
                format!("drop_{what}_{name}"),
            );
        }
    }
}
