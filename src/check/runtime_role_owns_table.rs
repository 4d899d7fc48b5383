//! `runtime-role-owns-table`: RLS does not apply to a table's owner, so the
//! role the application connects as must own neither the schema nor its
//! tables.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn runtime_roles_own_nothing(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    // Roles are workspace-wide: report them once, with the first project.
    if ws.projects.first().is_some_and(|f| f.name == p.name) {
        for r in ws.roles.iter().filter(|r| r.runtime && r.owns_schema) {
            out.push(
                Diagnostic::of(
                    Code::RuntimeRoleOwnsTable,
                    format!("runtime role `{}` owns the schema, so row-level security does not apply to it", r.name),
                )
                .at(r.span)
                .help("give `owns schema` to the migration role and only grants to the runtime role"),
            );
        }
    }
    if let Some(owner) = &p.conventions.schema_owner {
        if let Some(r) = ws
            .roles
            .iter()
            .find(|r| &r.name == owner && r.runtime && !r.owns_schema)
        {
            out.push(
                Diagnostic::of(
                    Code::RuntimeRoleOwnsTable,
                    format!(
                        "runtime role `{}` is the schema owner of project `{}`",
                        r.name, p.name
                    ),
                )
                .at(r.span)
                .help("make the migration role the schema owner (`schema owner migration_user`)"),
            );
        }
    }
}
