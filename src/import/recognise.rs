//! Recognise the objects sluice itself derives, so that a database sluice
//! built imports into the declarations it was built from.
//!
//! Input: a [`Catalog`]. Output: [`Conventions`] — the workspace-wide
//! primary key, timestamps, audit columns, tenancy, schema owner and app
//! roles setting the catalog shows — and, per table, the [`Layout`] of its
//! columns under those conventions. The writer leaves out what the
//! conventions re-derive: the conventional columns, the tenant-isolation
//! policy, the `updated_at` and audit triggers and their functions, the
//! derived foreign keys and indexes.

use std::collections::BTreeMap;

use super::catalog::{Catalog, Column, Table};

#[derive(Debug, Clone, Default)]
pub struct Conventions {
    /// Column, type, default.
    pub primary_key: Option<(String, String, Option<String>)>,
    pub timestamps: Vec<String>,
    pub audit: Vec<String>,
    /// `table.column` the audit columns reference inside this database.
    pub audit_target: Option<(String, String)>,
    pub tenancy: Option<Tenancy>,
    pub schema_owner: Option<String>,
    /// The setting `role(…)` predicates compare with.
    pub app_roles_setting: Option<String>,
    /// The table the audit trigger writes to.
    pub audit_trail: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Tenancy {
    pub column: String,
    pub ty: String,
    pub org_setting: String,
    pub user_setting: Option<String>,
    /// `table.column` of this database the tenant column references.
    pub target: Option<(String, String)>,
}

/// How one table's columns split under the conventions.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub conventional_pk: bool,
    pub tenant: bool,
    pub timestamps: bool,
    pub audit: bool,
}

/// `(col = (NULLIF(current_setting('setting'::text, true), ''::text))::type)`
/// → `(col, setting, type)`.
pub fn setting_comparison(expr: &str) -> Option<(String, String, String)> {
    let e = strip_parens(expr.trim());
    let (col, rest) = e.split_once(" = ")?;
    let rest = strip_parens(rest.trim());
    let rest = rest.strip_prefix("(NULLIF(current_setting('")?;
    let (setting, rest) = rest.split_once("'::text, true), ''::text))::")?;
    let col = col.trim().trim_matches('"');
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    (ok(col) && ok(setting) && ok(rest))
        .then(|| (col.to_string(), setting.to_string(), rest.to_string()))
}

/// Remove parentheses that enclose the whole text.
pub fn strip_parens(s: &str) -> &str {
    let mut s = s.trim();
    while s.starts_with('(') && s.ends_with(')') && closes_at_end(s) {
        s = s[1..s.len() - 1].trim();
    }
    s
}

/// Whether the `(` at the start of `s` is closed by its last character.
fn closes_at_end(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    for (i, ch) in s.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return i == s.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

pub fn tenant_isolation_name(table: &str) -> String {
    format!("{table}_tenant_isolation")
}

pub fn is_sluice_function(name: &str) -> bool {
    name == "sluice_set_updated_at" || name == "sluice_record_audit"
}

pub fn infer(c: &Catalog) -> Conventions {
    let mut conv = Conventions {
        // `pg_database_owner` (the owner of `public` since PostgreSQL 15) is
        // built in: nothing to declare.
        schema_owner: Some(c.schema_owner.clone())
            .filter(|o| !o.is_empty() && !o.starts_with("pg_")),
        ..Conventions::default()
    };
    conv.tenancy = tenancy(c);
    conv.primary_key = primary_key(c);
    let (timestamps, audit) = trailing(c);
    conv.timestamps = timestamps;
    conv.audit = audit;
    conv.audit_target = c.tables.iter().find_map(|t| {
        let col = conv.audit.first()?;
        let fk = t
            .constraints
            .iter()
            .find(|k| k.kind == "f" && k.columns == [col.clone()])?;
        Some((fk.ref_table.clone()?, fk.ref_columns.first()?.clone()))
    });
    conv.app_roles_setting = app_roles_setting(c);
    conv.audit_trail = c.tables.iter().find_map(|t| {
        t.policies
            .iter()
            .any(|p| p.name == format!("{}_audit_writer", t.name))
            .then(|| t.name.clone())
    });
    conv
}

fn tenancy(c: &Catalog) -> Option<Tenancy> {
    let mut found: Option<Tenancy> = None;
    for t in &c.tables {
        let Some(p) = t
            .policies
            .iter()
            .find(|p| p.name == tenant_isolation_name(&t.name) && !p.permissive)
        else {
            continue;
        };
        let Some((col, setting, ty)) = p.using.as_deref().and_then(setting_comparison) else {
            continue;
        };
        if found.is_none() {
            let target = t
                .constraints
                .iter()
                .find(|k| k.kind == "f" && k.columns == [col.clone()])
                .and_then(|fk| Some((fk.ref_table.clone()?, fk.ref_columns.first()?.clone())));
            found = Some(Tenancy {
                column: col,
                ty,
                org_setting: setting,
                user_setting: None,
                target,
            });
        }
    }
    let mut ten = found?;
    // The user setting: any other setting compared with a uuid column.
    ten.user_setting = c.tables.iter().flat_map(|t| &t.policies).find_map(|p| {
        let text = format!(
            "{} {}",
            p.using.as_deref().unwrap_or(""),
            p.check.as_deref().unwrap_or("")
        );
        settings_in(&text)
            .into_iter()
            .find(|(s, ty)| *s != ten.org_setting && ty == "uuid")
            .map(|(s, _)| s)
    });
    Some(ten)
}

/// `current_setting('name'::text, true), ''::text))::type` occurrences.
fn settings_in(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split("current_setting('").skip(1) {
        let Some((name, rest)) = part.split_once("'::text, true), ''::text))::") else {
            continue;
        };
        let ty: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        out.push((name.to_string(), ty));
    }
    out
}

/// The setting that `role(…)` compares, uncast, with role names.
fn app_roles_setting(c: &Catalog) -> Option<String> {
    c.tables.iter().flat_map(|t| &t.policies).find_map(|p| {
        let text = format!(
            "{} {}",
            p.using.as_deref().unwrap_or(""),
            p.check.as_deref().unwrap_or("")
        );
        text.split("NULLIF(current_setting('")
            .skip(1)
            .find_map(|part| {
                let (name, rest) = part.split_once("'::text, true), ''::text) = ")?;
                (rest.starts_with("ANY (ARRAY['") || rest.starts_with('\''))
                    .then(|| name.to_string())
            })
    })
}

/// The tables in an order where each comes after the tables its foreign
/// keys reference (then by name), so a replay creates targets first.
pub fn dependency_order(c: &Catalog, conv: &Conventions) -> Vec<usize> {
    // The tenant keys the conventions derive are added after every table.
    // Audit keys count: a reference between tenant tables is scoped by the
    // tenant column only when the replay already knows its target.
    let derived = |cols: &[String]| {
        cols.len() == 1 && conv.tenancy.as_ref().is_some_and(|t| t.column == cols[0])
    };
    let mut done: Vec<usize> = Vec::new();
    let mut left: Vec<usize> = (0..c.tables.len()).collect();
    while !left.is_empty() {
        let ready = left.iter().position(|&i| {
            let t = &c.tables[i];
            t.constraints
                .iter()
                .filter(|k| k.kind == "f" && !derived(&k.columns))
                .all(|k| {
                    k.ref_table.as_deref() == Some(t.name.as_str())
                        || !left
                            .iter()
                            .any(|&j| Some(c.tables[j].name.as_str()) == k.ref_table.as_deref())
                })
        });
        // A cycle: take the first left; its foreign keys still resolve by name.
        let at = ready.unwrap_or(0);
        done.push(left.remove(at));
    }
    done
}

/// The single-column primary key most tables share as their first column.
fn primary_key(c: &Catalog) -> Option<(String, String, Option<String>)> {
    let mut counts: BTreeMap<(String, String, Option<String>), usize> = BTreeMap::new();
    for t in &c.tables {
        let Some(first) = t.columns.first() else {
            continue;
        };
        let pk = t.constraints.iter().find(|k| k.kind == "p");
        // A serial key's default names its own sequence: not a convention.
        let serial = first
            .default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        if !serial && pk.is_some_and(|k| k.columns.first() == Some(&first.name)) {
            *counts
                .entry((first.name.clone(), first.ty.clone(), first.default.clone()))
                .or_default() += 1;
        }
    }
    let (key, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n * 2 > c.tables.len()).then_some(key)
}

/// The timestamp and audit columns most tables end with.
fn trailing(c: &Catalog) -> (Vec<String>, Vec<String>) {
    let mut counts: BTreeMap<(Vec<String>, Vec<String>), usize> = BTreeMap::new();
    for t in &c.tables {
        let cols = &t.columns;
        let audit: Vec<String> = cols
            .iter()
            .rev()
            .take_while(|c| {
                c.ty == "uuid" && !c.not_null && c.default.is_none() && c.name.ends_with("_by")
            })
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let before = &cols[..cols.len() - audit.len()];
        let stamps: Vec<&Column> = before
            .iter()
            .rev()
            .take_while(|c| c.ty == "timestamp with time zone")
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let stamps = &stamps[stamps.len().saturating_sub(3)..];
        let fits = stamps.iter().enumerate().all(|(i, c)| {
            if i < 2 {
                c.not_null && c.default.as_deref() == Some("now()")
            } else {
                !c.not_null && c.default.is_none()
            }
        });
        let stamps: Vec<String> = if fits && stamps.len() >= 2 {
            stamps.iter().map(|c| c.name.clone()).collect()
        } else {
            Vec::new()
        };
        *counts.entry((stamps, audit)).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| n * 2 > c.tables.len())
        .map(|(k, _)| k)
        .unwrap_or_default()
}

/// Which conventions apply to table `t` as the catalog shows it.
pub fn layout(t: &Table, conv: &Conventions) -> Layout {
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let mut l = Layout::default();
    let mut at = 0;
    if let Some((col, ty, default)) = &conv.primary_key {
        let pk = t.constraints.iter().find(|k| k.kind == "p");
        let partition_cols = partition_columns(t);
        let pk_ok = pk.is_some_and(|k| {
            k.columns.first() == Some(col) && k.columns[1..] == partition_cols[..]
        });
        let first = t.columns.first();
        if pk_ok && first.is_some_and(|c| &c.name == col && &c.ty == ty && &c.default == default) {
            l.conventional_pk = true;
            at = 1;
        }
    }
    if let Some(ten) = &conv.tenancy {
        let isolated = t
            .policies
            .iter()
            .any(|p| p.name == tenant_isolation_name(&t.name) && !p.permissive);
        let col = t.columns.get(at);
        if isolated
            && col.is_some_and(|c| {
                c.name == ten.column && c.not_null && c.ty == ten.ty && c.default.is_none()
            })
        {
            l.tenant = true;
        }
    }
    let n = names.len();
    let audit: Vec<&str> = conv.audit.iter().map(String::as_str).collect();
    if !audit.is_empty() && n >= audit.len() && names[n - audit.len()..] == audit[..] {
        l.audit = true;
    }
    let end = if l.audit { n - audit.len() } else { n };
    let stamps: Vec<&str> = conv.timestamps.iter().map(String::as_str).collect();
    if !stamps.is_empty() && end >= stamps.len() && names[end - stamps.len()..end] == stamps[..] {
        l.timestamps = true;
    }
    l
}

/// The columns of `partition by hash (a, b)`.
pub fn partition_columns(t: &Table) -> Vec<String> {
    let Some(key) = &t.partition_key else {
        return Vec::new();
    };
    let inner = key
        .split_once('(')
        .map(|(_, r)| r.trim_end_matches(')'))
        .unwrap_or("");
    inner
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
