//! `non-idempotent-outside-transaction`: DDL that runs outside a
//! transaction without `IF [NOT] EXISTS`. After a partial failure the file
//! cannot simply be run again: the statements that did succeed now fail.

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::fallback::Known;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::NonIdempotentOutsideTransaction,
    check: autocommit_ddl_can_rerun,
    finish: nothing_at_end,
};

fn autocommit_ddl_can_rerun(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    // A file of one statement cannot fail half-way: it did all or nothing.
    if st.is_in_transaction(cx) || st.part_statements == 1 {
        return;
    }
    let Some(missing) = missing_guard(s) else {
        return;
    };
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this DDL runs outside a transaction without `{missing}`, so the file cannot be re-run after a partial failure"),
        format!("write `{missing}` so a second run skips what the first one did"),
    ));
}

/// `IF NOT EXISTS` / `IF EXISTS` when the statement can have it and does not.
fn missing_guard(s: &Stmt) -> Option<&'static str> {
    const NOT_EXISTS: &str = "IF NOT EXISTS";
    const EXISTS: &str = "IF EXISTS";
    if let Some(Known::DropIndex {
        if_exists: false, ..
    }) = s.known
    {
        return Some(EXISTS);
    }
    match s.ast.as_deref()? {
        Statement::CreateTable(c) if !c.if_not_exists => Some(NOT_EXISTS),
        Statement::CreateIndex(c) if !c.if_not_exists => Some(NOT_EXISTS),
        Statement::CreateSchema {
            if_not_exists: false,
            ..
        } => Some(NOT_EXISTS),
        Statement::CreateExtension(c) if !c.if_not_exists => Some(NOT_EXISTS),
        Statement::CreateSequence {
            if_not_exists: false,
            ..
        } => Some(NOT_EXISTS),
        Statement::Drop {
            if_exists: false, ..
        } => Some(EXISTS),
        Statement::AlterTable(at) => at.operations.iter().find_map(|op| match op {
            AlterTableOperation::AddColumn {
                if_not_exists: false,
                ..
            } => Some(NOT_EXISTS),
            AlterTableOperation::DropColumn {
                if_exists: false, ..
            }
            | AlterTableOperation::DropConstraint {
                if_exists: false, ..
            } => Some(EXISTS),
            _ => None,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn non_idempotent_outside_transaction_err() {
        assert_flags_with(
            &autocommit(),
            "CREATE INDEX CONCURRENTLY notes_tags_idx ON notes USING gin (tags);",
            Code::NonIdempotentOutsideTransaction,
            1,
            1,
        );
    }

    #[test]
    fn non_idempotent_outside_transaction_ok() {
        assert_clean_with(
            &autocommit(),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);",
        );
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY);");
    }
}
