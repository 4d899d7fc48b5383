//! Columns: the pg-core builder whose SQL type is the one the snapshot
//! records, then nullability, key, default, uniqueness, generation.

use super::names::Names;
use super::{camel, string, Module};
use crate::ast::TypeName;
use crate::drizzle::snapshot;
use crate::ir::{Column, Project, Table};

/// The TypeScript key of each column: camelCase, or the SQL name quoted
/// when two columns would share a key.
pub(super) fn keys(t: &Table) -> Vec<String> {
    let camels: Vec<String> = t.columns.iter().map(|c| camel(&c.name)).collect();
    camels
        .iter()
        .zip(t.columns.iter())
        .map(|(k, c)| {
            if camels.iter().filter(|x| *x == k).count() > 1 {
                string(&c.name)
            } else {
                k.clone()
            }
        })
        .collect()
}

/// `uuid("id").primaryKey().defaultRandom()` and the like.
pub(super) fn column(
    m: &mut Module,
    names: &Names,
    p: &Project,
    t: &Table,
    c: &Column,
    primary_key: bool,
) -> String {
    let (ty, builder) = builder(m, names, p, &c.ty, &c.name);
    let mut out = builder;
    for _ in 0..c.ty.array_dims {
        out.push_str(".array()");
    }
    if primary_key {
        out.push_str(".primaryKey()");
    } else if !c.nullable {
        out.push_str(".notNull()");
    }
    if let Some(d) = &c.default {
        out.push_str(&default(m, ty, &c.ty, d.text.trim()));
    }
    if c.unique {
        out.push_str(&format!(
            ".unique({})",
            string(&format!("{}_{}_key", t.name, c.name))
        ));
    }
    if let Some(g) = &c.generated {
        out.push_str(&format!(".generatedAlwaysAs({})", m.sql(g.text.trim())));
    }
    if c.identity {
        out.push_str(".generatedByDefaultAsIdentity()");
    }
    out
}

/// The builder call for a column of type `ty` named `name`, and the
/// builder's name (what its default methods depend on).
pub(super) fn builder(
    m: &mut Module,
    names: &Names,
    p: &Project,
    ty: &TypeName,
    name: &str,
) -> (&'static str, String) {
    let n = string(name);
    if let Some(e) = names.enums.get(&ty.base) {
        return ("enum", format!("{e}({n})"));
    }
    let (sql, _) = snapshot::column_type(p, ty);
    let base = sql
        .strip_suffix(&"[]".repeat(ty.array_dims))
        .unwrap_or(&sql);
    let paren = |s: &str| -> Option<Vec<String>> {
        let inner = s.split_once('(')?.1.strip_suffix(')')?;
        Some(inner.split(',').map(|x| x.trim().to_string()).collect())
    };
    let simple: Option<&'static str> = match base {
        "uuid" => Some("uuid"),
        "text" => Some("text"),
        "integer" => Some("integer"),
        "smallint" => Some("smallint"),
        "boolean" => Some("boolean"),
        "double precision" => Some("doublePrecision"),
        "real" => Some("real"),
        "date" => Some("date"),
        "time" => Some("time"),
        "interval" => Some("interval"),
        "json" => Some("json"),
        "jsonb" => Some("jsonb"),
        "inet" => Some("inet"),
        "cidr" => Some("cidr"),
        "macaddr" => Some("macaddr"),
        "macaddr8" => Some("macaddr8"),
        "serial" => Some("serial"),
        "smallserial" => Some("smallserial"),
        "timestamp" => Some("timestamp"),
        "varchar" => Some("varchar"),
        "char" => Some("char"),
        "numeric" => Some("numeric"),
        _ => None,
    };
    if let Some(b) = simple {
        return (b, format!("{}({n})", m.pg(b)));
    }
    match base {
        "bigint" | "bigserial" => {
            let b = if base == "bigint" {
                "bigint"
            } else {
                "bigserial"
            };
            return (b, format!("{}({n}, {{ mode: \"number\" }})", m.pg(b)));
        }
        "timestamp with time zone" => {
            return (
                "timestamp",
                format!("{}({n}, {{ withTimezone: true }})", m.pg("timestamp")),
            )
        }
        _ => {}
    }
    if let Some(args) = paren(base) {
        let num = |i: usize| args.get(i).filter(|a| a.parse::<u64>().is_ok());
        if base.starts_with("varchar(") || base.starts_with("char(") {
            if let Some(len) = num(0) {
                let b = if base.starts_with("varchar") {
                    "varchar"
                } else {
                    "char"
                };
                return (b, format!("{}({n}, {{ length: {len} }})", m.pg(b)));
            }
        }
        if base.starts_with("numeric(") {
            let scale = num(1).map(|s| format!(", scale: {s}")).unwrap_or_default();
            if let Some(precision) = num(0) {
                return (
                    "numeric",
                    format!(
                        "{}({n}, {{ precision: {precision}{scale} }})",
                        m.pg("numeric")
                    ),
                );
            }
        }
    }
    if let Some(inner) = base
        .strip_prefix("timestamp (")
        .and_then(|r| r.strip_suffix(") with time zone"))
        .filter(|p| p.parse::<u64>().is_ok())
    {
        return (
            "timestamp",
            format!(
                "{}({n}, {{ withTimezone: true, precision: {inner} }})",
                m.pg("timestamp")
            ),
        );
    }
    // Any other type keeps its SQL spelling through a custom type.
    let data = match base {
        "bytea" => "Uint8Array",
        "oid" => "number",
        _ => "string",
    };
    (
        "custom",
        format!(
            "{}<{{ data: {data}; driverData: {data} }}>({{ dataType: () => {} }})({n})",
            m.pg("customType"),
            string(base)
        ),
    )
}

/// The default as drizzle-kit records it in the snapshot (numbers and
/// booleans as values, a number for `numeric` as a string, anything else
/// as its SQL text).
fn default(m: &mut Module, builder: &str, ty: &TypeName, sql: &str) -> String {
    let numeric = builder == "numeric" && ty.array_dims == 0;
    if numeric && sql.parse::<f64>().is_ok() {
        return format!(".default({})", string(sql));
    }
    if sql.parse::<i64>().is_ok() {
        return format!(".default({sql})");
    }
    match sql {
        "true" | "false" => format!(".default({sql})"),
        "gen_random_uuid()" if builder == "uuid" && ty.array_dims == 0 => ".defaultRandom()".into(),
        "now()" if matches!(builder, "timestamp" | "date" | "time") && ty.array_dims == 0 => {
            ".defaultNow()".into()
        }
        _ => format!(".default({})", m.sql(sql)),
    }
}
