//! `adding-unique-constraint`: `ADD UNIQUE (…)` / `ADD PRIMARY KEY (…)` (or
//! a new column declared `UNIQUE` / `PRIMARY KEY`) builds the index under
//! ACCESS EXCLUSIVE; `… USING INDEX` on an index built concurrently does not.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingUniqueConstraint,
    check: unique_constraints_use_an_index,
    finish: nothing_at_end,
};

fn unique_constraints_use_an_index(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let words: &[&str] = match op {
            AlterTableOperation::AddConstraint { constraint, .. } => match constraint {
                TableConstraint::Unique(_) => &["UNIQUE"],
                TableConstraint::PrimaryKey(_) => &["PRIMARY", "KEY"],
                _ => continue,
            },
            AlterTableOperation::AddColumn { column_def, .. } => {
                let from = s.at_ident(&column_def.name).start;
                for o in &column_def.options {
                    let words: &[&str] = match o.option {
                        ColumnOption::Unique(_) => &["UNIQUE"],
                        ColumnOption::PrimaryKey(_) => &["PRIMARY", "KEY"],
                        _ => continue,
                    };
                    out.push(finding(s, s.at_words_from(from, words), table));
                }
                continue;
            }
            _ => continue,
        };
        out.push(finding(s, s.at_words(words), table));
    }
}

fn finding(s: &Stmt, at: std::ops::Range<usize>, table: &str) -> Finding {
    s.finding(
        RULE.code,
        at,
        format!("this constraint builds its index on `{table}` under an ACCESS EXCLUSIVE lock"),
        format!("`CREATE UNIQUE INDEX CONCURRENTLY … ON {table} (…)` outside a transaction, then `ALTER TABLE {table} ADD CONSTRAINT … UNIQUE USING INDEX …` (or `PRIMARY KEY USING INDEX`)"),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_unique_constraint_err() {
        assert_flags(
            "ALTER TABLE notes ADD CONSTRAINT notes_slug_key UNIQUE (org_id, slug);",
            Code::AddingUniqueConstraint,
            1,
            49,
        );
    }

    #[test]
    fn adding_unique_constraint_ok() {
        assert_clean_with(
            &autocommit(),
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notes_slug_idx ON notes (org_id, slug);",
        );
        assert_clean(
            "ALTER TABLE notes ADD CONSTRAINT notes_slug_key UNIQUE USING INDEX notes_slug_idx;",
        );
        assert_clean("CREATE TABLE t (id uuid);\nALTER TABLE t ADD PRIMARY KEY (id);");
    }
}
