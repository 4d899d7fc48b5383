//! `setting-without-missing-ok`: `current_setting('x')` in a policy raises
//! an error when the setting is missing, instead of matching no rows.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, Expr, FunctionArguments, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::SettingWithoutMissingOk,
    check: policies_read_settings_with_missing_ok,
    finish: nothing_at_end,
};

fn policies_read_settings_with_missing_ok(
    s: &Stmt,
    _: &State,
    _: &LintContext,
    out: &mut Vec<Finding>,
) {
    let exprs: Vec<&Expr> = match s.ast.as_deref() {
        Some(Statement::CreatePolicy(p)) => p.using.iter().chain(p.with_check.iter()).collect(),
        Some(Statement::AlterPolicy(p)) => match &p.operation {
            sqlparser::ast::AlterPolicyOperation::Apply {
                using, with_check, ..
            } => using.iter().chain(with_check.iter()).collect(),
            _ => Vec::new(),
        },
        _ => return,
    };
    for e in exprs {
        let _ = visit_expressions(e, |e| {
            if let Expr::Function(f) = e {
                let is_setting = f
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case("current_setting"));
                let one_arg = matches!(&f.args, FunctionArguments::List(l) if l.args.len() == 1);
                if is_setting && one_arg {
                    let at = f
                        .name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(|i| s.at_ident(i))
                        .unwrap_or_else(|| s.head());
                    out.push(s.finding(
                        RULE.code,
                        at,
                        "`current_setting(…)` without `missing_ok` raises an error when the setting is not set, instead of matching no rows",
                        "pass `true` as the second argument: `current_setting('app.current_org_id', true)`",
                    ));
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn setting_without_missing_ok_err() {
        assert_flags(
            "CREATE POLICY p ON notes USING (org_id = current_setting('app.current_org_id')::uuid);",
            Code::SettingWithoutMissingOk,
            1,
            42,
        );
    }

    #[test]
    fn setting_without_missing_ok_ok() {
        assert_clean("CREATE POLICY p ON notes USING (org_id = current_setting('app.current_org_id', true)::uuid);");
    }
}
