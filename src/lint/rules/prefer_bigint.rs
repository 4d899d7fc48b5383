//! `prefer-bigint`: a 16- or 32-bit integer *key* — a primary key, a
//! foreign key, an identity or `serial` column, or a column named `id` /
//! `…_id` — runs out of values (2^31 for `integer`) sooner than anyone
//! plans for, and widening it later rewrites the table and every table
//! that references it. Counters and measures (`year`, `sort_order`,
//! `grace_minutes`) grow with nothing and are left alone. A key name is
//! `id`, `…_id`, or camelCase `…Id` / `…ID` (`userId`).

use std::collections::BTreeSet;

use sqlparser::ast::{ColumnOption, CreateTable, Statement, TableConstraint};

use super::{defined_columns, nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::types::{is_serial, is_small_int};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PreferBigint,
    check: integer_keys_are_64_bit,
    finish: nothing_at_end,
};

fn integer_keys_are_64_bit(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let keys = key_columns(s);
    for (col, ty, at) in written_types(s) {
        if !is_small_int(ty) {
            continue;
        }
        let named_like_a_key = is_key_name(col);
        if !(keys.contains(col) || is_serial(ty) || named_like_a_key) {
            continue;
        }
        out.push(s.finding(
            RULE.code,
            at.clone(),
            format!("the key `{col}` is `{ty}`, which runs out at about two billion values (`smallint`: 32767); widening it later rewrites this table and every table that references it"),
            "use `bigint` (or `bigint GENERATED ALWAYS AS IDENTITY` for a generated key), and `bigint` for the columns that reference it",
        ));
    }
}

/// `id`, `author_id`, `authorId`, `AuthorID`: a name that says "key".
fn is_key_name(col: &str) -> bool {
    let lower = col.to_ascii_lowercase();
    if lower == "id" || lower.ends_with("_id") {
        return true;
    }
    // camelCase and PascalCase: a lower-case letter, then `Id` or `ID`.
    let b = col.as_bytes();
    b.len() > 2
        && b[b.len() - 2] == b'I'
        && matches!(b[b.len() - 1], b'd' | b'D')
        && b[b.len() - 3].is_ascii_lowercase()
}

/// Columns this statement makes a key: primary, foreign or identity.
fn key_columns(s: &Stmt) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (c, _) in defined_columns(s) {
        let is_key = c.options.iter().any(|o| {
            matches!(
                &o.option,
                ColumnOption::PrimaryKey(_)
                    | ColumnOption::ForeignKey(_)
                    | ColumnOption::Identity(_)
                    | ColumnOption::Generated {
                        generation_expr: None,
                        ..
                    }
            )
        });
        if is_key {
            keys.insert(ident_name(&c.name));
        }
    }
    if let Some(Statement::CreateTable(CreateTable { constraints, .. })) = s.ast.as_deref() {
        for tc in constraints {
            match tc {
                TableConstraint::PrimaryKey(pk) => {
                    keys.extend(pk.columns.iter().filter_map(|c| match &c.column.expr {
                        sqlparser::ast::Expr::Identifier(i) => Some(ident_name(i)),
                        _ => None,
                    }))
                }
                TableConstraint::ForeignKey(fk) => keys.extend(fk.columns.iter().map(ident_name)),
                _ => {}
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn prefer_bigint_err() {
        assert_flags(
            "CREATE TABLE t (id integer PRIMARY KEY, votes integer);",
            Code::PreferBigint,
            1,
            20,
        );
        assert_flags(
            "CREATE TABLE t (a int4, b text, PRIMARY KEY (a, b));",
            Code::PreferBigint,
            1,
            19,
        );
        assert_flags(
            "ALTER TABLE notes ADD COLUMN IF NOT EXISTS author_id int;",
            Code::PreferBigint,
            1,
            54,
        );
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, parent int REFERENCES p (id));\nCREATE INDEX t_parent ON t (parent);",
            Code::PreferBigint,
            1,
            47,
        );
    }

    #[test]
    fn camel_case_key_columns_are_keys_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, \"userId\" integer NOT NULL);",
            Code::PreferBigint,
            1,
            49,
        );
        assert_flags(
            "ALTER TABLE notes ADD COLUMN \"authorID\" int4;",
            Code::PreferBigint,
            1,
            41,
        );
    }

    #[test]
    fn camel_case_key_columns_are_keys_ok() {
        // `valid`, `paid`, `Grid` end in "id" but are no keys.
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, valid integer, paid smallint, \"Grid\" integer);");
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, \"userId\" bigint NOT NULL);");
    }

    #[test]
    fn prefer_bigint_ok() {
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, parent_id bigint);");
        assert_clean("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);");
        // A counter or a measure is not a key.
        assert_clean("CREATE TABLE t (id uuid PRIMARY KEY, year integer NOT NULL, sort_order smallint DEFAULT 0);");
    }
}
