//! `missing-lock-timeout`: the first statement of a file that takes a
//! strong lock (SHARE or stronger) on an existing table before `SET
//! lock_timeout`. While it waits for the lock, every later query on the
//! table queues behind it: a lock-queue outage.

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::lock::{self, LockMode};
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::MissingLockTimeout,
    check: locks_wait_with_a_timeout,
    finish: nothing_at_end,
};

fn locks_wait_with_a_timeout(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    if st.lock_timeout || st.strong_locks > 0 {
        return;
    }
    let Some(l) = lock::taken(s, st).filter(|l| l.mode >= LockMode::Share) else {
        return;
    };
    let (why, help) = match st.ineffective_local.get("lock_timeout") {
        Some(_) => (
            "; the `SET LOCAL lock_timeout` before it runs outside a transaction, where it does nothing",
            "wrap the file in `BEGIN;` … `COMMIT;` so `SET LOCAL lock_timeout` applies (or write `SET lock_timeout`), and retry the migration when it times out",
        ),
        None => (
            "",
            "start the file with `SET LOCAL lock_timeout = '2s';` (or `SET lock_timeout` outside a transaction) and retry the migration when it times out",
        ),
    };
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this statement waits for a {} lock on `{}` without a `lock_timeout`; while it waits, every query on the table queues behind it{why}", l.mode.name(), l.table),
        help,
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;
    use crate::lint::LintContext;

    #[test]
    fn missing_lock_timeout_err() {
        let sql = "SET statement_timeout = '60s';\nALTER TABLE notes ADD COLUMN summary text;";
        assert_eq!(
            findings_bare(&cx(), sql),
            vec![(Code::MissingLockTimeout, 2, 1)]
        );
    }

    #[test]
    fn set_local_outside_a_transaction_does_nothing_err() {
        let sql = "SET LOCAL lock_timeout = '2s';\nSET statement_timeout = '60s';\n\
                   ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;";
        assert_eq!(
            findings_bare(&autocommit(), sql),
            vec![(Code::MissingLockTimeout, 3, 1)]
        );
        let found = crate::lint::lint_sql(sql, &autocommit());
        assert!(found[0].message.contains("does nothing"), "{found:?}");
        // `SET LOCAL` ends with its transaction.
        let sql = "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\n\
                   COMMENT ON TABLE notes IS 'x';\nCOMMIT;\n\
                   ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;";
        assert_eq!(
            findings_bare(&autocommit(), sql),
            vec![
                (Code::MissingLockTimeout, 6, 1),
                (Code::MissingStatementTimeout, 6, 1)
            ]
        );
    }

    #[test]
    fn missing_lock_timeout_ok() {
        let sql = "SET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE notes ADD COLUMN summary text;";
        assert_eq!(findings_bare(&cx(), sql), vec![]);
        // The same preamble in an explicit transaction of an autocommit file.
        let sql = format!("BEGIN;\n{sql}\nCOMMIT;");
        assert_eq!(findings_bare(&autocommit(), &sql), vec![]);
        // A new table locks nothing anyone waits for.
        assert_eq!(
            findings_bare(
                &LintContext {
                    in_transaction: true,
                    ..LintContext::default()
                },
                "CREATE TABLE t (id bigint PRIMARY KEY);",
            ),
            vec![]
        );
    }
}
