//! `adding-json-column`: a `json` column stores text that is re-parsed on
//! every access and cannot be indexed or compared; `jsonb` is meant.

use super::{nothing_at_end, written_types, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::types::is_json;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingJsonColumn,
    check: json_columns_are_jsonb,
    finish: nothing_at_end,
};

fn json_columns_are_jsonb(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (col, ty, at) in written_types(s) {
        if is_json(ty) {
            out.push(s.finding(
                RULE.code,
                at.clone(),
                format!("`{col}` is `json`, which is re-parsed on every access and has no equality or GIN index"),
                "use `jsonb`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_json_column_err() {
        assert_flags(
            "CREATE TABLE t (id bigint PRIMARY KEY, meta json);",
            Code::AddingJsonColumn,
            1,
            45,
        );
    }

    #[test]
    fn adding_json_column_ok() {
        assert_clean("CREATE TABLE t (id bigint PRIMARY KEY, meta jsonb);");
    }
}
