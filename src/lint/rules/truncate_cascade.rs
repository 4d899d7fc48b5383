//! `truncate-cascade`: `TRUNCATE … CASCADE` also empties every table with a
//! foreign key to the named ones, recursively — tables nobody named.

use sqlparser::ast::{CascadeOption, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::TruncateCascade,
    check: truncates_name_their_tables,
    finish: nothing_at_end,
};

fn truncates_name_their_tables(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::Truncate(t)) = s.ast.as_deref() else {
        return;
    };
    if t.cascade == Some(CascadeOption::Cascade) {
        out.push(s.finding(
            RULE.code,
            s.at_words(&["CASCADE"]),
            "`TRUNCATE … CASCADE` also empties every table that references these, including ones this statement does not name",
            "name every table to empty in the `TRUNCATE` and drop `CASCADE`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn truncate_cascade_err() {
        assert_flags("TRUNCATE notebooks CASCADE;", Code::TruncateCascade, 1, 20);
    }

    #[test]
    fn truncate_cascade_ok() {
        assert_clean("TRUNCATE notebooks, notes;");
    }
}
