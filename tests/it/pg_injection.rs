//! The injection fixtures that sluice accepts, applied on PostgreSQL with
//! psql — journal files in order with their backfill scripts, then the
//! rollbacks — on a database with `standard_conforming_strings` off: no
//! payload's shell command runs and no payload's statement runs.

use std::path::Path;

use crate::fixture;
use crate::pg::Cluster;
use crate::pg_emit::psql;

/// The file every payload tries to create through psql's `\!`.
const MARKER: &str = "/tmp/sluice-injected";

#[test]
fn accepted_hostile_fixtures_run_with_psql_without_running_their_payloads() {
    let _ = std::fs::remove_file(MARKER);
    let pg = Cluster::start();
    let mut applied = 0;
    for entry in std::fs::read_dir("tests/fixtures/injection").unwrap() {
        let path = entry.unwrap().path();
        let f = fixture::read(&path);
        if !f.expect.is_empty() {
            continue;
        }
        let files = crate::injection::emitted(&f).expect("emits");
        let db = pg.create_db();
        pg.execute(
            &db,
            &format!("ALTER DATABASE {db} SET standard_conforming_strings = off"),
        )
        .unwrap();
        pg.execute(&db, "CREATE TABLE public.victims (id int)")
            .unwrap();
        let dir = Path::new("out/notes");
        let get = |rel: &str| files.get(&dir.join(rel)).cloned();
        let journal: Vec<String> = files
            .keys()
            .filter(|p| p.parent() == Some(dir) && p.extension().is_some_and(|e| e == "sql"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let run = |rel: &str, text: &str| {
            let file = format!("{db}_{}", rel.replace('/', "_"));
            let result = psql(&pg, &db, &file, text);
            assert!(
                !Path::new(MARKER).exists(),
                "{name}: running {rel} with psql ran the payload's shell command: {result:?}"
            );
            result
        };
        for tag in &journal {
            if let Some(before) = get(&format!("backfill/{tag}.sql")) {
                run(&format!("backfill/{tag}.sql"), &before).expect("the catch-up script runs");
            }
            let text = get(&format!("{tag}.sql")).unwrap();
            run(&format!("{tag}.sql"), &text).unwrap_or_else(|e| panic!("{name}: {tag}: {e}"));
            let prefix = format!("backfill/{}_", &tag[..4]);
            for (p, text) in &files {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if rel.starts_with(&prefix) && rel != format!("backfill/{tag}.sql") {
                    run(&rel, text).unwrap_or_else(|e| panic!("{name}: {rel}: {e}"));
                }
            }
        }
        // Rollbacks, newest first; an irreversible one refuses with an error.
        for tag in journal.iter().rev() {
            let rel = format!("rollback/{tag}.sql");
            let _ = run(&rel, &get(&rel).unwrap());
        }
        let victims: i64 = pg
            .client(&db)
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'victims'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(victims, 1, "{name}: a payload dropped a table");
        applied += 1;
    }
    assert!(applied >= 5, "only {applied} fixtures applied");
}
