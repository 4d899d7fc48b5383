//! Every phase fixture of `tests/fixtures/phases` on PostgreSQL: applied,
//! rolled back and applied again, phase by phase.

use super::*;

/// Every phase of every history under `tests/fixtures/phases/`, applied in
/// journal order to a database with rows: each expand rollback restores the
/// catalog exactly and the phase applies again; each script runs twice;
/// an irreversible rollback refuses.
#[test]
fn every_phase_fixture_applies_rolls_back_and_reapplies_on_postgres() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/phases");
    let mut fixtures: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sluice"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    for path in fixtures {
        let f = crate::fixture::read(&path);
        let c = crate::fixture::compile(&f);
        let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
        let root = Path::new("out/notes");
        let get = |rel: &str| files.get(&root.join(rel)).cloned();
        let journal: Vec<String> = files
            .keys()
            .filter(|p| p.parent() == Some(root))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let pg = Cluster::start();
        let db = pg.create_db();
        apply(
            &pg,
            &db,
            "initial",
            &get(&format!("{}.sql", journal[0])).unwrap(),
        );
        // Rows in `notes`: a title missing on every seventh, the other text
        // columns the initial schema has filled.
        let has = |col: &str| {
            scalar(
                &pg,
                &db,
                &format!(
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attname = '{col}'"
                ),
            ) == "1"
        };
        let mut cols = vec!["org_id".to_string(), "title".to_string()];
        let mut vals = vec![
            format!("'{ORG}'"),
            "CASE WHEN g % 7 = 0 THEN NULL ELSE 't' || g END".to_string(),
        ];
        for extra in ["body", "legacy"] {
            if has(extra) {
                cols.push(extra.to_string());
                vals.push(format!("'{extra}' || g"));
            }
        }
        exec(
            &pg,
            &db,
            &format!(
                "INSERT INTO notes ({}) SELECT {} FROM generate_series(1, 1500) g",
                cols.join(", "),
                vals.join(", ")
            ),
        );
        for tag in &journal[1..] {
            let name = path.file_name().unwrap().to_string_lossy();
            // The catalog before the phase's deploy: before the script that
            // runs ahead of a contract (an index it drops concurrently is
            // built again by the rollback), which then runs again.
            let before = pg.catalog_dump(&db);
            let pre = |runs: usize| {
                if tag.ends_with("_contract") {
                    if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                        for run in 1..=runs {
                            psql(&pg, &db, &format!("pre{run}.sql"), &script).unwrap_or_else(|e| {
                                panic!("{name}: the script before {tag} fails (run {run}):\n{e}")
                            });
                        }
                    }
                }
            };
            pre(2);
            let up = get(&format!("{tag}.sql")).unwrap();
            let down = get(&format!("rollback/{tag}.sql")).unwrap();
            apply(&pg, &db, tag, &up);
            if down.contains("RAISE EXCEPTION USING MESSAGE = 'rollback of") {
                let refused =
                    psql(&pg, &db, "undo.sql", &down).expect_err("irreversible rollback refuses");
                assert!(refused.contains("irreversible"), "{name} {tag}: {refused}");
            } else {
                apply(&pg, &db, &format!("{tag} rollback"), &down);
                assert_eq!(
                    before,
                    pg.catalog_dump(&db),
                    "{name}: the rollback of {tag} does not restore the catalog"
                );
                pre(1);
                apply(&pg, &db, &format!("{tag} again"), &up);
            }
            let migration = tag[5..].trim_end_matches("_expand");
            let script = if tag.ends_with("_contract") {
                None
            } else {
                get(&format!("backfill/{}_{migration}.sql", &tag[..4]))
            };
            if let Some(script) = script {
                for run in 1..=2 {
                    psql(&pg, &db, &format!("script{run}.sql"), &script).unwrap_or_else(|e| {
                        panic!("{name}: the script of {tag} fails (run {run}):\n{e}")
                    });
                }
            }
        }
        assert_eq!(
            scalar(
                &pg,
                &db,
                "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"
            ),
            "0",
            "every constraint ends validated"
        );
        assert_eq!(
            scalar(
                &pg,
                &db,
                "SELECT count(*) FROM pg_index WHERE NOT indisvalid"
            ),
            "0",
            "every index ends valid"
        );
    }
}
