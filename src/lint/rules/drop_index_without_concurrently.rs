//! `drop-index-without-concurrently`: `DROP INDEX` takes ACCESS EXCLUSIVE
//! on the index's table. An index created earlier in the same file is
//! exempt.

use sqlparser::ast::{ObjectType, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::fallback::Known;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::DropIndexWithoutConcurrently,
    check: indexes_drop_concurrently,
    finish: nothing_at_end,
};

fn indexes_drop_concurrently(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let names: Vec<String> = match (s.ast.as_deref(), &s.known) {
        (
            _,
            Some(Known::DropIndex {
                concurrently: true, ..
            }),
        ) => return,
        (_, Some(Known::DropIndex { names, .. })) => names.clone(),
        (
            Some(Statement::Drop {
                object_type: ObjectType::Index,
                names,
                ..
            }),
            _,
        ) => names.iter().map(object_name).collect(),
        _ => return,
    };
    let existing: Vec<&String> = names
        .iter()
        .filter(|n| !st.created_indexes.contains_key(n.as_str()))
        .collect();
    if let Some(first) = existing.first() {
        out.push(s.finding(
            RULE.code,
            s.at_words(&["INDEX"]),
            format!("dropping `{first}` takes an ACCESS EXCLUSIVE lock on its table"),
            "`DROP INDEX CONCURRENTLY IF EXISTS …`, run outside a transaction",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn drop_index_without_concurrently_err() {
        assert_flags(
            "DROP INDEX notes_tags_idx;",
            Code::DropIndexWithoutConcurrently,
            1,
            6,
        );
        assert_flags(
            "DROP INDEX IF EXISTS notes_tags_idx;",
            Code::DropIndexWithoutConcurrently,
            1,
            6,
        );
    }

    #[test]
    fn drop_index_without_concurrently_ok() {
        assert_clean_with(
            &autocommit(),
            "DROP INDEX CONCURRENTLY IF EXISTS notes_tags_idx;",
        );
        assert_clean("CREATE TABLE t (a text);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;");
    }
}
