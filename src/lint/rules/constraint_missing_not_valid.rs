//! `constraint-missing-not-valid`: `ADD CONSTRAINT … CHECK` or `FOREIGN KEY`
//! on an existing table without `NOT VALID` validates every row while
//! holding ACCESS EXCLUSIVE (check) or SHARE ROW EXCLUSIVE on both tables
//! (foreign key). `ADD COLUMN … REFERENCES` / `… CHECK` validates the same
//! way and cannot be `NOT VALID` at all.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ConstraintMissingNotValid,
    check: constraints_start_not_valid,
    finish: nothing_at_end,
};

fn constraints_start_not_valid(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        if let AlterTableOperation::AddColumn { column_def, .. } = op {
            column_constraints(s, column_def, table, out);
            continue;
        }
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

/// `ADD COLUMN c … REFERENCES t` (or `CHECK (…)`) on an existing table:
/// the constraint is validated over every row at once, and the column
/// form has no `NOT VALID`.
fn column_constraints(
    s: &Stmt,
    c: &sqlparser::ast::ColumnDef,
    table: &str,
    out: &mut Vec<Finding>,
) {
    let col = ident_name(&c.name);
    let from = s.at_ident(&c.name).start;
    for o in &c.options {
        let (what, word) = match &o.option {
            ColumnOption::ForeignKey(_) => ("foreign key", "REFERENCES"),
            ColumnOption::Check(_) => ("check", "CHECK"),
            _ => continue,
        };
        out.push(s.finding(
            RULE.code,
            s.at_words_from(from, &[word]),
            format!("adding `{table}.{col}` with an inline {what} validates it over every row of `{table}` while holding a lock that blocks writes, and the column form cannot be `NOT VALID`"),
            format!("add the column without the {what}, then `ALTER TABLE {table} ADD CONSTRAINT … NOT VALID` and `VALIDATE CONSTRAINT …` in a later transaction"),
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
    fn add_column_references_on_an_existing_table_validates_its_key_err() {
        // (and `foreign-key-without-index`, as for any foreign key)
        let found = findings_with(
            &cx(),
            "ALTER TABLE notes ADD COLUMN notebook_id uuid REFERENCES notebooks (id);",
        );
        assert!(
            found.contains(&(Code::ConstraintMissingNotValid, 1, 47)),
            "{found:?}"
        );
    }

    #[test]
    fn add_column_references_on_an_existing_table_validates_its_key_ok() {
        assert_clean(
            "CREATE TABLE notes (id uuid PRIMARY KEY);\n\
             ALTER TABLE notes ADD COLUMN notebook_id uuid REFERENCES notebooks (id);\n\
             CREATE INDEX notes_notebook_idx ON notes (notebook_id);",
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
