//! Rows for every table before a phase runs, so its statements meet data.
//!
//! Input: a connection to the deployed database, the project's tenant
//! column and the number of rows wanted. Output: every user table topped
//! up to that many rows, made from the table's own catalog (column types,
//! defaults, enums, one-column foreign keys) so they satisfy its
//! constraints: columns with a default keep it; a foreign key takes the
//! referenced table's keys in turn (parents are filled first); the tenant
//! column alternates between two orgs (the two first rows of the tenant
//! root when it is a table of this database); `CHECK` constraints are met
//! by trying a few value kinds per column (and the string literals the
//! table's checks mention) on one row until the server accepts it. A table
//! that cannot be filled is reported, not skipped silently. Triggers are
//! off while seeding (`session_replication_role = replica`): rows are
//! setup, not writes.

use postgres::Client;
use serde::Serialize;

use super::sql;

/// The two orgs of rows whose tenant root is not in this database.
pub const ORGS: [&str; 2] = [
    "0000000a-0000-4000-a000-00000000000a",
    "0000000b-0000-4000-a000-00000000000b",
];

#[derive(Debug, Clone)]
struct Col {
    name: String,
    ty: String,
    not_null: bool,
    has_default: bool,
    is_enum: bool,
    fk: Option<(String, String, String)>,
}

#[derive(Serialize, Clone)]
struct ValueCx {
    name: String,
    ty: String,
    kind: &'static str,
    text: String,
    alias: String,
    org_a: String,
    org_b: String,
}

#[derive(Serialize)]
struct ParentCx {
    schema: String,
    table: String,
    col: String,
    alias: String,
}

/// A table the seed could not fill, and why.
pub struct Unfilled {
    pub table: String,
    pub error: String,
}

/// Top every user table up to `rows` rows; the orgs used, and the tables
/// that could not be filled.
pub fn seed(
    client: &mut Client,
    tenant_column: Option<&str>,
    rows: u64,
) -> Result<([String; 2], Vec<Unfilled>), postgres::Error> {
    client.batch_execute(&sql::render("replica", minijinja::context! { on => true }))?;
    let tables: Vec<(i64, String, String)> = client
        .query(&sql::fixed("user_tables"), &[])?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let mut cols = Vec::new();
    for (oid, _, _) in &tables {
        let rows = client.query(&sql::render("columns", minijinja::context! { oid }), &[])?;
        cols.push(
            rows.iter()
                .map(|r| Col {
                    name: r.get(0),
                    ty: r.get(1),
                    not_null: r.get(2),
                    has_default: r.get(3),
                    is_enum: r.get(4),
                    fk: r
                        .get::<_, Option<String>>(5)
                        .map(|s| (s, r.get(6), r.get(7))),
                })
                .collect::<Vec<Col>>(),
        );
    }
    let count = |client: &mut Client, schema: &str, table: &str| -> Result<i64, postgres::Error> {
        let q = sql::render("count", minijinja::context! { schema, table });
        Ok(client.query_one(&q, &[])?.get(0))
    };
    // The tenant root: the table the tenant column references.
    let root = tenant_column.and_then(|tc| {
        cols.iter()
            .flatten()
            .find(|c| c.name == tc && c.fk.is_some())
            .and_then(|c| c.fk.clone())
    });
    let mut done = vec![false; tables.len()];
    let mut unfilled = Vec::new();
    let mut orgs = ORGS.map(str::to_string);
    // Parents first: a pass fills every table whose required parents have rows.
    for _ in 0..=tables.len() {
        let mut progressed = false;
        for (ti, (_, schema, table)) in tables.iter().enumerate() {
            if done[ti] {
                continue;
            }
            let mut ready = true;
            for c in &cols[ti] {
                if let Some((ps, pt, _)) = &c.fk {
                    let own = ps == schema && pt == table;
                    if c.not_null && !own && count(client, ps, pt)? == 0 {
                        ready = false;
                    }
                }
            }
            if !ready {
                continue;
            }
            if let Some((rs, rt, rc)) = &root {
                if rs != schema || rt != table {
                    let q = sql::render(
                        "first_keys",
                        minijinja::context! { schema => rs, table => rt, col => rc },
                    );
                    let keys: Vec<String> =
                        client.query(&q, &[])?.iter().map(|r| r.get(0)).collect();
                    if keys.len() == 2 {
                        orgs = [keys[0].clone(), keys[1].clone()];
                    }
                }
            }
            done[ti] = true;
            progressed = true;
            let have = count(client, schema, table)?;
            if have as u64 >= rows {
                continue;
            }
            if let Err(error) = fill(
                client,
                schema,
                table,
                &cols[ti],
                tenant_column,
                &orgs,
                have,
                rows,
            ) {
                unfilled.push(Unfilled {
                    table: format!("{schema}.{table}"),
                    error,
                });
            }
        }
        if !progressed {
            break;
        }
    }
    for (ti, (_, schema, table)) in tables.iter().enumerate() {
        if !done[ti] {
            unfilled.push(Unfilled {
                table: format!("{schema}.{table}"),
                error: "a required foreign key points at a table that could not be filled".into(),
            });
        }
    }
    client.batch_execute(&sql::render("replica", minijinja::context! { on => false }))?;
    Ok((orgs, unfilled))
}

/// The value kinds to try for a column, best first.
fn kinds(c: &Col, literals: &[String]) -> Vec<(&'static str, String)> {
    let ty = c.ty.as_str();
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let base = ty.trim_end_matches("[]");
    if ty.ends_with("[]") {
        out.push(("empty_array", String::new()));
    } else if c.is_enum {
        out.push(("enum", String::new()));
    } else if base.starts_with("text") || base.starts_with("character") || base == "citext" {
        out.push(("text", String::new()));
        out.extend(literals.iter().map(|l| ("literal", l.clone())));
        for k in ["md5", "sha256", "colour", "slash", "upper_i", "upper"] {
            out.push((k, String::new()));
        }
    } else if ["integer", "bigint", "smallint", "real", "double precision"].contains(&base)
        || base.starts_with("numeric")
    {
        out.extend(["number", "zero", "one", "year"].map(|k| (k, String::new())));
    } else {
        let k = match base {
            "boolean" => "false",
            "date" => "day",
            "uuid" => "uuid",
            "jsonb" | "json" => "array_json",
            "interval" => "interval",
            "inet" | "cidr" => "inet",
            "bytea" => "bytea",
            t if t.starts_with("timestamp") => "soon",
            t if t.starts_with("time") => "time",
            _ => "null",
        };
        out.push((k, String::new()));
        let second = match k {
            "array_json" => Some("object_json"),
            "soon" => Some("now"),
            "day" => Some("month"),
            "time" => Some("evening"),
            _ => None,
        };
        out.extend(second.map(|s| (s, String::new())));
    }
    if !c.not_null {
        out.push(("null", String::new()));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn fill(
    client: &mut Client,
    schema: &str,
    table: &str,
    cols: &[Col],
    tenant_column: Option<&str>,
    orgs: &[String; 2],
    have: i64,
    rows: u64,
) -> Result<(), String> {
    let checks: Vec<String> = client
        .query(
            &sql::render("checks", minijinja::context! { schema, table }),
            &[],
        )
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let literals: Vec<String> = checks
        .iter()
        .flat_map(|c| c.split('\'').skip(1).step_by(2).map(str::to_string))
        .collect();
    let mut chosen = Vec::new();
    let mut parents = Vec::new();
    for c in cols {
        let own =
            c.fk.as_ref()
                .is_some_and(|(s, t, _)| s == schema && t == table);
        let mut v = ValueCx {
            name: c.name.clone(),
            ty: c.ty.clone(),
            kind: "null",
            text: String::new(),
            alias: String::new(),
            org_a: orgs[0].clone(),
            org_b: orgs[1].clone(),
        };
        if Some(c.name.as_str()) == tenant_column {
            v.kind = "tenant";
        } else if let (Some((ps, pt, pc)), false) = (&c.fk, own) {
            v.kind = "parent";
            v.alias = format!("p{}", parents.len());
            parents.push(ParentCx {
                schema: ps.clone(),
                table: pt.clone(),
                col: pc.clone(),
                alias: v.alias.clone(),
            });
        } else if c.has_default || (own && !c.not_null) {
            continue;
        }
        chosen.push((
            v,
            if c.fk.is_some() || Some(c.name.as_str()) == tenant_column {
                Vec::new()
            } else {
                kinds(c, &literals)
            },
        ));
    }
    let mut at = vec![0usize; chosen.len()];
    let render = |at: &[usize], from: i64, to: i64| {
        let columns: Vec<ValueCx> = chosen
            .iter()
            .zip(at)
            .map(|((v, ks), &k)| {
                let mut v = v.clone();
                if let Some((kind, text)) = ks.get(k) {
                    v.kind = kind;
                    v.text = text.clone();
                }
                v
            })
            .collect();
        sql::render(
            "seed",
            minijinja::context! { schema, table, columns, parents => &parents, from, to },
        )
    };
    // Every row at once, changing the value kind of the columns a failing check names: a
    // kind one row meets can fail the next (a day that happens to open a month), so a
    // trial of fewer rows would pass values the whole range does not.
    let to = (rows as i64).max(have + 1);
    let mut last = String::new();
    for _ in 0..60 {
        match client.batch_execute(&render(&at, have + 1, to)) {
            Ok(()) => return Ok(()),
            Err(e) => {
                last = describe(&e);
                let constraint = e
                    .as_db_error()
                    .and_then(|d| d.constraint())
                    .unwrap_or("")
                    .to_string();
                // The columns the failing constraint covers, from the catalog.
                let covered: Vec<String> = if constraint.is_empty() {
                    Vec::new()
                } else {
                    let q = sql::render(
                        "constraint_columns",
                        minijinja::context! { schema, table, name => &constraint },
                    );
                    client
                        .query(&q, &[])
                        .map_err(|e| describe(&e))?
                        .iter()
                        .map(|r| r.get(0))
                        .collect()
                };
                let mut advanced = false;
                for (i, (v, ks)) in chosen.iter().enumerate() {
                    if covered.contains(&v.name) && at[i] + 1 < ks.len() {
                        at[i] += 1;
                        advanced = true;
                        break;
                    }
                }
                if !advanced {
                    // The check names no column: try the next kind of any column.
                    match (0..chosen.len()).find(|&i| at[i] + 1 < chosen[i].1.len()) {
                        Some(i) => at[i] += 1,
                        None => break,
                    }
                }
            }
        }
    }
    Err(last)
}

fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    }
}
