//! Pass 2: workspace settings, conventions, tenancy, roles and lint levels,
//! merged workspace → project.

use super::collect::{Collected, ProjectFiles};
use super::values::{one_of, unknown, Scope};
use crate::ast::{self, AppRolesSource, Ident};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ir::*;
use crate::span::Span;

pub(super) const CASES: [&str; 4] = [
    "snake_case",
    "PascalCase",
    "camelCase",
    "SCREAMING_SNAKE_CASE",
];
const NAMING_KINDS: [&str; 4] = ["tables", "columns", "views", "functions"];
const PRIVILEGES: [&str; 10] = [
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
    "usage",
    "execute",
    "all",
];
const GRANT_KINDS: [&str; 4] = ["tables", "sequences", "functions", "schema"];
const LEVELS: [&str; 3] = ["error", "warning", "off"];

/// The workspace, without projects (filled in by the caller).
pub(super) fn workspace(c: &Collected, diags: &mut Vec<Diagnostic>) -> Workspace {
    let mut settings = Settings::default();
    let mut name = String::new();
    let mut span = Span::default();
    let mut scope = Scope::default();
    for ws in &c.workspace {
        if !scope.define(
            "workspace",
            ws.span.sub(0, "workspace".len()),
            "the workspace block",
            diags,
        ) {
            continue;
        }
        name = ws.name.name.clone();
        span = ws.span;
        if let Some(out) = &ws.out {
            settings.out = out.value.clone();
        }
        settings.schema_ts = ws.schema_ts.clone();
        if let Some(v) = postgres_version(ws.postgres, diags) {
            settings.postgres = v;
        }
        if let Some(t) = &ws.target {
            settings.target = match one_of(t, &["drizzle", "plain"], "target", diags) {
                Some("plain") => Target::Plain,
                _ => Target::Drizzle,
            };
        }
        if let Some(d) = ws.lock_timeout {
            settings.lock_timeout_ms = d.millis;
        }
        if let Some(d) = ws.statement_timeout {
            settings.statement_timeout_ms = d.millis;
        }
    }
    if c.workspace.is_empty() {
        let mut d = Diagnostic::error(
            Code::MissingWorkspace,
            "the workspace has no `workspace` declaration",
        )
        .help("create `workspace.sluice` at the workspace root with `workspace NAME { out \"drizzle\" postgres 16 }`");
        if let Some(f) = c.workspace_file {
            d = d.at(Span::new(f, 0, 0));
        }
        diags.push(d);
    }
    let mut roles = Vec::new();
    let mut role_scope = Scope::default();
    for r in &c.roles {
        if role_scope.define(&r.name.name, r.name.span, "role", diags) {
            roles.push(role(r, diags));
        }
    }
    Workspace {
        name,
        span,
        settings,
        roles,
        projects: Vec::new(),
    }
}

fn postgres_version(v: Option<(u64, Span)>, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    let (n, span) = v?;
    if (14..=18).contains(&n) {
        return Some(n as u32);
    }
    diags.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!("PostgreSQL {n} is not a supported target"),
        )
        .at(span)
        .help("sluice targets PostgreSQL 14, 15, 16, 17 or 18"),
    );
    None
}

/// What `reads` may name: the classifications withheld from other roles.
const READABLE: [&str; 2] = ["pii", "phi"];

fn role(r: &ast::RoleDecl, diags: &mut Vec<Diagnostic>) -> Role {
    let grants = r
        .grants
        .iter()
        .map(|g| RoleGrant {
            privileges: g
                .privileges
                .iter()
                .filter_map(|p| one_of(p, &PRIVILEGES, "privilege", diags))
                .map(str::to_string)
                .collect(),
            on: grant_on(&g.target, diags),
            reason: grant_reason(g, diags),
            span: g.span,
        })
        .collect();
    if let (Some(_), Some((false, span))) = (r.runtime, r.login) {
        diags.push(
            Diagnostic::error(
                Code::ConflictingOptions,
                format!("runtime role `{}` cannot log in", r.name.name),
            )
            .at(span)
            .help("a `runtime` role is the one the application connects as: give it `login`"),
        );
    }
    Role {
        name: r.name.name.clone(),
        login: r.login.map(|(l, _)| l).unwrap_or(false),
        connection_limit: r.connection_limit.map(|(n, _)| n),
        owns_schema: r.owns_schema.is_some(),
        runtime: r.runtime.is_some(),
        reads: crate::ir::reads::sorted(
            r.reads
                .iter()
                .filter_map(|i| one_of(i, &READABLE, "classification a role reads", diags)),
        ),
        grants,
        comment: r.comment.as_ref().map(|c| c.value.clone()),
        span: r.span,
    }
}

/// The reason of a grant's `unsafe "reason"`; `unsafe` alone is an error.
pub(super) fn grant_reason(g: &ast::Grant, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let (reason, span) = g.unsafe_.as_ref()?;
    match reason {
        Some(r) if !r.value.trim().is_empty() => Some(r.value.clone()),
        _ => {
            diags.push(
                Diagnostic::error(Code::UnsafeWithoutReason, "this grant is marked `unsafe` without a reason")
                    .at(*span)
                    .help("say why the runtime role needs it, e.g. `unsafe \"the nightly purge empties this table\"`"),
            );
            None
        }
    }
}

pub(super) fn grant_on(target: &ast::GrantTarget, diags: &mut Vec<Diagnostic>) -> GrantOn {
    match target {
        ast::GrantTarget::Tables(ts) => {
            GrantOn::Tables(ts.iter().map(|t| t.last().name.clone()).collect())
        }
        ast::GrantTarget::Kind(k) => match one_of(k, &GRANT_KINDS, "grant target", diags) {
            Some("sequences") => GrantOn::AllSequences,
            Some("functions") => GrantOn::AllFunctions,
            Some("schema") => GrantOn::Schema,
            _ => GrantOn::AllTables,
        },
    }
}

fn empty_conventions() -> Conventions {
    Conventions {
        primary_key: None,
        timestamps: Vec::new(),
        audit: None,
        tables_case: None,
        columns_case: None,
        views_case: None,
        functions_case: None,
        schema_owner: None,
    }
}

/// Apply one `conventions` block over `base`.
fn merge_conventions(
    base: &mut Conventions,
    decl: &ast::ConventionsDecl,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(pk) = &decl.primary_key {
        base.primary_key = Some(PrimaryKeyConvention {
            column: pk.column.name.clone(),
            ty: pk.ty.clone(),
            default: pk.default.as_ref().map(|d| d.text.clone()),
        });
    }
    if let Some((cols, _)) = &decl.timestamps {
        base.timestamps = cols.iter().map(|c| c.name.clone()).collect();
    }
    if let Some(a) = &decl.audit {
        base.audit = if a.columns.is_empty() {
            None
        } else {
            Some(AuditConvention {
                columns: a.columns.iter().map(|c| c.name.clone()).collect(),
                references: a.references.as_ref().and_then(|p| qualified(p, diags)),
            })
        };
    }
    for (kind, case) in &decl.naming {
        let Some(kind) = one_of(kind, &NAMING_KINDS, "naming kind", diags) else {
            continue;
        };
        let case = match one_of(case, &CASES, "naming case", diags) {
            Some("snake_case") => Case::Snake,
            Some("PascalCase") => Case::Pascal,
            Some("camelCase") => Case::Camel,
            Some(_) => Case::ScreamingSnake,
            None => continue,
        };
        match kind {
            "tables" => base.tables_case = Some(case),
            "columns" => base.columns_case = Some(case),
            "views" => base.views_case = Some(case),
            _ => base.functions_case = Some(case),
        }
    }
    if let Some(owner) = &decl.schema_owner {
        base.schema_owner = Some(owner.name.clone());
    }
}

/// `project.table.column` from a three-part path.
fn qualified(p: &ast::Path, diags: &mut Vec<Diagnostic>) -> Option<QualifiedColumn> {
    match p.parts.as_slice() {
        [project, table, column] => Some(QualifiedColumn {
            project: project.name.clone(),
            table: table.name.clone(),
            column: column.name.clone(),
        }),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` must name a project, a table and a column", p.dotted()),
                )
                .at(p.span)
                .help("write it as `project.table.column`, e.g. `core.users.id`"),
            );
            None
        }
    }
}

/// Apply one `tenancy` block over `base`.
fn merge_tenancy(
    base: &mut Option<Tenancy>,
    app_roles: &mut Option<(AppRolesSource, Span)>,
    decl: &ast::TenancyDecl,
    diags: &mut Vec<Diagnostic>,
) {
    let mut t = base.clone().unwrap_or(Tenancy {
        column: String::new(),
        ty: decl
            .column
            .as_ref()
            .map(|c| c.1.clone())
            .unwrap_or_else(|| uuid_type(decl.span)),
        references: None,
        org_setting: String::new(),
        user_setting: None,
    });
    if let Some((name, ty, reference)) = &decl.column {
        t.column = name.name.clone();
        t.ty = ty.clone();
        t.references = reference.as_ref().and_then(|r| qualified(r, diags));
    }
    if let Some(org) = &decl.org_from {
        t.org_setting = org.name.clone();
    }
    if let Some(user) = &decl.user_from {
        t.user_setting = Some(user.name.clone());
    }
    if let Some(src) = &decl.app_roles {
        *app_roles = Some((src.clone(), decl.span));
    }
    for (missing, what) in [
        (t.column.is_empty(), "`column org_id uuid`"),
        (
            t.org_setting.is_empty(),
            "`org_from setting app.current_org_id`",
        ),
    ] {
        if missing {
            diags.push(
                Diagnostic::error(
                    Code::MissingTenancy,
                    format!("the tenancy block does not say {what}"),
                )
                .at(decl.span.sub(0, "tenancy".len()))
                .help(format!("add {what} to the tenancy block")),
            );
        }
    }
    *base = Some(t);
}

/// `unknown-rule` for an id that names no configurable rule.
pub(super) fn not_a_rule(id: &str, span: Span) -> Option<Diagnostic> {
    match crate::rules::lookup(id) {
        Ok(_) => None,
        Err(crate::rules::NotARule::Fixed) => Some(
            Diagnostic::error(Code::UnknownRule, format!("`{id}` reports invalid input and cannot be configured"))
                .at(span)
                .help("only rules can be set to `error`, `warning` or `off`, or exempted; fix the input instead"),
        ),
        Err(crate::rules::NotARule::Unknown) => Some(unknown(
            Code::UnknownRule,
            "rule",
            id,
            span,
            "",
            crate::rules::all_ids(),
            "`sluice explain` lists every rule",
        )),
    }
}

pub(super) fn uuid_type(span: Span) -> ast::TypeName {
    ast::TypeName {
        text: "uuid".into(),
        base: "uuid".into(),
        params: Vec::new(),
        array_dims: 0,
        span,
    }
}

fn merge_lint(base: &mut LintConfig, decl: &ast::LintDecl, diags: &mut Vec<Diagnostic>) {
    for (rule, level) in &decl.levels {
        if let Some(d) = not_a_rule(&rule.name, rule.span) {
            diags.push(d);
            continue;
        }
        let level = match one_of(level, &LEVELS, "rule level", diags) {
            Some("error") => Level::On(Severity::Error),
            Some("warning") => Level::On(Severity::Warning),
            Some(_) => Level::Off,
            None => continue,
        };
        base.levels.insert(rule.name.clone(), level);
    }
    base.excludes
        .extend(decl.excludes.iter().map(|e| e.value.clone()));
}

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

pub(super) fn unknown_role(name: &str, span: Span, roles: &[Role]) -> Diagnostic {
    unknown(
        Code::UnknownRole,
        "role",
        name,
        span,
        "",
        roles.iter().map(|r| r.name.as_str()),
        "declare it with `role NAME { … }` in `workspace.sluice`",
    )
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
