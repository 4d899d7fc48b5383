//! One catalog table → one `table` declaration.
//!
//! Input: a [`catalog::Table`], the recognised [`Conventions`] and the
//! table's [`Layout`]. Output: the declaration's text, without what the
//! conventions derive (conventional columns, the tenant-isolation policy,
//! derived foreign keys and indexes, partitions).

use super::catalog::{Catalog, Constraint, Index, Table};
use super::items::{index, partition, policy};
use super::kept::is_deferrable;
use super::pred::PredCx;
use super::recognise::{self, Conventions, Layout};
use super::retention;
use super::text::{classification, column_name, default_expr, one_line, string, type_name};

pub fn table(c: &Catalog, t: &Table, conv: &Conventions) -> String {
    let l = recognise::layout(t, conv);
    let mut lines: Vec<String> = Vec::new();
    let tenancy = conv.tenancy.as_ref().filter(|_| l.tenant);
    let owner = owner_column(t, conv, &l);
    if l.tenant {
        lines.push("tenant".into());
    } else if conv.tenancy.is_some() {
        lines.push("global".into());
    }
    if let Some(o) = &owner {
        lines.push(format!("owner {o}"));
    }
    let (comment, class) = t.comment.as_deref().map(classification).unwrap_or_default();
    if let Some(cm) = comment {
        lines.push(format!("comment {}", string(&cm)));
    }
    if let Some(tag) = class {
        lines.push(format!("classify {tag}"));
    }
    if let Some(r) = retention::retain(c, t) {
        lines.push(r.line());
    }
    let reason = |what: &str| format!("\"imported: the table has no {what}\"");
    if conv.primary_key.is_some() && !l.conventional_pk {
        lines.push(format!(
            "allow primary-key-not-uuid {}",
            reason("conventional primary key")
        ));
    }
    if !conv.timestamps.is_empty() && !l.timestamps {
        lines.push(format!(
            "allow missing-timestamps {}",
            reason("conventional timestamps")
        ));
    }
    if !conv.audit.is_empty() && !l.audit {
        lines.push(format!(
            "allow missing-audit-fields {}",
            reason("conventional audit columns")
        ));
    }
    let derived = derived_columns(t, conv, &l, owner.as_deref());
    let pk = t.constraints.iter().find(|k| k.kind == "p");
    let fks: Vec<&Constraint> = t
        .constraints
        .iter()
        .filter(|k| k.kind == "f" && !derived_fk(t, k, conv, &l) && !is_deferrable(k))
        .collect();
    let mut column_fks: Vec<&str> = Vec::new();
    let mut column_checks: Vec<&str> = Vec::new();
    let mut column_uniques: Vec<&str> = Vec::new();
    for col in t.columns.iter().filter(|c| !derived.contains(&c.name)) {
        let mut s = format!("{} {}", column_name(&col.name), column_type(col));
        if col.not_null && !(is_serial(col) && pk.is_some_and(|k| k.columns == [col.name.clone()]))
        {
            s.push_str(" not null");
        }
        match (col.generated.as_str(), col.identity.as_str(), &col.default) {
            ("s", _, Some(d)) => s.push_str(&format!(" generated ({}) stored", one_line(d))),
            (_, "a" | "d", _) => s.push_str(" identity"),
            (_, _, Some(d)) if !is_serial(col) => {
                s.push_str(&format!(" default {}", default_expr(d)))
            }
            _ => {}
        }
        if pk.is_some_and(|k| {
            k.columns == [col.name.clone()]
                && !l.conventional_pk
                && k.name == format!("{}_pkey", t.name)
        }) {
            s.push_str(" primary key");
        }
        let own = |k: &&Constraint, kind: &str, suffix: &str| {
            k.kind == kind
                && !is_deferrable(k)
                && k.columns == [col.name.clone()]
                && k.name == format!("{}_{}_{suffix}", t.name, col.name)
        };
        if let Some(u) = t.constraints.iter().find(|k| own(k, "u", "key")) {
            s.push_str(" unique");
            column_uniques.push(&u.name);
        }
        if let Some(ch) = t.constraints.iter().find(|k| own(k, "c", "check")) {
            s.push_str(&format!(" check ({})", check_text(ch)));
            column_checks.push(&ch.name);
        }
        if let Some(fk) = fks
            .iter()
            .find(|k| own(k, "f", "fkey") && k.ref_columns.len() == 1)
        {
            s.push_str(&format!(
                " -> {}.{}{}",
                fk.ref_table.as_deref().unwrap_or(""),
                fk.ref_columns[0],
                fk_options(t, fk)
            ));
            column_fks.push(&fk.name);
        }
        let (comment, class) = col
            .comment
            .as_deref()
            .map(classification)
            .unwrap_or_default();
        if let Some(cm) = comment {
            s.push_str(&format!(" comment {}", string(&cm)));
        }
        if let Some(tag) = class {
            s.push_str(&format!(" classify {tag}"));
        }
        lines.push(s);
    }
    if let Some(k) = pk.filter(|k| {
        !l.conventional_pk && (k.columns.len() > 1 || k.name != format!("{}_pkey", t.name))
    }) {
        lines.push(format!("primary key ({})", k.columns.join(", ")));
    }
    for k in t.constraints.iter().filter(|k| !is_deferrable(k)) {
        match k.kind.as_str() {
            "u" if !column_uniques.contains(&k.name.as_str()) => {
                let default = format!("{}_{}_key", t.name, k.columns.join("_"));
                lines.push(format!(
                    "unique ({}){}",
                    k.columns.join(", "),
                    name_as(&k.name, &default)
                ));
            }
            "c" if !column_checks.contains(&k.name.as_str()) => {
                lines.push(format!("check ({}) as {}", check_text(k), k.name));
            }
            _ => {}
        }
    }
    for fk in fks
        .iter()
        .filter(|k| !column_fks.contains(&k.name.as_str()))
    {
        let default = format!("{}_{}_fkey", t.name, fk.columns.join("_"));
        lines.push(format!(
            "foreign key ({}) -> {}({}){}{}",
            fk.columns.join(", "),
            fk.ref_table.as_deref().unwrap_or(""),
            fk.ref_columns.join(", "),
            fk_options(t, fk),
            name_as(&fk.name, &default)
        ));
    }
    for ix in t
        .indexes
        .iter()
        .filter(|ix| !derived_index(t, ix, conv, &l))
    {
        lines.push(index(t, ix));
    }
    let cx = PredCx {
        tenant: tenancy.map(|ten| (ten.column.as_str(), ten.org_setting.as_str())),
        owner: owner.as_deref().zip(
            conv.tenancy
                .as_ref()
                .and_then(|ten| ten.user_setting.as_deref()),
        ),
        app_roles_setting: conv.app_roles_setting.as_deref(),
    };
    for p in &t.policies {
        if (l.tenant && p.name == recognise::tenant_isolation_name(&t.name))
            || (conv.audit_trail.as_deref() == Some(&t.name)
                && p.name == format!("{}_audit_writer", t.name))
            || retention::is_purge_policy(c, t, &p.name)
        {
            continue;
        }
        lines.push(policy(t, p, &cx));
    }
    if let Some(part) = partition(c, t) {
        lines.push(part);
    }
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}\n")).collect();
    format!("table {} {{\n{}}}\n", t.name, body.concat())
}

fn name_as(name: &str, default: &str) -> String {
    if name == default {
        String::new()
    } else {
        format!(" as {name}")
    }
}

fn is_serial(col: &super::catalog::Column) -> bool {
    col.default
        .as_deref()
        .is_some_and(|d| d.starts_with("nextval(") && d.ends_with("::regclass)"))
        && matches!(col.ty.as_str(), "integer" | "bigint" | "smallint")
}

fn column_type(col: &super::catalog::Column) -> String {
    if is_serial(col) {
        return match col.ty.as_str() {
            "bigint" => "bigserial".into(),
            "smallint" => "smallserial".into(),
            _ => "serial".into(),
        };
    }
    type_name(&col.ty)
}

fn check_text(k: &Constraint) -> String {
    one_line(recognise::strip_parens(
        k.check.as_deref().unwrap_or("true"),
    ))
}

fn fk_options(t: &Table, fk: &Constraint) -> String {
    let action = |a: &str| match a {
        "r" => Some("restrict"),
        "c" => Some("cascade"),
        "n" => Some("set null"),
        "d" => Some("set default"),
        _ => None,
    };
    let mut s = String::new();
    if let Some(a) = action(&fk.on_delete) {
        s.push_str(&format!(" on delete {a}"));
    }
    if let Some(a) = action(&fk.on_update) {
        s.push_str(&format!(" on update {a}"));
    }
    if !covered(t, &fk.columns, None) {
        s.push_str(" no index");
    }
    s
}

/// Whether an index (other than `except`), a unique constraint or the
/// primary key leads with exactly `cols`.
fn covered(t: &Table, cols: &[String], except: Option<&str>) -> bool {
    let leads = |lead: &[String]| {
        lead.len() >= cols.len() && cols.iter().all(|c| lead[..cols.len()].contains(c))
    };
    t.constraints
        .iter()
        .any(|k| matches!(k.kind.as_str(), "p" | "u") && !is_deferrable(k) && leads(&k.columns))
        || t.indexes
            .iter()
            .filter(|i| i.predicate.is_none() && Some(i.name.as_str()) != except)
            .any(|i| {
                let keys: Vec<String> = i
                    .keys
                    .iter()
                    .map(|k| k.trim_matches('"').to_string())
                    .collect();
                leads(&keys)
            })
}

/// The columns the conventions derive for this table.
fn derived_columns(t: &Table, conv: &Conventions, l: &Layout, owner: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if l.conventional_pk {
        out.extend(conv.primary_key.as_ref().map(|p| p.0.clone()));
    }
    if l.tenant {
        out.extend(conv.tenancy.as_ref().map(|ten| ten.column.clone()));
    }
    out.extend(owner.map(str::to_string));
    if l.timestamps {
        out.extend(conv.timestamps.iter().cloned());
    }
    if l.audit {
        out.extend(conv.audit.iter().cloned());
    }
    let _ = t;
    out
}

/// The owner column: a `uuid not null` column right after the derived ones
/// that a policy compares with the current user setting.
fn owner_column(t: &Table, conv: &Conventions, l: &Layout) -> Option<String> {
    let user = conv.tenancy.as_ref()?.user_setting.as_deref()?;
    let at = usize::from(l.conventional_pk) + usize::from(l.tenant);
    let col = t.columns.get(at)?;
    if col.ty != "uuid" || !col.not_null || col.default.is_some() {
        return None;
    }
    let needle = format!(
        "{} = (NULLIF(current_setting('{user}'::text, true), ''::text))::uuid",
        col.name
    );
    t.policies
        .iter()
        .any(|p| p.using.iter().chain(&p.check).any(|e| e.contains(&needle)))
        .then(|| col.name.clone())
}

fn derived_fk(_t: &Table, k: &Constraint, conv: &Conventions, l: &Layout) -> bool {
    let to = |target: &Option<(String, String)>| {
        target.as_ref().is_some_and(|(tb, col)| {
            k.ref_table.as_ref() == Some(tb) && k.ref_columns == [col.clone()]
        })
    };
    let tenant = l.tenant
        && conv.tenancy.as_ref().is_some_and(|ten| {
            k.columns == [ten.column.clone()] && to(&ten.target) && k.on_delete == "c"
        });
    let audit = l.audit
        && conv.audit.iter().any(|a| k.columns == [a.clone()])
        && to(&conv.audit_target)
        && k.on_delete == "n";
    tenant || audit
}

/// An index the lowering derives again: on the tenant column, or on the
/// columns of a foreign key, named as sluice names it, and not covered
/// by another index, unique constraint or the primary key.
fn derived_index(t: &Table, ix: &Index, conv: &Conventions, l: &Layout) -> bool {
    if ix.unique
        || ix.method != "btree"
        || ix.predicate.is_some()
        || !ix.include.is_empty()
        || ix.options.iter().any(|o| *o != 0)
    {
        return false;
    }
    if ix.opclasses.iter().any(|o| !o.is_empty()) {
        return false;
    }
    let keys: Vec<String> = ix.keys.clone();
    if ix.name != format!("{}_{}_idx", t.name, keys.join("_")) {
        return false;
    }
    let tenant = l.tenant
        && conv
            .tenancy
            .as_ref()
            .is_some_and(|ten| keys == [ten.column.clone()]);
    let fk = t
        .constraints
        .iter()
        .any(|k| k.kind == "f" && k.columns == keys);
    (tenant || fk) && !covered(t, &keys, Some(&ix.name))
}
