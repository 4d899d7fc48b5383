//! `sluice verify` on the provisioned PostgreSQL: the bundled workspace
//! passes, and each workspace under `tests/fixtures/verify/` — written as
//! a `// expect: CODE, …` fixture (see [`crate::fixture`]) that `sluice
//! check` passes or only warns about — fails with exactly those codes, at
//! the step that causes them. Each diagnostic is snapshotted on one line
//! with its place (lock times, which vary, shown as `N ms`), then the
//! summary line; a fixture that expects nothing must pass. The server programs come from the
//! test cache through `--pg-bin`; a cache that cannot be provisioned fails
//! the test saying what to run.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli::sluice;
use crate::scratch::ScratchDir;

fn pg_bin() -> PathBuf {
    crate::provision::server(16).unwrap_or_else(|e| {
        panic!("PostgreSQL 16 for `sluice verify --pg-bin`: {e}; run `cargo test --test it provision` on a machine with npm")
    })
}

fn verify(ws: &Path, extra: &[&str]) -> Output {
    let bin = pg_bin();
    let mut args = vec![
        "verify",
        ws.to_str().expect("utf-8"),
        "--pg-bin",
        bin.to_str().expect("utf-8"),
        "--color",
        "never",
    ];
    args.extend_from_slice(extra);
    sluice(&args)
}

/// Lock times vary from run to run: `held 12 ms` becomes `held N ms`.
fn steady(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" ms") {
        let head = &rest[..i];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(&head[..head.len() - digits]);
            out.push('N');
        } else {
            out.push_str(head);
        }
        out.push_str(" ms");
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// A fixture written out as a workspace in a scratch folder.
fn write_fixture(path: &Path) -> (crate::fixture::Fixture, ScratchDir) {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let f = crate::fixture::read(path);
    // Reports name files from the workspace folder, named after the fixture.
    let ws = ScratchDir::new(&format!("verify-{name}")).at(&name);
    for (rel, text) in &f.files {
        let file = ws.join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).expect("mkdir");
        std::fs::write(&file, text).expect("write");
    }
    (f, ws)
}

fn error_codes(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "one JSON value ({e}):\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn without_server_programs_verify_says_what_to_install() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let o = sluice(&[
        "verify",
        schemas.to_str().unwrap(),
        "--pg-bin",
        "/nonexistent/postgresql/bin",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(error_codes(&o), ["postgres-not-found"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("apt-get install postgresql-16"), "{out}");
    assert!(out.contains("SLUICE_PG_BIN"), "{out}");
}

#[test]
fn a_scratch_database_is_verified_and_one_holding_tables_is_refused() {
    let pg = crate::pg::Cluster::start();
    let db = pg.create_db();
    let url = pg.conninfo(&db, crate::pg::SUPERUSER);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/fixtures/verify/a_forced_unsafe_set_not_null_on_a_table_with_rows_scans_it_under_an_exclusive_lock.sluice",
    );
    let (_, ws) = write_fixture(&path);
    let run = || {
        sluice(&[
            "verify",
            ws.to_str().unwrap(),
            "--database",
            &url,
            "--rows",
            "500",
            "--format",
            "json",
        ])
    };
    assert_eq!(error_codes(&run()), ["setting-not-null"]);
    // The deploy stays applied: the database now holds tables.
    assert_eq!(error_codes(&run()), ["database-not-empty"]);
}

#[test]
fn the_bundled_workspace_verifies_clean() {
    let o = verify(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas"),
        &["--rows", "1000", "--deny-warnings"],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("verified 5 projects"), "{out}");
    assert!(out.contains(" 0 leaks"), "{out}");
    // Progress, phase by phase, on stderr.
    assert!(
        err.contains("notes: applying 0001_note_summary_expand"),
        "{err}"
    );
    assert!(err.contains("probing tenant isolation"), "{err}");
}

#[test]
fn each_verify_fixture_fails_with_its_code_at_its_step() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verify");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/verify")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sluice"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{paths:?}");
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (f, ws) = write_fixture(&path);
        let check = sluice(&["check", ws.to_str().unwrap(), "--color", "never"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{name}: `sluice check` must pass or only warn:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
        let o = verify(&ws, &["--rows", "2000", "--format", "json"]);
        let want = if f.expect.is_empty() { 0 } else { 1 };
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(want), "{name}: {stderr}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON value");
        let mut errors = error_codes(&o);
        errors.sort();
        let mut expect = f.expect.clone();
        expect.sort();
        assert_eq!(errors, expect, "{name}: {v:#}");
        // Each diagnostic rendered on one line: code, severity, place, message.
        let report: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let file = d["file"].as_str().unwrap_or("-");
                let file = file
                    .rsplit_once(&format!("{name}/"))
                    .map_or(file, |(_, f)| f);
                format!(
                    "{} {} {}:{}:{}: {}",
                    d["severity"].as_str().unwrap_or(""),
                    d["code"].as_str().unwrap_or(""),
                    file,
                    d["line"],
                    d["column"],
                    d["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        // The closing summary (phases, locks, probes, rollbacks), its time left out.
        let summary = stderr
            .lines()
            .find(|l| l.starts_with("verified "))
            .map(|l| {
                let (head, tail) = l.split_once(" in ").unwrap_or((l, ""));
                format!("{head} in T s{}", &tail[tail.find(':').unwrap_or(0)..])
            })
            .unwrap_or_default();
        let report = format!("{}\n{summary}", report.join("\n"));
        insta::assert_snapshot!(name.clone(), steady(&report));
    }
}

#[test]
fn an_exclusive_lock_held_past_the_budget_is_reported_at_its_step() {
    use sluice::verify::judge::{judge, Entry};
    use sluice::verify::trace::{Observed, Relation, Relations};
    use std::time::Duration;
    let f = crate::fixture::parse(
        "// expect: nothing\ntable notes {\n  tenant\n  policy all tenant\n  title text\n  rank integer\n}\n\
         === notes/migrations/0001_initial.sluice\nmigration initial {\n  create table notes {\n    tenant\n    policy all tenant\n    title text\n  }\n}\n\
         === notes/migrations/0002_rank.sluice\nmigration rank {\n  after initial\n  add column notes.rank integer\n}\n",
        "budget",
    );
    let c = crate::fixture::compile(&f);
    assert!(
        !c.diagnostics.has_errors(),
        "{}",
        crate::fixture::render(&c)
    );
    let p = &c.workspace.projects[0];
    let before: Relations = [(
        7,
        Relation {
            name: "public.notes".into(),
            kind: "r".into(),
            filenode: 7,
            valid: true,
            table: 0,
        },
    )]
    .into_iter()
    .collect();
    let observed = |held_ms: u64| {
        Observed {
        text: "-- AddColumn public.notes.rank\nALTER TABLE \"public\".\"notes\" ADD COLUMN IF NOT EXISTS \"rank\" integer;".into(),
        locks: vec![(7, "AccessExclusiveLock".into())],
        held: Duration::from_millis(held_ms),
        ..Observed::default()
    }
    };
    let entry = Entry {
        project: p,
        phase: Some(1),
        tag: "0001_rank_expand",
    };
    let budget = Duration::from_millis(1000);
    let within = judge(&entry, &[observed(200)], &before, budget, &c.sources, &[]);
    assert!(within.is_empty(), "{within:?}");
    let past = judge(&entry, &[observed(1500)], &before, budget, &c.sources, &[]);
    assert_eq!(past.len(), 1, "{past:?}");
    let d = &past[0];
    assert_eq!(d.code.as_str(), "statements-after-exclusive-lock");
    assert!(
        d.message.contains("1500 ms, past the budget of 1000 ms"),
        "{}",
        d.message
    );
    assert!(d.message.contains("a false negative"), "{}", d.message);
    let (file, [line, ..]) =
        sluice::diagnostic::Diagnostics::position(&c.sources, d).expect("placed");
    assert!(file.ends_with("0002_rank.sluice"), "{file}");
    assert_eq!(line, 3);
}
