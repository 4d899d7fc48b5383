//! `schema-drift` for views and functions: replaying a project's migration
//! history must build exactly the declared ones.
//!
//! Input: a project's declared views and functions and those its history
//! replays to. Output: one `schema-drift` per view or function missing,
//! different or undeclared, with the step that closes it.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::object_shape::{declared_view_text, function_text};
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn history_builds_the_declared_objects(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let (Some(replayed), Some(_)) = (&p.replayed_objects, &p.replayed) else {
        return;
    };
    let views = p
        .views
        .iter()
        .map(|v| (v.name.as_str(), declared_view_text(v), v.name_span));
    compare("view", views, &replayed.views, out);
    let functions = p
        .functions
        .iter()
        .map(|f| (f.name.as_str(), function_text(&f.decl), f.decl.name.span));
    compare("function", functions, &replayed.functions, out);
}

fn compare<'a>(
    what: &str,
    declared: impl Iterator<Item = (&'a str, String, Span)>,
    built: &std::collections::BTreeMap<String, (String, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let mut names = Vec::new();
    for (name, text, span) in declared {
        names.push(name);
        match built.get(name) {
            None => out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!("{what} `{name}` is declared but no migration creates it"),
                )
                .at(span)
                .help(format!(
                    "add `create {what} {name} …` (its full declaration) to a new migration, or run `sluice plan`"
                )),
            ),
            Some((have, at)) if *have != text => out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!("{what} `{name}` is declared differently from what the migration history builds"),
                )
                .at(span)
                .with_label(*at, "the history last changed it here")
                .help(format!(
                    "add `replace {what} {name} …` (its full declaration) to a new migration, or run `sluice plan`"
                )),
            ),
            Some(_) => {}
        }
    }
    for (name, (_, at)) in built {
        if !names.contains(&name.as_str()) {
            out.push(
                Diagnostic::of(
                    Code::SchemaDrift,
                    format!("the migration history builds {what} `{name}`, which is not declared"),
                )
                .at(*at)
                .label("last changed here")
                .help(format!(
                    "declare it, or add `drop {what} {name}` to a new migration's contract"
                )),
            );
        }
    }
}
