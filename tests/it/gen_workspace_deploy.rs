//! The deploy of a generated workspace without its scripts, and the
//! runtime role's own-org writes.
//!
//! Input: a database on the suite's cluster, the generated workspace and
//! the files `sluice build` writes for it. Output: `Err` with what went
//! wrong. Every journal entry runs in one transaction, as drizzle runs
//! it, and no `backfill/` script runs, except the one a refusing contract
//! names in its message, or the earlier one an entry standing on an index
//! it builds names (then the entry must go through). Before each
//! entry every row of every table is read; after it, each value must still
//! be there (under its new name for a rename the phase completes), unless
//! the phase drops its column. At the end, as the runtime role in one org,
//! a row is inserted into, read from, updated in and deleted from every
//! tenant table, in one transaction that is rolled back.

use std::collections::BTreeMap;

use postgres::Client;

use crate::gen_workspace_model::{Generated, Intent};

/// table → row key → column → value.
type Rows = BTreeMap<String, BTreeMap<String, serde_json::Map<String, serde_json::Value>>>;

pub const ROWS: u64 = 20;
const USER: &str = "0000000c-0000-4000-a000-00000000000c";

fn rows(client: &mut Client) -> Result<Rows, String> {
    let tables: Vec<String> = client
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
            &[],
        )
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Rows::new();
    for t in tables {
        let mut by_key = BTreeMap::new();
        for r in client
            .query(&format!("SELECT to_jsonb(x)::text FROM \"{t}\" x"), &[])
            .map_err(|e| e.to_string())?
        {
            let v: serde_json::Value = serde_json::from_str(&r.get::<_, String>(0)).expect("json");
            let serde_json::Value::Object(map) = v else {
                continue;
            };
            let key = match map.get("id") {
                Some(id) => id.to_string(),
                None => map
                    .iter()
                    .filter(|(k, _)| k.as_str() == "org_id" || k.ends_with("_id"))
                    .map(|(_, v)| v.to_string())
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            by_key.insert(key, map);
        }
        out.insert(t, by_key);
    }
    Ok(out)
}

/// Every value of `before` is in `after`, but for what the phase drops on purpose.
fn compare(before: &Rows, after: &Rows, intent: Option<&Intent>, tag: &str) -> Result<(), String> {
    for (t, rows) in before {
        let Some(now) = after.get(t) else {
            return Err(format!("{tag}: table {t} is gone"));
        };
        for (key, row) in rows {
            let Some(got) = now.get(key) else {
                return Err(format!("{tag}: row {key} of {t} is gone"));
            };
            for (col, value) in row {
                let mut name = col.clone();
                if let Some(i) = intent {
                    let shadow =
                        |(st, sc): &(String, String)| st == t && col == &format!("{sc}_new");
                    if i.dropped.iter().any(|(dt, dc)| dt == t && dc == col)
                        || i.retyped.iter().any(shadow)
                    {
                        continue;
                    }
                    if let Some((_, _, new)) =
                        i.renamed.iter().find(|(rt, old, _)| rt == t && old == col)
                    {
                        name = new.clone();
                    }
                }
                match got.get(&name) {
                    Some(v) if v == value => {}
                    Some(v) => {
                        return Err(format!(
                            "{tag}: {t}.{name} of row {key} changed from {value} to {v}"
                        ))
                    }
                    None => return Err(format!("{tag}: column {t}.{col} is gone with its data")),
                }
            }
        }
    }
    Ok(())
}

/// A journal entry in one transaction, as drizzle applies it.
fn entry(client: &mut Client, text: &str) -> Result<(), String> {
    let mut tx = client.transaction().map_err(|e| e.to_string())?;
    for (_, chunk) in sluice::verify::trace::chunks(text) {
        tx.batch_execute(chunk).map_err(|e| {
            let hint = e.as_db_error().and_then(|d| d.hint()).unwrap_or_default();
            format!("{} {hint}", sluice::verify::trace::describe(&e))
        })?;
    }
    tx.commit().map_err(|e| e.to_string())
}

pub struct Deploy<'a> {
    pub g: &'a Generated,
    pub files: &'a BTreeMap<String, String>,
    pub tags: &'a [String],
    pub config: &'a postgres::Config,
}

/// The whole journal without the scripts; then the runtime role's writes.
/// What each contract did, for the tally: refused (and went through once
/// its script ran) or completed.
pub fn without_scripts(client: &mut Client, d: &Deploy) -> Result<Vec<&'static str>, String> {
    let mut did = Vec::new();
    let file = |rel: &str| d.files.get(rel).cloned().unwrap_or_default();
    let mut empty = false;
    for tag in d.tags {
        if empty {
            fill(client, &format!("before {tag}"))?;
        }
        let mut before = rows(client)?;
        let mut refused = false;
        let mut earlier = false;
        let text = file(&format!("{tag}.sql"));
        if let Err(e) = entry(client, &text) {
            // A contract names its own script; an entry standing on an
            // index an earlier script builds names that one.
            let script = named_script(&e).unwrap_or_default();
            let own = tag.ends_with("_contract") && script == format!("backfill/{tag}.sql");
            earlier = !own && e.contains("unique index");
            if !(e.contains("refused") && d.files.contains_key(&script) && (own || earlier)) {
                return Err(format!("{tag} fails without the scripts: {e}"));
            }
            // The guard refused, and the transaction took everything back; run what it names.
            sluice::verify::trace::script(d.config, &file(&script))
                .map_err(|f| format!("{script}, run as {tag} asked: {}", f.error))?;
            // The script's copy is the data move the contract relies on.
            before = rows(client)?;
            refused = true;
            entry(client, &text).map_err(|e| format!("{tag} fails after {script} ran: {e}"))?;
        }
        let migration = tag[5..]
            .trim_end_matches("_contract")
            .trim_end_matches("_expand");
        let intent = tag
            .ends_with("_contract")
            .then(|| d.g.intents.get(migration))
            .flatten();
        let after = rows(client)?;
        compare(&before, &after, intent, tag)?;
        if earlier {
            did.push("entry refused until an earlier script ran");
        }
        if tag.ends_with("_contract") {
            did.push(if refused && !earlier {
                "contract refused without its script"
            } else {
                "contract completed without any script"
            });
        }
        // Tables the phase created get rows; the others keep theirs.
        empty = after.values().any(BTreeMap::is_empty);
    }
    if empty {
        fill(client, "after the last phase")?;
    }
    own_org_writes(client, d.g)?;
    Ok(did)
}

/// The `backfill/….sql` script a refusal names, if any.
fn named_script(error: &str) -> Option<String> {
    let at = error.find("backfill/")?;
    let rest = &error[at..];
    let end = rest.find(".sql")? + ".sql".len();
    Some(rest[..end].to_string())
}

fn fill(client: &mut Client, when: &str) -> Result<(), String> {
    let (_, unfilled) =
        sluice::verify::seed::seed(client, Some("org_id"), ROWS).map_err(|e| e.to_string())?;
    match unfilled.first() {
        Some(u) => Err(format!(
            "{when}: {} could not be filled: {}",
            u.table, u.error
        )),
        None => Ok(()),
    }
}

fn value(ty: &str) -> &'static str {
    match ty {
        "integer" | "bigint" => "1",
        "boolean" => "true",
        "jsonb" => "'{}'::jsonb",
        t if t.starts_with("numeric") => "1",
        "timestamptz" => "now()",
        "uuid" => "gen_random_uuid()",
        _ => "'crud'",
    }
}

/// As the runtime role in org a: insert, read, update and delete a row of every tenant table.
fn own_org_writes(client: &mut Client, g: &Generated) -> Result<(), String> {
    let org = sluice::verify::seed::ORGS[0];
    let mut tx = client.transaction().map_err(|e| e.to_string())?;
    tx.batch_execute(&format!(
        "SET LOCAL ROLE service_rw; SET LOCAL app.current_org_id = '{org}'; \
         SET LOCAL app.current_user_id = '{USER}'; SET LOCAL app.current_app_role = 'admin';"
    ))
    .map_err(|e| e.to_string())?;
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    for t in g.tables.iter() {
        let visible: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {}", t.name), &[])
            .map_err(|e| {
                format!(
                    "service_rw cannot read {}: {}",
                    t.name,
                    sluice::verify::trace::describe(&e)
                )
            })?
            .get(0);
        if visible == 0 {
            return Err(format!(
                "service_rw sees no row of {} in its own org",
                t.name
            ));
        }
        if !t.tenant {
            continue;
        }
        let mut cols = vec!["org_id".to_string()];
        let mut vals = vec![format!("'{org}'")];
        if t.owner {
            cols.push("user_id".into());
            vals.push(format!("'{USER}'"));
        }
        for c in &t.cols {
            cols.push(c.name.clone());
            match &c.reference {
                Some(r) => {
                    let parent = r.split('.').next().unwrap_or_default();
                    // A reference added later may point at a table inserted after this one.
                    vals.push(
                        ids.get(parent)
                            .map_or("NULL".into(), |id| format!("'{id}'")),
                    );
                }
                None => vals.push(value(&c.ty).to_string()),
            }
        }
        let ret = if t.has_id() { "id" } else { "org_id" };
        let row = tx
            .query_one(
                &format!(
                    "INSERT INTO {} ({}) VALUES ({}) RETURNING {ret}::text",
                    t.name,
                    cols.join(", "),
                    vals.join(", ")
                ),
                &[],
            )
            .map_err(|e| {
                format!(
                    "service_rw cannot insert into {}: {}",
                    t.name,
                    sluice::verify::trace::describe(&e)
                )
            })?;
        let key = if t.has_id() {
            let id: String = row.get(0);
            ids.insert(t.name.clone(), id.clone());
            format!("id = '{id}'")
        } else {
            let c = t
                .cols
                .iter()
                .find(|c| c.reference.is_some())
                .expect("a key column");
            let parent = c
                .reference
                .as_deref()
                .unwrap_or_default()
                .split('.')
                .next()
                .unwrap_or_default();
            format!("{} = '{}'", c.name, ids[parent])
        };
        let changed = tx
            .execute(
                &format!("UPDATE {} SET deleted_at = now() WHERE {key}", t.name),
                &[],
            )
            .map_err(|e| {
                format!(
                    "service_rw cannot update {}: {}",
                    t.name,
                    sluice::verify::trace::describe(&e)
                )
            })?;
        if changed != 1 {
            return Err(format!(
                "service_rw updated {changed} rows of {} instead of its new row",
                t.name
            ));
        }
        keys.push((t.name.clone(), key));
    }
    for (t, key) in keys.iter().rev() {
        let gone = tx
            .execute(&format!("DELETE FROM {t} WHERE {key}"), &[])
            .map_err(|e| {
                format!(
                    "service_rw cannot delete from {t}: {}",
                    sluice::verify::trace::describe(&e)
                )
            })?;
        if gone != 1 {
            return Err(format!(
                "service_rw deleted {gone} rows of {t} instead of its new row"
            ));
        }
    }
    tx.rollback().map_err(|e| e.to_string())
}
