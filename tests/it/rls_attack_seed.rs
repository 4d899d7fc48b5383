//! Seeding for the RLS attack suite (`rls_attack`): one row per org in every
//! table of a project, with foreign keys and unique keys kept, so that an
//! attack that would point a row at another org's row meets the real
//! constraints. Only CHECK constraints are dropped (values come from column
//! types alone) and user triggers are off while seeding.
//!
//! Every row of org `o` in table number `t` has the id [`row_id`]`(t, o)`; a
//! foreign-key column holds the id of the referenced table's row of the
//! same org; other uuid columns hold the org's user ([`USERS`]).

use std::collections::BTreeMap;

use postgres::Client;
use sluice::ir::Project;

use crate::pg::SqlError;

pub const ORGS: [&str; 2] = [
    "0000000a-0000-4000-a000-00000000000a",
    "0000000b-0000-4000-a000-00000000000b",
];
/// An org that holds no rows: what "sees nothing" looks like.
pub const ORG_EMPTY: &str = "0000000c-0000-4000-a000-00000000000c";
pub const USERS: [&str; 2] = [
    "000000a1-0000-4000-b000-0000000000a1",
    "000000b1-0000-4000-b000-0000000000b1",
];

/// The id of org `org`'s (0 = A, 1 = B) row in table number `table`.
pub fn row_id(table: usize, org: usize) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", table + 1, org + 1)
}

pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A column as the catalog has it.
#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub ty: String,
    pub nullable: bool,
    pub has_default: bool,
    pub generated: bool,
    pub enum_label: Option<String>,
}

/// A foreign key: own columns → (table, its columns).
#[derive(Debug, Clone)]
pub struct Fk {
    pub columns: Vec<String>,
    pub table: String,
    pub ref_columns: Vec<String>,
}

/// A table of the project as seeded.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub name: String,
    pub index: usize,
    pub tenant: bool,
    pub cols: Vec<Col>,
    pub fks: Vec<Fk>,
}

fn strings(
    su: &mut Client,
    query: &str,
    args: &[&(dyn postgres::types::ToSql + Sync)],
) -> Vec<String> {
    su.query(query, args)
        .unwrap_or_else(|e| panic!("{query}: {}", SqlError(e)))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn columns(su: &mut Client, qualified: &str) -> Vec<Col> {
    su.query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                a.atthasdef, a.attgenerated <> '' OR a.attidentity = 'a',
                (SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = a.atttypid
                  ORDER BY e.enumsortorder LIMIT 1)
           FROM pg_attribute a
          WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum",
        &[&qualified],
    )
    .unwrap_or_else(|e| panic!("columns of {qualified}: {}", SqlError(e)))
    .iter()
    .map(|r| Col {
        name: r.get(0),
        ty: r.get(1),
        nullable: r.get(2),
        has_default: r.get(3),
        generated: r.get(4),
        enum_label: r.get(5),
    })
    .collect()
}

fn foreign_keys(su: &mut Client, qualified: &str) -> Vec<Fk> {
    su.query(
        "SELECT ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
                t.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.confrelid
          WHERE c.conrelid = $1::text::regclass AND c.contype = 'f' AND c.conparentid = 0",
        &[&qualified],
    )
    .unwrap_or_else(|e| panic!("foreign keys of {qualified}: {}", SqlError(e)))
    .iter()
    .map(|r| Fk {
        columns: r.get(0),
        table: r.get(1),
        ref_columns: r.get(2),
    })
    .collect()
}

/// A value of type `ty` for org `org`.
fn value(c: &Col, org: usize) -> String {
    if let Some(l) = &c.enum_label {
        return literal(l);
    }
    let ty = c.ty.as_str();
    let v = if ty.ends_with("[]") {
        "{}".to_string()
    } else if ty == "uuid" {
        USERS[org].to_string()
    } else if ty.starts_with("timestamp") {
        "2024-01-15 09:00:00+00".into()
    } else if ty == "date" {
        "2024-01-15".into()
    } else if ty.starts_with("time") {
        "09:00".into()
    } else if ty == "interval" {
        "1 hour".into()
    } else if ty == "boolean" {
        "false".into()
    } else if ty.starts_with("json") {
        "{}".into()
    } else if ["integer", "bigint", "smallint", "real", "double precision"].contains(&ty)
        || ty.starts_with("numeric")
    {
        "1".into()
    } else if ty == "inet" {
        "127.0.0.1".into()
    } else if ty == "bytea" {
        "\\x00".into()
    } else {
        format!("v-{}", ["a", "b"][org])
    };
    format!("{}::{ty}", literal(&v))
}

/// Seeds every table of `p` (schema `p.schema`) and returns the tables in
/// the order they were seeded.
pub fn seed(su: &mut Client, p: &Project) -> Vec<Seeded> {
    let schema = &p.schema;
    let tenant_col = p
        .tenancy
        .as_ref()
        .map(|t| t.column.clone())
        .unwrap_or_default();
    let root = p
        .tenancy
        .as_ref()
        .and_then(|t| t.references.as_ref())
        .filter(|r| r.project == p.name)
        .map(|r| r.table.clone());
    for stmt in strings(
        su,
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = $1 AND c.contype = 'c' AND c.coninhcount = 0",
        &[schema],
    ) {
        su.batch_execute(&stmt)
            .unwrap_or_else(|e| panic!("{stmt}: {}", SqlError(e)));
    }
    let mut tables: Vec<Seeded> = p
        .tables
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let q = format!("{}.{}", ident(schema), ident(&t.name));
            Seeded {
                name: t.name.clone(),
                index,
                tenant: t.tenant,
                cols: columns(su, &q),
                fks: foreign_keys(su, &q),
            }
        })
        .collect();
    for t in &tables {
        let q = format!("{}.{}", ident(schema), ident(&t.name));
        su.batch_execute(&format!("ALTER TABLE {q} DISABLE TRIGGER USER"))
            .unwrap_or_else(|e| panic!("disable triggers of {q}: {}", SqlError(e)));
    }
    // Parents first; a reference to a table not seeded yet (itself, or a
    // cycle) is left NULL.
    let mut order = Vec::new();
    let mut done: BTreeMap<String, usize> = BTreeMap::new();
    while order.len() < tables.len() {
        let before = order.len();
        for t in &tables {
            if done.contains_key(&t.name) {
                continue;
            }
            let ready = t.fks.iter().all(|fk| {
                fk.table == t.name
                    || done.contains_key(&fk.table)
                    || fk.columns.iter().any(|c| {
                        t.cols
                            .iter()
                            .any(|k| &k.name == c && k.nullable && *c != tenant_col)
                    })
            });
            if ready {
                done.insert(t.name.clone(), t.index);
                order.push(t.index);
            }
        }
        assert!(
            order.len() > before,
            "no seeding order for the tables of {}",
            p.name
        );
    }
    let mut seeded = BTreeMap::new();
    for &ti in &order {
        let t = &tables[ti];
        for (org, org_id) in ORGS.iter().enumerate() {
            let mut names = Vec::new();
            let mut values = Vec::new();
            for c in t.cols.iter().filter(|c| !c.generated) {
                let via_fk = t.fks.iter().find_map(|fk| {
                    let i = fk.columns.iter().position(|x| *x == c.name)?;
                    Some((fk, i))
                });
                let is_root_id = root.as_deref() == Some(t.name.as_str()) && c.name == "id";
                let v = if is_root_id || (c.name == tenant_col && t.tenant) {
                    Some(format!("{}::uuid", literal(org_id)))
                } else if c.name == "id" && c.ty == "uuid" {
                    Some(format!("{}::uuid", literal(&row_id(ti, org))))
                } else if let Some((fk, i)) = via_fk {
                    match seeded.get(&fk.table) {
                        Some(&target) if fk.table != t.name => {
                            let r = &fk.ref_columns[i];
                            if r == "id" && root.as_deref() == Some(fk.table.as_str()) {
                                Some(format!("{}::uuid", literal(org_id)))
                            } else if r == "id" {
                                Some(format!("{}::uuid", literal(&row_id(target, org))))
                            } else if *r == tenant_col {
                                Some(format!("{}::uuid", literal(org_id)))
                            } else {
                                Some(value(c, org))
                            }
                        }
                        _ => None,
                    }
                } else if c.has_default || c.nullable {
                    None
                } else {
                    Some(value(c, org))
                };
                if let Some(v) = v {
                    names.push(ident(&c.name));
                    values.push(v);
                }
            }
            let sql = format!(
                "INSERT INTO {}.{} ({}) VALUES ({})",
                ident(schema),
                ident(&t.name),
                names.join(", "),
                values.join(", ")
            );
            su.batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{sql}: {}", SqlError(e)));
        }
        seeded.insert(t.name.clone(), ti);
    }
    for t in &tables {
        let q = format!("{}.{}", ident(schema), ident(&t.name));
        su.batch_execute(&format!("ALTER TABLE {q} ENABLE TRIGGER USER"))
            .unwrap_or_else(|e| panic!("enable triggers of {q}: {}", SqlError(e)));
    }
    let order_map: Vec<usize> = order.clone();
    let mut out = Vec::new();
    for i in order_map {
        out.push(std::mem::replace(
            &mut tables[i],
            Seeded {
                name: String::new(),
                index: i,
                tenant: false,
                cols: Vec::new(),
                fks: Vec::new(),
            },
        ));
    }
    out
}
