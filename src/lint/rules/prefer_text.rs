//! `prefer-text`: `varchar(n)` limits are changed with a type change (and an
//! exclusive lock); `text` with a `CHECK (length(col) <= n)` is as fast and
//! changes with a `NOT VALID` check.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::varchar_limit;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PreferText,
    check: strings_are_text,
    finish: nothing_at_end,
};

fn strings_are_text(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if varchar_limit(ty).is_some() {
            out.push(s.finding(
                RULE.code,
                at.clone(),
                format!("`{col}` is `{ty}`: changing its limit later takes an exclusive lock"),
                "use `text` with `CHECK (length(col) <= n)`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn prefer_text_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, name varchar(100));",
            Code::PreferText,
            1,
            45,
        );
    }

    #[test]
    fn prefer_text_ok() {
        assert_clean(
            "CREATE TABLE t (id bigint PRIMARY KEY, name text CHECK (length(name) <= 100));",
        );
    }
}
