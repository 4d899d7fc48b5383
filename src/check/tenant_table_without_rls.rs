//! `tenant-table-without-rls`: tenant data is isolated by row-level
//! security. A table holding the tenant column must be marked `tenant`; a
//! tenant table needs a policy for every command; a table without tenant
//! data must say so with `global`. A table received from another
//! project's `publish to` needs a read policy only.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Command, Origin, Project, Workspace};

pub fn tenant_data_is_isolated(ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(tenancy) = &p.tenancy else { return };
    for t in &p.tables {
        let holds_tenant_column = t
            .column(&tenancy.column)
            .is_some_and(|c| c.origin == Origin::Declared);
        if !t.tenant && holds_tenant_column {
            let col = t
                .column(&tenancy.column)
                .map(|c| c.span)
                .unwrap_or(t.name_span);
            out.push(
                Diagnostic::of(
                    Code::TenantTableWithoutRls,
                    format!("table `{}` holds `{}` but is not a tenant table, so no RLS isolates it", t.name, tenancy.column),
                )
                .at(col)
                .help(format!("replace the `{}` column with `tenant`: sluice adds the column, RLS and the isolation policy", tenancy.column)),
            );
            continue;
        }
        if !t.tenant && !t.global {
            out.push(
                Diagnostic::of(
                    Code::TenantTableWithoutRls,
                    format!("table `{}` says neither `tenant` nor `global`", t.name),
                )
                .at(t.name_span)
                .help("mark it `tenant` (rows belong to one org, isolated by RLS) or `global` (shared by every org, e.g. a lookup table)"),
            );
            continue;
        }
        // A table received from another project is written by replication
        // alone: reads are its only policy.
        if t.tenant && !crate::ir::feed::is_received(&ws.projects, p, &t.name) {
            let covers = |c: Command| {
                t.policies
                    .iter()
                    .any(|pol| pol.commands.contains(&c) || pol.commands.contains(&Command::All))
            };
            let missing: Vec<&str> = [
                Command::Select,
                Command::Insert,
                Command::Update,
                Command::Delete,
            ]
            .into_iter()
            .filter(|c| !covers(*c))
            .map(Command::as_str)
            .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::of(
                        Code::TenantTableWithoutRls,
                        format!("tenant table `{}` has no policy for {}", t.name, missing.join(", ")),
                    )
                    .at(t.name_span)
                    .help(format!(
                        "add `policy {} tenant` (anyone in the org) or a narrower predicate; without a policy RLS denies every row",
                        missing.join(", ")
                    )),
                );
            }
        }
    }
}
