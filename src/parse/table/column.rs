//! Builders for column types, columns and references. Input: a pest pair
//! of `type_name`, `column_def`, a reference or a `foreign_key_item`.
//! Output: the [`TypeName`], [`ColumnDef`], [`Reference`] or
//! [`ForeignKeyDef`] of the AST.

use pest::iterators::Pair;

use super::{name_as, recover_opt};
use crate::ast::*;
use crate::parse::{child, empty_path, sql, Context, Cx, Rule};
use crate::span::Span;

pub(in crate::parse) fn type_name(cx: &mut Cx, pair: Pair<Rule>) -> TypeName {
    let span = cx.span(&pair);
    let mut base = String::new();
    let mut params = Vec::new();
    let mut array_dims = 0;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::type_base => {
                let written = p.as_str();
                base = match written.strip_prefix('"') {
                    // A quoted name keeps its capitals (`"Role"`).
                    Some(quoted) => quoted.trim_end_matches('"').to_string(),
                    None => written
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_ascii_lowercase(),
                }
            }
            Rule::type_params => {
                for n in p.into_inner() {
                    params.push(cx.int(n));
                }
            }
            Rule::array_dims => array_dims = p.as_str().matches('[').count(),
            _ => {}
        }
    }
    let mut text = base.clone();
    if !params.is_empty() {
        let ps: Vec<String> = params.iter().map(u64::to_string).collect();
        text.push_str(&format!("({})", ps.join(",")));
    }
    text.push_str(&"[]".repeat(array_dims));
    TypeName {
        text,
        base,
        params,
        array_dims,
        span,
    }
}

pub(in crate::parse) fn unknown_type(span: Span) -> TypeName {
    TypeName {
        text: String::new(),
        base: String::new(),
        params: Vec::new(),
        array_dims: 0,
        span,
    }
}

pub(in crate::parse) fn column(cx: &mut Cx, pair: Pair<Rule>) -> ColumnDef {
    let span = cx.span(&pair);
    let mut name = None;
    let mut ty = None;
    let mut opts = Vec::new();
    for p in pair.into_inner() {
        let ps = cx.span(&p);
        let opt = match p.as_rule() {
            Rule::ident => {
                name = Some(cx.ident(p));
                continue;
            }
            Rule::column_quoted => {
                name = p.into_inner().next().map(|i| cx.ident(i));
                continue;
            }
            Rule::type_name => {
                ty = Some(type_name(cx, p));
                continue;
            }
            Rule::opt_not_null => ColumnOpt::NotNull(ps),
            Rule::opt_null => ColumnOpt::Null(ps),
            Rule::opt_default => match child(&p, Rule::default_expr) {
                Some(e) => ColumnOpt::Default(sql::text(cx, e)),
                None => continue,
            },
            Rule::opt_unique => ColumnOpt::Unique(ps),
            Rule::opt_primary_key => ColumnOpt::PrimaryKey(ps),
            Rule::opt_check => match sql::paren_child(cx, &p) {
                Some(e) => ColumnOpt::Check(e),
                None => continue,
            },
            Rule::opt_references => ColumnOpt::References(Box::new(reference(cx, p))),
            Rule::opt_comment => match child(&p, Rule::string) {
                Some(s) => ColumnOpt::Comment(cx.string(s)),
                None => continue,
            },
            Rule::opt_classify => match child(&p, Rule::ident) {
                Some(i) => ColumnOpt::Classify(cx.ident(i)),
                None => continue,
            },
            Rule::opt_generated => match sql::paren_child(cx, &p) {
                Some(e) => ColumnOpt::Generated(e),
                None => continue,
            },
            Rule::opt_identity => ColumnOpt::Identity(ps),
            Rule::opt_was => match child(&p, Rule::ident) {
                Some(i) => ColumnOpt::Was(cx.ident(i)),
                None => continue,
            },
            Rule::invalid_opt => {
                cx.invalid(p, Context::ColumnOption);
                continue;
            }
            _ => continue,
        };
        opts.push(opt);
    }
    ColumnDef {
        name: name.unwrap_or(Ident {
            name: String::new(),
            span,
        }),
        ty: ty.unwrap_or_else(|| unknown_type(span)),
        opts,
        span,
    }
}

/// `-> target [(cols)] [on delete …] [on update …] [no index]`, the options
/// read from `pair` (which may be the enclosing rule).
pub(in crate::parse) fn reference(cx: &mut Cx, pair: Pair<Rule>) -> Reference {
    let span = cx.span(&pair);
    let mut r = Reference {
        target: empty_path(span),
        columns: Vec::new(),
        on_delete: None,
        on_update: None,
        no_index: None,
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ref_target => {
                r.span = cx.span(&p);
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::path => r.target = cx.path(q),
                        Rule::col_list => r.columns = cx.idents(q),
                        _ => {}
                    }
                }
            }
            Rule::fk_on_delete => r.on_delete = child(&p, Rule::fk_action).map(|a| cx.ident(a)),
            Rule::fk_on_update => r.on_update = child(&p, Rule::fk_action).map(|a| cx.ident(a)),
            Rule::fk_no_index => r.no_index = Some(cx.span(&p)),
            _ => {}
        }
    }
    r
}

pub(in crate::parse) fn foreign_key(cx: &mut Cx, pair: Pair<Rule>) -> Option<ForeignKeyDef> {
    if recover_opt(cx, &pair, Context::ForeignKey) {
        return None;
    }
    let span = cx.span(&pair);
    let columns = child(&pair, Rule::col_list)
        .map(|l| cx.idents(l))
        .unwrap_or_default();
    let name = name_as(cx, &pair);
    let reference = reference(cx, pair);
    Some(ForeignKeyDef {
        columns,
        reference,
        name,
        span,
    })
}
