//! `runtime-role-owns-table`: `ALTER TABLE … OWNER TO` or `ALTER SCHEMA …
//! OWNER TO` the runtime role (the workspace's `runtime` roles). The owner
//! bypasses row-level security unless it is forced, and can drop the table.

use sqlparser::ast::{AlterSchemaOperation, AlterTableOperation, Owner, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, is_runtime_role, object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::RuntimeRoleOwnsTable,
    check: runtime_roles_own_nothing,
    finish: nothing_at_end,
};

fn runtime_roles_own_nothing(s: &Stmt, _: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    let owners: Vec<(String, &Owner)> = match s.ast.as_deref() {
        Some(Statement::AlterTable(at)) => at
            .operations
            .iter()
            .filter_map(|op| match op {
                AlterTableOperation::OwnerTo { new_owner } => {
                    Some((object_name(&at.name), new_owner))
                }
                _ => None,
            })
            .collect(),
        Some(Statement::AlterSchema(a)) => a
            .operations
            .iter()
            .filter_map(|op| match op {
                AlterSchemaOperation::OwnerTo { owner } => Some((object_name(&a.name), owner)),
                _ => None,
            })
            .collect(),
        _ => return,
    };
    for (object, owner) in owners {
        let Owner::Ident(role) = owner else { continue };
        if is_runtime_role(cx, role) {
            out.push(s.finding(
                RULE.code,
                s.at_ident(role),
                format!("the runtime role `{}` would own `{object}`, so row-level security does not apply to it", ident_name(role)),
                "let the migration role own tables and schemas; grant the runtime role only the privileges it needs",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn runtime_role_owns_table_err() {
        assert_flags(
            "ALTER TABLE notes OWNER TO service_rw;",
            Code::RuntimeRoleOwnsTable,
            1,
            28,
        );
    }

    #[test]
    fn runtime_role_owns_table_ok() {
        assert_clean("ALTER TABLE notes OWNER TO migration_user;");
    }
}
