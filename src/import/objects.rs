//! The catalog's other objects → DSL: the workspace (conventions, tenancy,
//! roles and their grants), the project block, enums, extensions, views,
//! functions, and the raw SQL of what the DSL cannot express.
//!
//! Input: a [`Catalog`] and its [`Conventions`]. Output: declaration texts
//! and the list of objects kept as raw SQL.

use super::catalog::{Catalog, Function, View};
use super::recognise::{is_sluice_function, Conventions};
use super::retention::is_purge_function;
use super::text::{dollar, is_ident, string, type_name};

mod roles;

use roles::role;
pub(super) use roles::{role_lines, TABLE_PRIVILEGES};

/// An object the DSL cannot express, kept as raw SQL.
#[derive(Debug, Clone)]
pub struct Kept {
    pub kind: &'static str,
    pub name: String,
    pub sql: String,
}

pub fn workspace(c: &Catalog, conv: &Conventions, project: &str, major: u32) -> String {
    let mut s = format!(
        "// Imported by `sluice import` from schema `{}` of a PostgreSQL {major} database.\n\nworkspace imported {{\n  postgres {major}\n}}\n",
        c.schema
    );
    s.push_str(&conventions(conv, project));
    for r in &c.roles {
        s.push_str(&role(c, r, conv));
    }
    s
}

/// The `conventions` and `tenancy` blocks.
pub fn conventions(conv: &Conventions, project: &str) -> String {
    let mut s = String::new();
    let mut lines = Vec::new();
    if let Some((col, ty, default)) = &conv.primary_key {
        let d = default
            .as_ref()
            .map(|d| format!(" default {}", super::text::default_expr(d)))
            .unwrap_or_default();
        lines.push(format!("primary_key {col} {}{d}", type_name(ty)));
    }
    lines.push(if conv.timestamps.is_empty() {
        "timestamps off".into()
    } else {
        format!("timestamps {}", conv.timestamps.join(", "))
    });
    if conv.audit.is_empty() {
        lines.push("audit off".into());
    } else {
        // Without a foreign key in this database the columns are a soft
        // reference; the target names the table they mean.
        let (table, col) = conv
            .audit_target
            .clone()
            .unwrap_or(("users".into(), "id".into()));
        let owner = if conv.audit_target.is_some() {
            project
        } else {
            "external"
        };
        lines.push(format!(
            "audit {} -> {owner}.{table}.{col}",
            conv.audit.join(", ")
        ));
    }
    if let Some(o) = &conv.schema_owner {
        lines.push(format!("schema owner {o}"));
    }
    s.push_str(&block("conventions", &lines));
    if let Some(ten) = &conv.tenancy {
        let target = ten
            .target
            .as_ref()
            .map(|(t, col)| format!(" -> {project}.{t}.{col}"))
            .unwrap_or_default();
        let mut lines = vec![
            format!("column {} {}{target}", ten.column, type_name(&ten.ty)),
            format!("org_from setting {}", ten.org_setting),
        ];
        if let Some(u) = &ten.user_setting {
            lines.push(format!("user_from setting {u}"));
        }
        s.push_str(&block("tenancy", &lines));
    }
    s
}

fn block(head: &str, lines: &[String]) -> String {
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}\n")).collect();
    format!("\n{head} {{\n{}}}\n", body.concat())
}

/// The `project` block; `nested` holds conventions that an existing
/// workspace does not say, written inside it.
pub fn project(
    c: &Catalog,
    conv: &Conventions,
    name: &str,
    database: &str,
    nested: Option<&str>,
) -> String {
    let mut lines = vec![
        format!("database {database}"),
        format!("schema {}", c.schema),
    ];
    if let Some(app) = audit_app(c) {
        lines.push(format!("app {}", string(&app)));
    }
    if let Some(s) = &conv.app_roles_setting {
        lines.push(format!("app_roles from setting {s}"));
    }
    if let Some(t) = &conv.audit_trail {
        lines.push(format!("audit_trail {t}"));
    }
    if let Some(n) = nested {
        lines.extend(n.lines().filter(|l| !l.is_empty()).map(str::to_string));
    }
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}\n")).collect();
    format!("project {name} {{\n{}}}\n", body.concat())
}

/// The app code sluice's audit trigger function writes (its last literal).
fn audit_app(c: &Catalog) -> Option<String> {
    let f = c
        .functions
        .iter()
        .find(|f| f.name == "sluice_record_audit")?;
    let insert = f.body.lines().find(|l| l.contains("INSERT INTO"))?;
    let end = insert.rfind("');")?;
    let start = insert[..end].rfind('\'')?;
    let app = &insert[start + 1..end];
    is_ident(app).then(|| app.to_string())
}

pub fn enums(c: &Catalog) -> Vec<String> {
    c.enums
        .iter()
        .map(|e| {
            let values: Vec<String> = e
                .labels
                .iter()
                .map(|l| if is_ident(l) { l.clone() } else { string(l) })
                .collect();
            format!("enum {} {{ {} }}\n", e.name, values.join(", "))
        })
        .collect()
}

pub fn extensions(c: &Catalog) -> Vec<String> {
    c.extensions
        .iter()
        .map(|e| {
            let schema = if e.schema == "public" {
                String::new()
            } else {
                format!(" schema {}", e.schema)
            };
            format!("extension {}{schema}\n", e.name)
        })
        .collect()
}

pub fn view(v: &View) -> String {
    let mut lines = Vec::new();
    if v.materialized {
        lines.push("materialized".to_string());
    }
    if v.security_invoker {
        lines.push("security invoker".to_string());
    }
    if let Some(cm) = &v.comment {
        lines.push(format!("comment {}", string(cm)));
    }
    let body = v.body.trim().trim_end_matches(';');
    lines.push(format!("as {}", dollar(&format!(" {} ", body.trim()))));
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}\n")).collect();
    format!("view {} {{\n{}}}\n", v.name, body.concat())
}

/// A function the DSL can declare, or `None` (kept raw).
pub fn function(f: &Function) -> Option<String> {
    if f.kind != "f" || !matches!(f.language.as_str(), "sql" | "plpgsql") || !is_ident(&f.name) {
        return None;
    }
    let mut params = Vec::new();
    for a in f.arguments.split(", ").filter(|a| !a.is_empty()) {
        let (name, ty) = a.split_once(' ')?;
        if !is_ident(name)
            || ty.contains(" DEFAULT ")
            || matches!(name, "IN" | "OUT" | "INOUT" | "VARIADIC")
        {
            return None;
        }
        params.push(format!("{name} {}", type_name(ty)));
    }
    let returns = match f.result.strip_prefix("SETOF ") {
        Some(t) => format!("setof {}", type_name(t)),
        None if f.result.starts_with("TABLE(") => return None,
        None => type_name(&f.result),
    };
    let mut lines = vec![format!("language {}", f.language)];
    lines.push(
        match f.volatility.as_str() {
            "i" => "immutable",
            "s" => "stable",
            _ => "volatile",
        }
        .to_string(),
    );
    if f.security_definer {
        lines.push("security definer".into());
    }
    for cfg in &f.config {
        let (k, v) = cfg.split_once('=')?;
        lines.push(format!("set {k} = {v}"));
    }
    if let Some(cm) = &f.comment {
        lines.push(format!("comment {}", string(cm)));
    }
    lines.push(format!("body {}", dollar(&f.body)));
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}\n")).collect();
    Some(format!(
        "function {}({}) returns {returns} {{\n{}}}\n",
        f.name,
        params.join(", "),
        body.concat()
    ))
}

/// The functions to declare (sluice's own are derived) and those kept raw.
pub fn functions(c: &Catalog) -> (Vec<String>, Vec<Kept>) {
    let mut decls = Vec::new();
    let mut kept = Vec::new();
    let derived = |f: &Function| is_sluice_function(&f.name) || is_purge_function(c, f);
    for f in c.functions.iter().filter(|f| !derived(f)) {
        match function(f) {
            Some(d) => decls.push(d),
            None => kept.push(Kept {
                kind: "function",
                name: f.name.clone(),
                sql: f.definition.clone(),
            }),
        }
    }
    (decls, kept)
}

/// Triggers sluice did not derive, rules, and `GENERATED ALWAYS`
/// identities (the DSL's `identity` is `BY DEFAULT`).
pub fn raw_triggers_and_rules(c: &Catalog, conv: &Conventions) -> Vec<Kept> {
    let mut kept = Vec::new();
    for t in &c.tables {
        for col in t.columns.iter().filter(|col| col.identity == "a") {
            let ctx =
                serde_json::json!({ "schema": c.schema, "table": t.name, "column": col.name });
            let stmt = crate::plan::Stmt::new(
                "set_identity_always",
                "",
                ctx,
                crate::plan::Key::Table(t.name.clone()),
            );
            let sql = crate::render::statement(&stmt).unwrap_or_default();
            kept.push(Kept {
                kind: "identity",
                name: format!("{}.{} generated always", t.name, col.name),
                sql: sql
                    .lines()
                    .filter(|l| !l.starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
    }
    for t in &c.triggers {
        let table = c.table(&t.table);
        let layout = table
            .map(|tb| super::recognise::layout(tb, conv))
            .unwrap_or_default();
        let updated_at = t.function == "sluice_set_updated_at"
            && t.name == format!("{}_set_updated_at", t.table)
            && layout.timestamps;
        let audit = t.function == "sluice_record_audit"
            && t.name == format!("{}_audit", t.table)
            && layout.tenant
            && conv.audit_trail.is_some();
        if !updated_at && !audit {
            kept.push(Kept {
                kind: "trigger",
                name: format!("{} on {}", t.name, t.table),
                sql: t.definition.clone(),
            });
        }
    }
    for r in &c.rules {
        kept.push(Kept {
            kind: "rule",
            name: format!("{} on {}", r.name, r.table),
            sql: r.definition.clone(),
        });
    }
    kept
}
