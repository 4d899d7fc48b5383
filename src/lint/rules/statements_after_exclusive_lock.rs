//! `statements-after-exclusive-lock`: once a transaction holds ACCESS
//! EXCLUSIVE on an existing table, it keeps it until commit. More work in
//! the same transaction — data changes, scans, index builds, locks on other
//! tables — turns a brief lock into a long one. More cheap DDL on the same
//! table is fine.

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::lock;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::StatementsAfterExclusiveLock,
    check: exclusive_locks_are_released_quickly,
    finish: nothing_at_end,
};

fn exclusive_locks_are_released_quickly(
    s: &Stmt,
    st: &State,
    cx: &LintContext,
    out: &mut Vec<Finding>,
) {
    if !st.is_in_transaction(cx) || st.exclusive_held.is_empty() {
        return;
    }
    let held = st
        .exclusive_held
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join("`, `");
    let what = match s.ast.as_deref() {
        None if matches!(s.known, Some(crate::lint::fallback::Known::ChangesData)) => {
            Some("changes data".to_string())
        }
        Some(
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Copy { .. },
        ) => Some("changes data".to_string()),
        Some(Statement::AlterTable(at))
            if at
                .operations
                .iter()
                .any(|op| is_separate_validation(op, st, cx)) =>
        {
            Some("scans a table to validate a constraint".to_string())
        }
        _ => lock::taken(s, st)
            .filter(|l| !st.locked.contains(&l.table))
            .map(|l| format!("locks another table, `{}`", l.table)),
    };
    let Some(what) = what else { return };
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this statement {what} while the transaction still holds an ACCESS EXCLUSIVE lock on `{held}`, which blocks every query on it until commit"),
        "commit right after the statement that takes the exclusive lock: move this statement to its own transaction or a later phase (backfills run outside the migration)",
    ));
}

/// A `VALIDATE` of a constraint not added in this transaction (that case
/// is `validate-in-same-transaction`'s).
fn is_separate_validation(op: &AlterTableOperation, st: &State, cx: &LintContext) -> bool {
    match op {
        AlterTableOperation::ValidateConstraint { name } => {
            let added_now = st.not_valid.get(&crate::lint::statement::ident_name(name))
                == Some(&st.transaction(cx));
            !added_now
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn statements_after_exclusive_lock_err() {
        assert_flags(
            "ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;\nUPDATE notes SET summary = '' WHERE summary IS NULL;",
            Code::StatementsAfterExclusiveLock,
            2,
            1,
        );
    }

    #[test]
    fn statements_after_exclusive_lock_ok() {
        // What a statement drops is gone at commit; its lock blocks no one
        // who could still use it (a rollback drops one relation after another).
        assert_clean("DROP VIEW IF EXISTS note_counts;\nDROP VIEW IF EXISTS tag_counts;");
        let contract = crate::lint::LintContext {
            contract_phase: true,
            ..cx()
        };
        assert_clean_with(
            &contract,
            "DROP POLICY notes_select ON notes;\nDROP POLICY tags_select ON tags;\nDROP TABLE notes;\nDROP TABLE tags;",
        );
        assert_clean(
            "ALTER TABLE notes ADD COLUMN summary text;\nALTER TABLE notes ALTER COLUMN summary SET DEFAULT '';\nCOMMENT ON COLUMN notes.summary IS 'Short text.';",
        );
        assert_clean_with(
            &autocommit(),
            "ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;\nUPDATE notes SET summary = '' WHERE id = '00000000-0000-0000-0000-000000000000';",
        );
    }
}
