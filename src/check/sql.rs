//! SQL walking shared by the rules that look inside SQL fragments.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, visit_relations, Expr, FunctionArguments};

use crate::ast::SqlText;
use crate::lower::sql::{parse_expr, parse_statements};

/// A parsed fragment: one expression or a list of statements.
pub enum Parsed {
    Expr(Box<Expr>),
    Statements(Vec<sqlparser::ast::Statement>),
}

pub fn expr(t: &SqlText) -> Option<Parsed> {
    parse_expr(t).ok().map(|e| Parsed::Expr(Box::new(e)))
}

pub fn statements(t: &SqlText) -> Option<Parsed> {
    parse_statements(t).ok().map(Parsed::Statements)
}

/// Every relation (table or view) the fragment names, as written, lower
/// case, quotes removed: `["core", "app_permissions"]`.
pub fn relations(p: &Parsed) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut visit = |name: &sqlparser::ast::ObjectName| {
        out.push(
            name.to_string()
                .split('.')
                .map(|s| s.trim_matches('"').to_ascii_lowercase())
                .collect(),
        );
        ControlFlow::<()>::Continue(())
    };
    let _ = match p {
        Parsed::Expr(e) => visit_relations(e.as_ref(), &mut visit),
        Parsed::Statements(s) => visit_relations(s, &mut visit),
    };
    out
}

/// Every expression in the fragment (depth first).
pub fn expressions(p: &Parsed) -> Vec<Expr> {
    let mut out = Vec::new();
    let mut visit = |e: &Expr| {
        out.push(e.clone());
        ControlFlow::<()>::Continue(())
    };
    let _ = match p {
        Parsed::Expr(e) => visit_expressions(e.as_ref(), &mut visit),
        Parsed::Statements(s) => visit_expressions(s, &mut visit),
    };
    out
}

/// The name (lower case) and argument count of a function call.
pub fn call(e: &Expr) -> Option<(String, usize)> {
    let Expr::Function(f) = e else { return None };
    let args = match &f.args {
        FunctionArguments::List(l) => l.args.len(),
        FunctionArguments::None => 0,
        FunctionArguments::Subquery(_) => 1,
    };
    Some((f.name.to_string().to_ascii_lowercase(), args))
}

/// Bare column names an expression reads (`a`, and `t.a` as `a`).
pub fn column_names(p: &Parsed) -> Vec<String> {
    expressions(p)
        .iter()
        .filter_map(|e| match e {
            Expr::Identifier(i) => Some(i.value.to_ascii_lowercase()),
            Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
