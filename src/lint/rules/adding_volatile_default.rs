//! `adding-volatile-default`: `ADD COLUMN … DEFAULT f()` with a volatile `f`
//! rewrites the whole table under ACCESS EXCLUSIVE (before PG 11, any
//! non-null default does).

use sqlparser::ast::{ColumnOption, Expr, Value};

use super::{added_columns, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::volatility::first_volatile_call;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingVolatileDefault,
    check: defaults_need_no_rewrite,
    finish: nothing_at_end,
};

fn defaults_need_no_rewrite(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    for (c, table) in added_columns(s, st) {
        let col = ident_name(&c.name);
        for o in &c.options {
            let ColumnOption::Default(e) = &o.option else {
                continue;
            };
            let help = format!("add `{col}` without a default, then `ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT …` (new rows only), and backfill existing rows in batches");
            if !cx.pg.is_at_least(11) && !is_null(e) {
                let at = s.at_words_from(s.at_ident(&c.name).start, &["DEFAULT"]);
                out.push(s.finding(
                    RULE.code,
                    at,
                    format!("before PostgreSQL 11, adding `{col}` with a default rewrites `{table}` under an ACCESS EXCLUSIVE lock"),
                    help,
                ));
            } else if let Some(f) = first_volatile_call(e) {
                out.push(s.finding(
                    RULE.code,
                    s.at_ident(&f),
                    format!("adding `{col}` with the volatile default `{}()` rewrites `{table}` under an ACCESS EXCLUSIVE lock", f.value),
                    help,
                ));
            }
        }
    }
}

fn is_null(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if v.value == Value::Null)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;
    use crate::lint::PgVersion;

    #[test]
    fn adding_volatile_default_err() {
        assert_flags(
            "ALTER TABLE notes ADD COLUMN token uuid DEFAULT gen_random_uuid();",
            Code::AddingVolatileDefault,
            1,
            49,
        );
    }

    #[test]
    fn adding_any_default_before_pg11_err() {
        let cx = crate::lint::LintContext {
            pg: PgVersion::major(10),
            ..cx()
        };
        assert_flags_with(
            &cx,
            "ALTER TABLE notes ADD COLUMN n int8 DEFAULT 0;",
            Code::AddingVolatileDefault,
            1,
            37,
        );
    }

    #[test]
    fn adding_volatile_default_ok() {
        assert_clean("ALTER TABLE notes ADD COLUMN token uuid;\nALTER TABLE notes ALTER COLUMN token SET DEFAULT gen_random_uuid();");
        assert_clean("ALTER TABLE notes ADD COLUMN seen_at timestamptz DEFAULT now();");
        assert_clean("CREATE TABLE tags (id uuid PRIMARY KEY);\nALTER TABLE tags ADD COLUMN token uuid DEFAULT gen_random_uuid();");
    }
}
