//! The steps that change a table's or column's classification or comment.
//!
//! Input: a `classify_step`, `declassify_step`, `comment_step` or
//! `drop_comment_step` pair. Output: an [`Annotate`] (`None` when the
//! grammar's recovery left a part out).

use pest::iterators::Pair;

use super::{child, Cx, Rule};
use crate::ast::{Annotate, Annotation};

pub(super) fn step(cx: &Cx, p: Pair<Rule>) -> Option<Annotate> {
    let rule = p.as_rule();
    let column = child(&p, Rule::annotated)?
        .into_inner()
        .next()
        .is_some_and(|k| k.as_rule() == Rule::k_column);
    let target = cx.path(child(&p, Rule::path)?);
    let change = match rule {
        Rule::classify_step => Annotation::Classify(Some(cx.ident(child(&p, Rule::ident)?))),
        Rule::declassify_step => Annotation::Classify(None),
        Rule::comment_step => Annotation::Comment(Some(cx.string(child(&p, Rule::string)?))),
        _ => Annotation::Comment(None),
    };
    Some(Annotate {
        column,
        target,
        change,
    })
}
