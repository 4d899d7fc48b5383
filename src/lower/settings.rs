//! Pass 2: workspace settings, conventions, tenancy, roles and lint levels,
//! and the merges [`super::project_settings`] applies to each project's own.

use super::collect::Collected;
use super::values::{one_of, unknown, Scope};
use crate::ast::{self, AppRolesSource};
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

pub(super) fn postgres_version(v: Option<(u64, Span)>, diags: &mut Vec<Diagnostic>) -> Option<u32> {
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

pub(super) fn empty_conventions() -> Conventions {
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
pub(super) fn merge_conventions(
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
pub(super) fn merge_tenancy(
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

pub(super) fn merge_lint(base: &mut LintConfig, decl: &ast::LintDecl, diags: &mut Vec<Diagnostic>) {
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
