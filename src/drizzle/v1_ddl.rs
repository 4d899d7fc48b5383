//! The version 9 snapshot (drizzle-kit 1.0) of a version 7 one (0.31).
//!
//! Input: a snapshot [`super::snapshot`] wrote, as JSON. Output: the same
//! schema as drizzle-kit 1.0's `ddl` rows, one per schema object, grouped by
//! kind in drizzle-kit's order, with the field names and value forms
//! drizzle-kit 1.0 writes (constraint rows of their own for primary keys,
//! defaults without their trailing casts, `ON DELETE` actions in capitals,
//! index `with` options as `k=v,…`). The mapping follows what `drizzle-kit
//! up` does to a 0.x snapshot, except for views (see [`ddl`]). Later
//! snapshots of a folder are diffs: the deltas from the rows before. Pure.

use serde_json::{json, Value};

mod snapshots;

pub use snapshots::{apply, base, diff, Start, VERSION};

fn values(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_object().into_iter().flat_map(|m| m.values())
}

fn s(v: &Value) -> Value {
    v.as_str()
        .map_or(Value::Null, |x| Value::String(x.to_string()))
}

fn or_null(v: &Value) -> Value {
    if v.is_null() {
        Value::Null
    } else {
        v.clone()
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// One row per object, grouped by kind in drizzle-kit's order.
pub fn ddl(v7: &Value) -> Vec<Value> {
    let mut k: [Vec<Value>; 14] = Default::default();
    let [schemas, tables, enums, columns, indexes, fks, pks, uniques, checks, sequences, _roles, _privileges, policies, _views] =
        &mut k;
    for name in values(&v7["schemas"]) {
        schemas.push(json!({"name": s(name), "entityType": "schemas"}));
    }
    for seq in values(&v7["sequences"]) {
        sequences.push(json!({
            "schema": s(&seq["schema"]), "name": s(&seq["name"]),
            "incrementBy": s(&seq["increment"]), "minValue": s(&seq["minValue"]),
            "maxValue": s(&seq["maxValue"]), "startWith": s(&seq["startWith"]),
            "cacheSize": seq["cache"].as_str().and_then(|c| c.parse::<u64>().ok()),
            "cycle": or_null(&seq["cycle"]), "entityType": "sequences",
        }));
    }
    for t in values(&v7["tables"]) {
        let schema = t["schema"]
            .as_str()
            .filter(|x| !x.is_empty())
            .unwrap_or("public");
        let table = t["name"].as_str().unwrap_or_default();
        let has_policies = t["policies"].as_object().is_some_and(|m| !m.is_empty());
        tables.push(json!({
            "schema": schema, "name": table,
            "isRlsEnabled": t["isRLSEnabled"].as_bool().unwrap_or(false) || has_policies,
            "entityType": "tables",
        }));
        for c in values(&t["columns"]) {
            let name = c["name"].as_str().unwrap_or_default();
            if c["primaryKey"].as_bool() == Some(true) {
                pks.push(json!({
                    "schema": schema, "table": table, "name": format!("{table}_pkey"),
                    "columns": [name], "nameExplicit": false, "entityType": "pks",
                }));
            }
            columns.push(column(schema, table, c));
        }
        for pk in values(&t["compositePrimaryKeys"]) {
            let cols = strs(&pk["columns"]);
            let name = pk["name"].as_str().unwrap_or_default();
            pks.push(json!({
                "schema": schema, "table": table, "name": name, "columns": cols,
                "nameExplicit": format!("{table}_{}_pk", cols.join("_")) != name,
                "entityType": "pks",
            }));
        }
        for u in values(&t["uniqueConstraints"]) {
            let cols = strs(&u["columns"]);
            let name = u["name"].as_str().unwrap_or_default();
            uniques.push(json!({
                "schema": schema, "table": table, "name": name,
                "nameExplicit": format!("{table}_{}_unique", cols.join("_")) != name,
                "columns": cols,
                "nullsNotDistinct": u["nullsNotDistinct"].as_bool().unwrap_or(false),
                "entityType": "uniques",
            }));
        }
        for c in values(&t["checkConstraints"]) {
            checks.push(json!({
                "schema": schema, "table": table, "name": s(&c["name"]),
                "value": s(&c["value"]), "entityType": "checks",
            }));
        }
        for i in values(&t["indexes"]) {
            indexes.push(index(schema, table, i));
        }
        for f in values(&t["foreignKeys"]) {
            let from = strs(&f["columnsFrom"]);
            let to = strs(&f["columnsTo"]);
            let table_to = f["tableTo"].as_str().unwrap_or_default();
            let name = f["name"].as_str().unwrap_or_default();
            let action = |k: &str| f[k].as_str().unwrap_or("no action").to_uppercase();
            fks.push(json!({
                "schema": schema, "table": table, "name": name,
                "nameExplicit": format!("{table}_{}_{table_to}_{}_fk", from.join("_"), to.join("_")) != name,
                "columns": from,
                "schemaTo": f["schemaTo"].as_str().filter(|x| !x.is_empty()).unwrap_or("public"),
                "tableTo": table_to, "columnsTo": to,
                "onUpdate": action("onUpdate"), "onDelete": action("onDelete"),
                "entityType": "fks",
            }));
        }
        for p in values(&t["policies"]) {
            policies.push(policy(schema, table, p));
        }
    }
    for e in values(&v7["enums"]) {
        enums.push(json!({
            "schema": s(&e["schema"]), "name": s(&e["name"]),
            "values": strs(&e["values"]), "entityType": "enums",
        }));
    }
    for p in values(&v7["policies"]) {
        let schema = p["schema"].as_str().unwrap_or("public");
        policies.push(policy(schema, p["on"].as_str().unwrap_or_default(), p));
    }
    // Views are left out, as drizzle-kit 1.0 leaves out the views a schema
    // declares `.existing()`, which is how the generated `schema.ts`
    // declares every view sluice creates (0.x snapshots list them, and
    // drizzle-kit 0.31 does not compare them with existing ones).
    k.into_iter().flatten().collect()
}

fn column(schema: &str, table: &str, c: &Value) -> Value {
    let ty = c["type"].as_str().unwrap_or_default();
    let dimensions = ty.matches('[').count();
    let mut base = String::new();
    let mut depth = 0;
    for ch in ty.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => base.push(ch),
            _ => {}
        }
    }
    if base.starts_with("numeric(") {
        base = base.replacen(", ", ",", 1);
    }
    let default = match &c["default"] {
        Value::Null => Value::Null,
        Value::String(x) => Value::String(trim_default_suffix(x)),
        other => Value::String(trim_default_suffix(&other.to_string())),
    };
    let identity = c.get("identity").filter(|i| !i.is_null()).map(|i| {
        json!({
            "name": s(&i["name"]), "type": s(&i["type"]),
            "increment": s(&i["increment"]), "minValue": s(&i["minValue"]),
            "maxValue": s(&i["maxValue"]), "startWith": s(&i["startWith"]),
            "cache": i["cache"].as_str().and_then(|x| x.parse::<u64>().ok()),
            "cycle": or_null(&i["cycle"]),
        })
    });
    json!({
        "schema": schema, "table": table, "name": s(&c["name"]),
        "type": base, "typeSchema": s(&c["typeSchema"]),
        "notNull": c["notNull"].as_bool().unwrap_or(false),
        "dimensions": dimensions, "default": default,
        "generated": c.get("generated").map_or(Value::Null, or_null),
        "identity": identity, "entityType": "columns",
    })
}

fn index(schema: &str, table: &str, i: &Value) -> Value {
    let columns: Vec<Value> = i["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            json!({
                "value": s(&c["expression"]),
                "isExpression": c["isExpression"].as_bool().unwrap_or(false),
                "asc": c["asc"].as_bool().unwrap_or(true),
                "nullsFirst": c["nulls"].as_str().is_some_and(|n| n != "last"),
                "opclass": c["opclass"].as_str().map(|o| json!({"name": o, "default": false})),
            })
        })
        .collect();
    let exprs: Vec<&str> = columns.iter().filter_map(|c| c["value"].as_str()).collect();
    let name = i["name"].as_str().unwrap_or_default();
    let any_expression = columns.iter().any(|c| c["isExpression"] == json!(true));
    let with = i["with"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| match v {
                    Value::String(x) => format!("{k}={x}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    json!({
        "schema": schema, "table": table, "name": name,
        "nameExplicit": any_expression || format!("{table}_{}_index", exprs.join("_")) != name,
        "columns": columns,
        "isUnique": i["isUnique"].as_bool().unwrap_or(false),
        "where": s(&i["where"]), "with": with,
        "method": i["method"].as_str().unwrap_or("btree"),
        "concurrently": i["concurrently"].as_bool().unwrap_or(false),
        "entityType": "indexes",
    })
}

fn policy(schema: &str, table: &str, p: &Value) -> Value {
    json!({
        "schema": schema, "table": table, "name": s(&p["name"]),
        "as": p["as"].as_str().unwrap_or("PERMISSIVE"),
        "for": p["for"].as_str().unwrap_or("ALL"),
        "roles": strs(&p["to"]),
        "using": s(&p["using"]), "withCheck": s(&p["withCheck"]),
        "entityType": "policies",
    })
}

/// A default without its trailing casts (`'[]'::jsonb` → `'[]'`,
/// `'a'::"mood"` → `'a'`), as 1.0 snapshots keep it.
pub fn trim_default_suffix(value: &str) -> String {
    let mut v = value.strip_suffix("[]").unwrap_or(value).to_string();
    while let Some(at) = last_cast(&v) {
        v.truncate(at);
    }
    v
}

/// Where a trailing `::type` cast starts: `::` then a type name of
/// letters, digits, `_`, `"`, `.`, spaces and `-`, an optional `(…)`, an
/// optional ` with[out] time zone` and optional `[]`, to the end.
fn last_cast(v: &str) -> Option<usize> {
    let mut rest = v.strip_suffix("[]").unwrap_or(v);
    for zone in [" with time zone", " without time zone"] {
        if rest.to_ascii_lowercase().ends_with(zone) {
            rest = &rest[..rest.len() - zone.len()];
        }
    }
    if rest.ends_with(')') {
        let open = rest.rfind('(')?;
        if rest[open + 1..rest.len() - 1].contains(')') {
            return None;
        }
        rest = &rest[..open];
    }
    let at = rest.rfind("::")?;
    let name = &rest[at + 2..];
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '"' | '.' | ' ' | '-'));
    ok.then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lose_their_trailing_casts() {
        assert_eq!(trim_default_suffix("'[]'::jsonb"), "'[]'");
        assert_eq!(trim_default_suffix("'ok'::\"mood\""), "'ok'");
        assert_eq!(trim_default_suffix("now()"), "now()");
        assert_eq!(trim_default_suffix("'1'::numeric(10,2)"), "'1'");
        assert_eq!(
            trim_default_suffix("'2024-01-01'::timestamp with time zone"),
            "'2024-01-01'"
        );
        assert_eq!(trim_default_suffix("0"), "0");
    }
}
