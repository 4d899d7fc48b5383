//! Builders for the database objects a project declares besides tables:
//! extensions, enums, views and functions. Input: the pest pair of the
//! declaration (or of the migration step that creates or replaces one).
//! Output: its AST declaration.

use pest::iterators::Pair;

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::{child, empty_path, sql, table, Context, Cx, Rule};

pub(in crate::parse) fn extension(cx: &mut Cx, pair: Pair<Rule>) -> ExtensionDecl {
    let span = cx.span(&pair);
    let mut name = None;
    let mut schema = None;
    let mut version = None;
    let mut after_schema = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::k_schema => after_schema = true,
            Rule::ident if name.is_none() => name = Some(cx.ident(p)),
            Rule::ident if after_schema => schema = Some(cx.ident(p)),
            Rule::string => version = Some(cx.string(p)),
            _ => {}
        }
    }
    ExtensionDecl {
        name: name.unwrap_or(Ident {
            name: String::new(),
            span,
        }),
        schema,
        version,
        span,
    }
}

pub(in crate::parse) fn enum_decl(cx: &mut Cx, pair: Pair<Rule>) -> EnumDecl {
    let span = cx.span(&pair);
    let mut name = None;
    let mut values = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::path => name = Some(cx.path(p)),
            Rule::enum_value => {
                if let Some(v) = p.into_inner().next() {
                    values.push(match v.as_rule() {
                        Rule::string => cx.string(v),
                        _ => StrLit {
                            value: v.as_str().to_string(),
                            span: cx.span(&v),
                        },
                    });
                }
            }
            _ => {}
        }
    }
    EnumDecl {
        name: name.unwrap_or_else(|| empty_path(span)),
        values,
        span,
    }
}

pub(in crate::parse) fn view(cx: &mut Cx, pair: Pair<Rule>) -> ViewDecl {
    let span = cx.span(&pair);
    let mut v = ViewDecl {
        name: empty_path(span),
        materialized: false,
        security_invoker: false,
        comment: None,
        query: None,
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::path => v.name = cx.path(p),
            Rule::view_flag => {
                if child(&p, Rule::k_materialized).is_some() {
                    v.materialized = true;
                } else {
                    v.security_invoker = true;
                }
            }
            Rule::view_comment => v.comment = child(&p, Rule::string).map(|s| cx.string(s)),
            Rule::view_as => v.query = p.into_inner().find_map(|q| view_body(cx, q)),
            Rule::invalid_item => cx.invalid(p, Context::View),
            _ => {
                if let Some(q) = view_body(cx, p) {
                    v.query = Some(q);
                }
            }
        }
    }
    if v.query.is_none() {
        cx.diags.push(
            Diagnostic::error(
                Code::UnexpectedItem,
                format!("view `{}` has no query", v.name.dotted()),
            )
            .at(v.name.span)
            .help("write `view Name = select …`, or `as select …` inside the view's block"),
        );
    }
    v
}

fn view_body(cx: &Cx, p: Pair<Rule>) -> Option<SqlText> {
    match p.as_rule() {
        Rule::dollar_body => sql::dollar(cx, p),
        Rule::sql_line => Some(sql::text(cx, p)),
        _ => None,
    }
}

pub(in crate::parse) fn function(cx: &mut Cx, pair: Pair<Rule>) -> FunctionDecl {
    let span = cx.span(&pair);
    let mut f = FunctionDecl {
        name: empty_path(span),
        params: Vec::new(),
        setof: false,
        returns: table::unknown_type(span),
        language: None,
        volatility: None,
        security_definer: None,
        settings: Vec::new(),
        comment: None,
        body: None,
        span,
    };
    for p in pair.into_inner() {
        let ps = cx.span(&p);
        match p.as_rule() {
            Rule::path => f.name = cx.path(p),
            Rule::fn_params => {
                for param in p.into_inner() {
                    let name = child(&param, Rule::ident).map(|q| cx.ident(q));
                    let ty = child(&param, Rule::type_name).map(|q| table::type_name(cx, q));
                    if let (Some(n), Some(t)) = (name, ty) {
                        f.params.push((n, t));
                    }
                }
            }
            Rule::fn_returns => {
                f.setof = child(&p, Rule::fn_setof).is_some();
                if let Some(t) = child(&p, Rule::type_name) {
                    f.returns = table::type_name(cx, t);
                }
            }
            Rule::fn_language => f.language = child(&p, Rule::ident).map(|q| cx.ident(q)),
            Rule::fn_volatility => f.volatility = Some(cx.ident(p)),
            Rule::fn_security => {
                f.security_definer = Some((child(&p, Rule::k_definer).is_some(), ps))
            }
            Rule::fn_set => {
                let name = child(&p, Rule::ident).map(|q| cx.ident(q));
                let value = child(&p, Rule::fn_set_value).and_then(|q| sql::setting_value(cx, q));
                if let (Some(n), Some(v)) = (name, value) {
                    f.settings.push((n, v));
                }
            }
            Rule::fn_comment => f.comment = child(&p, Rule::string).map(|s| cx.string(s)),
            Rule::fn_body => f.body = child(&p, Rule::dollar_body).and_then(|b| sql::dollar(cx, b)),
            Rule::invalid_item => cx.invalid(p, Context::Function),
            _ => {}
        }
    }
    if f.body.is_none() {
        cx.diags.push(
            Diagnostic::error(
                Code::UnexpectedItem,
                format!("function `{}` has no body", f.name.dotted()),
            )
            .at(f.name.span)
            .help("add `body $$ … $$` inside the function's block"),
        );
    }
    f
}
