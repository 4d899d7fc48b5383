//! `schema-ownership`: a project defines objects only in its own schema
//! ("each service owns its schema").

use crate::ast::Ident;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn objects_live_in_the_project_schema(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let qualified = p
        .tables
        .iter()
        .map(|t| ("table", &t.name, t.schema.as_ref()))
        .chain(p.views.iter().map(|v| ("view", &v.name, v.schema.as_ref())))
        .chain(p.enums.iter().map(|e| ("enum", &e.name, e.schema.as_ref())))
        .chain(p.functions.iter().map(|f| {
            (
                "function",
                &f.name,
                (f.decl.name.parts.len() > 1).then(|| &f.decl.name.parts[0]),
            )
        }));
    for (what, name, schema) in qualified {
        if let Some(s) = schema {
            report(p, what, name, s, out);
        }
    }
}

fn report(p: &Project, what: &str, name: &str, schema: &Ident, out: &mut Vec<Diagnostic>) {
    if schema.name == p.schema {
        return;
    }
    out.push(
        Diagnostic::of(
            Code::SchemaOwnership,
            format!(
                "{what} `{name}` is declared in schema `{}`, but project `{}` owns schema `{}`",
                schema.name, p.name, p.schema
            ),
        )
        .at(schema.span)
        .label("another schema")
        .help(format!(
            "declare it as `{name}`: each project defines objects only in its own schema"
        )),
    );
}
