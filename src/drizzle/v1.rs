//! Stage 7a″, drizzle 1.x: one folder per migration.
//!
//! Input: one project's files in the journal (0.x) shape that
//! [`crate::emit`] and [`super::meta`] produce, relative to the project
//! folder, and the folder name each journal entry gets. Output: the same
//! migrations in the layout drizzle-kit and drizzle-orm 1.0 read:
//!
//! ```text
//! <YYYYMMDDHHMMSS>_<name>/migration.sql   the journal file, unchanged
//! <YYYYMMDDHHMMSS>_<name>/snapshot.json   the schema after it (version 9)
//! <YYYYMMDDHHMMSS>_<name>/rollback.sql    its rollback (run by hand)
//! <YYYYMMDDHHMMSS>_<name>/backfill.sql    its out-of-transaction script
//! ```
//!
//! Format facts (drizzle-orm 1.0 `readMigrationFiles`, drizzle-kit 1.0
//! snapshots): the migrator refuses a folder holding `meta/_journal.json`;
//! it reads `migration.sql` of every sub-folder, in name order, and records
//! each by its folder name, so a name never changes once applied; the first
//! 14 digits are its `created_at`. Files it does not name are ignored. A
//! snapshot is `{"type":"base","version":"9","dialect":"postgres","id",
//! "prevIds","footprints","ddl"}`, where `ddl` lists one row per schema
//! object (`entityType` says which) and `prevIds` names the snapshots it
//! follows. `footprints` only serve drizzle-kit's check of two branches
//! that both add migrations; a linear history has none. The `ddl` rows are
//! the 0.x snapshot's objects, mapped as `drizzle-kit up` maps them.
//! Pure: no clock, no disk.

use serde_json::Value;

use super::v1_ddl::{base, ddl, diff, Start};
use super::{to_json, ZERO_ID};

pub use super::v1_ddl::VERSION;
/// The migration file inside an entry's folder.
pub const MIGRATION: &str = "migration.sql";
/// The snapshot inside an entry's folder.
pub const SNAPSHOT: &str = "snapshot.json";

/// The `ddl` rows of a drizzle-kit 0.31 (version 7) snapshot, as drizzle-kit
/// 1.0 would write them.
pub fn rows_of_v7(v7: &Value) -> Vec<Value> {
    ddl(v7)
}

/// The rows after a base or diff snapshot is applied to `rows`.
pub fn apply_snapshot(rows: &mut Vec<Value>, snapshot: &Value) {
    super::v1_ddl::apply(rows, snapshot)
}

/// The folder of one journal entry: `20240101000001_note_summary_expand`
/// for the 0.x tag `0001_note_summary_expand` stamped `secs`.
pub fn folder_name(secs: u64, tag: &str) -> String {
    format!("{}_{}", stamp(secs), name_of(tag))
}

/// The name of a 0.x tag (`0001_a_expand` → `a_expand`) or of a 1.x folder
/// (`20240101000001_a_expand` → `a_expand`).
pub fn name_of(tag: &str) -> &str {
    tag.split_once('_').map_or(tag, |(_, rest)| rest)
}

/// The stamp of entry `idx` when nothing on disk says otherwise:
/// 2024-01-01T00:00:00Z plus one second per entry, like the 0.x `when`.
pub fn default_secs(idx: usize) -> u64 {
    super::when(idx) / 1_000
}

/// Seconds since the epoch of a folder name's 14-digit prefix (UTC).
pub fn secs_of(folder: &str) -> Option<u64> {
    let d = folder.get(..14)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].parse::<u64>().ok();
    let (y, mo, day) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (h, mi, s) = (n(8..10)?, n(10..12)?, n(12..14)?);
    if !(1..=12).contains(&mo) || day == 0 || day > 31 || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, day) * 86_400 + h * 3_600 + mi * 60 + s)
}

/// `YYYYMMDDHHMMSS` (UTC) of epoch seconds.
pub fn stamp(secs: u64) -> String {
    let (y, m, d) = civil_from_days(secs / 86_400);
    let t = secs % 86_400;
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        t / 3_600,
        t / 60 % 60,
        t % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: u64) -> (u64, u64, u64) {
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// The 1.x files of one project. `files` are the journal-shaped files
/// (relative paths); `folders` the folder name of each journal entry, in
/// journal order; `start` the last snapshot id and rows of a history sluice
/// continues, if any. The first snapshot of a folder is a base, every
/// later one a diff from the one before.
pub fn relayout(
    files: Vec<(String, String)>,
    folders: &[(String, String)],
    start: Option<&Start>,
) -> Vec<(String, String)> {
    let folder_of = |tag: &str| folders.iter().find(|(t, _)| t == tag).map(|(_, f)| f);
    let folder_of_prefix = |prefix: &str| {
        folders
            .iter()
            .find(|(t, _)| t.get(..4) == Some(prefix))
            .map(|(_, f)| f)
    };
    let mut out = Vec::new();
    let mut snapshots = std::collections::BTreeMap::new();
    for (rel, text) in files {
        if let Some(tag) = rel.strip_suffix(".sql").filter(|t| super::is_tag(t)) {
            if let Some(f) = folder_of(tag) {
                out.push((format!("{f}/{MIGRATION}"), text));
            }
        } else if let Some(tag) = rel
            .strip_prefix("rollback/")
            .and_then(|r| r.strip_suffix(".sql"))
        {
            if let Some(f) = folder_of(tag) {
                out.push((format!("{f}/rollback.sql"), text));
            }
        } else if let Some(name) = rel
            .strip_prefix("backfill/")
            .and_then(|r| r.strip_suffix(".sql"))
        {
            // Each entry has at most one script, named by its prefix.
            if let Some(f) = name.get(..4).and_then(folder_of_prefix) {
                out.push((format!("{f}/backfill.sql"), text));
            }
        } else if let Some(prefix) = rel
            .strip_prefix("meta/")
            .and_then(|r| r.strip_suffix("_snapshot.json"))
        {
            snapshots.insert(prefix.to_string(), text);
        }
        // The journal and the lock have no place here: the lock is
        // recomputed over the new files.
    }
    let mut prev: Option<Start> = start.cloned();
    for (tag, folder) in folders {
        let Some(v7) = tag
            .get(..4)
            .and_then(|p| snapshots.get(p))
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
        else {
            continue;
        };
        let id = v7["id"].as_str().unwrap_or(ZERO_ID).to_string();
        let rows = ddl(&v7);
        let snap = match &prev {
            None => base(&rows, &id, ZERO_ID),
            Some((prev_id, before)) => diff(before, &rows, &id, prev_id),
        };
        out.push((format!("{folder}/{SNAPSHOT}"), to_json(&snap)));
        prev = Some((id, rows));
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stamps_round_trip_and_start_in_2024() {
        assert_eq!(stamp(default_secs(0)), "20240101000000");
        assert_eq!(stamp(default_secs(61)), "20240101000101");
        for secs in [0, 951_782_400, 1_764_460_800, 4_102_444_799] {
            assert_eq!(secs_of(&stamp(secs)), Some(secs), "{secs}");
        }
        assert_eq!(stamp(1_709_164_800), "20240229000000");
        assert_eq!(secs_of("2024130100000x"), None);
    }

    #[test]
    fn folder_names_keep_the_tags_name() {
        assert_eq!(
            folder_name(default_secs(1), "0001_note_summary_expand"),
            "20240101000001_note_summary_expand"
        );
        assert_eq!(name_of("20240101000001_a_contract"), "a_contract");
    }

    #[test]
    fn a_project_is_relaid_into_one_folder_per_entry() {
        let v7 = |id: &str| {
            to_json(
                &json!({"id": id, "prevId": ZERO_ID, "schemas": {}, "tables": {
                "public.t": {"name": "t", "schema": "", "isRLSEnabled": false,
                  "columns": {"id": {"name": "id", "type": "uuid", "primaryKey": true, "notNull": true, "default": "gen_random_uuid()"}},
                  "indexes": {}, "foreignKeys": {}, "compositePrimaryKeys": {}, "uniqueConstraints": {}, "policies": {}, "checkConstraints": {}}
            }, "enums": {}, "views": {}, "policies": {}, "sequences": {}}),
            )
        };
        let files: Vec<(String, String)> = [
            ("0000_initial.sql", "a".to_string()),
            ("0001_x_expand.sql", "b".to_string()),
            ("rollback/0001_x_expand.sql", "c".to_string()),
            ("backfill/0001_x.sql", "d".to_string()),
            ("meta/_journal.json", "{}".to_string()),
            ("meta/0000_snapshot.json", v7("id-0")),
            ("meta/0001_snapshot.json", v7("id-1")),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t))
        .collect();
        let folders = [
            (
                "0000_initial".to_string(),
                "20240101000000_initial".to_string(),
            ),
            (
                "0001_x_expand".to_string(),
                "20240101000001_x_expand".to_string(),
            ),
        ];
        let out = relayout(files, &folders, None);
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "20240101000000_initial/migration.sql",
                "20240101000000_initial/snapshot.json",
                "20240101000001_x_expand/backfill.sql",
                "20240101000001_x_expand/migration.sql",
                "20240101000001_x_expand/rollback.sql",
                "20240101000001_x_expand/snapshot.json",
            ]
        );
        let first: Value = serde_json::from_str(&out[1].1).expect("json");
        assert_eq!(first["type"], "base");
        let kinds: Vec<&str> = first["ddl"]
            .as_array()
            .expect("ddl")
            .iter()
            .filter_map(|r| r["entityType"].as_str())
            .collect();
        assert_eq!(kinds, ["tables", "columns", "pks"]);
        let second: Value = serde_json::from_str(&out[5].1).expect("json");
        assert_eq!(second["prevIds"], json!(["id-0"]));
        assert_eq!(second["version"], "9");
        assert_eq!(second["type"], "diff");
        assert_eq!(
            second["deltas"],
            json!([]),
            "the same schema: nothing changed"
        );
    }
}
