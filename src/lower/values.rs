//! Shared helpers for lowering: value sets with suggestions, duplicate
//! detection, name resolution messages.

use std::collections::BTreeMap;

use crate::ast::Ident;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// Check that `ident` is one of `allowed`; report `invalid-value` otherwise.
pub(super) fn one_of<'a>(
    ident: &Ident,
    allowed: &[&'a str],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    if let Some(found) = allowed.iter().find(|a| **a == ident.name) {
        return Some(found);
    }
    let mut d = Diagnostic::error(
        Code::InvalidValue,
        format!("`{}` is not a valid {what}", ident.name),
    )
    .at(ident.span);
    if let Some(s) = did_you_mean(&ident.name, allowed.iter().copied()) {
        d = d.label(format!("did you mean `{s}`?"));
    }
    diags.push(d.help(format!("use one of: {}", quote_list(allowed))));
    None
}

pub(super) fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names defined in one scope, for duplicate detection.
#[derive(Default)]
pub(super) struct Scope<'a> {
    seen: BTreeMap<&'a str, Span>,
}

impl<'a> Scope<'a> {
    /// Record a definition; report `duplicate-definition` if the name is taken.
    /// Returns whether the name was new.
    pub fn define(
        &mut self,
        name: &'a str,
        span: Span,
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some(first) = self.seen.get(name) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateDefinition,
                    format!("{what} `{name}` is defined twice"),
                )
                .at(span)
                .label("defined again here")
                .with_label(*first, "first defined here")
                .help(format!(
                    "rename or remove one of the two definitions of `{name}`"
                )),
            );
            return false;
        }
        self.seen.insert(name, span);
        true
    }
}

/// `unknown-…` diagnostic with a "did you mean" among `candidates`.
pub(super) fn unknown<'a>(
    code: Code,
    what: &str,
    name: &str,
    span: Span,
    context: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    help: &str,
) -> Diagnostic {
    let d = Diagnostic::error(code, format!("{what} `{name}` is not defined{context}")).at(span);
    match did_you_mean(name, candidates) {
        Some(s) => d
            .label(format!("did you mean `{s}`?"))
            .help(format!("did you mean `{s}`? {help}")),
        None => d.label(format!("unknown {what}")).help(help.to_string()),
    }
}
