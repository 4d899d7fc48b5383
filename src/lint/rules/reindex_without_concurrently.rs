//! `reindex-without-concurrently`: `REINDEX` blocks writes to the table and
//! reads through the index; PG 12+ has `REINDEX … CONCURRENTLY`.

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::fallback::Known;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ReindexWithoutConcurrently,
    check: reindexing_is_concurrent,
    finish: nothing_at_end,
};

fn reindexing_is_concurrent(s: &Stmt, _: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    if !matches!(
        s.known,
        Some(Known::Reindex {
            concurrently: false
        })
    ) {
        return;
    }
    let help = if cx.pg.is_at_least(12) {
        "`REINDEX … CONCURRENTLY`, run outside a transaction"
    } else {
        "before PostgreSQL 12 there is no concurrent `REINDEX`: build a new index `CONCURRENTLY`, then drop the old one `CONCURRENTLY`"
    };
    out.push(s.finding(
        RULE.code,
        s.head(),
        "`REINDEX` blocks writes to the table and stalls reads that use the index until it finishes",
        help,
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn reindex_without_concurrently_err() {
        assert_flags_with(
            &autocommit(),
            "REINDEX INDEX notes_tags_idx;",
            Code::ReindexWithoutConcurrently,
            1,
            1,
        );
    }

    #[test]
    fn reindex_without_concurrently_ok() {
        assert_clean_with(&autocommit(), "REINDEX INDEX CONCURRENTLY notes_tags_idx;");
    }
}
