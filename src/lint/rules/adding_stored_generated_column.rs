//! `adding-stored-generated-column`: `ADD COLUMN … GENERATED ALWAYS AS (…)
//! STORED` computes every row: a rewrite under ACCESS EXCLUSIVE.

use sqlparser::ast::ColumnOption;

use super::{added_columns, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingStoredGeneratedColumn,
    check: generated_columns_are_not_added,
    finish: nothing_at_end,
};

fn generated_columns_are_not_added(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (c, table) in added_columns(s, st) {
        let stored = c.options.iter().any(|o| {
            matches!(
                &o.option,
                ColumnOption::Generated {
                    generation_expr: Some(_),
                    ..
                }
            )
        });
        if stored {
            let col = ident_name(&c.name);
            out.push(s.finding(
                RULE.code,
                s.at_words_from(s.at_ident(&c.name).start, &["GENERATED"]),
                format!("adding the stored generated column `{col}` rewrites `{table}` under an ACCESS EXCLUSIVE lock"),
                format!("add `{col}` as a plain nullable column, keep it current with a trigger, and backfill existing rows in batches"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_stored_generated_column_err() {
        assert_flags(
            "ALTER TABLE notes\n  ADD COLUMN title_lc text GENERATED ALWAYS AS (lower(title)) STORED;",
            Code::AddingStoredGeneratedColumn,
            2,
            28,
        );
    }

    #[test]
    fn adding_stored_generated_column_ok() {
        assert_clean("ALTER TABLE notes ADD COLUMN title_lc text;");
        assert_clean("CREATE TABLE t (a text, b text GENERATED ALWAYS AS (lower(a)) STORED);");
    }
}
