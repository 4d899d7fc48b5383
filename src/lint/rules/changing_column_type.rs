//! `changing-column-type`: `ALTER COLUMN … TYPE` rewrites the table and
//! rebuilds its indexes under ACCESS EXCLUSIVE, unless it is a
//! binary-coercible widening (`varchar(n)` → `varchar(m ≥ n)` or `text`,
//! `numeric(p,s)` → `numeric(q ≥ p,s)`, a finer `timestamp`/`time`
//! precision, a longer `varbit`, `cidr` → `inet`) whose `USING`, if any,
//! is the column cast to wider types (`USING (title::text)`).
//! The old type comes from earlier files of the same run; when it is
//! unknown the change is reported.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::types::{is_safe_widening, type_text};
use crate::lint::{Finding, LintContext};
use crate::pg::type_change::using_keeps_contents;

pub const RULE: Rule = Rule {
    code: Code::ChangingColumnType,
    check: type_changes_are_widenings,
    finish: nothing_at_end,
};

fn type_changes_are_widenings(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::AlterColumn {
            column_name,
            op:
                AlterColumnOperation::SetDataType {
                    data_type, using, ..
                },
        } = op
        else {
            continue;
        };
        let col = ident_name(column_name);
        let new = type_text(data_type);
        let old = st.catalog.column_type(table, &col);
        let in_place = old.is_some_and(|o| match using {
            None => is_safe_widening(o, &new),
            Some(e) => using_keeps_contents(&col, o, &new, e),
        });
        if in_place {
            continue;
        }
        let was = match old {
            Some(o) => format!("from `{o}` "),
            None => String::new(),
        };
        let from = s.at_ident(column_name).start;
        out.push(s.finding(
            RULE.code,
            s.at_words_from(from, &["TYPE"]),
            format!("changing `{table}.{col}` {was}to `{new}` rewrites the table and its indexes under an ACCESS EXCLUSIVE lock"),
            format!("add a new `{new}` column, keep both in sync with a trigger, backfill in batches, switch readers, then drop `{col}` in a contract phase; widenings such as `varchar(n)` → `text` are safe when sluice can see the old type"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn changing_column_type_err() {
        assert_flags(
            "ALTER TABLE notes ALTER COLUMN amount TYPE bigint;",
            Code::ChangingColumnType,
            1,
            39,
        );
        assert_flags(
            "ALTER TABLE notes ALTER COLUMN title SET DATA TYPE text USING title::text;",
            Code::ChangingColumnType,
            1,
            47,
        );
    }

    #[test]
    fn a_using_that_changes_the_contents_or_a_narrowing_rewrites_err() {
        let setup =
            "CREATE TABLE notes (id uuid PRIMARY KEY, title varchar(100), amount numeric(10, 2));";
        assert_eq!(
            findings_after(
                setup,
                "ALTER TABLE notes ALTER COLUMN title TYPE text USING upper(title);"
            ),
            vec![(Code::ChangingColumnType, 1, 38)]
        );
        assert_eq!(
            findings_after(
                setup,
                "ALTER TABLE notes ALTER COLUMN amount TYPE numeric(8, 2);"
            ),
            vec![(Code::ChangingColumnType, 1, 39)]
        );
    }

    #[test]
    fn changing_column_type_ok() {
        // The old type is known from the file that created the table.
        let setup = "CREATE TABLE notes (id uuid PRIMARY KEY, title varchar(100), ip cidr);";
        assert_clean_after(setup, "ALTER TABLE notes ALTER COLUMN title TYPE text;\nALTER TABLE notes ALTER COLUMN ip TYPE inet;");
        // A `USING` that only casts the column to the new type keeps its
        // contents: PostgreSQL does not rewrite (sluice emits this form).
        assert_clean_after(
            setup,
            "ALTER TABLE notes ALTER COLUMN title TYPE text USING (title::text);",
        );
        let money =
            "CREATE TABLE notes (id uuid PRIMARY KEY, amount numeric(10, 2), at timestamptz(0));";
        assert_clean_after(money, "ALTER TABLE notes ALTER COLUMN amount TYPE numeric(14, 2) USING (amount::numeric(14, 2));\nALTER TABLE notes ALTER COLUMN at TYPE timestamptz(3);");
        // A longer varchar is a widening too (still a `prefer-text` matter).
        let found = findings_after(
            setup,
            "ALTER TABLE notes ALTER COLUMN title TYPE varchar(200);",
        );
        assert_eq!(found, vec![(Code::PreferText, 1, 43)]);
    }
}
