//! `rewriting-table`: `VACUUM FULL`, `CLUSTER`, `SET TABLESPACE` and
//! `SET LOGGED/UNLOGGED` rewrite the table under ACCESS EXCLUSIVE.

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::fallback::Known;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RewritingTable,
    check: tables_are_not_rewritten,
    finish: nothing_at_end,
};

fn tables_are_not_rewritten(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let mut hits: Vec<(String, std::ops::Range<usize>, &str)> = Vec::new();
    match (&s.known, s.ast.as_deref()) {
        (Some(Known::Cluster { table }), _) => hits.push((
            table
                .clone()
                .unwrap_or_else(|| "every clustered table".into()),
            s.head(),
            "CLUSTER",
        )),
        (Some(Known::SetTablespace { table }), _) => {
            if !st.is_new_table(table) {
                hits.push((
                    table.clone(),
                    s.at_words(&["SET", "TABLESPACE"]),
                    "SET TABLESPACE",
                ));
            }
        }
        (_, Some(Statement::Vacuum(v))) if v.full => {
            let t = v.table_name.as_ref().map(object_name);
            if !t.as_ref().is_some_and(|t| st.is_new_table(t)) {
                hits.push((
                    t.unwrap_or_else(|| "every table".into()),
                    s.at_words(&["FULL"]),
                    "VACUUM FULL",
                ));
            }
        }
        _ => {}
    }
    for (op, table) in existing_table_ops(s, st) {
        match op {
            AlterTableOperation::SetLogged => hits.push((
                table.to_string(),
                s.at_words(&["SET", "LOGGED"]),
                "SET LOGGED",
            )),
            AlterTableOperation::SetUnlogged => hits.push((
                table.to_string(),
                s.at_words(&["SET", "UNLOGGED"]),
                "SET UNLOGGED",
            )),
            _ => {}
        }
    }
    for (table, at, what) in hits {
        out.push(s.finding(
            RULE.code,
            at,
            format!("`{what}` rewrites `{table}` under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes"),
            "do not rewrite a live table in a migration; use `pg_repack` or a maintenance window, and say so with `-- sluice-ignore rewriting-table: reason`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn rewriting_table_err() {
        assert_flags_with(
            &autocommit(),
            "VACUUM FULL notes;",
            Code::RewritingTable,
            1,
            8,
        );
        assert_flags(
            "CLUSTER notes USING notes_pkey;",
            Code::RewritingTable,
            1,
            1,
        );
        assert_flags(
            "ALTER TABLE notes SET TABLESPACE fast;",
            Code::RewritingTable,
            1,
            19,
        );
        assert_flags(
            "ALTER TABLE notes SET UNLOGGED;",
            Code::RewritingTable,
            1,
            19,
        );
    }

    #[test]
    fn rewriting_table_ok() {
        assert_clean_with(&autocommit(), "VACUUM notes;");
        assert_clean("CREATE TABLE t (a text);\nALTER TABLE t SET UNLOGGED;");
    }
}
