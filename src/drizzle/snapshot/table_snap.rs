//! A table of the drizzle-kit snapshot: its columns, indexes, keys and
//! constraints, from one lowered table of a project state (input), as the
//! `TableSnap` the snapshot serialises (output).

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;

pub(super) fn table(p: &Project, t: &Table, policies: BTreeMap<String, PolicySnap>) -> TableSnap {
    let single_pk = (t.primary_key.len() == 1).then(|| t.primary_key[0].as_str());
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let (ty, type_schema) = column_type(p, &c.ty);
            let identity = c.identity.then(|| IdentitySnap {
                ty: "byDefault",
                name: format!("{}_{}_seq", t.name, c.name),
                schema: p.schema.clone(),
                increment: "1",
                start_with: "1",
                min_value: "1",
                max_value: match ty.as_str() {
                    "smallint" => "32767",
                    "integer" => "2147483647",
                    _ => "9223372036854775807",
                },
                cache: "1",
                cycle: false,
            });
            let snap = ColumnSnap {
                name: c.name.clone(),
                ty,
                type_schema,
                primary_key: single_pk == Some(c.name.as_str()),
                not_null: !c.nullable || single_pk == Some(c.name.as_str()),
                default: c
                    .default
                    .as_ref()
                    .map(|d| default_value(&c.ty, d.text.trim())),
                generated: c.generated.as_ref().map(|g| GeneratedSnap {
                    ty: "stored",
                    expr: g.text.trim().to_string(),
                }),
                identity,
            };
            (c.name.clone(), snap)
        })
        .collect();
    let indexes = t
        .indexes
        .iter()
        .map(|ix| {
            let name = names::index(t, ix);
            let columns = ix
                .elems
                .iter()
                .map(|e| {
                    let (expression, is_expression) = match &e.key {
                        IndexKey::Column(c) => (c.clone(), false),
                        IndexKey::Expr(x) => (x.trim().to_string(), true),
                    };
                    let nulls_first = e.nulls_first.unwrap_or(e.descending);
                    IndexColumnSnap {
                        expression,
                        is_expression,
                        asc: !e.descending,
                        nulls: if nulls_first { "first" } else { "last" },
                        opclass: e.opclass.clone(),
                    }
                })
                .collect();
            let snap = IndexSnap {
                name: name.clone(),
                columns,
                is_unique: ix.unique,
                concurrently: false,
                method: ix.method.clone(),
                predicate: ix.predicate.as_ref().map(|w| w.trim().to_string()),
                with: BTreeMap::new(),
            };
            (name, snap)
        })
        .collect();
    let foreign_keys = t
        .foreign_keys
        .iter()
        .map(|fk| {
            let name = names::foreign_key(t, fk);
            let snap = ForeignKeySnap {
                name: name.clone(),
                table_from: t.name.clone(),
                table_to: p.tables[fk.table].name.clone(),
                schema_to: p.schema.clone(),
                columns_from: fk.columns.clone(),
                columns_to: fk.ref_columns.clone(),
                on_delete: action(fk.on_delete),
                on_update: action(fk.on_update),
            };
            (name, snap)
        })
        .collect();
    let mut composite_primary_keys = BTreeMap::new();
    if t.primary_key.len() > 1 {
        let name = names::primary_key(t);
        composite_primary_keys.insert(
            name.clone(),
            CompositePkSnap {
                name,
                columns: t.primary_key.clone(),
            },
        );
    }
    let mut unique_constraints = BTreeMap::new();
    for c in t.columns.iter().filter(|c| c.unique) {
        let name = format!("{}_{}_key", t.name, c.name);
        let snap = UniqueSnap {
            name: name.clone(),
            nulls_not_distinct: false,
            columns: vec![c.name.clone()],
        };
        unique_constraints.insert(name, snap);
    }
    for u in &t.uniques {
        let name = names::unique(t, u);
        let snap = UniqueSnap {
            name: name.clone(),
            nulls_not_distinct: false,
            columns: u.columns.clone(),
        };
        unique_constraints.insert(name, snap);
    }
    let check_constraints = t
        .checks
        .iter()
        .map(|c| {
            let name = names::check(t, c);
            let snap = CheckSnap {
                name: name.clone(),
                value: c.expr.text.trim().to_string(),
            };
            (name, snap)
        })
        .collect();
    TableSnap {
        name: t.name.clone(),
        schema: p.schema.clone(),
        columns,
        indexes,
        foreign_keys,
        composite_primary_keys,
        unique_constraints,
        policies,
        check_constraints,
        // The planner enables (and forces) RLS exactly on these tables.
        is_rls_enabled: t.tenant || !t.policies.is_empty(),
    }
}

fn action(a: FkAction) -> String {
    a.as_sql().to_ascii_lowercase()
}

/// The type as drizzle-kit spells it (`timestamp with time zone`, `integer`),
/// and the schema of an enum type.
pub(in crate::drizzle) fn column_type(p: &Project, ty: &TypeName) -> (String, Option<String>) {
    let dims = "[]".repeat(ty.array_dims);
    if p.enums.iter().any(|e| e.name == ty.base) {
        return (format!("{}{dims}", ty.base), Some(p.schema.clone()));
    }
    let params = || {
        ty.params
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let base = match ty.base.as_str() {
        "timestamptz" | "timestamp with time zone" if ty.params.is_empty() => {
            "timestamp with time zone".to_string()
        }
        "timestamptz" | "timestamp with time zone" => {
            format!("timestamp ({}) with time zone", params())
        }
        "timestamp without time zone" | "timestamp" if ty.params.is_empty() => {
            "timestamp".to_string()
        }
        "int" | "int4" | "integer" => "integer".to_string(),
        "int8" | "bigint" => "bigint".to_string(),
        "int2" | "smallint" => "smallint".to_string(),
        "bool" | "boolean" => "boolean".to_string(),
        "float8" | "double precision" => "double precision".to_string(),
        "float4" | "real" => "real".to_string(),
        "varchar" | "character varying" | "numeric" | "decimal" | "char" | "character" => {
            let name = match ty.base.as_str() {
                "character varying" => "varchar",
                "decimal" => "numeric",
                "character" => "char",
                b => b,
            };
            if ty.params.is_empty() {
                name.to_string()
            } else {
                format!("{name}({})", params())
            }
        }
        _ => return (ty.text.clone(), None),
    };
    (format!("{base}{dims}"), None)
}

/// Numbers and booleans as JSON values (as drizzle-kit writes them); any
/// other default as its SQL text. drizzle-orm reads `numeric` as a string,
/// so drizzle-kit writes a numeric column's number default quoted (`'0'`).
fn default_value(ty: &TypeName, sql: &str) -> Value {
    let numeric = matches!(ty.base.as_str(), "numeric" | "decimal") && ty.array_dims == 0;
    if numeric && sql.parse::<f64>().is_ok() {
        return Value::String(format!("'{sql}'"));
    }
    if let Ok(n) = sql.parse::<i64>() {
        return Value::from(n);
    }
    match sql {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::String(sql.to_string()),
    }
}
