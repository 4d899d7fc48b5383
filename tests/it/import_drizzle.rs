//! `sluice import --from-drizzle`: a folder the pinned drizzle-kit (0.31,
//! and 1.0) generates from `tests/fixtures/import/drizzle/schema.ts` is
//! applied to PostgreSQL, then imported from its last snapshot (no
//! database) into a fresh workspace that checks without errors or drift;
//! built from scratch and applied to a new database, it gives the same
//! catalog (`pg_dump --schema-only`).

use std::fs;
use std::path::{Path, PathBuf};

use crate::drizzle::{drizzle_kit, node_dir, report};
use crate::drizzle_v1::{drizzle_kit1, node1_dir};
use crate::import_roundtrip::{assert_imported_clean, from_scratch};
use crate::pg::Cluster;
use crate::pg_emit::apply;

/// `drizzle-kit generate` on the fixture schema in a scratch folder;
/// returns the folder it wrote.
fn generate(root: &Path, v1: bool) -> PathBuf {
    fs::create_dir_all(root).unwrap();
    let modules = if v1 { node1_dir() } else { node_dir() }.join("node_modules");
    std::os::unix::fs::symlink(modules, root.join("node_modules")).expect("symlink");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/drizzle/schema.ts");
    fs::copy(fixture, root.join("schema.ts")).expect("copy the schema");
    fs::write(
        root.join("drizzle.config.js"),
        "module.exports = { dialect: \"postgresql\", schema: \"./schema.ts\", out: \"./drizzle\" };\n",
    )
    .unwrap();
    let args = [
        "generate",
        "--config",
        "drizzle.config.js",
        "--name",
        "init",
    ];
    let o = if v1 {
        drizzle_kit1(root, &args)
    } else {
        drizzle_kit(root, &args)
    };
    assert!(
        o.status.success(),
        "drizzle-kit generate failed:\n{}",
        report(&o)
    );
    root.join("drizzle")
}

/// Every migration of the folder, in the order drizzle applies them.
fn migrations(folder: &Path) -> String {
    let mut files: Vec<PathBuf> = Vec::new();
    if folder.join("meta/_journal.json").is_file() {
        for (tag, _) in crate::drizzle::journal(folder) {
            files.push(folder.join(format!("{tag}.sql")));
        }
    } else {
        for e in crate::drizzle_v1::entries(folder) {
            files.push(folder.join(e).join("migration.sql"));
        }
    }
    assert!(!files.is_empty(), "drizzle-kit wrote no migration");
    files
        .iter()
        .map(|f| fs::read_to_string(f).unwrap() + "\n")
        .collect()
}

/// Returns the generated folder and the cluster, for more checks.
fn round_trip(v1: bool) -> (Cluster, PathBuf) {
    let pg = Cluster::start();
    let folder = generate(&pg.dir().join("gen"), v1);
    let db = pg.create_db();
    apply(&pg, &db, "the drizzle-kit folder", &migrations(&folder));
    let ws = pg.dir().join("imported");
    let opts = sluice::import::Options {
        database: String::new(),
        project: "app".into(),
        schema: "public".into(),
        workspace: ws.clone(),
        force: false,
    };
    let outcome = sluice::import::run_from_drizzle(&opts, &folder, &mut |_| {})
        .unwrap_or_else(|e| panic!("import of the folder: {e}"));
    assert_eq!(outcome.tables, 3, "{outcome:?}");
    assert_imported_clean(&ws, "app");
    let (_, rebuilt) = from_scratch(&ws);
    let again = pg.create_db();
    apply(&pg, &again, "the import rebuilt", &rebuilt["app"]);
    for k in &outcome.kept {
        apply(&pg, &again, &format!("kept {}", k.kind), &k.sql);
    }
    let (before, after) = (pg.catalog_dump(&db), pg.catalog_dump(&again));
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(2)
        .to_string();
    let project = fs::read_to_string(ws.join("app/app.sluice")).unwrap();
    assert!(
        before == after,
        "the rebuilt catalog differs:\n{diff}\nimported:\n{project}"
    );
    (pg, folder)
}

#[test]
fn a_drizzle_kit_0_folder_imports_from_its_last_snapshot_into_the_same_catalog() {
    let (pg, folder) = round_trip(false);
    // The command: no database needed, the phases on stderr, and the
    // primary key drizzle-kit names `<table>_<columns>_pk` kept by name, and
    // the row-level security drizzle-kit enables but does not force.
    let ws = pg.dir().join("cli-workspace");
    let args = [
        "import",
        "--from-drizzle",
        folder.to_str().unwrap(),
        "--project",
        "app",
        "--color",
        "never",
        ws.to_str().unwrap(),
    ];
    let out = crate::cli::sluice(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("import: reading the last drizzle snapshot"),
        "{stderr}"
    );
    assert!(
        stdout.contains(
            "imported project app: 3 tables, 0 views, 0 functions; 2 objects kept as raw SQL"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("primary key name `post_tags_post_id_tag_pk on post_tags`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row level security `no force on posts`"),
        "{stdout}"
    );
    let both = crate::cli::sluice(&[
        "import",
        "--from-drizzle",
        folder.to_str().unwrap(),
        "--database",
        "postgres://localhost/x",
        "--project",
        "other",
        ws.to_str().unwrap(),
    ]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "a folder or a database, not both"
    );
}

#[test]
fn a_drizzle_kit_1_folder_imports_from_its_last_snapshot_into_the_same_catalog() {
    round_trip(true);
}

/// A 1.x folder `sluice build` wrote holds one whole snapshot, then the
/// changes of each later migration: the import replays them, so every
/// table the project declares now is read, none that a migration dropped.
#[test]
fn a_sluice_built_1_folder_is_read_through_its_snapshots_of_changes() {
    let s = crate::drizzle_v1::scratch("import");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", report(&o));
    let c = sluice::compile(&s.root.join("schemas")).expect("loads");
    let mut diffs = 0;
    for p in &c.workspace.projects {
        let folder = s.root.join("drizzle").join(&p.name);
        for e in crate::drizzle_v1::entries(&folder) {
            let snap: serde_json::Value = serde_json::from_str(
                &fs::read_to_string(folder.join(e).join("snapshot.json")).unwrap(),
            )
            .unwrap();
            diffs += usize::from(snap["type"] == "diff");
        }
        let ws = s.root.join(format!("imported-{}", p.name));
        let opts = sluice::import::Options {
            database: String::new(),
            project: p.name.clone(),
            schema: p.schema.clone(),
            workspace: ws.clone(),
            force: false,
        };
        let outcome = sluice::import::run_from_drizzle(&opts, &folder, &mut |_| {})
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        let text = fs::read_to_string(ws.join(&p.name).join(format!("{}.sluice", p.name))).unwrap();
        let mut declared: Vec<&str> = p.tables.iter().map(|t| t.name.as_str()).collect();
        let mut imported: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("table ")?.strip_suffix(" {"))
            .collect();
        declared.sort();
        imported.sort();
        assert_eq!(imported, declared, "{}:\n{text}", p.name);
        assert_eq!(outcome.tables, declared.len(), "{}", p.name);
    }
    assert!(diffs > 0, "no snapshot of changes in the bundled folders");
}
