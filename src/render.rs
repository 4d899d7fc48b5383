//! Stage 6, render: statements → SQL text through minijinja templates.
//!
//! Input: a [`Plan`]'s statements. Output: SQL text. Templates live in
//! `templates/postgres/` and are compiled into the binary. Quoting happens
//! here in Rust (the `ident` and `literal` filters), never by pasting in a
//! template, so no name or string from the DSL can break out of its quotes.

use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior};

use crate::plan::Stmt;

/// `"name"` with embedded quotes doubled.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
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

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        const TEMPLATES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../templates/postgres/", $name, ".sql.j2")))),*
        ];
    };
}

templates!(
    "macros",
    "set",
    "create_schema",
    "drop_schema",
    "public_create",
    "create_role",
    "drop_role",
    "create_extension",
    "drop_extension",
    "create_enum",
    "drop_type",
    "create_table",
    "drop_table",
    "create_partition",
    "set_owner",
    "add_foreign_key",
    "drop_constraint",
    "create_index",
    "enable_rls",
    "create_policy",
    "drop_policy",
    "create_function",
    "drop_function",
    "create_trigger",
    "create_view",
    "drop_view",
    "comment",
    "grant",
    "default_privileges",
    "alter_table",
    "set_identity_always",
    "raw",
    "contract_guard",
);

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(false);
        env.add_filter("ident", |s: String| ident(&s));
        env.add_filter("literal", |s: String| literal(&s));
        env.add_filter("qname", |s: String, schema: String| {
            format!("{}.{}", ident(&schema), ident(&s))
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} is invalid: {e}"));
        }
        env
    })
}

/// Render one statement, headed by its label comment, without a trailing
/// newline.
pub fn statement(stmt: &Stmt) -> Result<String, minijinja::Error> {
    let body = env().get_template(stmt.template)?.render(&stmt.ctx)?;
    Ok(format!(
        "-- {}\n{}",
        comment_text(&stmt.label),
        body.trim_end()
    ))
}

/// The marker drizzle-orm splits a migration file on.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

/// Statements joined into one migration file, one statement per chunk.
pub fn file(header: &str, stmts: &[Stmt]) -> Result<String, minijinja::Error> {
    let mut chunks = Vec::with_capacity(stmts.len());
    for s in stmts {
        let chunk = statement(s)?;
        // drizzle splits on the marker wherever it stands, even inside a
        // string or body the user wrote: it would cut the statement.
        if chunk.contains(BREAKPOINT) {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!(
                    "`{}` holds `{BREAKPOINT}`, which would split it in two",
                    s.label
                ),
            ));
        }
        chunks.push(chunk);
    }
    let mut out = String::from(header);
    out.push_str(&chunks.join(&format!("\n{BREAKPOINT}\n")));
    out.push('\n');
    Ok(out)
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

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }
}
