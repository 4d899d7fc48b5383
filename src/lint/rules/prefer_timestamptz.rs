//! `prefer-timestamptz`: `timestamp` without time zone stores wall-clock time with no zone,
//! so values shift meaning with the server's or client's `TimeZone`.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::is_timestamp_without_tz;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PreferTimestamptz,
    check: timestamps_have_time_zones,
    finish: nothing_at_end,
};

fn timestamps_have_time_zones(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if is_timestamp_without_tz(ty) {
            out.push(s.finding(
                RULE.code,
                at.clone(),
                format!("`{col}` is `{ty}` without a time zone, so its values depend on the session's `TimeZone`"),
                "use `timestamptz`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn prefer_timestamptz_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, seen_at timestamp);",
            Code::PreferTimestamptz,
            1,
            48,
        );
    }

    #[test]
    fn prefer_timestamptz_ok() {
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, seen_at timestamptz);");
    }
}
