//! Builders for tables, columns, types, indexes, constraints and policies.

use pest::iterators::Pair;

mod column;
mod constraint;

pub(super) use column::{column, foreign_key, reference, type_name, unknown_type};
pub(super) use constraint::{check, index, partition, policy, unique};

use super::{child, empty_path, Context, Cx, Rule};
use crate::ast::*;

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
                Some(i) => TableItem::Index(Box::new(i)),
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
                Some(fk) => TableItem::ForeignKey(Box::new(fk)),
                None => continue,
            },
            Rule::policy_item => match policy(cx, p) {
                Some(pol) => TableItem::Policy(Box::new(pol)),
                None => continue,
            },
            Rule::partition_item => match partition(cx, p) {
                Some(part) => TableItem::Partition(part),
                None => continue,
            },
            Rule::column_def => TableItem::Column(std::sync::Arc::new(column(cx, p))),
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

pub(super) fn name_as(cx: &Cx, pair: &Pair<Rule>) -> Option<Ident> {
    child(pair, Rule::name_as)
        .and_then(|n| child(&n, Rule::ident))
        .map(|i| cx.ident(i))
}
