//! The generative deploy suite: "check passes" means "deploys, works and
//! loses nothing", for seeded random workspaces.
//!
//! Input: `SLUICE_GEN_WORKSPACES` (default 500: how many workspaces `check`
//! passes that must be deployed) and `SLUICE_GEN_SEED` (the first seed; set
//! it alone to run that one workspace again). Output: a test failure
//! naming the seed of each failing workspace and what failed. Each
//! workspace ([`crate::gen_workspace_model`]) that `check` passes is built
//! in memory, then deployed on its own database twice: with the scripts,
//! through `sluice verify`'s deploy (rows in every table before each phase,
//! scripts where `sluice build` prints them, the tenant probes, every
//! rollback restoring the catalog, each phase applied again); and without
//! the scripts ([`crate::gen_workspace_deploy`]). Before either, `sluice
//! lint` on the emitted folder must find no error. One
//! cluster per worker thread, so the initial migrations' role statements
//! never race.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::fixture;
use crate::gen_workspace_deploy::{self as deploy, Deploy};
use crate::gen_workspace_model::generate;
use crate::pg::{Cluster, SUPERUSER};

enum Outcome {
    Deployed(Vec<&'static str>),
    Refused(Vec<String>),
}

fn config(pg: &Cluster, db: &str) -> postgres::Config {
    let mut c = postgres::Config::new();
    c.host("127.0.0.1")
        .port(pg.port())
        .user(SUPERUSER)
        .dbname(db)
        .connect_timeout(Duration::from_secs(10));
    c
}

fn run(pg: &Cluster, seed: u64) -> Result<Outcome, String> {
    let g = generate(seed);
    // `SLUICE_GEN_SHOW=1` prints each workspace's files, to read a failing one.
    if std::env::var("SLUICE_GEN_SHOW").is_ok() {
        for (path, text) in &g.files {
            eprintln!("=== {path}\n{text}");
        }
    }
    let mut f = fixture::parse("// expect: nothing\n", "generated");
    f.files.extend(g.files.clone());
    // `SLUICE_GEN_DUMP=DIR` writes the workspace there, for `sluice build DIR`.
    if let Ok(dir) = std::env::var("SLUICE_GEN_DUMP") {
        for (path, text) in &f.files {
            let p = Path::new(&dir).join(path);
            std::fs::create_dir_all(p.parent().expect("a folder")).expect("dump folder");
            std::fs::write(p, text).expect("dump file");
        }
    }
    let t0 = Instant::now();
    let c = fixture::compile(&f);
    if c.diagnostics.has_errors() {
        let mut codes: Vec<String> = c
            .diagnostics
            .items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect();
        codes.dedup();
        if std::env::var("SLUICE_GEN_SHOW").is_ok() {
            eprintln!("seed {seed}:\n{}", fixture::render(&c));
        }
        return Ok(Outcome::Refused(codes));
    }
    let root = Path::new("/generated");
    let dir = root.join("notes");
    let files = sluice::emit::workspace(&c.workspace, Some(root)).map_err(|e| e.to_string())?;
    let tags = sluice::drizzle::journal_tags_of(&files, &dir);
    let rel: std::collections::BTreeMap<String, String> = files
        .iter()
        .filter_map(|(p, t)| Some((p.strip_prefix(&dir).ok()?.to_str()?.to_string(), t.clone())))
        .collect();

    lint_clean(&files, root, seed)?;

    // Roles are cluster-wide: each workspace starts without them, so its
    // initial rollback (which drops them) is compared with a catalog that
    // has none, whatever the workspace before it left.
    pg.execute("postgres", "DROP ROLE IF EXISTS service_rw, migration_user")
        .map_err(|e| e.to_string())?;
    // With the scripts: sluice verify's deploy, probes and rollbacks.
    let db = pg.create_db();
    let cfg = config(pg, &db);
    let opts = sluice::verify::Options {
        workspace: PathBuf::from("generated"),
        project: None,
        rows: deploy::ROWS,
        database: None,
        pg_version: None,
        pg_bin: None,
        allow_existing: true,
        lock_budget: Duration::from_secs(60),
    };
    let project = &c.workspace.projects[0];
    let mut client = pg.client(&db);
    let found = sluice::verify::deploy::project(
        &mut client,
        &sluice::verify::deploy::Project {
            ws: &c.workspace,
            project,
            files: &files,
            dir: &dir,
            opts: &opts,
            sources: &c.sources,
            reported: &c.diagnostics.items,
            config: &cfg,
            leave_empty: false,
        },
        &mut sluice::verify::Summary::default(),
        &|m| {
            if std::env::var("SLUICE_GEN_TIME").is_ok() {
                eprintln!("  {:?} {m}", t0.elapsed());
            }
        },
    );
    drop(client);
    pg.execute("postgres", &format!("DROP DATABASE {db}"))
        .map_err(|e| e.to_string())?;
    let bad: Vec<String> = found
        .iter()
        .filter(|d| d.is_error() || d.code == sluice::diagnostic::Code::SeedFailed)
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    if !bad.is_empty() {
        return Err(format!("with the scripts:\n  {}", bad.join("\n  ")));
    }

    let t1 = t0.elapsed();
    // Without the scripts, then the runtime role's own-org writes.
    let db = pg.create_db();
    let cfg = config(pg, &db);
    let mut client = pg.client(&db);
    let result = deploy::without_scripts(
        &mut client,
        &Deploy {
            g: &g,
            files: &rel,
            tags: &tags,
            config: &cfg,
        },
    );
    drop(client);
    pg.execute("postgres", &format!("DROP DATABASE {db}"))
        .map_err(|e| e.to_string())?;
    if std::env::var("SLUICE_GEN_TIME").is_ok() {
        eprintln!(
            "seed {seed}: with scripts {:?}, total {:?}",
            t1,
            t0.elapsed()
        );
    }
    let mut kinds = g.kinds;
    kinds.extend(result?);
    Ok(Outcome::Deployed(kinds))
}

/// The emitted folder, written to a scratch directory, linted as
/// `sluice lint <folder>` lints it: no error at all.
fn lint_clean(files: &sluice::emit::Files, root: &Path, seed: u64) -> Result<(), String> {
    let out = crate::scratch::ScratchDir::new(&format!("gen-lint-{seed}"));
    for (path, text) in files {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let p = out.join(rel);
        std::fs::create_dir_all(p.parent().expect("a folder")).map_err(|e| e.to_string())?;
        std::fs::write(&p, text).map_err(|e| e.to_string())?;
    }
    let run = sluice::lint::run::run(&sluice::lint::run::Options {
        paths: vec![out.to_path_buf()],
        ..Default::default()
    })
    .map_err(|e| format!("sluice lint: {e}"));
    drop(out);
    let run = run?;
    let found: Vec<String> = run
        .diagnostics
        .items
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = sluice::diagnostic::Diagnostics::position(&run.sources, d)
                .map(|(f, p)| format!("{f}:{}", p[0]))
                .unwrap_or_default();
            format!("{} {at}: {}", d.code, d.message)
        })
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "sluice lint on the emitted folder:\n  {}",
            found.join("\n  ")
        ))
    }
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn generated_workspaces_that_pass_check_deploy_work_and_lose_no_data() {
    let first = env("SLUICE_GEN_SEED");
    let wanted =
        env("SLUICE_GEN_WORKSPACES").unwrap_or(if first.is_some() { 1 } else { 500 }) as usize;
    let first = first.unwrap_or(1);
    let threads = (env("SLUICE_GEN_THREADS").unwrap_or(3) as usize).clamp(1, wanted.max(1));
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let deployed = AtomicUsize::new(0);
    let refused = Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let kinds = Mutex::new(std::collections::BTreeMap::<&'static str, usize>::new());
    let failures = Mutex::new(Vec::new());
    eprintln!("generated workspaces: {wanted} to deploy from seed {first}, {threads} clusters");
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let pg = Cluster::start();
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    // Up to twice as many seeds as wanted: the rest are refused by check.
                    if deployed.load(Ordering::SeqCst) >= wanted || n >= wanted * 2 {
                        break;
                    }
                    let seed = first + n as u64;
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&pg, seed)));
                    match result {
                        Ok(Ok(Outcome::Deployed(k))) => {
                            let done = deployed.fetch_add(1, Ordering::SeqCst) + 1;
                            let mut tally = kinds.lock().expect("lock");
                            for kind in k {
                                *tally.entry(kind).or_default() += 1;
                            }
                            if done.is_multiple_of(50) {
                                eprintln!(
                                    "generated workspaces: {done}/{wanted} deployed, {:.0}s",
                                    started.elapsed().as_secs_f64()
                                );
                            }
                        }
                        Ok(Ok(Outcome::Refused(codes))) => {
                            let mut r = refused.lock().expect("lock");
                            for c in codes {
                                *r.entry(c).or_default() += 1;
                            }
                        }
                        Ok(Err(e)) => {
                            eprintln!("generated workspace seed {seed} fails (SLUICE_GEN_SEED={seed} runs it alone): {e}");
                            failures.lock().expect("lock").push(format!("seed {seed}: {e}"));
                            deployed.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(p) => {
                            let msg = p
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default();
                            failures.lock().expect("lock").push(format!("seed {seed} panicked: {msg}"));
                            deployed.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            });
        }
    });
    let deployed = deployed.into_inner();
    let failures = failures.into_inner().expect("lock");
    eprintln!(
        "generated workspaces: {deployed} deployed in {:.0}s; step kinds {:?}; refused by check: {:?}",
        started.elapsed().as_secs_f64(),
        kinds.lock().expect("lock"),
        refused.lock().expect("lock"),
    );
    assert!(
        failures.is_empty(),
        "{} of {deployed} generated workspaces fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        deployed >= wanted,
        "only {deployed} of the {} seeds from {first} pass check; {wanted} must deploy: {:?}",
        wanted * 2,
        refused.lock().expect("lock")
    );
}
