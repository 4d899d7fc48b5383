//! `prefer-identity`: `serial` columns own a sequence with loose permissions and can be
//! written past; SQL-standard identity columns are meant.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::is_serial;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PreferIdentity,
    check: keys_are_identity_columns,
    finish: nothing_at_end,
};

fn keys_are_identity_columns(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if is_serial(ty) {
            out.push(s.finding(
                RULE.code,
                at.clone(),
                format!("`{col}` is `{ty}`; identity columns are the standard replacement, with tighter ownership of the sequence"),
                "use `bigint GENERATED ALWAYS AS IDENTITY`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn prefer_identity_err() {
        assert_flags(
            "CREATE TABLE t (id bigserial PRIMARY KEY);",
            Code::PreferIdentity,
            1,
            20,
        );
    }

    #[test]
    fn prefer_identity_ok() {
        assert_clean("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);");
    }
}
