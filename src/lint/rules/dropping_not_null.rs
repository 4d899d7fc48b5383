//! `dropping-not-null`: `DROP NOT NULL` outside a contract phase lets NULLs
//! reach the running application, which does not expect them.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::DroppingNotNull,
    check: not_null_drops_in_contract_phases,
    finish: nothing_at_end,
};

fn not_null_drops_in_contract_phases(
    s: &Stmt,
    st: &State,
    cx: &LintContext,
    out: &mut Vec<Finding>,
) {
    if cx.contract_phase {
        return;
    }
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::DropNotNull,
        } = op
        else {
            continue;
        };
        let from = s.at_ident(column_name).start;
        out.push(s.finding(
            RULE.code,
            s.at_words_from(from, &["DROP", "NOT", "NULL"]),
            format!(
                "`{table}.{}` may now hold NULL, which the running application does not expect",
                ident_name(column_name)
            ),
            "deploy code that handles NULL first, then drop the constraint in a contract phase",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn dropping_not_null_err() {
        assert_flags(
            "ALTER TABLE notes ALTER COLUMN title DROP NOT NULL;",
            Code::DroppingNotNull,
            1,
            38,
        );
    }

    #[test]
    fn dropping_not_null_ok() {
        let contract = crate::lint::LintContext {
            contract_phase: true,
            ..cx()
        };
        assert_clean_with(
            &contract,
            "ALTER TABLE notes ALTER COLUMN title DROP NOT NULL;",
        );
    }
}
