//! `rename table` on a table that already has rows: its online recipe
//! renames the table and leaves a view under the old name for the app
//! version still running, so it needs what that view needs.
//!
//! Input: one migration, the replay before it and the project's
//! declarations. Output: diagnostics for the renames sluice has no online
//! recipe for: on PostgreSQL 14 (no `security_invoker` view, so the view
//! would read every tenant's rows), and for tables whose name sluice wrote
//! into other objects (the audit table, a retained, published or
//! partitioned table); and a warning for each role that reads the table
//! without some of its columns while the view exists, since it cannot
//! read through the view (see [`withheld_readers`]); and a warning for
//! each declared view that still names the table by its old name.

use super::super::replay::Replay;
use crate::ast::{self, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{GrantOn, Project, Workspace};

/// The first version with `security_invoker` views.
const SECURITY_INVOKER_VIEWS: u32 = 15;

pub(super) fn check(
    m: &ast::MigrationDecl,
    replay: &Replay,
    project: &Project,
    ws: &Workspace,
    released: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let old = super::placement::OldTables::of(m, replay);
    for step in m.expand.iter().chain(&m.contract) {
        let StepKind::RenameTable { table, to } = &step.kind else {
            continue;
        };
        let from = table.last().name.as_str();
        stale_views(project, from, &to.name, diags);
        if !old.has(from) {
            continue;
        }
        if replay.postgres < SECURITY_INVOKER_VIEWS {
            diags.push(
                Diagnostic::error(
                    Code::UnsupportedOnTarget,
                    format!(
                        "renaming `{from}` to `{}` online leaves a `security invoker` view named `{from}` for the running app version, which PostgreSQL {} does not have (it needs {SECURITY_INVOKER_VIEWS})",
                        to.name, replay.postgres
                    ),
                )
                .at(step.span)
                .help(format!(
                    "target `postgres {SECURITY_INVOKER_VIEWS}` or later (a view without `security invoker` would read every tenant's rows with its owner's rights); or create `{}`, copy the rows, move the app to it and `drop table {from}` in a contract phase",
                    to.name
                )),
            );
            continue;
        }
        if !released {
            for (role, columns) in withheld_readers(project, ws, from, &to.name) {
                diags.push(
                    Diagnostic::warning(
                        Code::CompatViewWithheldColumns,
                        format!(
                            "`{role}` cannot read through `{from}` until this rename's contract: the view under the old name reads {}, which `{role}` does not read, and PostgreSQL checks a `security_invoker` view's caller for every column it reads",
                            columns.join(", ")
                        ),
                    )
                    .at(step.span)
                    .help(format!(
                        "move `{role}`'s queries to `{}` before deploying this expand; it reads `{}` without those columns from then on",
                        to.name, to.name
                    )),
                );
            }
        }
        if let Some(why) = named_elsewhere(project, from, &to.name) {
            diags.push(
                Diagnostic::error(
                    Code::RenamingTable,
                    format!(
                        "`{from}` cannot be renamed online: {why}"
                    ),
                )
                .at(step.span)
                .help(format!(
                    "create `{}` in this migration, copy the rows (a `sql $$ insert … $$` step with its `inverse`), move the app to it, and `drop table {from}` in a contract phase",
                    to.name
                )),
            );
        }
    }
}

/// Why objects outside the table know it by name, if they do: the
/// declarations of either name decide.
fn named_elsewhere(p: &Project, from: &str, to: &str) -> Option<&'static str> {
    let audit = p.audit_trail.map(|i| p.tables[i].name.as_str());
    let declared = p.tables.iter().filter(|t| t.name == from || t.name == to);
    for t in declared {
        if audit == Some(t.name.as_str()) {
            return Some("the audit trigger's function writes to the audit table by name");
        }
        if t.retention.is_some() {
            return Some("its purge function and schedule name it");
        }
        if !t.publish.is_empty() {
            return Some("the projects receiving it know it by name");
        }
        if t.partition.is_some() {
            return Some("its partitions, and their indexes, are named after it");
        }
    }
    None
}

/// The roles that select the table (declared under either name) without
/// some of its columns, each with those columns: PostgreSQL refuses them
/// every read through a `security_invoker` view that reads all columns.
fn withheld_readers(
    p: &Project,
    ws: &Workspace,
    from: &str,
    to: &str,
) -> Vec<(String, Vec<String>)> {
    let Some(t) = p.table(to).or_else(|| p.table(from)) else {
        return Vec::new();
    };
    let selects = |g: &crate::ir::RoleGrant| {
        let on = match &g.on {
            GrantOn::AllTables => true,
            GrantOn::Tables(ts) => ts.iter().any(|n| n == from || n == to),
            _ => false,
        };
        on && g.privileges.iter().any(|p| p == "select" || p == "all")
    };
    ws.roles
        .iter()
        .filter(|r| r.grants.iter().any(selects))
        .filter_map(|r| {
            let columns: Vec<String> = t
                .columns
                .iter()
                .filter(|c| r.withholds(c.classification))
                .map(|c| format!("`{}`", c.name))
                .collect();
            (!columns.is_empty()).then(|| (r.name.clone(), columns))
        })
        .collect()
}

/// Declared views whose query names `from` while no declared table or
/// view has that name: a database built from the declarations has no
/// relation `from` (a textual test: the name after `from` or `join`).
fn stale_views(p: &Project, from: &str, to: &str, diags: &mut Vec<Diagnostic>) {
    if p.table(from).is_some() || p.views.iter().any(|v| v.name == from) {
        return;
    }
    let old = from.to_ascii_lowercase();
    for v in p.views.iter() {
        let words: Vec<String> = v
            .query
            .text
            .split(|ch: char| ch.is_whitespace() || ch == ',' || ch == '(' || ch == ')')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        // The relation after `from` or `join`, schema and quotes aside.
        let names_it = words.windows(2).any(|w| {
            let relation = w[1]
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .trim_matches('"');
            matches!(w[0].as_str(), "from" | "join") && relation == old
        });
        if !names_it {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Code::ViewReadsRenamedTable,
                format!(
                    "view `{}` reads `{from}`, which the migration history renames to `{to}`",
                    v.name
                ),
            )
            .at(v.query.span)
            .help(format!(
                "write `{to}` for `{from}` in the view's query; `sluice plan` then writes `replace view {}` after the rename",
                v.name
            )),
        );
    }
}
