//! Views and functions in the history replay: `create`, `replace` and
//! `drop view|function`, so that `schema-drift` and `sluice plan` compare
//! them with the declared ones.
//!
//! Input: the history's steps, in order. Output: each view and function
//! the history builds, with its shape text and where the history last
//! changed it ([`Replay::objects`]); diagnostics for a `create` of a name
//! that exists at that point, and a `replace` of one that does not.

use super::replay::Replay;
use crate::ast::{Path, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::object_shape::{function_signature, function_text, view_text};
use crate::span::Span;

impl Replay {
    pub fn object_step(&mut self, kind: &StepKind, span: Span, diags: &mut Vec<Diagnostic>) {
        let (what, name, text, replace) = match kind {
            StepKind::CreateView(v) => ("view", &v.name, view_text(v), false),
            StepKind::ReplaceView(v) => ("view", &v.name, view_text(v), true),
            StepKind::CreateFunction(f) => ("function", &f.name, function_text(f), false),
            StepKind::ReplaceFunction(f) => ("function", &f.name, function_text(f), true),
            _ => return,
        };
        let key = name.last().name.clone();
        let map = if what == "view" {
            &mut self.objects.views
        } else {
            &mut self.objects.functions
        };
        match (map.get(&key), replace) {
            (Some(_), false) => diags.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    format!("{what} `{key}` already exists at this point of the history"),
                )
                .at(name.span)
                .help(format!(
                    "write `replace {what} {key} …` to change it, or drop it in an earlier step"
                )),
            ),
            (None, true) => {
                diags.push(unknown(what, name));
                return;
            }
            (Some((old, _)), true) if what == "function" && !same_signature(old, kind) => {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`replace function {key}` changes its parameters or result type"),
                    )
                    .at(name.span)
                    .help(format!("PostgreSQL replaces a function of the same signature only: create a function of another name, or `drop function {key}` and `create` it again"))
                )
            }
            _ => {}
        }
        map.insert(key, (text, span));
    }

    /// `drop view|function NAME`.
    pub fn drop_object(&mut self, what: &str, target: &Path) {
        let key = &target.last().name;
        match what {
            "view" => self.objects.views.remove(key),
            "function" => self.objects.functions.remove(key),
            _ => None,
        };
    }
}

/// Whether a replaced function keeps the signature the history built.
fn same_signature(old: &str, kind: &StepKind) -> bool {
    match kind {
        StepKind::ReplaceFunction(f) => {
            let sig = function_signature(f);
            old.starts_with(&sig) && old[sig.len()..].chars().next().is_none_or(|c| c == ' ')
        }
        _ => true,
    }
}

fn unknown(what: &str, name: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownTable,
        format!(
            "no {what} `{}` exists at this point of the history",
            name.last().name
        ),
    )
    .at(name.span)
    .help(format!("`replace {what}` changes a {what} an earlier step created; write `create {what}` for a new one"))
}
