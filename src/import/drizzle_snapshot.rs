//! Read the last schema snapshot of a Drizzle migration folder.
//!
//! Input: a folder drizzle-kit (or `sluice build`) wrote, and a schema
//! name. Output: a [`Catalog`] of that schema, as the live import reads it,
//! so the same writers turn it into declarations and a baseline.
//!
//! Two layouts: drizzle-kit 0.x (`meta/_journal.json`, whose last entry
//! names `meta/NNNN_snapshot.json`, version 7) and 1.x (one
//! `<YYYYMMDDHHMMSS>_<name>/snapshot.json` per migration, chained by
//! `prevIds`; the first is the whole schema as `ddl` rows, and a later one
//! is either whole too — drizzle-kit writes every one so — or the deltas
//! from the one before, as sluice writes them). A 0.x snapshot is first
//! mapped to the 1.x rows, so one reader serves both. A snapshot holds no
//! owners, grants, functions, triggers or comments: those are not read.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::catalog::{Catalog, Column, Constraint, Enum, Index, Policy, Table, View};

/// The PostgreSQL major the workspace of a folder import targets.
pub const POSTGRES_MAJOR: u32 = 16;

/// The catalog of `schema` in the last snapshot of `folder`.
pub fn read(folder: &Path, schema: &str) -> Result<Catalog, String> {
    if folder.join("meta/_journal.json").is_file() {
        let (v7, order) = last_v7(folder)?;
        let views: Vec<Value> = values(&v7["views"]).cloned().collect();
        let mut c = catalog(&crate::drizzle::v1::rows_of_v7(&v7), &views, schema);
        for t in c.tables.iter_mut() {
            if let Some(names) = order.get(&t.name) {
                t.columns
                    .sort_by_key(|col| names.iter().position(|n| *n == col.name));
            }
        }
        return Ok(c);
    }
    let rows = last_v1(folder)?;
    let views: Vec<Value> = rows
        .iter()
        .filter(|r| r["entityType"] == "views")
        .cloned()
        .collect();
    Ok(catalog(&rows, &views, schema))
}

fn load(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The keys of a JSON object, in the order of the file.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                let mut out = Vec::new();
                while let Some((k, IgnoredAny)) = m.next_entry::<String, IgnoredAny>()? {
                    out.push(k);
                }
                Ok(Keys(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

#[derive(Deserialize)]
struct V7Order {
    tables: BTreeMap<String, V7Table>,
}

#[derive(Deserialize)]
struct V7Table {
    name: String,
    columns: Keys,
}

/// The snapshot of the journal's last entry, and the column names of each
/// table in the order drizzle-kit wrote them (the order of the table).
type Order = BTreeMap<String, Vec<String>>;

fn last_v7(folder: &Path) -> Result<(Value, Order), String> {
    let journal = load(&folder.join("meta/_journal.json"))?;
    let idx = journal["entries"]
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["idx"].as_u64())
        .ok_or_else(|| format!("{}: the journal has no entries", folder.display()))?;
    let path = folder.join(format!("meta/{idx:04}_snapshot.json"));
    let snap = load(&path)?;
    if snap["dialect"] != "postgresql" {
        return Err(format!("{}: not a PostgreSQL snapshot", path.display()));
    }
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let order: V7Order =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let order = order
        .tables
        .into_values()
        .map(|t| (t.name, t.columns.0))
        .collect();
    Ok((snap, order))
}

/// The rows after every snapshot of a 1.x folder, followed from the first
/// along `prevIds`.
fn last_v1(folder: &Path) -> Result<Vec<Value>, String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?
        .flatten()
        .filter(|e| e.path().join("snapshot.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut snaps = Vec::new();
    for n in &names {
        snaps.push(load(&folder.join(n).join("snapshot.json"))?);
    }
    if snaps.is_empty() {
        return Err(format!(
            "{}: no meta/_journal.json and no <migration>/snapshot.json: not a Drizzle folder",
            folder.display()
        ));
    }
    let id = |s: &Value| s["id"].as_str().unwrap_or_default().to_string();
    let follows = |s: &Value, prev: &str| {
        s["prevIds"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == prev))
    };
    // The first is the one no other snapshot of the folder precedes.
    let ids: Vec<String> = snaps.iter().map(id).collect();
    let mut at = snaps
        .iter()
        .position(|s| !ids.iter().any(|i| follows(s, i)))
        .unwrap_or(0);
    let mut rows = Vec::new();
    let mut seen = vec![false; snaps.len()];
    loop {
        seen[at] = true;
        crate::drizzle::v1::apply_snapshot(&mut rows, &snaps[at]);
        let here = id(&snaps[at]);
        match (0..snaps.len()).find(|&i| !seen[i] && follows(&snaps[i], &here)) {
            Some(next) => at = next,
            None => break,
        }
    }
    Ok(rows)
}

fn values(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_object().into_iter().flat_map(|m| m.values())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn opt(v: &Value) -> Option<String> {
    Some(text(v)).filter(|s| !s.is_empty())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(text)
        .collect::<Vec<_>>()
}

fn in_schema(row: &Value, schema: &str) -> bool {
    row["schema"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("public")
        == schema
}

fn catalog(rows: &[Value], views: &[Value], schema: &str) -> Catalog {
    let of = |kind: &'static str| {
        rows.iter()
            .filter(move |r| r["entityType"] == kind && in_schema(r, schema))
    };
    let mut c = Catalog {
        schema: schema.to_string(),
        ..Catalog::default()
    };
    c.enums = of("enums")
        .map(|e| Enum {
            name: text(&e["name"]),
            labels: strings(&e["values"]),
        })
        .collect();
    for (i, t) in of("tables").enumerate() {
        c.tables.push(Table {
            oid: i as i64,
            name: text(&t["name"]),
            rls: t["isRlsEnabled"].as_bool().unwrap_or(false),
            ..Table::default()
        });
    }
    let enums: Vec<String> = c.enums.iter().map(|e| e.name.clone()).collect();
    for t in c.tables.iter_mut() {
        let mine = |kind: &'static str| {
            let name = t.name.clone();
            of(kind).filter(move |r| r["table"] == name.as_str())
        };
        t.columns = mine("columns")
            .map(|r| column(&t.name, r, &enums))
            .collect();
        let mut ks: Vec<Constraint> = Vec::new();
        ks.extend(mine("pks").map(|r| constraint(r, "p")));
        ks.extend(mine("uniques").map(|r| constraint(r, "u")));
        ks.extend(mine("checks").map(|r| constraint(r, "c")));
        ks.extend(mine("fks").map(|r| constraint(r, "f")));
        t.constraints = ks;
        t.indexes = mine("indexes").map(index).collect();
        t.policies = mine("policies").map(policy).collect();
        t.rls |= !t.policies.is_empty();
    }
    c.views = views
        .iter()
        .filter(|v| in_schema(v, schema) && v["isExisting"] != true)
        .filter_map(|v| {
            Some(View {
                name: text(&v["name"]),
                materialized: v["materialized"].as_bool().unwrap_or(false),
                security_invoker: v["with"]["securityInvoker"].as_bool().unwrap_or(false),
                body: opt(&v["definition"])?,
                comment: None,
                owner: String::new(),
            })
        })
        .collect();
    c
}

/// A column type as the catalog spells it: `timestamp (3)` closes up, an
/// enum named with capitals is quoted, a serial is an integer whose
/// default is its sequence.
fn column(table: &str, r: &Value, enums: &[String]) -> Column {
    let name = text(&r["name"]);
    let mut ty = text(&r["type"]).replace(" (", "(");
    let mut default = opt(&r["default"]);
    let serial = match ty.as_str() {
        "serial" => Some("integer"),
        "bigserial" => Some("bigint"),
        "smallserial" => Some("smallint"),
        _ => None,
    };
    if let Some(int) = serial {
        ty = int.to_string();
        default = Some(format!("nextval('{table}_{name}_seq'::regclass)"));
    }
    if enums.contains(&ty) && ty != ty.to_ascii_lowercase() {
        ty = format!("\"{ty}\"");
    }
    let dims = r["dimensions"].as_u64().unwrap_or(0) as usize;
    ty.push_str(&"[]".repeat(dims));
    let generated = opt(&r["generated"]["as"]);
    let identity = match r["identity"]["type"].as_str() {
        Some("always") => "a",
        Some(_) => "d",
        None => "",
    };
    Column {
        name,
        ty,
        not_null: r["notNull"].as_bool().unwrap_or(false) || serial.is_some(),
        default: generated.clone().or(default),
        identity: identity.to_string(),
        generated: if generated.is_some() { "s" } else { "" }.to_string(),
        comment: None,
    }
}

fn constraint(r: &Value, kind: &str) -> Constraint {
    let action = |k: &str| {
        match r[k]
            .as_str()
            .unwrap_or("NO ACTION")
            .to_ascii_uppercase()
            .as_str()
        {
            "CASCADE" => "c",
            "RESTRICT" => "r",
            "SET NULL" => "n",
            "SET DEFAULT" => "d",
            _ => "a",
        }
        .to_string()
    };
    let check = (kind == "c").then(|| text(&r["value"]));
    Constraint {
        name: text(&r["name"]),
        kind: kind.to_string(),
        definition: check
            .as_ref()
            .map(|c| format!("CHECK ({c})"))
            .unwrap_or_default(),
        columns: strings(&r["columns"]),
        ref_table: opt(&r["tableTo"]),
        ref_schema: opt(&r["schemaTo"]),
        ref_columns: strings(&r["columnsTo"]),
        on_delete: action("onDelete"),
        on_update: action("onUpdate"),
        check,
    }
}

fn index(r: &Value) -> Index {
    let cols: Vec<&Value> = r["columns"].as_array().into_iter().flatten().collect();
    Index {
        name: text(&r["name"]),
        unique: r["isUnique"].as_bool().unwrap_or(false),
        method: opt(&r["method"]).unwrap_or_else(|| "btree".into()),
        keys: cols.iter().map(|c| text(&c["value"])).collect(),
        options: cols
            .iter()
            .map(|c| i32::from(c["asc"] == false) | (i32::from(c["nullsFirst"] == true) << 1))
            .collect(),
        opclasses: cols.iter().map(|c| text(&c["opclass"]["name"])).collect(),
        include: Vec::new(),
        predicate: opt(&r["where"]),
        definition: String::new(),
    }
}

fn policy(r: &Value) -> Policy {
    let command = match r["for"].as_str().unwrap_or("ALL") {
        "SELECT" => "r",
        "INSERT" => "a",
        "UPDATE" => "w",
        "DELETE" => "d",
        _ => "*",
    };
    let mut roles = strings(&r["roles"]);
    if roles.is_empty() {
        roles.push("public".into());
    }
    Policy {
        name: text(&r["name"]),
        command: command.to_string(),
        permissive: r["as"] != "RESTRICTIVE",
        roles,
        using: opt(&r["using"]),
        check: opt(&r["withCheck"]),
    }
}
