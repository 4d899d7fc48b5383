//! Journal entries that need an earlier script, deployed without it, and
//! phases on partitioned tables across PostgreSQL versions.
//!
//! A later entry whose foreign key stands on a tenant-scoped key that an
//! earlier entry's script builds must refuse, naming that script, and
//! roll back; once the script ran, it goes through. A partitioned table's
//! new index, foreign key and dropped index apply on the oldest and the
//! newest supported PostgreSQL (14 adds no foreign key `NOT VALID` to a
//! partitioned table, nor builds or drops its indexes concurrently).

use std::collections::BTreeMap;
use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

/// The fixture's emitted `notes` folder: journal tags in order, and every
/// file by its path relative to the folder.
fn emitted(folder: &str, name: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
        .join(format!("{name}.sluice"));
    let f = crate::fixture::read(&path);
    let c = crate::fixture::compile(&f);
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(
        sorted(crate::fixture::codes(&c)),
        sorted(f.expect.clone()),
        "{name}:\n{}",
        crate::fixture::render(&c)
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let root = Path::new("out/notes");
    let tags = files
        .keys()
        .filter(|p| p.parent() == Some(root) && p.extension().is_some_and(|e| e == "sql"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let rel = files
        .into_iter()
        .filter_map(|(p, t)| Some((p.strip_prefix(root).ok()?.to_str()?.to_string(), t)))
        .collect();
    (tags, rel)
}

/// A journal entry in one transaction, as drizzle runs it.
fn entry(pg: &Cluster, db: &str, text: &str) -> Result<(), String> {
    let mut client = pg.client(db);
    let mut tx = client.transaction().map_err(|e| e.to_string())?;
    tx.batch_execute(text).map_err(|e| {
        let db = e.as_db_error();
        format!(
            "{} (hint: {})",
            db.map_or(e.to_string(), |d| d.message().to_string()),
            db.and_then(|d| d.hint()).unwrap_or_default()
        )
    })?;
    tx.commit().map_err(|e| e.to_string())
}

#[test]
fn a_reference_to_a_key_an_earlier_script_builds_refuses_until_that_script_ran() {
    let name = "a_reference_to_a_key_an_earlier_script_builds_refuses_until_that_script_ran";
    let (tags, files) = emitted("deploy", name);
    assert_eq!(tags.len(), 3, "{tags:?}");
    let pg = Cluster::start();
    let db = pg.create_db();
    for tag in &tags[..2] {
        entry(&pg, &db, &files[&format!("{tag}.sql")]).unwrap_or_else(|e| panic!("{tag}: {e}"));
    }
    let script = format!("backfill/{}_link.sql", &tags[1][..4]);
    assert!(files.contains_key(&script), "{script}: {:?}", files.keys());
    let refused = entry(&pg, &db, &files[&format!("{}.sql", tags[2])])
        .expect_err("the entry refuses while the key its foreign key needs is not built");
    assert!(
        refused.contains("refused") && refused.contains(&script),
        "the refusal names {script}: {refused}"
    );
    let pins: i64 = pg
        .client(&db)
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 'pins'", &[])
        .expect("count")
        .get(0);
    assert_eq!(pins, 0, "the refused entry rolled back");
    psql(&pg, &db, "link.sql", &files[&script]).unwrap_or_else(|e| panic!("{script}: {e}"));
    entry(&pg, &db, &files[&format!("{}.sql", tags[2])])
        .unwrap_or_else(|e| panic!("{} after {script}: {e}", tags[2]));
}

#[test]
fn a_partitioned_tables_new_index_key_and_dropped_index_apply_on_postgres_14_and_18() {
    let name = "a_partitioned_table_gets_an_unsafe_index_and_key_in_the_journal_file";
    let (tags, files) = emitted("phases", name);
    for major in [14, 18] {
        let pg = Cluster::start_on(major);
        let db = pg.create_db();
        apply(&pg, &db, "initial", &files[&format!("{}.sql", tags[0])]);
        pg.execute(
            &db,
            "INSERT INTO notebooks (org_id, name) SELECT gen_random_uuid(), 'n' || g FROM generate_series(1, 50) g;
             INSERT INTO notes (org_id, title) SELECT org_id, name FROM notebooks;",
        )
        .unwrap_or_else(|e| panic!("rows on {major}: {e}"));
        for tag in &tags[1..] {
            if let Some(pre) = files.get(&format!("backfill/{tag}.sql")) {
                psql(&pg, &db, "pre.sql", pre).unwrap_or_else(|e| panic!("{major} {tag}: {e}"));
            }
            entry(&pg, &db, &files[&format!("{tag}.sql")])
                .unwrap_or_else(|e| panic!("{tag} on PostgreSQL {major}: {e}"));
            let after = format!("backfill/{}_shape.sql", &tag[..4]);
            if !tag.ends_with("_contract") {
                if let Some(script) = files.get(&after) {
                    psql(&pg, &db, "script.sql", script)
                        .unwrap_or_else(|e| panic!("{after} on PostgreSQL {major}: {e}"));
                }
            }
        }
        let valid: i64 = pg
            .client(&db)
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE conname = 'notes_org_id_notebook_id_fkey' AND conrelid = 'notes'::regclass AND convalidated",
                &[],
            )
            .expect("count")
            .get(0);
        assert_eq!(valid, 1, "the key is there and valid on {major}");
    }
}
