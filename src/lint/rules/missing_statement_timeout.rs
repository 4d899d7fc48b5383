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
    out.push(s.finding(
        RULE.code,
        s.head(),
        format!("this statement holds a {} lock on `{}` with no `statement_timeout`, so a slow run keeps the table blocked", l.mode.name(), l.table),
        "start the file with `SET LOCAL statement_timeout = '60s';` (or `SET statement_timeout` outside a transaction)",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::lint_sql;
    use crate::lint::testing::*;

    #[test]
    fn missing_statement_timeout_err() {
        let sql = "SET lock_timeout = '2s';\nALTER TABLE notes ADD COLUMN summary text;";
        let found: Vec<_> = lint_sql(sql, &cx())
            .into_iter()
            .map(|f| (f.code, f.at.start))
            .collect();
        assert_eq!(found, vec![(Code::MissingStatementTimeout, 25)]);
    }

    #[test]
    fn missing_statement_timeout_ok() {
        assert_clean("ALTER TABLE notes ADD COLUMN summary text;");
    }
}
