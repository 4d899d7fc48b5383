//! Pass 2, per project: a project's settings with the workspace's
//! defaults merged in; once every table exists, the app roles read from a
//! table; and the folders a project writes to.
//!
//! Input: the workspace settings and a project's collected files. Output:
//! the project's IR settings (tables come later), or diagnostics.

use super::collect::{Collected, ProjectFiles};
use super::settings::{
    empty_conventions, merge_conventions, merge_lint, merge_tenancy, postgres_version, unknown_role,
};
use super::values::{unknown, Scope};
use crate::ast::{self, AppRolesSource, Ident};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

/// A project's settings with workspace defaults applied (tables come later).
pub(super) fn project(
    ws: &Workspace,
    c: &Collected,
    folder: &str,
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
) -> Project {
    let mut scope = Scope::default();
    for d in &pf.decls {
        scope.define(&d.name.name, d.name.span, "project", diags);
        if d.name.name != folder {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("project `{}` is declared in folder `{folder}`", d.name.name),
                )
                .at(d.name.span)
                .label("does not match the folder")
                .help(format!(
                    "name the project `{folder}`, or rename the folder to `{}`",
                    d.name.name
                )),
            );
        }
    }
    if pf.decls.is_empty() {
        let mut d = Diagnostic::error(
            Code::MissingProject,
            format!("project folder `{folder}` has no `project` declaration"),
        )
        .help(format!(
            "add `project {folder} {{ database {folder} schema public }}` to a file in `{folder}/`"
        ));
        if let Some(f) = pf.first_file {
            d = d.at(Span::new(f, 0, 0));
        }
        diags.push(d);
    }
    let decl = pf.decls.first();

    let mut conventions = empty_conventions();
    for cd in &c.conventions {
        merge_conventions(&mut conventions, cd, diags);
    }
    let mut tenancy = None;
    let mut app_roles_src = None;
    for t in &c.tenancy {
        merge_tenancy(&mut tenancy, &mut app_roles_src, t, diags);
    }
    let mut lint = LintConfig::default();
    for l in &c.lint {
        merge_lint(&mut lint, l, diags);
    }
    lint.workspace_levels = lint.levels.clone();
    let mut postgres = ws.settings.postgres;
    if let Some(d) = decl {
        for cd in &d.conventions {
            merge_conventions(&mut conventions, cd, diags);
        }
        for t in &d.tenancy {
            merge_tenancy(&mut tenancy, &mut app_roles_src, t, diags);
        }
        for l in &d.lint {
            merge_lint(&mut lint, l, diags);
        }
        if let Some(v) = postgres_version(d.postgres, diags) {
            postgres = v;
        }
        if let Some(src) = &d.app_roles {
            app_roles_src = Some(src.clone());
        }
    }
    if let Some(owner) = &conventions.schema_owner {
        if !ws.roles.iter().any(|r| &r.name == owner) {
            let span = c
                .conventions
                .iter()
                .copied()
                .chain(decl.iter().flat_map(|d| d.conventions.iter()))
                .filter_map(|cd| cd.schema_owner.as_ref())
                .map(|i| i.span)
                .next_back()
                .unwrap_or_default();
            diags.push(unknown_role(owner, span, &ws.roles));
        }
    }
    let name = decl
        .map(|d| d.name.name.clone())
        .unwrap_or_else(|| folder.to_string());
    let span = decl.map(|d| d.span).unwrap_or_default();
    let app_roles = match app_roles_src {
        Some((AppRolesSource::Setting(s), _)) => Some(AppRoles::Setting(s.name.clone())),
        // Resolved against tables in `resolve_app_roles`, once they exist.
        Some((AppRolesSource::Table(_), _)) => None,
        None => None,
    };
    Project {
        database: decl
            .and_then(|d| d.database.as_ref())
            .map(|i| i.name.clone())
            .unwrap_or_else(|| name.clone()),
        schema: decl
            .and_then(|d| d.schema.as_ref())
            .map(|i| i.name.clone())
            .unwrap_or_else(|| "public".into()),
        postgres,
        out: decl
            .and_then(|d| d.out.as_ref())
            .map(|s| s.value.clone())
            .unwrap_or_else(|| format!("{}/{}", ws.settings.out, name)),
        schema_ts: super::schema_ts::project_path(
            decl.and_then(|d| d.schema_ts.as_ref()),
            ws.settings.schema_ts.as_ref(),
            &name,
            diags,
        ),
        app: decl.and_then(|d| d.app.as_ref()).map(|s| s.value.clone()),
        app_roles,
        audit_trail: None,
        conventions,
        tenancy,
        lint,
        extensions: Vec::new(),
        enums: Vec::new(),
        tables: Vec::new(),
        views: Default::default(),
        functions: Default::default(),
        migrations: Vec::new(),
        replayed: None,
        replayed_enums: None,
        replayed_objects: None,
        replayed_access: None,
        phases: Vec::new(),
        name,
        span,
    }
}

/// Resolve `app_roles from TABLE` now that every project's tables exist.
pub(super) fn resolve_app_roles(
    projects: &mut [Project],
    c: &Collected,
    diags: &mut Vec<Diagnostic>,
) {
    let sources: Vec<(String, ast::Path)> = projects
        .iter()
        .map(|p| {
            let folder_decl = c.projects.get(&p.name).and_then(|pf| pf.decls.first());
            let from_project = folder_decl.and_then(|d| match &d.app_roles {
                Some((AppRolesSource::Table(t), _)) => Some(t.clone()),
                _ => None,
            });
            let from_tenancy = || {
                folder_decl
                    .into_iter()
                    .flat_map(|d| d.tenancy.iter())
                    .chain(c.tenancy.iter().copied())
                    .find_map(|t| match &t.app_roles {
                        Some(AppRolesSource::Table(path)) => Some(path.clone()),
                        _ => None,
                    })
            };
            (p.name.clone(), from_project.or_else(from_tenancy))
        })
        .filter_map(|(n, p)| p.map(|p| (n, p)))
        .collect();
    for (project_name, path) in sources {
        let Some(idx) = projects.iter().position(|p| p.name == project_name) else {
            continue;
        };
        if projects[idx].app_roles.is_some() {
            continue;
        }
        let (owner, table) = match path.parts.as_slice() {
            [t] => (None, t),
            [owner, t] => (Some(owner), t),
            _ => {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{}` is not a table name", path.dotted()),
                    )
                    .at(path.span)
                    .help("write `app_roles from TABLE` or `app_roles from PROJECT.TABLE`"),
                );
                continue;
            }
        };
        let here = &projects[idx];
        let is_here = owner.is_none_or(|o| o.name == here.name || o.name == here.schema);
        if !is_here {
            let other = owner.map(|o| o.name.clone()).unwrap_or_default();
            let exists_elsewhere = projects
                .iter()
                .any(|p| (p.name == other || p.schema == other) && p.table(&table.name).is_some());
            diags.push(cross_project(
                &path,
                &project_name,
                &other,
                exists_elsewhere,
            ));
            continue;
        }
        match here.table_index(&table.name) {
            Some(t) => projects[idx].app_roles = Some(AppRoles::Table { table: t }),
            None => diags.push(unknown_table(table, here)),
        }
    }
}

pub(super) fn cross_project(path: &ast::Path, here: &str, other: &str, exists: bool) -> Diagnostic {
    let what = if exists {
        "belongs to"
    } else {
        "would belong to"
    };
    Diagnostic::error(
        Code::CrossProjectReference,
        format!(
            "`{}` {what} project `{other}`, another database than `{here}`",
            path.dotted()
        ),
    )
    .at(path.span)
    .label("another project's table")
    .help("a project can only reference tables in its own database; keep a plain uuid (a soft reference) or read the value from a session setting")
}

pub(super) fn unknown_table(name: &Ident, project: &Project) -> Diagnostic {
    unknown(
        Code::UnknownTable,
        "table",
        &name.name,
        name.span,
        &format!(" in project `{}`", project.name),
        project.tables.iter().map(|t| t.name.as_str()),
        "declare the table in this project, or fix the name",
    )
}

/// An output folder as written (`out "drizzle"`) is relative to the
/// workspace folder, not to wherever sluice runs: the same workspace always
/// writes to the same place. `..` is resolved in the text, so
/// `schemas/../drizzle` reads `drizzle`.
pub(super) fn resolve_out(root: &std::path::Path, out: &str) -> String {
    use std::path::Component;
    let joined = root.join(out);
    let mut clean = std::path::PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(clean.components().next_back(), Some(Component::Normal(_))) {
                    clean.pop();
                } else {
                    clean.push("..");
                }
            }
            other => clean.push(other),
        }
    }
    if clean.as_os_str().is_empty() {
        ".".to_string()
    } else {
        clean.to_string_lossy().into_owned()
    }
}

#[cfg(test)]
mod out_tests {
    use super::resolve_out;
    use std::path::Path;

    #[test]
    fn out_is_relative_to_the_workspace_folder() {
        assert_eq!(
            resolve_out(Path::new("schemas"), "drizzle"),
            "schemas/drizzle"
        );
        assert_eq!(resolve_out(Path::new("schemas"), "../drizzle"), "drizzle");
        assert_eq!(resolve_out(Path::new("/w/ws"), "../out/x"), "/w/out/x");
        assert_eq!(resolve_out(Path::new("/w/ws"), "/abs/out"), "/abs/out");
        assert_eq!(resolve_out(Path::new("."), "../x"), "../x");
        assert_eq!(resolve_out(Path::new("ws"), ".."), ".");
    }
}
