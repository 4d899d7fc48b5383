//! `nested-transaction`: `BEGIN`/`COMMIT` in a file the runner already
//! wraps (every Drizzle journal file), or a `BEGIN` inside an open one.
//! PostgreSQL only warns about the inner `BEGIN`, but the inner `COMMIT`
//! ends the runner's transaction early, so a later failure no longer rolls
//! back what came before.

use sqlparser::ast::Statement;

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::NestedTransaction,
    check: transactions_do_not_nest,
    finish: nothing_at_end,
};

fn transactions_do_not_nest(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    let what = match s.ast.as_deref() {
        Some(Statement::StartTransaction { .. }) => "BEGIN",
        Some(Statement::Commit { .. }) => "COMMIT",
        Some(Statement::Rollback {
            savepoint: None, ..
        }) => "ROLLBACK",
        _ => return,
    };
    // One query of several statements: `BEGIN` turns PostgreSQL's implicit
    // transaction into an explicit one, `COMMIT` ends it; both are fine.
    let runner = st.in_runner_transaction(cx) && !cx.one_query;
    // A `COMMIT` that leaves the runner's transaction so that a statement
    // which cannot run in one may follow is on purpose.
    let later = |at: Option<usize>| at.is_some_and(|at| at > s.range.start);
    // So is one that commits a constraint added `NOT VALID` (in this file
    // or, with drizzle, an earlier journal entry) before its validation.
    let pending = st
        .transaction(cx)
        .is_some_and(|now| st.not_valid.values().any(|t| *t == Some(now)));
    let leaves_on_purpose = what != "BEGIN"
        && (later(st.last_non_transactional) || (pending && later(st.last_validation)));
    let message = if runner && !leaves_on_purpose {
        format!(
            "`{what}` in a file the runner already runs inside a transaction ({})",
            cx.runner.wraps_why()
        )
    } else if what == "BEGIN" && st.explicit_depth > 0 {
        "`BEGIN` inside a transaction that is already open".to_string()
    } else {
        return;
    };
    out.push(s.finding(
        RULE.code,
        s.head(),
        message,
        "remove the explicit `BEGIN`/`COMMIT`; statements that must run outside a transaction belong in a separate script",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn nested_transaction_err() {
        let found = findings_with(&cx(), "BEGIN;\nCOMMENT ON TABLE notes IS 'x';\nCOMMIT;");
        assert_eq!(
            found,
            vec![
                (Code::NestedTransaction, 1, 1),
                (Code::NestedTransaction, 3, 1)
            ]
        );
    }

    #[test]
    fn nested_transaction_ok() {
        assert_clean_with(
            &autocommit(),
            "BEGIN;\nCOMMENT ON TABLE notes IS 'x';\nCOMMIT;",
        );
    }
}
