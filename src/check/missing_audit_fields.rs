//! `missing-audit-fields`: `created_by` / `updated_by` are `uuid` columns
//! that reference the users table — a real foreign key inside the project
//! that owns it, a plain uuid (a soft reference) everywhere else.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn tables_have_audit_fields(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(audit) = &p.conventions.audit else {
        return;
    };
    let target = audit.references.as_ref();
    let is_home = target.is_some_and(|r| r.project == p.name);
    for t in &p.tables {
        if t.is_exempt("missing-audit-fields") {
            continue;
        }
        for name in &audit.columns {
            // Absent only on exempted tables, which are skipped above.
            let Some(c) = t.column(name) else { continue };
            if c.ty.base != "uuid" {
                out.push(
                    Diagnostic::of(Code::MissingAuditFields, format!("`{}.{name}` is `{}`, not `uuid`", t.name, c.ty.text))
                        .at(c.ty.span)
                        .help(format!("declare `{name} uuid`, or remove the declaration and let the convention add it")),
                );
                continue;
            }
            if let (true, Some(target)) = (is_home, target) {
                // Between tenant tables the reference is scoped by the
                // tenant column (`(org_id, created_by) -> users(org_id, id)`).
                let tenant = p.tenancy.as_ref().map(|t| t.column.as_str());
                let unscoped = |cols: &[String]| -> Vec<String> {
                    cols.iter()
                        .filter(|c| Some(c.as_str()) != tenant || cols.len() == 1)
                        .cloned()
                        .collect()
                };
                let has_fk = t.foreign_keys.iter().any(|fk| {
                    unscoped(&fk.columns) == [name.clone()]
                        && p.tables[fk.table].name == target.table
                        && unscoped(&fk.ref_columns) == [target.column.clone()]
                });
                if !has_fk {
                    out.push(
                        Diagnostic::of(
                            Code::MissingAuditFields,
                            format!(
                                "`{}.{name}` does not reference `{}.{}`",
                                t.name, target.table, target.column
                            ),
                        )
                        .at(c.span)
                        .help(format!(
                            "write `{name} uuid -> {}.{} on delete set null`",
                            target.table, target.column
                        )),
                    );
                }
            }
        }
    }
}
