//! Version 9 snapshots as drizzle-kit 1.0 writes them: the first of a
//! folder holds every `ddl` row, each later one the deltas from the rows
//! before; and the replay of those deltas.
//!
//! Input: `ddl` rows ([`super::ddl`]). Output: snapshot JSON, or the rows a
//! snapshot leaves. Pure.

use serde_json::{json, Value};

/// Snapshot format version drizzle-kit 1.0 writes.
pub const VERSION: &str = "9";

/// The state a history sluice continues ends in: its last snapshot's id
/// and its rows.
pub type Start = (String, Vec<Value>);

/// The first snapshot of a folder: every row.
pub fn base(rows: &[Value], id: &str, prev: &str) -> Value {
    json!({
        "type": "base",
        "version": VERSION,
        "dialect": "postgres",
        "id": id,
        "prevIds": [prev],
        "footprints": [],
        "ddl": rows,
    })
}

/// A later snapshot: what changed since the rows `before` (drizzle-kit 1.0
/// keeps exactly one base snapshot per folder, the first).
pub fn diff(before: &[Value], rows: &[Value], id: &str, prev: &str) -> Value {
    json!({
        "type": "diff",
        "version": VERSION,
        "dialect": "postgres",
        "id": id,
        "prevIds": [prev],
        "footprints": [],
        "deltas": deltas(before, rows),
    })
}

/// A row's identity as drizzle-kit 1.0 writes it in a delta: its kind, a
/// NUL, and the JSON array of its schema, table and name (those it has).
pub fn key(row: &Value) -> String {
    let parts: Vec<&str> = ["schema", "table", "name"]
        .iter()
        .filter_map(|f| row[*f].as_str())
        .collect();
    format!(
        "{}\0{}",
        row["entityType"].as_str().unwrap_or_default(),
        serde_json::to_string(&parts).unwrap_or_default()
    )
}

/// Creates, then drops, then alters (the fields that changed), as
/// drizzle-kit 1.0 orders them.
fn deltas(before: &[Value], rows: &[Value]) -> Vec<Value> {
    let old: std::collections::HashMap<String, &Value> =
        before.iter().map(|r| (key(r), r)).collect();
    let new: std::collections::HashMap<String, &Value> = rows.iter().map(|r| (key(r), r)).collect();
    let mut out: Vec<Value> = rows
        .iter()
        .filter(|r| !old.contains_key(&key(r)))
        .map(|r| json!({"op": "create", "row": r}))
        .collect();
    out.extend(
        before
            .iter()
            .filter(|r| !new.contains_key(&key(r)))
            .map(|r| json!({"op": "drop", "key": key(r)})),
    );
    for r in rows {
        let k = key(r);
        let Some(o) = old.get(&k) else { continue };
        let set: serde_json::Map<String, Value> = r
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(f, v)| f.as_str() != "entityType" && o.get(f.as_str()) != Some(*v))
            .map(|(f, v)| (f.clone(), v.clone()))
            .collect();
        if !set.is_empty() {
            out.push(json!({"op": "alter", "key": k, "set": set}));
        }
    }
    out
}

/// The rows after `snapshot` (base or diff) is applied to `rows`.
pub fn apply(rows: &mut Vec<Value>, snapshot: &Value) {
    if snapshot["type"] != "diff" {
        *rows = snapshot["ddl"].as_array().cloned().unwrap_or_default();
        return;
    }
    for d in snapshot["deltas"].as_array().into_iter().flatten() {
        match d["op"].as_str() {
            Some("create") => rows.push(d["row"].clone()),
            Some("drop") => rows.retain(|r| Some(key(r).as_str()) != d["key"].as_str()),
            Some(_) => {
                for r in rows.iter_mut() {
                    if Some(key(r).as_str()) == d["key"].as_str() {
                        if let (Some(row), Some(set)) = (r.as_object_mut(), d["set"].as_object()) {
                            for (f, v) in set {
                                row.insert(f.clone(), v.clone());
                            }
                        }
                    }
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_replayed_on_its_base_gives_the_new_rows() {
        let col = |name: &str, ty: &str| json!({"schema": "public", "table": "t", "name": name, "type": ty, "entityType": "columns"});
        let before = vec![col("a", "text"), col("b", "text")];
        let after = vec![col("a", "integer"), col("c", "text")];
        let d = diff(&before, &after, "2", "1");
        assert_eq!(d["deltas"][0]["op"], "create");
        assert_eq!(
            d["deltas"][1],
            json!({"op": "drop", "key": "columns\u{0}[\"public\",\"t\",\"b\"]"})
        );
        assert_eq!(d["deltas"][2]["set"], json!({"type": "integer"}));
        let mut rows = before.clone();
        apply(&mut rows, &d);
        rows.sort_by_key(key);
        assert_eq!(rows, after);
    }
}
