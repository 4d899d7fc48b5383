//! `concurrently-in-transaction`: statements PostgreSQL refuses inside a
//! transaction block — every `… CONCURRENTLY`, `VACUUM`, `ALTER SYSTEM`,
//! and before PG 12 `ALTER TYPE … ADD VALUE` — in a transaction. Every
//! Drizzle journal file is one: drizzle-orm runs all pending migrations in
//! a single transaction.

use sqlparser::ast::{AlterTableOperation, AlterTypeOperation, DetachPartitionMode, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::fallback::Known;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ConcurrentlyInTransaction,
    check: non_transactional_statements_run_outside_transactions,
    finish: nothing_at_end,
};

fn non_transactional_statements_run_outside_transactions(
    s: &Stmt,
    st: &State,
    cx: &LintContext,
    out: &mut Vec<Finding>,
) {
    if !st.is_in_transaction(cx) {
        return;
    }
    let Some((what, at)) = non_transactional(s, cx) else {
        return;
    };
    let why = if st.in_runner_transaction(cx) {
        format!(
            "the runner runs it in a transaction ({})",
            cx.runner.wraps_why()
        )
    } else {
        "it stands between `BEGIN` and `COMMIT`".to_string()
    };
    out.push(s.finding(
        RULE.code,
        at,
        format!("`{what}` cannot run inside a transaction, and {why}: the statement fails and the whole deploy rolls back"),
        "move it to a script run outside any transaction (for Drizzle: the phase's out-of-transaction script, or a `COMMIT;` before it; for prisma and golang-migrate: a migration of its own with this one statement)",
    ));
}

/// What makes the statement non-transactional, and where it says so.
pub(crate) fn non_transactional(
    s: &Stmt,
    cx: &LintContext,
) -> Option<(&'static str, std::ops::Range<usize>)> {
    let concurrently = || s.at_words(&["CONCURRENTLY"]);
    match &s.known {
        Some(Known::Reindex { concurrently: true }) => {
            return Some(("REINDEX CONCURRENTLY", concurrently()))
        }
        Some(Known::DropIndex {
            concurrently: true, ..
        }) => return Some(("DROP INDEX CONCURRENTLY", concurrently())),
        Some(Known::AlterSystem) => return Some(("ALTER SYSTEM", s.head())),
        _ => {}
    }
    match s.ast.as_deref()? {
        Statement::CreateIndex(ci) if ci.concurrently => {
            Some(("CREATE INDEX CONCURRENTLY", concurrently()))
        }
        Statement::Vacuum(_) => Some(("VACUUM", s.head())),
        Statement::AlterTable(at) => at.operations.iter().find_map(|op| match op {
            AlterTableOperation::DetachPartitionOf {
                mode: Some(DetachPartitionMode::Concurrently),
                ..
            } => Some(("DETACH PARTITION CONCURRENTLY", concurrently())),
            _ => None,
        }),
        Statement::AlterType(t) if !cx.pg.is_at_least(12) => match t.operation {
            AlterTypeOperation::AddValue(_) => Some((
                "ALTER TYPE … ADD VALUE (before PostgreSQL 12)",
                s.at_words(&["ADD", "VALUE"]),
            )),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn concurrently_in_transaction_err() {
        assert_flags(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);",
            Code::ConcurrentlyInTransaction,
            1,
            14,
        );
        assert_flags_with(
            &autocommit(),
            "BEGIN;\nDROP INDEX CONCURRENTLY IF EXISTS notes_tags_idx;\nCOMMIT;",
            Code::ConcurrentlyInTransaction,
            2,
            12,
        );
        assert_flags("VACUUM notes;", Code::ConcurrentlyInTransaction, 1, 1);
    }

    #[test]
    fn concurrently_in_transaction_ok() {
        assert_clean_with(
            &autocommit(),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);",
        );
        assert_clean("REFRESH MATERIALIZED VIEW CONCURRENTLY note_counts;");
    }
}
