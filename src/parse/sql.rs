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

/// A function's `set NAME = VALUE`: the value is emitted as written, so it
/// must be exactly a setting value — a comma-separated list of names,
/// numbers, `'strings'` and `"quoted names"` — and nothing that could end
/// the clause or start another statement.
pub(super) fn setting_value(cx: &mut Cx, pair: Pair<Rule>) -> Option<SqlText> {
    let value = text(cx, pair);
    match setting_value_error(&value.text) {
        None => Some(value),
        Some(at) => {
            cx.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "this is not a setting value PostgreSQL accepts in `SET`",
                )
                .at(value.span.sub(at, value.text.len()))
                .label("not a name, number, 'string' or \"quoted name\"")
                .help("write the value as a comma-separated list of names, numbers, 'single-quoted strings' and \"quoted names\", without backslashes"),
            );
            None
        }
    }
}

/// The byte offset where `text` stops being a setting value, if it does.
fn setting_value_error(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        let start = i;
        match b.get(i) {
            Some(q @ (b'\'' | b'"')) => {
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\\' | b'\n' | b'\r') => return Some(start),
                        Some(c) if c == q => {
                            if b.get(i + 1) == Some(q) {
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
            }
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                i += 1;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                if !b[start..i].iter().any(u8::is_ascii_digit) {
                    return Some(start);
                }
            }
            _ => return Some(start),
        }
        skip_space(&mut i);
        match b.get(i) {
            None => return None,
            Some(b',') => i += 1,
            Some(_) => return Some(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::setting_value_error;

    #[test]
    fn only_setting_values_pass() {
        for ok in [
            "public",
            "\"$user\", public",
            "'UTC'",
            "100",
            "-1.5",
            "on",
            "'it''s'",
        ] {
            assert_eq!(setting_value_error(ok), None, "{ok}");
        }
        for (bad, at) in [
            ("$function$ AS 'x'", 0),
            ("\\! id #", 0),
            ("public; drop table x", 6),
            ("'a\\'", 0),
            ("x -- c", 2),
            ("'open", 0),
            ("", 0),
            ("a,", 2),
        ] {
            assert_eq!(setting_value_error(bad), Some(at), "{bad}");
        }
    }
}
