//! `renaming-table`: `ALTER TABLE … RENAME TO` breaks every running query
//! that uses the old name.

use sqlparser::ast::AlterTableOperation;

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RenamingTable,
    check: tables_are_not_renamed,
    finish: nothing_at_end,
};

fn tables_are_not_renamed(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        if let AlterTableOperation::RenameTable { .. } = op {
            out.push(s.finding(
                RULE.code,
                s.at_words(&["RENAME"]),
                format!("renaming `{table}` breaks the application code that uses the old name"),
                format!("keep a view named `{table}` over the renamed table while old code runs (drop it in a contract phase), or copy the data with sync triggers"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn renaming_table_err() {
        assert_flags(
            "ALTER TABLE notes RENAME TO documents;",
            Code::RenamingTable,
            1,
            19,
        );
    }

    #[test]
    fn renaming_table_ok() {
        assert_clean("CREATE TABLE t (a text);\nALTER TABLE t RENAME TO u;");
    }
}
