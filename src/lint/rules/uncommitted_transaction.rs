//! `uncommitted-transaction`: a `BEGIN` that no `COMMIT` (or `ROLLBACK`)
//! closes by the end of the file. Its locks live as long as the session.

use super::{no_statement_check, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::UncommittedTransaction,
    check: no_statement_check,
    finish: transactions_are_committed,
};

fn transactions_are_committed(st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    if let (true, Some(begin)) = (st.explicit_depth > 0, &st.begin_at) {
        out.push(Finding {
            code: RULE.code,
            statement: begin.statement.clone(),
            at: begin.at.clone(),
            message: "this transaction is never committed: the file ends while it is open".into(),
            help: "end the file with `COMMIT;`".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn uncommitted_transaction_err() {
        assert_flags_with(
            &autocommit(),
            "BEGIN;\nCOMMENT ON TABLE notes IS 'x';",
            Code::UncommittedTransaction,
            1,
            1,
        );
    }

    #[test]
    fn uncommitted_transaction_ok() {
        assert_clean_with(
            &autocommit(),
            "BEGIN;\nCOMMENT ON TABLE notes IS 'x';\nCOMMIT;",
        );
    }
}
