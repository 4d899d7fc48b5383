//! Which function calls are volatile, for `ADD COLUMN … DEFAULT`.
//!
//! PostgreSQL 11+ stores a non-volatile default once instead of rewriting
//! the table. A call to a function not known to be stable or immutable is
//! treated as volatile: sluice cannot see user functions' declarations.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr, Ident, ObjectNamePart};

/// Functions (and niladic SQL value functions) that are stable or immutable.
const NON_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "localtimestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "session_user",
    "user",
    "current_role",
    "current_schema",
    "current_setting",
    "lower",
    "upper",
    "length",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "abs",
    "round",
    "trunc",
    "floor",
    "ceil",
    "concat",
    "md5",
    "to_jsonb",
    "to_json",
    "jsonb_build_object",
    "jsonb_build_array",
    "json_build_object",
    "json_build_array",
    "array",
    "make_interval",
    "make_date",
    "date_trunc",
    "left",
    "right",
    "btrim",
    "trim",
    "replace",
    "substring",
    "to_char",
    "to_timestamp",
    "to_date",
    "timezone",
    "extract",
    "date_part",
    "age",
    "inet",
    "point",
    "jsonb",
    "int4range",
    "tstzrange",
];

/// The name of the first volatile function `expr` calls.
pub fn first_volatile_call(expr: &Expr) -> Option<Ident> {
    let mut found = None;
    let _ = visit_expressions(expr, |e| {
        if let Expr::Function(f) = e {
            let name = f.name.0.iter().rev().find_map(ObjectNamePart::as_ident);
            if let Some(name) = name {
                let lower = name.value.to_lowercase();
                if !NON_VOLATILE.contains(&lower.as_str()) {
                    found = Some(name.clone());
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn volatile(sql: &str) -> Option<String> {
        let e = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(sql)
            .unwrap()
            .parse_expr()
            .unwrap();
        first_volatile_call(&e).map(|i| i.value)
    }

    #[test]
    fn known_volatile_and_unknown_calls_count() {
        assert_eq!(
            volatile("gen_random_uuid()"),
            Some("gen_random_uuid".into())
        );
        assert_eq!(volatile("(random() * 10)::int"), Some("random".into()));
        assert_eq!(volatile("my_func(1)"), Some("my_func".into()));
        assert_eq!(volatile("now()"), None);
        assert_eq!(volatile("CURRENT_TIMESTAMP"), None);
        assert_eq!(volatile("'[]'::jsonb"), None);
        assert_eq!(volatile("0"), None);
    }
}
