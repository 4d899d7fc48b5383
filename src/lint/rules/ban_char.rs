//! `ban-char`: `char(n)` pads values with spaces and compares them ignoring the
//! padding; it is never faster than `text`.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::is_char;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::BanChar,
    check: strings_are_not_padded,
    finish: nothing_at_end,
};

fn strings_are_not_padded(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if is_char(ty) {
            out.push(s.finding(
                RULE.code,
                at.clone(),
                format!("`{col}` is `{ty}`, which pads values with spaces"),
                "use `text` (with a `CHECK` on the length if it matters)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn ban_char_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, code char(3));",
            Code::BanChar,
            1,
            45,
        );
    }

    #[test]
    fn ban_char_ok() {
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, code text);");
    }
}
