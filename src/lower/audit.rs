//! The project's audit trail: `audit_trail TABLE` names the table that a
//! trigger on every tenant table writes to. The table must have the columns
//! the trigger fills.

use super::collect::ProjectFiles;
use super::project_settings::unknown_table;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Project;

/// Columns the audit trigger writes, with their types.
pub const AUDIT_COLUMNS: [(&str, &str); 4] = [
    ("table_name", "text"),
    ("row_id", "uuid"),
    ("action", "text"),
    ("diff", "jsonb"),
];

pub(super) fn resolve_audit_trail(
    project: &mut Project,
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(name) = pf.decls.first().and_then(|d| d.audit_trail.as_ref()) else {
        return;
    };
    let Some(idx) = project.table_index(&name.name) else {
        diags.push(unknown_table(name, project));
        return;
    };
    let table = &project.tables[idx];
    let missing: Vec<String> = AUDIT_COLUMNS
        .iter()
        .filter(|(col, ty)| table.column(col).is_none_or(|c| c.ty.base != *ty))
        .map(|(col, ty)| format!("`{col} {ty}`"))
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("audit table `{}` lacks {}", table.name, missing.join(", ")),
            )
            .at(name.span)
            .help("the audit trigger records the table name, the row id, the action and the changed values: declare those columns"),
        );
        return;
    }
    project.audit_trail = Some(idx);
}
