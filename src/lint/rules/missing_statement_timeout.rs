//! `missing-statement-timeout`: the first statement of a file that takes a
//! strong lock on an existing table before `SET statement_timeout`, so a
//! slow statement can hold the lock without bound.

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::lock::{self, LockMode};
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::MissingStatementTimeout,
    check: locking_statements_have_a_timeout,
    finish: nothing_at_end,
};

fn locking_statements_have_a_timeout(
    s: &Stmt,
    st: &State,
    _: &LintContext,
    out: &mut Vec<Finding>,
) {
    if st.statement_timeout || st.strong_locks > 0 {
        return;
    }
    let Some(l) = lock::taken(s, st).filter(|l| l.mode >= LockMode::Share) else {
        return;
    };
    let (why, help) = match st.ineffective_local.get("statement_timeout") {
        Some(_) => (
            "; the `SET LOCAL statement_timeout` before it runs outside a transaction, where it does nothing",
            "wrap the file in `BEGIN;` … `COMMIT;` so `SET LOCAL statement_timeout` applies (or write `SET statement_timeout`)",
        ),
        None => (
            "",
            "start the file with `SET LOCAL statement_timeout = '60s';` (or `SET statement_timeout` outside a transaction)",
        ),
    };
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this statement holds a {} lock on `{}` with no `statement_timeout`, so a slow run keeps the table blocked{why}", l.mode.name(), l.table),
        help,
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn missing_statement_timeout_err() {
        let sql = "SET lock_timeout = '2s';\nALTER TABLE notes ADD COLUMN summary text;";
        assert_eq!(
            findings_bare(&cx(), sql),
            vec![(Code::MissingStatementTimeout, 2, 1)]
        );
        let sql = "SET lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\n\
                   ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;";
        assert_eq!(
            findings_bare(&autocommit(), sql),
            vec![(Code::MissingStatementTimeout, 3, 1)]
        );
    }

    #[test]
    fn missing_statement_timeout_ok() {
        assert_clean("ALTER TABLE notes ADD COLUMN summary text;");
        let sql = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n\
                   ALTER TABLE notes ADD COLUMN IF NOT EXISTS summary text;";
        assert_eq!(findings_bare(&autocommit(), sql), vec![]);
    }
}
