//! `setting-not-null`: `SET NOT NULL` scans the table under ACCESS
//! EXCLUSIVE, unless (PG 12+) a validated `CHECK (col IS NOT NULL)` proves
//! it first. The check may come from an earlier file of the folder (or a
//! `DO` block that adds it when missing); its `VALIDATE CONSTRAINT` must be
//! seen before the `SET NOT NULL`.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::SettingNotNull,
    check: not_null_is_proven_by_a_check,
    finish: nothing_at_end,
};

fn not_null_is_proven_by_a_check(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetNotNull,
        } = op
        else {
            continue;
        };
        let col = ident_name(column_name);
        let proven = st
            .catalog
            .validated_not_null
            .contains(&(table.to_string(), col.clone()));
        if proven && cx.pg.is_at_least(12) {
            continue;
        }
        let help = if cx.pg.is_at_least(12) {
            format!("first `ALTER TABLE {table} ADD CONSTRAINT {table}_{col}_not_null CHECK ({col} IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT` in a later transaction, then `SET NOT NULL` (no scan) and drop the check")
        } else {
            "before PostgreSQL 12 `SET NOT NULL` always scans; keep the validated `CHECK (col IS NOT NULL)` instead".to_string()
        };
        let from = s.at_ident(column_name).start;
        out.push(s.finding(
            RULE.code,
            s.at_words_from(from, &["SET", "NOT", "NULL"]),
            format!("`SET NOT NULL` on `{table}.{col}` scans the whole table under an ACCESS EXCLUSIVE lock"),
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn setting_not_null_err() {
        assert_flags(
            "ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;",
            Code::SettingNotNull,
            1,
            40,
        );
    }

    #[test]
    fn set_not_null_after_validating_a_check_added_by_an_earlier_file_ok() {
        assert_clean_after(
            "ALTER TABLE notes ADD CONSTRAINT notes_summary_nn CHECK (summary IS NOT NULL) NOT VALID;",
            "ALTER TABLE notes VALIDATE CONSTRAINT notes_summary_nn;\n\
             ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;",
        );
        assert_clean_after(
            "DO $do$\nBEGIN\n\tIF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'notes_summary_nn') THEN\n\t\tALTER TABLE \"public\".\"notes\" ADD CONSTRAINT \"notes_summary_nn\" CHECK (\"summary\" IS NOT NULL) NOT VALID;\n\tEND IF;\nEND\n$do$;",
            "ALTER TABLE notes VALIDATE CONSTRAINT notes_summary_nn;\n\
             ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;",
        );
    }

    #[test]
    fn set_not_null_after_validating_a_check_added_by_an_earlier_file_err() {
        // The check proves another column.
        assert_eq!(
            findings_after(
                "ALTER TABLE notes ADD CONSTRAINT notes_title_nn CHECK (title IS NOT NULL) NOT VALID;",
                "ALTER TABLE notes VALIDATE CONSTRAINT notes_title_nn;\n\
                 ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;",
            ),
            vec![(Code::SettingNotNull, 2, 40)]
        );
    }

    #[test]
    fn setting_not_null_ok() {
        // The safe recipe, its validation in a later (autocommit) step.
        assert_clean_with(
            &autocommit(),
            "ALTER TABLE notes ADD CONSTRAINT notes_summary_nn CHECK (summary IS NOT NULL) NOT VALID;\n\
             ALTER TABLE notes VALIDATE CONSTRAINT notes_summary_nn;\n\
             ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;\n\
             ALTER TABLE notes DROP CONSTRAINT IF EXISTS notes_summary_nn;",
        );
        assert_clean("CREATE TABLE t (a text);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;");
    }
}
