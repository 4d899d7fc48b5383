//! Pass 5: views, functions, enums and extensions of a project.

use super::collect::{Collected, ProjectFiles};
use super::types::check_type;
use super::values::{one_of, Scope};
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;

const LANGUAGES: [&str; 2] = ["sql", "plpgsql"];
const VOLATILITY: [&str; 3] = ["immutable", "stable", "volatile"];

pub(super) fn lower_objects(
    project: &mut Project,
    c: &Collected,
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let mut ext_scope = Scope::default();
    for e in c.extensions.iter().chain(pf.extensions.iter()) {
        if ext_scope.define(&e.name.name, e.name.span, "extension", diags) {
            project.extensions.push(Extension {
                name: e.name.name.clone(),
                schema: e.schema.as_ref().map(|s| s.name.clone()),
                version: e.version.as_ref().map(|v| v.value.clone()),
                span: e.span,
            });
        }
    }

    // Tables, views and enums share one namespace in PostgreSQL (pg_class /
    // pg_type): a view may not reuse a table's name.
    let mut relations = Scope::default();
    for t in &pf.tables {
        relations.define(
            &t.name.last().name,
            t.name.last().span,
            "table",
            &mut Vec::new(),
        );
    }
    let mut types = Scope::default();
    for e in &pf.enums {
        let name = e.name.last();
        if !types.define(&name.name, name.span, "enum", diags) {
            continue;
        }
        let mut values = Scope::default();
        for v in &e.values {
            values.define(&v.value, v.span, "enum value", diags);
        }
        project.enums.push(Enum {
            name: name.name.clone(),
            schema: qualifier(&e.name),
            values: e.values.iter().map(|v| v.value.clone()).collect(),
            span: e.span,
        });
    }
    for v in &pf.views {
        let name = v.name.last();
        if !relations.define(&name.name, name.span, "relation", diags) {
            continue;
        }
        if let Some(query) = &v.query {
            std::sync::Arc::make_mut(&mut project.views).push(View {
                name: name.name.clone(),
                name_span: name.span,
                schema: qualifier(&v.name),
                materialized: v.materialized,
                security_invoker: v.security_invoker,
                comment: v.comment.as_ref().map(|c| c.value.clone()),
                query: query.clone(),
                span: v.span,
            });
        }
    }
    let enums: Vec<String> = project.enums.iter().map(|e| e.name.clone()).collect();
    let mut functions = Scope::default();
    for f in &pf.functions {
        let name = f.name.last();
        if !functions.define(&name.name, name.span, "function", diags) {
            continue;
        }
        check_function(f, &enums, diags);
        std::sync::Arc::make_mut(&mut project.functions).push(Function {
            decl: (*f).clone(),
            name: name.name.clone(),
            span: f.span,
        });
    }
}

pub(super) fn check_function(f: &ast::FunctionDecl, enums: &[String], diags: &mut Vec<Diagnostic>) {
    for (_, ty) in &f.params {
        check_type(ty, enums, diags);
    }
    if !matches!(f.returns.base.as_str(), "trigger" | "void" | "record") {
        check_type(&f.returns, enums, diags);
    }
    if let Some(l) = &f.language {
        one_of(l, &LANGUAGES, "function language", diags);
    } else {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("function `{}` does not say its language", f.name.dotted()),
            )
            .at(f.name.span)
            .help("add `language sql` or `language plpgsql` to the function's block"),
        );
    }
    if let Some(v) = &f.volatility {
        one_of(v, &VOLATILITY, "volatility", diags);
    }
    let mut params = Scope::default();
    for (p, _) in &f.params {
        params.define(&p.name, p.span, "parameter", diags);
    }
}

/// The schema in `schema.name`, if written.
fn qualifier(path: &ast::Path) -> Option<ast::Ident> {
    (path.parts.len() > 1).then(|| path.parts[0].clone())
}
