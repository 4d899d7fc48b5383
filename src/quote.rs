//! Quoting for PostgreSQL: identifiers, string literals, dollar quotes and
//! comment text.
//!
//! Input: a name or a text. Output: the same, quoted so that nothing it
//! holds can end the quote. The template filters of [`crate::render`] are
//! built on these; every stage may use them (a diagnostic shows a quoted
//! name), so they depend on nothing.

/// `"name"` with embedded quotes doubled.
pub fn ident(name: &str) -> String {
    // Built in place: templates quote every name they write.
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for (i, part) in name.split('"').enumerate() {
        if i > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    out.push('"');
    out
}

/// `'text'` with embedded quotes doubled. Text holding a backslash is
/// written `E'…'` with backslashes doubled too, so it reads the same whether
/// or not the server has `standard_conforming_strings` on.
pub fn literal(text: &str) -> String {
    if text.contains('\\') {
        format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// `body` wrapped in a dollar quote named after `base` (`$base$`, else
/// `$base_1$`, `$base_2$`, …): the first tag that cannot end the quote
/// early, whatever `body` holds.
pub fn dollar_quote(base: &str, body: &str) -> String {
    let tag = dollar_tag(base, body);
    format!("{tag}{body}{tag}")
}

/// The tag [`dollar_quote`] wraps `body` in.
pub fn dollar_tag(base: &str, body: &str) -> String {
    let mut tag = format!("${base}$");
    let mut n = 0;
    // The quote ends at the first occurrence of its tag after the opening
    // one, which may also straddle the end of `body`.
    while format!("{body}{tag}").find(&tag) != Some(body.len()) {
        n += 1;
        tag = format!("${base}_{n}$");
    }
    tag
}

/// Text for the inside of a `--` comment: line breaks (which would end the
/// comment and start SQL) become spaces.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A type name of the schema, `"schema"."name"` with `[]` per dimension.
pub fn qualified_type(schema: &str, name: &str, array_dims: usize) -> String {
    format!(
        "{}.{}{}",
        ident(schema),
        ident(name),
        "[]".repeat(array_dims)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_cannot_be_escaped() {
        assert_eq!(ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(
            literal(r"\'; drop table x; --"),
            r"E'\\''; drop table x; --'"
        );
    }

    #[test]
    fn a_dollar_quote_cannot_be_closed_by_its_body() {
        assert_eq!(dollar_quote("b", "x"), "$b$x$b$");
        assert_eq!(dollar_quote("b", " $b$ "), "$b_1$ $b$ $b_1$");
        assert_eq!(dollar_quote("b", "$b$$b_1$"), "$b_2$$b$$b_1$$b_2$");
        // `x$b` followed by `$b$` would close at `$b$b$`.
        assert_eq!(dollar_quote("b", "x$b"), "$b_1$x$b$b_1$");
    }

    #[test]
    fn comments_cannot_end_early() {
        assert_eq!(comment_text("a\nDROP\r\tb"), "a DROP  b");
    }
}
