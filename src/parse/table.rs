//! Builders for tables, columns, types, indexes, constraints and policies.

use pest::iterators::Pair;

use super::{child, empty_path, sql, Context, Cx, Rule};
use crate::ast::*;
use crate::span::Span;

pub(super) fn table(cx: &mut Cx, pair: Pair<Rule>) -> TableDecl {
    let span = cx.span(&pair);
    let mut t = TableDecl {
        name: empty_path(span),
        was: None,
        items: Vec::new(),
        span,
    };
    for p in pair.into_inner() {
        let ps = cx.span(&p);
        let item = match p.as_rule() {
            Rule::path => {
                t.name = cx.path(p);
                continue;
            }
            Rule::table_was => {
                t.was = child(&p, Rule::ident).map(|i| cx.ident(i));
                continue;
            }
            Rule::tenant_flag => TableItem::Tenant(ps),
            Rule::global_flag => TableItem::Global(ps),
            Rule::owner_item => match child(&p, Rule::ident) {
                Some(i) => TableItem::Owner(cx.ident(i)),
                None => continue,
            },
            Rule::table_comment => match child(&p, Rule::string) {
                Some(s) => TableItem::Comment(cx.string(s)),
                None => continue,
            },
            Rule::table_classify => match child(&p, Rule::ident) {
                Some(i) => TableItem::Classify(cx.ident(i)),
                None => continue,
            },
            Rule::publish_item => match child(&p, Rule::ident) {
                Some(target) => TableItem::Publish {
                    target: cx.ident(target),
                    columns: child(&p, Rule::col_list).map(|l| cx.idents(l)),
                    span: ps,
                },
                None => continue,
            },
            Rule::retain_item => {
                let amount = match child(&p, Rule::int) {
                    Some(n) => cx.int(n),
                    None => continue,
                };
                let mut idents = p
                    .clone()
                    .into_inner()
                    .filter(|c| c.as_rule() == Rule::ident);
                match idents.next() {
                    Some(unit) => TableItem::Retain {
                        amount,
                        unit: cx.ident(unit),
                        after: idents.next().map(|c| cx.ident(c)),
                        span: ps,
                    },
                    None => continue,
                }
            }
            Rule::allow_item => TableItem::Allow(allow(cx, p)),
            Rule::index_item => match index(cx, p, Context::Index) {
                Some(i) => TableItem::Index(i),
                None => continue,
            },
            Rule::unique_item => match unique(cx, p) {
                Some(u) => TableItem::Unique(u),
                None => continue,
            },
            Rule::check_item => match check(cx, p) {
                Some(c) => TableItem::Check(c),
                None => continue,
            },
            Rule::pk_item => match recover_opt(cx, &p, Context::PrimaryKey) {
                true => continue,
                false => TableItem::PrimaryKey {
                    columns: child(&p, Rule::col_list)
                        .map(|l| cx.idents(l))
                        .unwrap_or_default(),
                    span: ps,
                },
            },
            Rule::fk_item => match foreign_key(cx, p) {
                Some(fk) => TableItem::ForeignKey(fk),
                None => continue,
            },
            Rule::policy_item => match policy(cx, p) {
                Some(pol) => TableItem::Policy(pol),
                None => continue,
            },
            Rule::partition_item => match partition(cx, p) {
                Some(part) => TableItem::Partition(part),
                None => continue,
            },
            Rule::column_def => TableItem::Column(column(cx, p)),
            Rule::invalid_item => {
                cx.invalid(p, Context::Table);
                continue;
            }
            _ => continue,
        };
        t.items.push(item);
    }
    t
}

/// Reports an `invalid_opt` child (an item whose keyword matched but whose
/// rest did not); returns whether there was one.
fn recover_opt(cx: &mut Cx, pair: &Pair<Rule>, context: Context) -> bool {
    match child(pair, Rule::invalid_opt) {
        Some(bad) => {
            cx.invalid(bad, context);
            true
        }
        None => false,
    }
}

pub(super) fn allow(cx: &mut Cx, pair: Pair<Rule>) -> Allow {
    let span = cx.span(&pair);
    let rule = child(&pair, Rule::rule_id)
        .map(|r| Ident {
            name: r.as_str().to_string(),
            span: cx.span(&r),
        })
        .unwrap_or(Ident {
            name: String::new(),
            span,
        });
    let reason = child(&pair, Rule::string).map(|s| cx.string(s));
    Allow { rule, reason, span }
}

pub(super) fn type_name(cx: &mut Cx, pair: Pair<Rule>) -> TypeName {
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

pub(super) fn unknown_type(span: Span) -> TypeName {
    TypeName {
        text: String::new(),
        base: String::new(),
        params: Vec::new(),
        array_dims: 0,
        span,
    }
}

pub(super) fn column(cx: &mut Cx, pair: Pair<Rule>) -> ColumnDef {
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
            Rule::opt_references => ColumnOpt::References(reference(cx, p)),
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
pub(super) fn reference(cx: &mut Cx, pair: Pair<Rule>) -> Reference {
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

pub(super) fn foreign_key(cx: &mut Cx, pair: Pair<Rule>) -> Option<ForeignKeyDef> {
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

pub(super) fn name_as(cx: &Cx, pair: &Pair<Rule>) -> Option<Ident> {
    child(pair, Rule::name_as)
        .and_then(|n| child(&n, Rule::ident))
        .map(|i| cx.ident(i))
}

pub(super) fn unique(cx: &mut Cx, pair: Pair<Rule>) -> Option<UniqueDef> {
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

pub(super) fn check(cx: &mut Cx, pair: Pair<Rule>) -> Option<CheckDef> {
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
pub(super) fn index(cx: &mut Cx, pair: Pair<Rule>, context: Context) -> Option<IndexDef> {
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

pub(super) fn partition(cx: &mut Cx, pair: Pair<Rule>) -> Option<PartitionDef> {
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
pub(super) fn policy(cx: &mut Cx, pair: Pair<Rule>) -> Option<PolicyDef> {
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
