//! `identifier-too-long`: PostgreSQL silently truncates names over 63
//! bytes, so two long names can collide. Generated names count too.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::names::{self, MAX_IDENTIFIER_BYTES};
use crate::ir::{Project, Workspace};
use crate::span::Span;

pub fn identifiers_fit_in_63_bytes(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for (what, name, span) in names::of_table(t) {
            check(what, &name, span, out);
        }
    }
    for v in p.views.iter() {
        check("view", &v.name, v.name_span, out);
    }
    for f in p.functions.iter() {
        check("function", &f.name, f.decl.name.span, out);
    }
    for e in &p.enums {
        check("enum", &e.name, e.span, out);
    }
}

fn check(what: &str, name: &str, span: Span, out: &mut Vec<Diagnostic>) {
    if name.len() <= MAX_IDENTIFIER_BYTES {
        return;
    }
    let mut cut = MAX_IDENTIFIER_BYTES;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    out.push(
        Diagnostic::of(
            Code::IdentifierTooLong,
            format!("{what} name `{name}` is {} bytes; PostgreSQL keeps only 63", name.len()),
        )
        .at(span)
        .help(format!(
            "shorten it (it would become `{}`); for a generated name, name the object yourself with `as NAME`",
            &name[..cut]
        )),
    );
}
