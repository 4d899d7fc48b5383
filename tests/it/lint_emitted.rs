//! What sluice emits must pass its own lint: every `.sql` file that
//! `sluice build` writes for the bundled workspace, linted as `sluice lint`
//! lints a folder (Drizzle journal files inside drizzle-orm's transaction,
//! rollback scripts as they are run: by psql, on their own).

use std::path::Path;

/// Builds `schemas/` into a temporary folder and lints all of it.
fn lint_emitted(tag: &str) -> (sluice::lint::run::Run, Vec<(String, String)>) {
    let c = sluice::compile(Path::new("schemas")).expect("schemas/ loads");
    assert!(!c.diagnostics.has_errors(), "schemas/ has errors");
    let out = crate::scratch::ScratchDir::new(&format!("lint-emitted-{tag}")).at("out");
    let files = sluice::emit::workspace(&c.workspace, Some(&out)).expect("emits");
    sluice::write::write(&files).expect("writes the build");
    let sql = files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "sql"))
        .count();
    assert!(
        sql >= 10,
        "the build writes a migration and a rollback per project"
    );
    let run = sluice::lint::run::run(&sluice::lint::run::Options {
        paths: vec![out.to_path_buf()],
        ..Default::default()
    })
    .expect("the build lints");
    assert_eq!(run.files, sql, "every emitted .sql file is linted");
    let found = run
        .diagnostics
        .items
        .iter()
        .map(|d| {
            let file = sluice::diagnostic::Diagnostics::position(&run.sources, d)
                .map(|(f, p)| format!("{f}:{}:{}", p[0], p[1]))
                .unwrap_or_default();
            (
                format!("{} {}", d.severity.as_str(), d.code),
                format!("{file}: {}", d.message),
            )
        })
        .collect();
    (run, found)
}

/// Every finding in the files `which` picks, rendered one a line.
fn findings_in(tag: &str, which: impl Fn(&str) -> bool) -> Vec<String> {
    let (_, found) = lint_emitted(tag);
    found
        .into_iter()
        .filter(|(_, at)| which(at))
        .map(|(what, at)| format!("{what} {at}"))
        .collect()
}

fn is_rollback(at: &str) -> bool {
    at.contains("/rollback/")
}

#[test]
fn the_emitted_migrations_pass_sluice_lint() {
    let found = findings_in("migrations", |at| !is_rollback(at));
    assert!(
        found.is_empty(),
        "sluice lint reports problems in the migrations sluice build writes:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_emitted_rollbacks_pass_sluice_lint() {
    let found = findings_in("rollbacks", is_rollback);
    let errors: Vec<&String> = found.iter().filter(|f| f.starts_with("error")).collect();
    assert!(
        errors.is_empty(),
        "sluice lint finds errors in the rollback scripts sluice build writes:\n{}",
        found.join("\n")
    );
    assert!(
        found.is_empty(),
        "sluice lint warns about the rollback scripts sluice build writes:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_whole_build_lints_without_errors() {
    let (run, found) = lint_emitted("all");
    assert_eq!(run.diagnostics.errors(), 0, "{found:#?}");
}

/// `sluice lint` on a folder built from a history with an index, a rename
/// and a type change, their contracts released by a later build, exits 0:
/// the rollbacks drop concurrently built indexes concurrently, and the
/// scripts' psql meta-commands (`\gexec`) are not taken for SQL.
#[test]
fn lint_on_a_folder_with_index_rename_and_type_change_migrations_exits_0() {
    use std::fs;
    let s = crate::drizzle::Scratch::new("lint-steps");
    let migrations = s.root.join("schemas/notes/migrations");
    let notes = s.root.join("schemas/notes/notes.sluice");
    let decl = fs::read_to_string(&notes).expect("notes.sluice");
    let decl = decl.replacen(
        "  pinned      boolean not null default false\n",
        "  pinned      boolean not null default false\n  views       bigint\n  index (org_id, title)\n",
        1,
    );
    assert!(decl.contains("views"), "notes.sluice has the pinned column");
    fs::write(&notes, decl).expect("write");
    fs::write(
        migrations.join("0004_title_index.sluice"),
        "migration title_index {\n  expand {\n    add column notes.views integer\n    add index on notes (org_id, title)\n  }\n}\n",
    )
    .expect("write");
    fs::write(
        migrations.join("0005_views_bigint.sluice"),
        "migration views_bigint {\n  expand {\n    change type notes.views to bigint using (views::bigint)\n  }\n}\n",
    )
    .expect("write");
    s.build();
    fs::write(
        migrations.join("0006_release.sluice"),
        "migration release_all {\n  release note_summary\n  release rename_body\n  release views_bigint\n}\n",
    )
    .expect("write");
    s.build();
    let o = s.sluice(&["lint", "out"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let built: Vec<String> = fs::read_dir(s.out("notes"))
        .expect("out/notes")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for contract in ["rename_body_contract", "views_bigint_contract"] {
        assert!(
            built.iter().any(|f| f.contains(contract)),
            "{contract}: {built:?}"
        );
    }
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains(": 0 errors, 0 warnings"), "{text}");

    // The lint sees the proof of the `SET NOT NULL` recipe itself (the
    // check the backfill script validates before the contract runs): the
    // folder above linted clean with no suppression comment for it.
    let mut set_not_null = 0;
    for entry in walkdir::WalkDir::new(s.root.join("out")) {
        let entry = entry.expect("walk out/");
        if entry.path().extension().is_none_or(|e| e != "sql") {
            continue;
        }
        let sql = fs::read_to_string(entry.path()).expect("read");
        assert!(
            !sql.contains("sluice-ignore setting-not-null"),
            "{}: {sql}",
            entry.path().display()
        );
        set_not_null += sql.matches("SET NOT NULL;").count();
    }
    assert!(set_not_null > 0, "the build has a `SET NOT NULL` recipe");
}

/// `sluice lint` on a folder whose contracts drop an index and turn a
/// concurrently built index into a unique constraint exits 0: the index
/// is dropped concurrently by the script before the contract, and both
/// rollbacks build their index again concurrently, after their
/// transaction, instead of under a lock inside it.
#[test]
fn lint_on_a_folder_with_a_dropped_index_and_an_added_unique_exits_0() {
    use std::fs;
    let s = crate::drizzle::Scratch::new("lint-drop-index");
    let migrations = s.root.join("schemas/notes/migrations");
    let notes = s.root.join("schemas/notes/notes.sluice");
    let decl = fs::read_to_string(&notes).expect("notes.sluice");
    let decl = decl.replacen("  index gin (tags)\n", "", 1).replacen(
        "  pinned      boolean not null default false\n",
        "  pinned      boolean not null default false\n  unique (org_id, notebook_id, title)\n",
        1,
    );
    assert!(
        !decl.contains("index gin (tags)"),
        "notes.sluice loses its tags index"
    );
    fs::write(&notes, decl).expect("write");
    fs::write(
        migrations.join("0004_drop_tags_idx.sluice"),
        "migration drop_tags_idx {\n  contract {\n    drop index notes_tags_idx\n  }\n}\n",
    )
    .expect("write");
    fs::write(
        migrations.join("0005_title_unique.sluice"),
        "migration title_unique {\n  expand {\n    add unique on notes (org_id, notebook_id, title)\n  }\n}\n",
    )
    .expect("write");
    fs::write(
        migrations.join("0006_release.sluice"),
        "migration release_all {\n  release drop_tags_idx\n  release title_unique\n}\n",
    )
    .expect("write");
    s.build();
    let o = s.sluice(&["lint", "out"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let dir = s.out("notes");
    let read =
        |rel: &str| fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let journal: Vec<String> = fs::read_dir(&dir)
        .expect("out/notes")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let tag = |m: &str| {
        journal
            .iter()
            .find(|f| f.ends_with(&format!("_{m}_contract.sql")))
            .unwrap_or_else(|| panic!("{m}'s contract is built: {journal:?}"))
            .trim_end_matches(".sql")
            .to_string()
    };
    let (drop, unique) = (tag("drop_tags_idx"), tag("title_unique"));
    assert!(
        read(&format!("backfill/{drop}.sql"))
            .contains("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"notes_tags_idx\";"),
        "the script before {drop} drops the index"
    );
    assert!(
        !read(&format!("{drop}.sql")).contains("DROP INDEX"),
        "{drop}"
    );
    for t in [&drop, &unique] {
        let down = read(&format!("rollback/{t}.sql"));
        let commit = down.find("COMMIT;").expect("a transaction");
        let build = down.find("INDEX CONCURRENTLY IF NOT EXISTS").expect(t);
        assert!(
            commit < build,
            "{t}: the index is built after COMMIT:\n{down}"
        );
    }
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains(": 0 errors, 0 warnings"), "{text}");
}
