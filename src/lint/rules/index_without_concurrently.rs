//! `index-without-concurrently`: `CREATE INDEX` on an existing table holds
//! a SHARE lock (no writes) for the whole build.

use sqlparser::ast::Statement;

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::IndexWithoutConcurrently,
    check: indexes_build_concurrently,
    finish: nothing_at_end,
};

fn indexes_build_concurrently(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::CreateIndex(ci)) = s.ast.as_deref() else {
        return;
    };
    let table = object_name(&ci.table_name);
    if ci.concurrently || st.is_new_table(&table) {
        return;
    }
    out.push(s.finding(
        RULE.code,
        s.at_words(&["INDEX"]),
        format!("building this index blocks every write to `{table}` until it finishes"),
        "`CREATE INDEX CONCURRENTLY IF NOT EXISTS …`, run outside a transaction (for Drizzle: in the phase's out-of-transaction script, not in a journal file)",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn index_without_concurrently_err() {
        assert_flags(
            "CREATE INDEX notes_tags_idx ON notes USING gin (tags);",
            Code::IndexWithoutConcurrently,
            1,
            8,
        );
        assert_flags(
            "CREATE UNIQUE INDEX i ON notes (slug);",
            Code::IndexWithoutConcurrently,
            1,
            15,
        );
    }

    #[test]
    fn index_without_concurrently_ok() {
        assert_clean_with(
            &autocommit(),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);",
        );
        assert_clean("CREATE TABLE tags (id uuid PRIMARY KEY, name text);\nCREATE INDEX tags_name_idx ON tags (name);");
    }
}
