//! `refresh-without-concurrently`: `REFRESH MATERIALIZED VIEW` takes ACCESS
//! EXCLUSIVE on the view, blocking its readers for the whole refresh.

use sqlparser::ast::Statement;

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RefreshWithoutConcurrently,
    check: refreshes_are_concurrent,
    finish: nothing_at_end,
};

fn refreshes_are_concurrent(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::RefreshMaterializedView(r)) = s.ast.as_deref() else {
        return;
    };
    let view = object_name(&r.name);
    if r.concurrently || st.created_views.contains(&view) {
        return;
    }
    out.push(s.finding(
        RULE.code,
        s.at_words(&["REFRESH"]),
        format!("refreshing `{view}` locks out every reader of the view until it finishes"),
        "`REFRESH MATERIALIZED VIEW CONCURRENTLY …` outside a transaction (the view needs a unique index)",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn refresh_without_concurrently_err() {
        assert_flags(
            "REFRESH MATERIALIZED VIEW note_counts;",
            Code::RefreshWithoutConcurrently,
            1,
            1,
        );
    }

    #[test]
    fn refresh_without_concurrently_ok() {
        assert_clean_with(
            &autocommit(),
            "REFRESH MATERIALIZED VIEW CONCURRENTLY note_counts;",
        );
    }
}
