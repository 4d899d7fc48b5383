//! The comparable shape of a view or a function: what a migration history
//! must build for its declaration to be true.
//!
//! Input: a view or function declaration (declared, or written in a
//! migration step). Output: one line of text per object, whitespace
//! normalised, so a declared object and a replayed one compare equal
//! exactly when PostgreSQL would hold the same definition; and
//! [`ObjectShapes`], the views and functions a history builds, by name.

use std::collections::BTreeMap;

use super::names::norm;
use crate::ast::{FunctionDecl, ViewDecl};
use crate::span::Span;

/// Views and functions by name: their shape text, with where each was
/// last written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ObjectShapes {
    pub views: BTreeMap<String, (String, Span)>,
    pub functions: BTreeMap<String, (String, Span)>,
}

/// `[materialized] [security invoker] [comment "…"] as <query>`
pub fn view_text(v: &ViewDecl) -> String {
    let query = v
        .query
        .as_ref()
        .map(|q| q.text.as_str())
        .unwrap_or_default();
    view_parts(
        v.materialized,
        v.security_invoker,
        v.comment.as_ref().map(|c| c.value.as_str()),
        query,
    )
}

/// The shape text of a lowered view.
pub fn declared_view_text(v: &super::View) -> String {
    view_parts(
        v.materialized,
        v.security_invoker,
        v.comment.as_deref(),
        &v.query.text,
    )
}

fn view_parts(materialized: bool, invoker: bool, comment: Option<&str>, query: &str) -> String {
    let mut s = String::new();
    if materialized {
        s.push_str("materialized ");
    }
    if invoker {
        s.push_str("security invoker ");
    }
    if let Some(c) = comment {
        s.push_str(&format!("comment {c:?} "));
    }
    s.push_str(&format!("as {}", norm(query)));
    s
}

/// `(param types) returns [setof] type`: what names one function to
/// PostgreSQL with its result type, which `CREATE OR REPLACE` cannot change.
pub fn function_signature(f: &FunctionDecl) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|(n, t)| format!("{} {}", n.name, norm(&t.text)))
        .collect();
    format!(
        "({}) returns {}{}",
        params.join(", "),
        if f.setof { "setof " } else { "" },
        norm(&f.returns.text)
    )
}

/// The signature, then language, volatility, security, settings, comment
/// and body.
pub fn function_text(f: &FunctionDecl) -> String {
    let mut s = function_signature(f);
    if let Some(l) = &f.language {
        s.push_str(&format!(" language {}", l.name.to_ascii_lowercase()));
    }
    if let Some(v) = &f.volatility {
        s.push_str(&format!(" {}", v.name.to_ascii_lowercase()));
    }
    if let Some((definer, _)) = f.security_definer {
        s.push_str(if definer {
            " security definer"
        } else {
            " security invoker"
        });
    }
    for (name, value) in &f.settings {
        s.push_str(&format!(" set {} = {}", name.name, norm(&value.text)));
    }
    if let Some(c) = &f.comment {
        s.push_str(&format!(" comment {:?}", c.value));
    }
    if let Some(b) = &f.body {
        s.push_str(&format!(" body {}", norm(&b.text)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_file;

    fn first_view(src: &str) -> ViewDecl {
        let f = crate::source::SourceFile::new(
            "p/views.sluice",
            src,
            crate::source::FileKind::Project("p".into()),
        );
        let (file, _) = parse_file(crate::span::FileId(0), &f);
        file.items
            .into_iter()
            .find_map(|i| match i {
                crate::ast::Item::View(v) => Some(v),
                _ => None,
            })
            .expect("a view")
    }

    #[test]
    fn a_view_shape_ignores_layout_but_not_the_query() {
        let a = first_view("view A {\n  as $$\n    select id,\n     title from notes\n  $$\n}\n");
        let b = first_view("view A = select id, title from notes\n");
        let c = first_view("view A = select id from notes\n");
        assert_eq!(view_text(&a), view_text(&b));
        assert_ne!(view_text(&a), view_text(&c));
    }
}
