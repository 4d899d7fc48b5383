//! `policy-allows-all`: a policy whose `USING` or `WITH CHECK` is just
//! `true`, on a tenant table: every tenant sees (or writes) every row. A
//! table known to lack the tenant column is exempt.

use sqlparser::ast::{Expr, Statement, Value};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::PolicyAllowsAll,
    check: tenant_policies_filter_rows,
    finish: nothing_at_end,
};

fn tenant_policies_filter_rows(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::CreatePolicy(p)) = s.ast.as_deref() else {
        return;
    };
    let table = object_name(&p.table_name);
    let column = cx.tenant_column.as_deref().unwrap_or("org_id");
    let known_cols = st.catalog.columns.get(&table);
    if known_cols.is_some_and(|cols| !cols.contains_key(column)) {
        return;
    }
    let always = p.using.iter().chain(p.with_check.iter()).any(is_true);
    if always {
        out.push(s.finding(
            RULE.code,
            s.at_words(&["TRUE"]),
            format!("this policy on `{table}` lets every tenant through: its predicate is just `true`"),
            format!("filter on the tenant: `USING ({column} = current_setting('app.current_org_id', true)::uuid)`"),
        ));
    }
}

fn is_true(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => v.value == Value::Boolean(true),
        Expr::Nested(inner) => is_true(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn policy_allows_all_err() {
        assert_flags(
            "CREATE POLICY p ON notes FOR SELECT USING (true);",
            Code::PolicyAllowsAll,
            1,
            44,
        );
    }

    #[test]
    fn policy_allows_all_ok() {
        assert_clean("CREATE POLICY p ON notes FOR SELECT USING (org_id = current_setting('app.current_org_id', true)::uuid);");
    }
}
