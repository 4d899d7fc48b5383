//! `adding-required-column`: `ADD COLUMN … NOT NULL` without a default
//! fails on a table that has rows, and breaks writers that do not set it.

use sqlparser::ast::ColumnOption;

use super::{added_columns_typed, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::types::is_serial;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingRequiredColumn,
    check: required_columns_have_defaults,
    finish: nothing_at_end,
};

fn required_columns_have_defaults(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (c, table, ty) in added_columns_typed(s, st) {
        let has = |f: fn(&ColumnOption) -> bool| c.options.iter().any(|o| f(&o.option));
        let not_null = has(|o| matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
        let filled = has(|o| {
            matches!(
                o,
                ColumnOption::Default(_)
                    | ColumnOption::Generated { .. }
                    | ColumnOption::Identity(_)
            )
        }) || is_serial(ty);
        if !not_null || filled {
            continue;
        }
        let col = ident_name(&c.name);
        let from = s.at_ident(&c.name).start;
        out.push(s.finding(
            RULE.code,
            s.at_words_from(from, &["NOT", "NULL"]),
            format!("`{col}` is added `NOT NULL` without a default: this fails if `{table}` has rows, and breaks code that inserts without it"),
            format!("add `{col}` nullable, backfill it in batches, then apply the not-null recipe (`CHECK ({col} IS NOT NULL) NOT VALID` → `VALIDATE` → `SET NOT NULL`); or give it a constant default"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_required_column_err() {
        assert_flags(
            "ALTER TABLE notes ADD COLUMN summary text NOT NULL;",
            Code::AddingRequiredColumn,
            1,
            43,
        );
    }

    #[test]
    fn adding_required_column_ok() {
        assert_clean("ALTER TABLE notes ADD COLUMN summary text NOT NULL DEFAULT '';");
        assert_clean("ALTER TABLE notes ADD COLUMN summary text;");
    }
}
