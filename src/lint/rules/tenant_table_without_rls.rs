//! `tenant-table-without-rls`: a table created in this file with the
//! tenant column (`org_id`) but without row-level security enabled, or
//! without a policy for each of select, insert, update and delete.

use super::{no_statement_check, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::TenantTableWithoutRls,
    check: no_statement_check,
    finish: tenant_tables_are_isolated,
};

const COMMANDS: [&str; 4] = ["select", "insert", "update", "delete"];

fn tenant_tables_are_isolated(st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    let column = cx.tenant_column.as_deref().unwrap_or("org_id");
    for (table, place) in &st.tenant_tables {
        let (message, help) = if !st.rls_enabled.contains_key(table) {
            (
                format!("`{table}` holds tenant data (`{column}`) but row-level security is not enabled, so every tenant can read every row"),
                format!("`ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;`, `ALTER TABLE {table} FORCE ROW LEVEL SECURITY;` and a policy per command filtering on `{column}`"),
            )
        } else {
            let covered = st.policies.get(table);
            let missing: Vec<&str> = COMMANDS
                .iter()
                .copied()
                .filter(|c| !covered.is_some_and(|p| p.contains(c)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            (
                format!("`{table}` has row-level security but no policy for {}, so those commands see no rows", missing.join(", ")),
                format!("`CREATE POLICY … ON {table} FOR {} USING ({column} = current_setting('app.current_org_id', true)::uuid)`", missing[0].to_uppercase()),
            )
        };
        out.push(Finding {
            code: RULE.code,
            statement: place.statement.clone(),
            at: place.at.clone(),
            message,
            help,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn tenant_table_without_rls_err() {
        assert_flags(
            "CREATE TABLE notes (id bigint PRIMARY KEY, org_id uuid NOT NULL);",
            Code::TenantTableWithoutRls,
            1,
            14,
        );
    }

    #[test]
    fn tenant_table_without_rls_ok() {
        assert_clean(
            "CREATE TABLE notes (id bigint PRIMARY KEY, org_id uuid NOT NULL);\n\
             CREATE INDEX notes_org_id_idx ON notes (org_id);\n\
             ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n\
             ALTER TABLE notes FORCE ROW LEVEL SECURITY;\n\
             CREATE POLICY notes_tenant ON notes USING (org_id = current_setting('app.current_org_id', true)::uuid);",
        );
    }
}
