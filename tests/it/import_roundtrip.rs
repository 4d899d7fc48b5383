//! `sluice import` on databases sluice built: each bundled project's
//! declared state is applied to PostgreSQL, imported (as a role that is
//! not a superuser) into a fresh workspace, and that workspace checks clean
//! — no `schema-drift`, a `baseline` migration that no build emits — and,
//! built from scratch and applied to a new database, gives the same catalog
//! (`pg_dump --schema-only`, roles included).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pg::Cluster;
use crate::pg_emit::apply;

/// Every project's `0000_initial.sql` from its declarations alone (no
/// history): the whole declared state from an empty database.
pub fn from_scratch(workspace: &Path) -> (sluice::Compilation, BTreeMap<String, String>) {
    let c = sluice::compile_with(workspace, false).expect("the workspace loads");
    let out = Path::new("out");
    let files = sluice::emit::workspace(&c.workspace, Some(out)).expect("emits");
    let sql = c
        .workspace
        .projects
        .iter()
        .filter_map(|p| {
            let up = files.get(&out.join(&p.name).join("0000_initial.sql"))?;
            Some((p.name.clone(), up.clone()))
        })
        .collect();
    (c, sql)
}

/// Imports `db` as `role` into a new workspace under the cluster's folder.
pub fn import(
    pg: &Cluster,
    db: &str,
    role: &str,
    project: &str,
    schema: &str,
) -> (PathBuf, Duration) {
    let (ws, took, _) = import_outcome(pg, db, role, project, schema);
    (ws, took)
}

/// [`import`], with what the import reports.
pub fn import_outcome(
    pg: &Cluster,
    db: &str,
    role: &str,
    project: &str,
    schema: &str,
) -> (PathBuf, Duration, sluice::import::Outcome) {
    let ws = pg.dir().join(format!("imported-{db}"));
    let opts = sluice::import::Options {
        database: pg.conninfo(db, role),
        project: project.to_string(),
        schema: schema.to_string(),
        workspace: ws.clone(),
        force: false,
    };
    let start = Instant::now();
    let outcome =
        sluice::import::run(&opts, &mut |_| {}).unwrap_or_else(|e| panic!("import of {db}: {e}"));
    (ws, start.elapsed(), outcome)
}

/// The checks every imported workspace passes: no errors, no drift, the
/// baseline recorded and emitted as nothing.
pub fn assert_imported_clean(ws: &Path, project: &str) {
    let c = sluice::compile(ws).expect("the imported workspace loads");
    let rendered = crate::fixture::render(&c);
    assert!(
        !c.diagnostics.has_errors(),
        "{project}: the imported workspace has errors:\n{rendered}"
    );
    assert!(
        !rendered.contains("schema-drift"),
        "{project}: drift right after import:\n{rendered}"
    );
    let p = c
        .workspace
        .projects
        .iter()
        .find(|p| p.name == project)
        .expect("the project");
    assert_eq!(p.migrations.len(), 1, "{project}: one migration");
    assert!(
        p.migrations[0].baseline,
        "{project}: the migration is a baseline"
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let sql: Vec<_> = files
        .keys()
        .filter(|f| f.extension().is_some_and(|e| e == "sql"))
        .collect();
    assert!(
        sql.is_empty(),
        "{project}: a baseline emits no SQL, got {sql:?}"
    );
}

/// Lines of `a` that `b` lacks, and lines of `b` that `a` lacks, ignoring
/// blank lines, comments and indentation.
pub fn differing_lines(a: &str, b: &str) -> (usize, usize) {
    let norm = |s: &str| -> String {
        s.lines()
            .map(|l| {
                l.split("//")
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let (a, b) = (norm(a), norm(b));
    let diff = similar::TextDiff::from_lines(&a, &b);
    let count = |tag| diff.iter_all_changes().filter(|c| c.tag() == tag).count();
    (
        count(similar::ChangeTag::Delete),
        count(similar::ChangeTag::Insert),
    )
}

fn declarations(folder: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sluice"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn every_bundled_project_imports_back_into_the_same_catalog() {
    let (c, originals) = from_scratch(Path::new("schemas"));
    assert!(
        originals.len() >= 5,
        "the bundled workspace has five projects"
    );
    // `sluice import` reads neither publications nor the tables a project
    // receives into another schema: the round trip is of the workspace
    // without its analytics feed.
    let stripped = crate::scratch::ScratchDir::new("roundtrip").at("schemas");
    crate::pg_publication_bundled::copy(Path::new("schemas"), &stripped);
    for e in walkdir::WalkDir::new(&stripped) {
        let path = e.expect("walk the copy").into_path();
        if path.extension().is_some_and(|x| x == "sluice") {
            let text = std::fs::read_to_string(&path).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("publish to "))
                .collect();
            std::fs::write(&path, kept.join("\n") + "\n").unwrap();
        }
    }
    let (_, own) = from_scratch(&stripped);
    drop(stripped);
    let pg = Cluster::start();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for p in &c.workspace.projects {
        let original = &own[&p.name];
        let db = pg.create_db();
        apply(&pg, &db, &format!("{} declared", p.name), original);
        // Any role can read the catalog: import as one that is not a superuser.
        let (ws, took) = import(&pg, &db, "readonly_user", &p.name, &p.schema);
        assert!(
            took < Duration::from_secs(1),
            "{}: the import took {took:?}",
            p.name
        );
        assert_imported_clean(&ws, &p.name);
        let (_, rebuilt) = from_scratch(&ws);
        let again = pg.create_db();
        apply(
            &pg,
            &again,
            &format!("{} rebuilt", p.name),
            &rebuilt[&p.name],
        );
        let (before, after) = (pg.catalog_dump(&db), pg.catalog_dump(&again));
        if before != after {
            let diff = similar::TextDiff::from_lines(&before, &after)
                .unified_diff()
                .context_radius(2)
                .to_string();
            failures.push(format!("{}: the rebuilt catalog differs:\n{diff}", p.name));
        }
        let imported = declarations(&ws.join(&p.name));
        let original = declarations(&Path::new("schemas").join(&p.name));
        let (gone, new) = differing_lines(&original, &imported);
        report.push(format!(
            "{}: imported in {took:?}; of {} original declaration lines, {gone} are not in the import, which has {new} lines the original lacks",
            p.name,
            original.lines().filter(|l| !l.trim().is_empty() && !l.trim().starts_with("//")).count(),
        ));
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_import_command_shows_its_phases_and_never_overwrites_a_project() {
    let (_, originals) = from_scratch(Path::new("schemas"));
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "notes declared", &originals["notes"]);
    let ws = pg.dir().join("cli-workspace");
    let ws_arg = ws.to_str().unwrap();
    let url = pg.conninfo(&db, "readonly_user");
    let args = [
        "import",
        "--database",
        &url,
        "--project",
        "notes",
        "--color",
        "never",
        ws_arg,
    ];
    let out = crate::cli::sluice(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "import failed:\n{stdout}\n{stderr}");
    for phase in [
        "import: connecting",
        "import: reading tables",
        "import: reading policies",
        "import: writing declarations",
    ] {
        assert!(stderr.contains(phase), "no `{phase}` on stderr:\n{stderr}");
    }
    assert!(
        stdout.contains(
            "imported project notes: 5 tables, 2 views, 1 function; 0 objects kept as raw SQL"
        ),
        "{stdout}"
    );
    let written = std::fs::read_to_string(ws.join("notes/notes.sluice")).unwrap();
    let again = crate::cli::sluice(&args);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("import-would-overwrite"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(ws.join("notes/notes.sluice")).unwrap(),
        written
    );
    let check = crate::cli::sluice(&["check", "--color", "never", ws_arg]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn an_import_into_an_existing_workspace_keeps_its_file_and_nests_the_conventions() {
    let (_, originals) = from_scratch(Path::new("schemas"));
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "notes declared", &originals["notes"]);
    let ws = pg.dir().join(format!("imported-{db}"));
    std::fs::create_dir_all(&ws).unwrap();
    let own = std::fs::read_to_string("schemas/workspace.sluice").unwrap();
    std::fs::write(ws.join("workspace.sluice"), &own).unwrap();
    let (ws, _, outcome) = import_outcome(&pg, &db, "readonly_user", "notes", "public");
    assert_eq!(
        std::fs::read_to_string(ws.join("workspace.sluice")).unwrap(),
        own
    );
    assert!(outcome.roles_to_add.contains(&"service_rw".to_string()));
    let project = std::fs::read_to_string(ws.join("notes/notes.sluice")).unwrap();
    assert!(project.contains("  conventions {\n"), "{project}");
    assert_imported_clean(&ws, "notes");
}
