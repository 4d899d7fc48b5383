//! `prefer-bigint`: a 16- or 32-bit integer column runs out of values (2^31 for
//! `integer`) sooner than anyone plans for; widening it later is a rewrite.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::is_small_int;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PreferBigint,
    check: integers_are_64_bit,
    finish: nothing_at_end,
};

fn integers_are_64_bit(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if is_small_int(&ty) {
            out.push(s.finding(
                RULE.code,
                at,
                format!("`{col}` is `{ty}`, which overflows at about two billion (`smallint`: 32767); widening it later rewrites the table"),
                "use `bigint` (or `bigint GENERATED ALWAYS AS IDENTITY` for keys)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn prefer_bigint_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, votes integer);",
            Code::PreferBigint,
            1,
            46,
        );
    }

    #[test]
    fn prefer_bigint_ok() {
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, votes bigint);");
    }
}
