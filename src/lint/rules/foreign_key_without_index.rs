//! `foreign-key-without-index`: a foreign key whose columns no index leads
//! with. Every `UPDATE`/`DELETE` of a parent row then scans the child
//! table. Indexes and keys from earlier files of the run count.

use super::{no_statement_check, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::ForeignKeyWithoutIndex,
    check: no_statement_check,
    finish: foreign_keys_are_indexed,
};

fn foreign_keys_are_indexed(st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for fk in &st.foreign_keys {
        if fk.columns.is_empty() || st.catalog.has_index_leading_with(&fk.table, &fk.columns) {
            continue;
        }
        let cols = fk.columns.join(", ");
        out.push(Finding {
            code: RULE.code,
            statement: fk.statement.clone(),
            at: fk.at.clone(),
            message: format!("no index on `{}` leads with the foreign-key columns ({cols}), so deleting or updating a referenced row scans `{}`", fk.table, fk.table),
            help: format!("`CREATE INDEX CONCURRENTLY IF NOT EXISTS {}_{}_idx ON {} ({cols})` (or plain `CREATE INDEX` on a table created in this migration)", fk.table, fk.columns.join("_"), fk.table),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn foreign_key_without_index_err() {
        assert_flags(
            "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));",
            Code::ForeignKeyWithoutIndex,
            1,
            70,
        );
    }

    #[test]
    fn foreign_key_without_index_ok() {
        assert_clean(
            "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX posts_user_id_idx ON posts (user_id);",
        );
    }
}
