//! Whether `ALTER COLUMN … TYPE` keeps a column's contents as they are, so
//! that PostgreSQL changes the type without rewriting the table: the old
//! type widens into the new one (see [`super::types::is_safe_widening`])
//! and the `USING` expression, if any, is the column itself, perhaps cast
//! through types that each widen it further (`USING (title::text)`).
//! PostgreSQL plans such an expression down to the column and skips the
//! rewrite; any other expression rewrites every row.
//!
//! Input: the column, its old and new type texts and the `USING` text or
//! expression. Output: yes or no, shared by the phase planner, `check` and
//! the lint rule `changing-column-type`.

use sqlparser::ast::Expr;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::types::{is_safe_widening, type_text};

/// Whether changing `column` from `old` to `new` with `using` (its text)
/// needs no rewrite.
pub fn is_in_place(column: &str, old: &str, new: &str, using: Option<&str>) -> bool {
    match using {
        None => is_safe_widening(old, new),
        Some(text) => Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text.trim())
            .and_then(|mut p| p.parse_expr())
            .is_ok_and(|e| using_keeps_contents(column, old, new, &e)),
    }
}

/// Whether the `USING` expression `e` only reads `column` and casts it
/// through widenings from `old` up to `new`.
pub fn using_keeps_contents(column: &str, old: &str, new: &str, e: &Expr) -> bool {
    // Casts from the outermost in; the innermost is applied first.
    let mut casts = Vec::new();
    let mut at = e;
    loop {
        match at {
            Expr::Nested(inner) => at = inner,
            Expr::Cast {
                expr, data_type, ..
            } => {
                casts.push(type_text(data_type));
                at = expr;
            }
            Expr::Identifier(id) if id.value == column => break,
            _ => return false,
        }
    }
    let mut from = old.to_string();
    for to in casts.iter().rev().chain(std::iter::once(&new.to_string())) {
        if !is_safe_widening(&from, to) {
            return false;
        }
        from = to.clone();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_in_place;

    #[test]
    fn a_cast_of_the_column_to_a_wider_type_keeps_its_contents() {
        assert!(is_in_place("title", "varchar(20)", "text", None));
        assert!(is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("(title::text)")
        ));
        assert!(is_in_place("title", "varchar(20)", "text", Some("title")));
        assert!(is_in_place(
            "amount",
            "numeric(10, 2)",
            "numeric(14, 2)",
            Some("(amount::numeric(14, 2))")
        ));
        assert!(is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("CAST(title AS varchar(40))")
        ));
    }

    #[test]
    fn any_other_expression_or_a_narrowing_rewrites() {
        assert!(!is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("upper(title)")
        ));
        assert!(!is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("(body::text)")
        ));
        assert!(!is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("title::varchar(10)")
        ));
        assert!(!is_in_place(
            "title",
            "text",
            "varchar(400)",
            Some("(title::varchar(400))")
        ));
        assert!(!is_in_place("n", "integer", "bigint", Some("(n::bigint)")));
        assert!(!is_in_place(
            "title",
            "varchar(20)",
            "text",
            Some("not sql (")
        ));
    }
}
