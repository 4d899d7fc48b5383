//! The `schema_ts` setting: where each project's drizzle-orm table
//! definitions are written.
//!
//! A project's own `schema_ts "…"` wins over the workspace's; `{project}` in
//! either is replaced by the project's name, so one workspace setting can
//! give every project its own module. The path must name a `.ts` file, and no
//! two projects may write the same one.

use crate::ast::StrLit;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, SchemaTs};

/// The placeholder replaced by the project's name.
pub const PLACEHOLDER: &str = "{project}";

/// The resolved path of `project`'s module, or `None` when neither the
/// project nor the workspace asks for one (or the path is invalid).
pub(super) fn project_path(
    own: Option<&StrLit>,
    workspace: Option<&StrLit>,
    project: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<SchemaTs> {
    let lit = own.or(workspace)?;
    let path = lit.value.replace(PLACEHOLDER, project);
    let file = path.rsplit('/').next().unwrap_or_default();
    if !file.ends_with(".ts") || file.len() <= ".ts".len() {
        // Report a workspace-level value once, not once per project.
        if own.is_some() || project_is_first_reporter(lit, diags) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`schema_ts \"{}\"` does not name a `.ts` file", lit.value),
                )
                .at(lit.span)
                .label("not a TypeScript file")
                .help("give the path of the module to write, e.g. `schema_ts \"app/db/{project}.ts\"`"),
            );
        }
        return None;
    }
    Some(SchemaTs {
        path,
        span: lit.span,
    })
}

/// True unless this exact setting was already reported.
fn project_is_first_reporter(lit: &StrLit, diags: &[Diagnostic]) -> bool {
    !diags
        .iter()
        .any(|d| d.code == Code::InvalidValue && d.span == Some(lit.span))
}

/// Two projects writing the same module would overwrite each other.
/// Reported once per setting (a workspace-level one is shared).
pub(super) fn check_distinct(projects: &[Project], diags: &mut Vec<Diagnostic>) {
    let mut reported = Vec::new();
    for (i, p) in projects.iter().enumerate() {
        let Some(ts) = &p.schema_ts else { continue };
        if reported.contains(&ts.span) {
            continue;
        }
        let Some(first) = projects[..i]
            .iter()
            .find(|q| q.schema_ts.as_ref().is_some_and(|o| o.path == ts.path))
        else {
            continue;
        };
        reported.push(ts.span);
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "projects `{}` and `{}` would both write `{}`",
                    first.name, p.name, ts.path
                ),
            )
            .at(ts.span)
            .label("one module per project")
            .help(format!(
                "put `{PLACEHOLDER}` in the path (`schema_ts \"app/db/{PLACEHOLDER}.ts\"`), or set `schema_ts` in each project"
            )),
        );
    }
}
