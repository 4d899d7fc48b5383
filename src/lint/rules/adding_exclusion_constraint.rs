//! `adding-exclusion-constraint`: `ADD … EXCLUDE` on an existing table
//! builds and checks an index under ACCESS EXCLUSIVE, and has no online
//! form.

use sqlparser::ast::{AlterTableOperation, TableConstraint};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingExclusionConstraint,
    check: exclusion_constraints_are_not_added,
    finish: nothing_at_end,
};

fn exclusion_constraints_are_not_added(
    s: &Stmt,
    st: &State,
    _: &LintContext,
    out: &mut Vec<Finding>,
) {
    for (op, table) in existing_table_ops(s, st) {
        if let AlterTableOperation::AddConstraint {
            constraint: TableConstraint::Exclude(_),
            ..
        } = op
        {
            out.push(s.finding(
                RULE.code,
                s.at_words(&["EXCLUDE"]),
                format!("this exclusion constraint builds and checks an index on `{table}` under an ACCESS EXCLUSIVE lock; there is no online way to add it"),
                "create a new table with the constraint and move the data to it, or add it in a maintenance window (`-- sluice-ignore adding-exclusion-constraint: reason`)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_exclusion_constraint_err() {
        assert_flags(
            "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
            Code::AddingExclusionConstraint,
            1,
            48,
        );
    }

    #[test]
    fn adding_exclusion_constraint_ok() {
        assert_clean("CREATE TABLE bookings (room bigint, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));");
    }
}
