//! `dropping-column`: `DROP COLUMN` outside a contract phase breaks the
//! application version still running, which reads the column.

use sqlparser::ast::AlterTableOperation;

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::DroppingColumn,
    check: columns_drop_in_contract_phases,
    finish: nothing_at_end,
};

fn columns_drop_in_contract_phases(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    if cx.contract_phase {
        return;
    }
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::DropColumn { column_names, .. } = op else {
            continue;
        };
        for c in column_names {
            out.push(s.finding(
                RULE.code,
                s.at_ident(c),
                format!("dropping `{table}.{}` breaks the application code that still reads it", ident_name(c)),
                "stop using the column, deploy, and drop it in a later contract phase (sluice: a `contract { drop column … }` step)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;
    use crate::lint::LintContext;

    #[test]
    fn dropping_column_err() {
        assert_flags(
            "ALTER TABLE notes DROP COLUMN legacy;",
            Code::DroppingColumn,
            1,
            31,
        );
    }

    #[test]
    fn dropping_column_ok() {
        let contract = LintContext {
            contract_phase: true,
            ..cx()
        };
        assert_clean_with(&contract, "ALTER TABLE notes DROP COLUMN legacy;");
    }
}
