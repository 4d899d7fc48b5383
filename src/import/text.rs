//! Small text helpers for writing DSL: identifiers, strings, SQL fragments
//! and dollar quotes.
//!
//! Input: names and SQL text read from the catalog. Output: text that the
//! sluice grammar reads back as the same value.

/// Whether `s` is a DSL identifier.
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A DSL string literal.
pub fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// SQL text on one line: runs of whitespace outside quotes become one space.
pub fn one_line(sql: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in sql.trim().chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => space = true,
            None => {
                if space && !out.is_empty() && !out.ends_with('(') && c != ')' {
                    out.push(' ');
                }
                space = false;
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// A column default as the grammar reads it: simple forms as they are,
/// anything else in parentheses.
pub fn default_expr(sql: &str) -> String {
    let s = sql.trim();
    let mut quoted = false;
    let simple = !s.starts_with("ARRAY")
        && s.chars().all(|c| {
            if c == '\'' {
                quoted = !quoted;
            }
            quoted || c.is_ascii_alphanumeric() || "_.:()'[]-".contains(c)
        })
        && !s.contains("[]::");
    if simple {
        s.to_string()
    } else {
        format!("({})", one_line(s))
    }
}

/// `$$ body $$` with a tag the body does not contain.
pub fn dollar(body: &str) -> String {
    let mut tag = String::from("$$");
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = if n == 1 {
            "$body$".to_string()
        } else {
            format!("$body{n}$")
        };
    }
    format!("{tag}{body}{tag}")
}

/// A PostgreSQL type as the DSL writes it.
pub fn type_name(ty: &str) -> String {
    let (base, dims) = match ty.find("[]") {
        Some(i) => (&ty[..i], &ty[i..]),
        None => (ty, ""),
    };
    let base = base.trim();
    let mapped = match base {
        "timestamp with time zone" => "timestamptz".to_string(),
        "timestamp without time zone" => "timestamp".to_string(),
        "time with time zone" => "timetz".to_string(),
        "time without time zone" => "time".to_string(),
        _ => {
            if let Some(rest) = base.strip_prefix("character varying") {
                format!("varchar{rest}")
            } else if let Some(rest) = base.strip_prefix("timestamp(") {
                match rest.split_once(") with time zone") {
                    Some((p, _)) => format!("timestamptz({p})"),
                    None => format!("timestamp({})", rest.split(')').next().unwrap_or("")),
                }
            } else if let Some(rest) = base.strip_prefix("character(") {
                format!("char({rest}")
            } else if let Some(rest) = base.strip_prefix("bit varying") {
                format!("varbit{rest}")
            } else {
                let name = base.trim_matches('"');
                // A type named with capitals stays quoted: the grammar reads
                // unquoted type names in lower case.
                if base.starts_with('"') && is_ident(name) && name != name.to_ascii_lowercase() {
                    format!("\"{name}\"")
                } else {
                    name.to_string()
                }
            }
        }
    };
    format!("{mapped}{dims}")
}

/// The words that start a table item other than a column: a column named
/// by one of them is written quoted (`"owner" text`).
const TABLE_ITEM_WORDS: [&str; 14] = [
    "tenant",
    "global",
    "owner",
    "comment",
    "classify",
    "retain",
    "allow",
    "index",
    "unique",
    "check",
    "foreign",
    "primary",
    "policy",
    "partition",
];

/// A column's name as the first word of its table line.
pub fn column_name(name: &str) -> String {
    if TABLE_ITEM_WORDS.contains(&name) {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}

/// Whether `sql` is an SQL expression the grammar takes bare inside an
/// index element list (a column or a function call).
pub fn index_key(sql: &str) -> String {
    let s = sql.trim();
    let unquoted = s.trim_matches('"');
    if is_ident(unquoted) {
        return unquoted.to_string();
    }
    if let Some((name, _)) = s.split_once('(') {
        if is_ident(name) && s.ends_with(')') && balanced(&s[name.len()..]) {
            return one_line(s);
        }
    }
    if s.starts_with('(') && balanced(s) {
        return one_line(s);
    }
    format!("({})", one_line(s))
}

/// Whether `s` is one parenthesised group.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 && i != s.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && s.starts_with('(')
}

/// A comment sluice wrote for a classified object (`TEXT\nclassification:
/// TAG`, or the tag line alone) → the comment and the tag.
pub fn classification(comment: &str) -> (Option<String>, Option<String>) {
    const TAGS: [&str; 5] = ["public", "internal", "confidential", "pii", "phi"];
    let (text, last) = match comment.rsplit_once('\n') {
        Some((t, l)) => (Some(t), l),
        None => (None, comment),
    };
    match last.strip_prefix("classification: ") {
        Some(tag) if TAGS.contains(&tag) => (text.map(str::to_string), Some(tag.to_string())),
        _ => (Some(comment.to_string()), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_types_read_as_the_dsl_writes_them() {
        assert_eq!(type_name("timestamp with time zone"), "timestamptz");
        assert_eq!(type_name("timestamp(3) without time zone"), "timestamp(3)");
        assert_eq!(type_name("timestamp(3) with time zone"), "timestamptz(3)");
        assert_eq!(type_name("character varying(255)[]"), "varchar(255)[]");
        assert_eq!(type_name("numeric(12,2)"), "numeric(12,2)");
        assert_eq!(type_name("text[]"), "text[]");
        assert_eq!(type_name("\"Role\"[]"), "\"Role\"[]");
        assert_eq!(type_name("\"role\""), "role");
    }

    #[test]
    fn a_column_named_like_a_table_item_word_is_quoted() {
        assert_eq!(column_name("owner"), "\"owner\"");
        assert_eq!(column_name("index"), "\"index\"");
        assert_eq!(column_name("owner_id"), "owner_id");
    }

    #[test]
    fn defaults_that_the_grammar_cannot_read_bare_are_parenthesised() {
        assert_eq!(default_expr("'[]'::jsonb"), "'[]'::jsonb");
        assert_eq!(default_expr("gen_random_uuid()"), "gen_random_uuid()");
        assert_eq!(default_expr("'a b'::text"), "'a b'::text");
        assert_eq!(
            default_expr("(now() + '1 day'::interval)"),
            "((now() + '1 day'::interval))"
        );
        assert_eq!(default_expr("ARRAY[]::text[]"), "(ARRAY[]::text[])");
    }

    #[test]
    fn strings_escape_what_the_grammar_would_end_on() {
        assert_eq!(string("say \"hi\"\nnow"), r#""say \"hi\"\nnow""#);
    }

    #[test]
    fn a_classification_line_becomes_the_tag() {
        assert_eq!(
            classification("Per org.\nclassification: internal"),
            (Some("Per org.".into()), Some("internal".into()))
        );
        assert_eq!(
            classification("classification: pii"),
            (None, Some("pii".into()))
        );
        assert_eq!(
            classification("classification: secret"),
            (Some("classification: secret".into()), None)
        );
    }

    #[test]
    fn dollar_quotes_avoid_the_body() {
        assert_eq!(dollar(" select 1 "), "$$ select 1 $$");
        assert_eq!(dollar("a $$ b"), "$body$a $$ b$body$");
    }

    #[test]
    fn index_keys_are_columns_calls_or_parenthesised() {
        assert_eq!(index_key("\"createdAt\""), "createdAt");
        assert_eq!(index_key("lower(title)"), "lower(title)");
        assert_eq!(index_key("(a + b)"), "(a + b)");
        assert_eq!(index_key("a || b"), "(a || b)");
    }
}
