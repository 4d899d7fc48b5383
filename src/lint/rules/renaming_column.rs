//! `renaming-column`: `RENAME COLUMN` breaks every running query that uses
//! the old name, at the moment it commits.

use sqlparser::ast::AlterTableOperation;

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RenamingColumn,
    check: columns_are_not_renamed,
    finish: nothing_at_end,
};

fn columns_are_not_renamed(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } = op
        else {
            continue;
        };
        out.push(s.finding(
            RULE.code,
            s.at_words(&["RENAME"]),
            format!("renaming `{table}.{}` to `{}` breaks the application code that uses the old name", ident_name(old_column_name), ident_name(new_column_name)),
            "expand/contract: add the new column, keep both in sync with triggers, backfill, switch the code, then drop the old column in a contract phase",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn renaming_column_err() {
        assert_flags(
            "ALTER TABLE notes RENAME COLUMN body TO content;",
            Code::RenamingColumn,
            1,
            19,
        );
    }

    #[test]
    fn renaming_column_ok() {
        assert_clean("CREATE TABLE t (a text);\nALTER TABLE t RENAME COLUMN a TO b;");
    }
}
