//! `enum-value-without-position`: `ALTER TYPE … ADD VALUE` without
//! `BEFORE`/`AFTER` appends the value, which silently changes the sort order
//! the application may rely on being deliberate.

use sqlparser::ast::{AlterTypeOperation, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::EnumValueWithoutPosition,
    check: enum_values_state_their_position,
    finish: nothing_at_end,
};

fn enum_values_state_their_position(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::AlterType(t)) = s.ast.as_deref() else {
        return;
    };
    let AlterTypeOperation::AddValue(v) = &t.operation else {
        return;
    };
    if v.position.is_some() {
        return;
    }
    out.push(s.finding(
        RULE.code,
        s.at_words(&["ADD", "VALUE"]),
        format!("the new value of `{}` has no stated position, so it sorts after every existing value", object_name(&t.name)),
        "say where it goes with `BEFORE 'x'` or `AFTER 'x'`, and add enum values in a migration of their own (the value cannot be used in the transaction that adds it)",
    ));
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn enum_value_without_position_err() {
        assert_flags(
            "ALTER TYPE leave_status ADD VALUE 'cancelled';",
            Code::EnumValueWithoutPosition,
            1,
            25,
        );
    }

    #[test]
    fn enum_value_without_position_ok() {
        assert_clean(
            "ALTER TYPE leave_status ADD VALUE IF NOT EXISTS 'cancelled' AFTER 'rejected';",
        );
    }
}
