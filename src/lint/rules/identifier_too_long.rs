//! `identifier-too-long`: PostgreSQL silently truncates names over 63
//! bytes, so two long names can collide and later DDL names miss.

use sqlparser::ast::{AlterTableOperation, Ident, Statement, TableConstraint};

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
    match &s.ast {
        Some(Statement::CreateTable(ct)) => {
            out.extend(last(&ct.name));
            out.extend(ct.columns.iter().map(|c| &c.name));
            out.extend(ct.constraints.iter().filter_map(constraint_name));
        }
        Some(Statement::CreateIndex(ci)) => out.extend(ci.name.as_ref().and_then(last)),
        Some(Statement::CreateView(v)) => out.extend(last(&v.name)),
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
    fn identifier_too_long_ok() {
        let name = "x".repeat(63);
        assert_clean(&format!(
            "CREATE TABLE t (id bigint PRIMARY KEY, {name} text);"
        ));
    }
}
