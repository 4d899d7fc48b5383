//! `rls-not-forced`: `ENABLE ROW LEVEL SECURITY` without `FORCE` in the
//! same file; the table owner (often the role migrations and jobs run as)
//! bypasses every policy.

use super::{no_statement_check, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RlsNotForced,
    check: no_statement_check,
    finish: row_security_is_forced,
};

fn row_security_is_forced(st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (table, place) in &st.rls_enabled {
        if st.rls_forced.contains(table) {
            continue;
        }
        out.push(Finding {
            code: RULE.code,
            statement: place.statement.clone(),
            at: place.at.clone(),
            message: format!("row-level security on `{table}` is not forced, so the table's owner bypasses every policy"),
            help: format!("add `ALTER TABLE {table} FORCE ROW LEVEL SECURITY;`"),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn rls_not_forced_err() {
        assert_flags(
            "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;",
            Code::RlsNotForced,
            1,
            19,
        );
    }

    #[test]
    fn rls_not_forced_ok() {
        assert_clean("ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE notes FORCE ROW LEVEL SECURITY;");
    }
}
