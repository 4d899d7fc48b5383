//! `constraint-missing-not-valid`: `ADD CONSTRAINT … CHECK` or `FOREIGN KEY`
//! on an existing table without `NOT VALID` validates every row while
//! holding ACCESS EXCLUSIVE (check) or SHARE ROW EXCLUSIVE on both tables
//! (foreign key).

use sqlparser::ast::{AlterTableOperation, TableConstraint};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ConstraintMissingNotValid,
    check: constraints_start_not_valid,
    finish: nothing_at_end,
};

fn constraints_start_not_valid(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::AddConstraint {
            constraint,
            not_valid: false,
        } = op
        else {
            continue;
        };
        let (what, words): (&str, &[&str]) = match constraint {
            TableConstraint::Check(_) => ("check", &["CHECK"]),
            TableConstraint::ForeignKey(_) => ("foreign key", &["FOREIGN", "KEY"]),
            _ => continue,
        };
        out.push(s.finding(
            RULE.code,
            s.at_words(words),
            format!("adding this {what} to `{table}` without `NOT VALID` checks every row while holding a lock that blocks writes"),
            "add it with `NOT VALID` (new rows are checked at once), then `ALTER TABLE … VALIDATE CONSTRAINT …` in a later transaction, which does not block writes",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn constraint_missing_not_valid_err() {
        assert_flags(
            "ALTER TABLE notes ADD CONSTRAINT notes_title_len CHECK (length(title) <= 200);",
            Code::ConstraintMissingNotValid,
            1,
            50,
        );
    }

    #[test]
    fn constraint_missing_not_valid_ok() {
        assert_clean_after(
            "CREATE TABLE notes (id uuid PRIMARY KEY, notebook_id uuid);\nCREATE INDEX notes_nb_idx ON notes (notebook_id);",
            "ALTER TABLE notes ADD CONSTRAINT notes_notebook_fk FOREIGN KEY (notebook_id) REFERENCES notebooks (id) NOT VALID;",
        );
        assert_clean_with(
            &autocommit(),
            "ALTER TABLE notes VALIDATE CONSTRAINT notes_notebook_fk;",
        );
    }
}
