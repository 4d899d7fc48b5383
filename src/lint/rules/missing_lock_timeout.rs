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
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this statement waits for a {} lock on `{}` without a `lock_timeout`; while it waits, every query on the table queues behind it", l.mode.name(), l.table),
        "start the file with `SET LOCAL lock_timeout = '2s';` (or `SET lock_timeout` outside a transaction) and retry the migration when it times out",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;
    use crate::lint::{lint_sql, LintContext};

    #[test]
    fn missing_lock_timeout_err() {
        let sql = "SET statement_timeout = '60s';\nALTER TABLE notes ADD COLUMN summary text;";
        let found: Vec<_> = lint_sql(sql, &cx())
            .into_iter()
            .map(|f| (f.code, f.at.start))
            .collect();
        assert_eq!(found, vec![(Code::MissingLockTimeout, 31)]);
    }

    #[test]
    fn missing_lock_timeout_ok() {
        let sql = "SET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE notes ADD COLUMN summary text;";
        assert_eq!(lint_sql(sql, &cx()), vec![]);
        // A new table locks nothing anyone waits for.
        assert_eq!(
            lint_sql(
                "CREATE TABLE t (id bigint PRIMARY KEY);",
                &LintContext {
                    in_transaction: true,
                    ..LintContext::default()
                }
            ),
            vec![]
        );
    }
}
