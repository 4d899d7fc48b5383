//! The registry of safety rules, one file per rule in `rules/`.
//!
//! A rule judges each statement ([`Rule::check`]) against the file's
//! [`State`] so far, and may judge the whole file once it is read
//! ([`Rule::finish`]). Rules are listed explicitly in [`RULES`]; their ids,
//! default severities and explanations live with the other codes in
//! [`crate::diagnostic::Code`].

mod adding_exclusion_constraint;
mod adding_json_column;
mod adding_required_column;
mod adding_serial_column;
mod adding_stored_generated_column;
mod adding_unique_constraint;
mod adding_volatile_default;
mod ban_char;
mod changing_column_type;
mod concurrently_in_transaction;
mod constraint_missing_not_valid;
mod detach_partition_without_concurrently;
mod drop_index_without_concurrently;
mod dropping_column;
mod dropping_not_null;
mod dropping_table;
mod enum_value_without_position;
mod foreign_key_without_index;
mod identifier_too_long;
mod index_without_concurrently;
mod missing_lock_timeout;
mod missing_statement_timeout;
mod nested_transaction;
mod non_idempotent_outside_transaction;
mod policy_allows_all;
mod prefer_bigint;
mod prefer_identity;
mod prefer_text;
mod prefer_timestamptz;
mod refresh_without_concurrently;
mod reindex_without_concurrently;
mod renaming_column;
mod renaming_table;
mod rewriting_table;
mod rls_not_forced;
mod runtime_role_owns_table;
mod security_definer_without_search_path;
mod setting_not_null;
mod setting_without_missing_ok;
mod statements_after_exclusive_lock;
mod tenant_table_without_rls;
mod truncate_cascade;
mod uncommitted_transaction;
mod validate_in_same_transaction;

use sqlparser::ast::{AlterTable, AlterTableOperation, ColumnDef, CreateTable, Statement};

use super::state::State;
use super::statement::{object_name, Stmt};
use super::{Finding, LintContext};
use crate::diagnostic::Code;

pub type Check = fn(&Stmt, &State, &LintContext, &mut Vec<Finding>);
pub type Finish = fn(&State, &LintContext, &mut Vec<Finding>);

pub struct Rule {
    pub code: Code,
    /// Judge one statement before the state learns from it.
    pub check: Check,
    /// Judge the file once every statement is read.
    pub finish: Finish,
}

/// For rules that judge statements only.
pub fn nothing_at_end(_: &State, _: &LintContext, _: &mut Vec<Finding>) {}

/// For rules that judge the whole file only.
pub fn no_statement_check(_: &Stmt, _: &State, _: &LintContext, _: &mut Vec<Finding>) {}

/// Every safety rule, in the order it runs.
pub const RULES: &[Rule] = &[
    adding_volatile_default::RULE,
    adding_stored_generated_column::RULE,
    adding_serial_column::RULE,
    changing_column_type::RULE,
    setting_not_null::RULE,
    constraint_missing_not_valid::RULE,
    validate_in_same_transaction::RULE,
    adding_unique_constraint::RULE,
    adding_exclusion_constraint::RULE,
    index_without_concurrently::RULE,
    drop_index_without_concurrently::RULE,
    reindex_without_concurrently::RULE,
    detach_partition_without_concurrently::RULE,
    rewriting_table::RULE,
    refresh_without_concurrently::RULE,
    concurrently_in_transaction::RULE,
    missing_lock_timeout::RULE,
    missing_statement_timeout::RULE,
    statements_after_exclusive_lock::RULE,
    foreign_key_without_index::RULE,
    dropping_column::RULE,
    renaming_column::RULE,
    renaming_table::RULE,
    dropping_table::RULE,
    truncate_cascade::RULE,
    dropping_not_null::RULE,
    adding_required_column::RULE,
    enum_value_without_position::RULE,
    adding_json_column::RULE,
    uncommitted_transaction::RULE,
    nested_transaction::RULE,
    non_idempotent_outside_transaction::RULE,
    prefer_bigint::RULE,
    prefer_identity::RULE,
    prefer_text::RULE,
    prefer_timestamptz::RULE,
    ban_char::RULE,
    identifier_too_long::RULE,
    tenant_table_without_rls::RULE,
    rls_not_forced::RULE,
    setting_without_missing_ok::RULE,
    policy_allows_all::RULE,
    security_definer_without_search_path::RULE,
    runtime_role_owns_table::RULE,
];

/// The table a `CREATE TABLE` or `ALTER TABLE` names (empty for any other
/// statement), worked out once per statement for every rule that asks.
pub fn target_table<'a>(s: &'a Stmt) -> &'a str {
    s.target.get_or_init(|| match s.ast.as_deref() {
        Some(Statement::CreateTable(CreateTable { name, .. })) => object_name(name),
        Some(Statement::AlterTable(at)) => object_name(&at.name),
        _ => String::new(),
    })
}

/// `ALTER TABLE` on a table that existed before this file, and its name.
pub fn altered_existing_table<'a>(s: &'a Stmt, st: &State) -> Option<(&'a AlterTable, &'a str)> {
    match s.ast.as_deref() {
        Some(Statement::AlterTable(at)) => {
            let table = target_table(s);
            (!st.is_new_table(table)).then_some((at, table))
        }
        _ => None,
    }
}

/// The operations of an `ALTER TABLE` on an existing table.
pub fn existing_table_ops<'a>(
    s: &'a Stmt,
    st: &State,
) -> impl Iterator<Item = (&'a AlterTableOperation, &'a str)> {
    altered_existing_table(s, st)
        .into_iter()
        .flat_map(|(at, t)| at.operations.iter().map(move |op| (op, t)))
}

/// Columns added to an existing table by this statement.
pub fn added_columns<'a>(s: &'a Stmt, st: &State) -> Vec<(&'a ColumnDef, &'a str)> {
    existing_table_ops(s, st)
        .filter_map(|(op, t)| match op {
            AlterTableOperation::AddColumn { column_def, .. } => Some((column_def, t)),
            _ => None,
        })
        .collect()
}

/// [`added_columns`], each with its type's text from [`written_types`],
/// which works the types out once per statement for every rule that asks.
pub fn added_columns_typed<'a>(s: &'a Stmt, st: &State) -> Vec<(&'a ColumnDef, &'a str, &'a str)> {
    let added = added_columns(s, st);
    if added.is_empty() {
        return Vec::new();
    }
    // An `ALTER TABLE`'s added columns come first in `written_types`, in
    // the same order, as [`defined_columns`] lists them.
    let written = written_types(s);
    debug_assert!(written.len() >= added.len());
    added
        .into_iter()
        .zip(written)
        .map(|((c, t), w)| (c, t, w.1.as_str()))
        .collect()
}

/// Every column this statement defines (`CREATE TABLE`, `ADD COLUMN`, on
/// any table), for the type hygiene rules.
pub fn defined_columns<'a>(s: &'a Stmt) -> Vec<(&'a ColumnDef, &'a str)> {
    match s.ast.as_deref() {
        Some(Statement::CreateTable(CreateTable { columns, .. })) => {
            let t = target_table(s);
            columns.iter().map(|c| (c, t)).collect()
        }
        Some(Statement::AlterTable(at)) => {
            let t = target_table(s);
            at.operations
                .iter()
                .filter_map(|op| match op {
                    AlterTableOperation::AddColumn { column_def, .. } => Some((column_def, t)),
                    _ => None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

pub use super::statement::Written;

/// Every column type this statement writes: defined columns and
/// `ALTER COLUMN … TYPE`; with the place of the type. Several rules ask;
/// the statement works it out once.
pub fn written_types<'a>(s: &'a Stmt) -> &'a [Written] {
    s.written.get_or_init(|| find_written_types(s))
}

fn find_written_types(s: &Stmt) -> Vec<Written> {
    use super::types::type_text;
    let mut out: Vec<_> = defined_columns(s)
        .into_iter()
        .map(|(c, _)| {
            let name_at = s.at_ident(&c.name);
            (
                super::statement::ident_name(&c.name),
                type_text(&c.data_type),
                s.token_after(name_at.start),
            )
        })
        .collect();
    if let Some(Statement::AlterTable(at)) = s.ast.as_deref() {
        for op in &at.operations {
            if let AlterTableOperation::AlterColumn {
                column_name,
                op: sqlparser::ast::AlterColumnOperation::SetDataType { data_type, .. },
            } = op
            {
                let from = s.at_ident(column_name).start;
                out.push((
                    super::statement::ident_name(column_name),
                    type_text(data_type),
                    type_after_keyword(s, from),
                ));
            }
        }
    }
    out
}

/// The type in `ALTER COLUMN c [SET DATA] TYPE t`.
fn type_after_keyword(s: &Stmt, from: usize) -> std::ops::Range<usize> {
    let ty = s.at_words_from(from, &["TYPE"]);
    s.token_after(ty.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_registry_lists_exactly_the_rules_codes() {
        let rules: Vec<Code> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(rules, crate::diagnostic::SAFETY_RULES);
    }
}
