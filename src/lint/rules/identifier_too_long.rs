//! `identifier-too-long`: PostgreSQL silently truncates names over 63
//! bytes, so two long names can collide and later DDL names miss. Every
//! name a statement gives counts: new tables, columns, constraints,
//! indexes, views, policies, and the new names of renames.

use sqlparser::ast::{
    AlterIndexOperation, AlterPolicyOperation, AlterTableOperation, Ident, RenameTableNameKind,
    Statement, TableConstraint,
};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::IdentifierTooLong,
    check: names_fit_in_63_bytes,
    finish: nothing_at_end,
};

fn names_fit_in_63_bytes(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for ident in declared_names(s) {
        if ident.value.len() > 63 {
            out.push(s.finding(
                RULE.code,
                s.at_ident(ident),
                format!(
                    "`{}` is {} bytes long; PostgreSQL silently truncates it to 63",
                    ident.value,
                    ident.value.len()
                ),
                "shorten the name to at most 63 bytes",
            ));
        }
    }
}

fn last(n: &sqlparser::ast::ObjectName) -> Option<&Ident> {
    n.0.last()
        .and_then(sqlparser::ast::ObjectNamePart::as_ident)
}

/// The names a statement gives to new objects.
fn declared_names<'a>(s: &'a Stmt<'_>) -> Vec<&'a Ident> {
    let mut out = Vec::new();
    match s.ast.as_deref() {
        Some(Statement::CreateTable(ct)) => {
            out.extend(last(&ct.name));
            out.extend(ct.columns.iter().map(|c| &c.name));
            out.extend(ct.constraints.iter().filter_map(constraint_name));
        }
        Some(Statement::CreateIndex(ci)) => out.extend(ci.name.as_ref().and_then(last)),
        Some(Statement::CreateView(v)) => out.extend(last(&v.name)),
        Some(Statement::CreatePolicy(p)) => out.push(&p.name),
        Some(Statement::AlterPolicy(p)) => {
            if let AlterPolicyOperation::Rename { new_name } = &p.operation {
                out.push(new_name);
            }
        }
        Some(Statement::AlterIndex {
            operation: AlterIndexOperation::RenameIndex { index_name },
            ..
        }) => out.extend(last(index_name)),
        Some(Statement::AlterTable(at)) => {
            for op in &at.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => out.push(&column_def.name),
                    AlterTableOperation::AddConstraint { constraint, .. } => {
                        out.extend(constraint_name(constraint))
                    }
                    AlterTableOperation::RenameColumn {
                        new_column_name, ..
                    } => out.push(new_column_name),
                    AlterTableOperation::RenameConstraint { new_name, .. } => out.push(new_name),
                    AlterTableOperation::RenameTable {
                        table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
                    } => out.extend(last(n)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn constraint_name(c: &TableConstraint) -> Option<&Ident> {
    match c {
        TableConstraint::Unique(u) => u.name.as_ref(),
        TableConstraint::PrimaryKey(p) => p.name.as_ref(),
        TableConstraint::ForeignKey(f) => f.name.as_ref(),
        TableConstraint::Check(c) => c.name.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn identifier_too_long_err() {
        let name = "x".repeat(64);
        assert_flags(
            &format!("CREATE TABLE t (id bigint PRIMARY KEY, {name} text);"),
            Code::IdentifierTooLong,
            1,
            40,
        );
    }

    #[test]
    fn names_given_by_renames_and_policies_are_too_long_err() {
        let name = "x".repeat(64);
        for (sql, col) in [
            (format!("ALTER INDEX notes_idx RENAME TO {name};"), 33),
            (format!("ALTER TABLE notes RENAME TO {name};"), 29),
            (
                format!("ALTER TABLE notes RENAME CONSTRAINT c TO {name};"),
                42,
            ),
            (format!("CREATE POLICY {name} ON notes USING (true);"), 15),
            (format!("ALTER POLICY p ON notes RENAME TO {name};"), 35),
        ] {
            assert_eq!(
                findings_with(&cx(), &sql)
                    .into_iter()
                    .filter(|f| f.0 == Code::IdentifierTooLong)
                    .collect::<Vec<_>>(),
                vec![(Code::IdentifierTooLong, 1, col)],
                "{sql}"
            );
        }
    }

    #[test]
    fn names_given_by_renames_and_policies_are_too_long_ok() {
        let name = "x".repeat(63);
        for sql in [
            format!("ALTER INDEX notes_idx RENAME TO {name};"),
            format!("CREATE POLICY {name} ON notes USING (true);"),
        ] {
            assert!(
                !findings_with(&cx(), &sql)
                    .iter()
                    .any(|f| f.0 == Code::IdentifierTooLong),
                "{sql}"
            );
        }
    }

    #[test]
    fn identifier_too_long_ok() {
        let name = "x".repeat(63);
        assert_clean(&format!(
            "CREATE TABLE t (id bigint PRIMARY KEY, {name} text);"
        ));
    }
}
