//! SQL text nodes: the pieces of source kept verbatim for sqlparser.

use pest::iterators::Pair;

use super::{Cx, Rule};
use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};

/// The whole text of an atomic rule as SQL.
pub(super) fn text(cx: &Cx, pair: Pair<Rule>) -> SqlText {
    SqlText {
        text: pair.as_str().trim_end().to_string(),
        span: {
            let s = cx.span(&pair);
            let trimmed = pair.as_str().trim_end().len();
            s.sub(0, trimmed)
        },
    }
}

/// `( … )` → the text between the parentheses; an unclosed `(` → diagnostic.
pub(super) fn paren(cx: &mut Cx, pair: Pair<Rule>) -> Option<SqlText> {
    match pair.as_rule() {
        Rule::sql_paren => {
            let inner = pair.into_inner().next()?;
            Some(SqlText {
                text: inner.as_str().to_string(),
                span: cx.span(&inner),
            })
        }
        Rule::sql_unclosed => {
            let span = cx.span(&pair);
            cx.diags.push(
                Diagnostic::error(Code::SqlSyntaxError, "this parenthesis is never closed")
                    .at(span.sub(0, 1))
                    .label("opened here")
                    .help("close the SQL fragment with `)`; parentheses inside it must balance"),
            );
            None
        }
        _ => None,
    }
}

/// The first `sql_paren`/`sql_unclosed` child of a rule.
pub(super) fn paren_child(cx: &mut Cx, pair: &Pair<Rule>) -> Option<SqlText> {
    let p = pair
        .clone()
        .into_inner()
        .find(|p| matches!(p.as_rule(), Rule::sql_paren | Rule::sql_unclosed))?;
    paren(cx, p)
}

/// `$tag$ … $tag$` → the text between the tags.
pub(super) fn dollar(cx: &Cx, pair: Pair<Rule>) -> Option<SqlText> {
    let inner = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::dollar_text)?;
    Some(SqlText {
        text: inner.as_str().to_string(),
        span: cx.span(&inner),
    })
}
