//! `validate-in-same-transaction`: `VALIDATE CONSTRAINT` in the transaction
//! that added the constraint `NOT VALID` keeps the strong lock of the `ADD`
//! through the whole validation scan, undoing the point of `NOT VALID`.

use sqlparser::ast::AlterTableOperation;

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ValidateInSameTransaction,
    check: validation_runs_in_a_later_transaction,
    finish: nothing_at_end,
};

fn validation_runs_in_a_later_transaction(
    s: &Stmt,
    st: &State,
    cx: &LintContext,
    out: &mut Vec<Finding>,
) {
    let Some(now) = st.transaction(cx) else {
        return;
    };
    for (op, table) in existing_table_ops(s, st) {
        let AlterTableOperation::ValidateConstraint { name } = op else {
            continue;
        };
        let c = ident_name(name);
        if st.not_valid.get(&c) == Some(&Some(now)) {
            out.push(s.finding(
                RULE.code,
                s.at_words(&["VALIDATE"]),
                format!("`{c}` is validated in the same transaction that added it `NOT VALID`, so `{table}` stays locked through the scan"),
                help(cx),
            ));
        }
    }
}

fn help(cx: &LintContext) -> &'static str {
    if cx.runner == crate::lint::Runner::Drizzle {
        "end the transaction first: drizzle-orm runs every pending journal entry in one transaction, so validate after a `COMMIT;` (in this entry or in a later one)"
    } else {
        "end the transaction first: validate after its `COMMIT;`, or in a later migration file, which its runner runs in a transaction of its own"
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn validate_in_same_transaction_err() {
        assert_flags(
            "ALTER TABLE notes ADD CONSTRAINT c CHECK (title <> '') NOT VALID;\nALTER TABLE notes VALIDATE CONSTRAINT c;",
            Code::ValidateInSameTransaction,
            2,
            19,
        );
    }

    #[test]
    fn validate_in_same_transaction_ok() {
        assert_clean_with(
            &autocommit(),
            "ALTER TABLE notes ADD CONSTRAINT c CHECK (title <> '') NOT VALID;\nALTER TABLE notes VALIDATE CONSTRAINT c;",
        );
        assert_clean_with(
            &autocommit(),
            "BEGIN;\nALTER TABLE notes ADD CONSTRAINT c CHECK (title <> '') NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE notes VALIDATE CONSTRAINT c;\nCOMMIT;",
        );
    }
}
