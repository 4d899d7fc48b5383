//! Stage 4, check: convention and validity rules over the resolved IR.
//!
//! Input: the read-only [`ir::Workspace`] and the diagnostics of earlier
//! stages. Output: the same list with this stage's findings added, objects'
//! `allow` exemptions honoured and every project's configured rule levels
//! applied (`error`, `warning`, `off`). Each rule is a predicate-named
//! function in its own file, listed in [`RULES`].

mod access_drift;
mod classified_column_exposed;
mod classified_column_published;
mod column_types;
mod cross_project_reference;
mod duplicate_index_name;
mod enum_drift;
mod foreign_key_target_not_unique;
mod foreign_key_type_mismatch;
mod foreign_key_without_index;
mod history_view_columns;
mod identifier_too_long;
mod materialized_view_over_tenant_table;
mod missing_audit_fields;
mod missing_primary_key;
mod missing_timestamps;
mod naming_case;
mod object_drift;
mod partitioned_table_blocking_step;
mod policy_allows_all;
mod policy_column_names;
mod primary_key_not_uuid;
mod publish_drift;
mod reads_drift;
mod receive_drift;
mod rename_hint;
mod reserved_word;
mod retention_without_key;
mod retention_without_timestamp;
mod role_check_not_app_scoped;
mod runtime_role_owns_table;
mod runtime_role_privileges;
mod schema_drift;
mod schema_drift_notes;
mod schema_drift_steps;
mod schema_ownership;
mod security_definer_without_search_path;
mod setting_without_missing_ok;
mod sql;
mod sql_column_names;
mod tenant_table_without_rls;
mod unique_without_tenant_column;
mod unsupported_on_target;
mod view_column_names;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{self, Level};
use crate::source::{FileKind, Sources};

/// A rule: reads one project of the workspace, reports what breaks it.
pub type Rule = fn(&ir::Workspace, &ir::Project, &mut Vec<Diagnostic>);

/// Every check, in the order it runs.
pub const RULES: &[Rule] = &[
    primary_key_not_uuid::tables_have_uuid_primary_keys,
    missing_primary_key::tables_have_primary_keys,
    missing_timestamps::tables_have_lifecycle_timestamps,
    missing_audit_fields::tables_have_audit_fields,
    naming_case::names_follow_the_naming_case,
    identifier_too_long::identifiers_fit_in_63_bytes,
    duplicate_index_name::index_names_are_unique,
    reserved_word::names_are_not_reserved_words,
    schema_ownership::objects_live_in_the_project_schema,
    cross_project_reference::sql_names_only_this_projects_tables,
    foreign_key_type_mismatch::foreign_keys_match_referenced_types,
    foreign_key_target_not_unique::foreign_keys_reference_a_unique_key,
    foreign_key_without_index::foreign_keys_are_indexed,
    sql_column_names::table_sql_names_existing_columns,
    policy_column_names::policy_sql_names_existing_columns,
    view_column_names::view_bodies_name_existing_columns,
    tenant_table_without_rls::tenant_data_is_isolated,
    role_check_not_app_scoped::role_checks_are_app_scoped,
    setting_without_missing_ok::settings_are_read_with_missing_ok,
    policy_allows_all::tenant_policies_are_not_always_true,
    materialized_view_over_tenant_table::materialized_views_skip_tenant_tables,
    unique_without_tenant_column::tenant_uniques_include_the_tenant_column,
    runtime_role_owns_table::runtime_roles_own_nothing,
    runtime_role_privileges::runtime_roles_get_safe_privileges,
    security_definer_without_search_path::definer_functions_fix_their_search_path,
    unsupported_on_target::features_exist_on_the_target,
    schema_drift::history_builds_the_declared_tables,
    enum_drift::history_builds_the_declared_enums,
    object_drift::history_builds_the_declared_objects,
    access_drift::history_carries_the_declared_access,
    reads_drift::history_carries_the_declared_reads,
    history_view_columns::history_views_read_existing_columns,
    partitioned_table_blocking_step::partitioned_tables_change_online,
    rename_hint::rename_hints_are_pending,
    column_types::columns_use_the_preferred_types,
    retention_without_timestamp::retained_tables_have_their_timestamp,
    retention_without_key::retained_tables_have_a_primary_key,
    classified_column_published::published_tables_send_no_classified_columns,
    classified_column_exposed::owner_rights_views_read_no_withheld_columns,
    publish_drift::history_carries_the_declared_feed,
    receive_drift::history_receives_the_declared_feed,
];

/// Run every rule on every project (projects in parallel; their findings
/// joined in project order), then apply the configured levels.
pub fn check(ws: &ir::Workspace, sources: &Sources, diags: &mut Diagnostics) {
    let all: Vec<usize> = (0..ws.projects.len()).collect();
    for found in crate::cores::in_parallel(&all, |i| {
        let project = &ws.projects[i];
        let mut found = Vec::new();
        for rule in RULES {
            rule(ws, project, &mut found);
        }
        found.retain(|d| !is_exempted(project, d));
        found
    }) {
        diags.extend(found);
    }
    apply_levels(ws, sources, diags);
}

/// Whether the diagnostic falls inside a table that has `allow CODE "…"`.
fn is_exempted(project: &ir::Project, d: &Diagnostic) -> bool {
    let Some(span) = d.span else { return false };
    project.tables.iter().any(|t| {
        t.span.file == span.file
            && t.span.start <= span.start
            && span.end <= t.span.end
            && t.is_exempt(d.code.as_str())
    })
}

/// Apply each project's configured levels to the diagnostics in its files
/// (workspace-level settings for diagnostics in workspace files).
pub fn apply_levels(ws: &ir::Workspace, sources: &Sources, diags: &mut Diagnostics) {
    let workspace_levels = ws
        .projects
        .first()
        .map(|p| p.lint.workspace_levels.clone())
        .unwrap_or_default();
    diags.items.retain_mut(|d| {
        if !d.code.is_configurable() {
            return true;
        }
        let levels = d
            .span
            .and_then(|s| match &sources.get(s.file).kind {
                FileKind::Project(p) | FileKind::Migration(p) => ws
                    .projects
                    .iter()
                    .find(|proj| &proj.name == p)
                    .map(|proj| &proj.lint.levels),
                _ => None,
            })
            .unwrap_or(&workspace_levels);
        match levels.get(d.code.as_str()) {
            Some(Level::Off) => false,
            Some(Level::On(sev)) => {
                d.severity = *sev;
                true
            }
            None => true,
        }
    });
}
