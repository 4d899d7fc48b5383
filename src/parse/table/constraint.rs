//! Builders for a table's constraints, indexes, partitioning and policies.
//! Input: a pest pair of a unique, check, index, partition or policy item
//! (or the migration step of the same shape). Output: its AST definition,
//! or `None` after reporting an item that did not parse.

use pest::iterators::Pair;

use super::{name_as, recover_opt};
use crate::ast::*;
use crate::parse::{child, sql, Context, Cx, Rule};

pub(in crate::parse) fn unique(cx: &mut Cx, pair: Pair<Rule>) -> Option<UniqueDef> {
    if recover_opt(cx, &pair, Context::Unique) {
        return None;
    }
    Some(UniqueDef {
        span: cx.span(&pair),
        columns: child(&pair, Rule::col_list)
            .map(|l| cx.idents(l))
            .unwrap_or_default(),
        name: name_as(cx, &pair),
    })
}

pub(in crate::parse) fn check(cx: &mut Cx, pair: Pair<Rule>) -> Option<CheckDef> {
    if recover_opt(cx, &pair, Context::Check) {
        return None;
    }
    Some(CheckDef {
        span: cx.span(&pair),
        expr: sql::paren_child(cx, &pair)?,
        name: name_as(cx, &pair),
    })
}

/// An index; `pair` is `index_item` or `add_index_step` (whose extra
/// children, such as the table path, are skipped here).
pub(in crate::parse) fn index(cx: &mut Cx, pair: Pair<Rule>, context: Context) -> Option<IndexDef> {
    if recover_opt(cx, &pair, context) {
        return None;
    }
    let span = cx.span(&pair);
    let mut ix = IndexDef {
        unique: false,
        method: None,
        elems: Vec::new(),
        include: Vec::new(),
        predicate: None,
        name: name_as(cx, &pair),
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::index_unique => ix.unique = true,
            Rule::index_method => ix.method = child(&p, Rule::ident).map(|i| cx.ident(i)),
            Rule::index_elems => {
                for e in p.into_inner() {
                    if let Some(elem) = index_elem(cx, e) {
                        ix.elems.push(elem);
                    }
                }
            }
            Rule::index_include => {
                ix.include = child(&p, Rule::col_list)
                    .map(|l| cx.idents(l))
                    .unwrap_or_default()
            }
            Rule::index_where => ix.predicate = sql::paren_child(cx, &p),
            _ => {}
        }
    }
    Some(ix)
}

fn index_elem(cx: &mut Cx, pair: Pair<Rule>) -> Option<IndexElem> {
    let span = cx.span(&pair);
    let mut key = None;
    let mut descending = false;
    let mut nulls = None;
    let mut opclass = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => key = Some(IndexKey::Column(cx.ident(p))),
            Rule::sql_paren => key = sql::paren(cx, p).map(IndexKey::Expr),
            Rule::index_call => key = Some(IndexKey::Expr(sql::text(cx, p))),
            Rule::sort_dir => descending = p.as_str() == "desc",
            Rule::nulls_order => nulls = child(&p, Rule::ident).map(|i| cx.ident(i)),
            Rule::opclass => opclass = child(&p, Rule::ident).map(|i| cx.ident(i)),
            _ => {}
        }
    }
    Some(IndexElem {
        key: key?,
        descending,
        nulls,
        opclass,
        span,
    })
}

pub(in crate::parse) fn partition(cx: &mut Cx, pair: Pair<Rule>) -> Option<PartitionDef> {
    if recover_opt(cx, &pair, Context::Partition) {
        return None;
    }
    let span = cx.span(&pair);
    let method = child(&pair, Rule::ident).map(|i| cx.ident(i))?;
    let columns = child(&pair, Rule::col_list)
        .map(|l| cx.idents(l))
        .unwrap_or_default();
    let count = match child(&pair, Rule::int) {
        Some(n) => {
            let s = cx.span(&n);
            Some((cx.int(n), s))
        }
        None => None,
    };
    Some(PartitionDef {
        method,
        columns,
        count,
        span,
    })
}

/// A policy; `pair` is `policy_item` or `add_policy_step`.
pub(in crate::parse) fn policy(cx: &mut Cx, pair: Pair<Rule>) -> Option<PolicyDef> {
    if recover_opt(cx, &pair, Context::Policy) {
        return None;
    }
    let span = cx.span(&pair);
    let mut pol = PolicyDef {
        commands: Vec::new(),
        to: Vec::new(),
        using: Pred::Bool(false, span),
        check: None,
        check_using: None,
        name: name_as(cx, &pair),
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::policy_cmds => pol.commands = cx.idents(p),
            Rule::policy_to => {
                pol.to = child(&p, Rule::ident_list)
                    .map(|l| cx.idents(l))
                    .unwrap_or_default()
            }
            Rule::policy_using => {
                pol.using = child(&p, Rule::pred).map(|q| pred(cx, q))?;
            }
            Rule::policy_check => pol.check = child(&p, Rule::pred).map(|q| pred(cx, q)),
            Rule::policy_check_using => pol.check_using = Some(cx.span(&p)),
            _ => {}
        }
    }
    Some(pol)
}

fn pred(cx: &mut Cx, pair: Pair<Rule>) -> Pred {
    let span = cx.span(&pair);
    match pair.as_rule() {
        Rule::pred | Rule::pred_and => {
            let is_or = pair.as_rule() == Rule::pred;
            let mut parts: Vec<Pred> = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::k_or | Rule::k_and))
                .map(|p| pred(cx, p))
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap_or(Pred::Bool(false, span))
            } else if is_or {
                Pred::Or(parts, span)
            } else {
                Pred::And(parts, span)
            }
        }
        Rule::pred_not => {
            let inner = pair
                .into_inner()
                .find(|p| p.as_rule() != Rule::k_not)
                .map(|p| pred(cx, p))
                .unwrap_or(Pred::Bool(false, span));
            Pred::Not(Box::new(inner), span)
        }
        Rule::pred_role => Pred::Role(cx.idents(pair), span),
        Rule::pred_sql => match sql::paren_child(cx, &pair) {
            Some(t) => Pred::Sql(t),
            None => Pred::Bool(false, span),
        },
        Rule::pred_owner => Pred::Owner(span),
        Rule::pred_tenant => Pred::Tenant(span),
        Rule::pred_bool => Pred::Bool(pair.as_str() == "true", span),
        _ => {
            cx.invalid(pair, Context::Predicate);
            Pred::Bool(false, span)
        }
    }
}
