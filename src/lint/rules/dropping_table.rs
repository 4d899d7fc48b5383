//! `dropping-table`: `DROP TABLE` outside a contract phase breaks the
//! application version still running. A table created in the same file is
//! exempt.

use sqlparser::ast::{ObjectType, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::DroppingTable,
    check: tables_drop_in_contract_phases,
    finish: nothing_at_end,
};

fn tables_drop_in_contract_phases(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    if cx.contract_phase {
        return;
    }
    let Some(Statement::Drop {
        object_type: ObjectType::Table,
        names,
        ..
    }) = s.ast.as_deref()
    else {
        return;
    };
    for n in names {
        let table = object_name(n);
        if st.is_new_table(&table) {
            continue;
        }
        out.push(s.finding(
            RULE.code,
            s.at_name(n),
            format!("dropping `{table}` breaks the application code that still uses it, and loses its data"),
            "stop using the table, deploy, and drop it in a later contract phase",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn dropping_table_err() {
        assert_flags(
            "DROP TABLE IF EXISTS legacy_notes;",
            Code::DroppingTable,
            1,
            22,
        );
    }

    #[test]
    fn dropping_table_ok() {
        let contract = crate::lint::LintContext {
            contract_phase: true,
            ..cx()
        };
        assert_clean_with(&contract, "DROP TABLE legacy_notes;");
        assert_clean("CREATE TABLE scratch (a text);\nDROP TABLE scratch;");
    }
}
