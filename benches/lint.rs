//! Benchmark of `sluice lint` on a generated corpus of migration files.
//!
//! Input: none; it writes a deterministic corpus (folders of numbered
//! migrations: new tables, added columns, indexes with and without
//! `CONCURRENTLY`, constraints, a few hazards per file) into a temporary
//! folder. Output: files/s and statements/s of (a) the in-process linter,
//! (b) the release binary run as a process, and (c) `squawk` on the same
//! files when it is on `PATH`, with the ratio. Run: `cargo bench --bench lint`
//! (cargo builds the binary it runs); `SLUICE_BENCH_KEEP=1`
//! keeps the corpus for profiling. Then the same side by side on the real
//! migration folders of `benches/corpus/` and on three edge files, with
//! peak memory ([`real`]); `SLUICE_BENCH_REAL_ONLY=1` runs only that part.

#[path = "lint/real.rs"]
mod real;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Folders of migrations, and files per folder.
const FOLDERS: usize = 40;
const FILES_PER_FOLDER: usize = 100;
/// Each measurement is repeated; the fastest run counts (least noise).
const RUNS: usize = 5;

/// A small deterministic generator (64-bit LCG), so every run lints the
/// same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TYPES: &[&str] = &[
    "text",
    "bigint",
    "uuid",
    "timestamptz",
    "boolean",
    "jsonb",
    "numeric(12,2)",
    "integer",
    "varchar(200)",
    "timestamp",
];

/// One migration file and the number of statements in it.
fn migration(rng: &mut Rng, folder: usize, n: usize, tables: &mut Vec<String>) -> (String, usize) {
    let mut sql = String::new();
    let mut count = 0;
    let mut stmt = |sql: &mut String, s: String| {
        sql.push_str(&s);
        sql.push_str(";\n\n");
        count += 1;
    };
    let _ = writeln!(sql, "-- migration {n:04} of service {folder}");
    if rng.below(10) < 8 {
        stmt(&mut sql, "SET lock_timeout = '2s'".into());
        stmt(&mut sql, "SET statement_timeout = '60s'".into());
    }
    let steps = 2 + rng.below(8);
    for _ in 0..steps {
        let kind = if tables.is_empty() { 0 } else { rng.below(12) };
        match kind {
            0 | 1 => {
                let t = format!("t{folder}_{n}_{}", tables.len());
                let mut cols = String::from("id uuid PRIMARY KEY DEFAULT gen_random_uuid()");
                for c in 0..2 + rng.below(8) {
                    let _ = write!(cols, ",\n  c{c} {}", rng.pick(TYPES));
                    if rng.below(3) == 0 {
                        cols.push_str(" NOT NULL");
                    }
                }
                cols.push_str(",\n  created_at timestamptz NOT NULL DEFAULT now()");
                stmt(&mut sql, format!("CREATE TABLE {t} (\n  {cols}\n)"));
                stmt(
                    &mut sql,
                    format!("CREATE INDEX {t}_created_idx ON {t} (created_at)"),
                );
                tables.push(t);
            }
            2 | 3 => {
                let t = &tables[rng.below(tables.len())];
                let ty = rng.pick(TYPES);
                let extra = rng.pick(&["", " DEFAULT 0", " NOT NULL", " DEFAULT now()"]);
                stmt(
                    &mut sql,
                    format!(
                        "ALTER TABLE {t} ADD COLUMN a{n}_{} {ty}{extra}",
                        rng.below(1000)
                    ),
                );
            }
            4 => {
                let t = &tables[rng.below(tables.len())];
                let conc = rng.pick(&["", "CONCURRENTLY "]);
                stmt(
                    &mut sql,
                    format!("CREATE INDEX {conc}{t}_i{n} ON {t} (created_at, id)"),
                );
            }
            5 => {
                let t = &tables[rng.below(tables.len())];
                let valid = rng.pick(&["", " NOT VALID"]);
                stmt(
                    &mut sql,
                    format!("ALTER TABLE {t} ADD CONSTRAINT {t}_c{n} CHECK (created_at > '2000-01-01'){valid}"),
                );
            }
            6 => {
                let t = &tables[rng.below(tables.len())];
                let p = &tables[rng.below(tables.len())];
                stmt(
                    &mut sql,
                    format!("ALTER TABLE {t} ADD COLUMN ref{n} uuid REFERENCES {p} (id)"),
                );
            }
            7 => {
                let t = &tables[rng.below(tables.len())];
                stmt(
                    &mut sql,
                    format!("ALTER TABLE {t} ALTER COLUMN created_at SET NOT NULL"),
                );
            }
            8 => {
                let t = &tables[rng.below(tables.len())];
                stmt(
                    &mut sql,
                    format!("UPDATE {t} SET created_at = now() WHERE created_at IS NULL AND id IN (SELECT id FROM {t} LIMIT 1000)"),
                );
            }
            9 => {
                let t = &tables[rng.below(tables.len())];
                stmt(
                    &mut sql,
                    format!("COMMENT ON TABLE {t} IS 'owned by service {folder}'"),
                );
            }
            10 => {
                let t = &tables[rng.below(tables.len())];
                let op = rng.pick(&[
                    "RENAME COLUMN c0 TO c0_old",
                    "ALTER COLUMN c1 TYPE bigint",
                    "DROP COLUMN IF EXISTS c2",
                    "ALTER COLUMN c0 DROP DEFAULT",
                ]);
                stmt(&mut sql, format!("ALTER TABLE {t} {op}"));
            }
            _ => {
                let t = &tables[rng.below(tables.len())];
                stmt(
                    &mut sql,
                    format!("ALTER TABLE {t} ADD CONSTRAINT {t}_u{n} UNIQUE USING INDEX {t}_i{n}"),
                );
            }
        }
    }
    (sql, count)
}

/// Writes the corpus; returns its folder, the file paths and the statement count.
fn corpus(root: &Path) -> (Vec<PathBuf>, usize) {
    let _ = std::fs::remove_dir_all(root);
    let mut rng = Rng(0x5eed);
    let mut files = Vec::new();
    let mut statements = 0;
    for folder in 0..FOLDERS {
        let dir = root.join(format!("service_{folder:02}"));
        std::fs::create_dir_all(&dir).expect("create corpus folder");
        let mut tables = Vec::new();
        for n in 0..FILES_PER_FOLDER {
            let (sql, count) = migration(&mut rng, folder, n, &mut tables);
            let path = dir.join(format!("{n:04}_step.sql"));
            std::fs::write(&path, sql).expect("write corpus file");
            files.push(path);
            statements += count;
        }
    }
    (files, statements)
}

fn fastest(mut f: impl FnMut() -> Duration) -> Duration {
    (0..RUNS).map(|_| f()).min().unwrap_or_default()
}

fn report(what: &str, files: usize, statements: usize, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    println!(
        "{what:<32} {:>9.1} ms  {:>9.0} files/s  {:>10.0} statements/s",
        s * 1000.0,
        files as f64 / s,
        statements as f64 / s
    );
    s
}

fn main() {
    if real::helper() {
        return;
    }
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_sluice"));
    if std::env::var_os("SLUICE_BENCH_REAL_ONLY").is_some() {
        return real::main(exe.exists().then_some(exe.as_path()));
    }
    let root = std::env::temp_dir().join(format!("sluice-lint-bench-{}", std::process::id()));
    let (files, statements) = corpus(&root);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} files in {FOLDERS} folders, {statements} statements, {:.1} MiB ({})",
        files.len(),
        bytes as f64 / (1024.0 * 1024.0),
        root.display()
    );

    let opts = sluice::lint::run::Options {
        paths: vec![root.clone()],
        ..Default::default()
    };
    let mut found = (0, 0);
    let in_process = fastest(|| {
        let start = Instant::now();
        let run = sluice::lint::run::run(&opts).expect("the corpus lints");
        let d = start.elapsed();
        assert_eq!(run.files, files.len(), "every corpus file is linted");
        found = (run.diagnostics.errors(), run.diagnostics.warnings());
        d
    });
    println!(
        "findings: {} errors, {} warnings (best of {RUNS} runs below)",
        found.0, found.1
    );
    report(
        "sluice lint, in process",
        files.len(),
        statements,
        in_process,
    );

    let sluice_process = if exe.exists() {
        let d = fastest(|| {
            let start = Instant::now();
            let status = Command::new(&exe)
                .args(["lint", "--format", "json", "."])
                .current_dir(&root)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("sluice runs");
            let d = start.elapsed();
            assert_eq!(status.code(), Some(1), "the corpus holds errors: exit 1");
            d
        });
        Some(report(
            "`sluice lint` as a process",
            files.len(),
            statements,
            d,
        ))
    } else {
        println!("(build the release binary with `cargo build --release` to time the process too)");
        None
    };

    let squawk = real::squawk();
    match squawk
        .as_ref()
        .and_then(|sq| Command::new(sq).arg("--version").output().ok())
    {
        Some(o) if o.status.success() => {
            let squawk = squawk.as_ref().expect("squawk was found");
            let version = String::from_utf8_lossy(&o.stdout).trim().to_string();
            let rel: Vec<PathBuf> = files
                .iter()
                .map(|f| f.strip_prefix(&root).unwrap_or(f).to_path_buf())
                .collect();
            let d = fastest(|| {
                let start = Instant::now();
                let status = Command::new(squawk)
                    .args(["--reporter", "json"])
                    .args(&rel)
                    .current_dir(&root)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("squawk runs");
                let d = start.elapsed();
                assert!(!status.success(), "squawk finds problems in the corpus");
                d
            });
            let squawk = report(&format!("{version}, process"), files.len(), statements, d);
            if let Some(ours) = sluice_process {
                println!(
                    "sluice is {:.2}x the speed of squawk on this corpus (process vs process)",
                    squawk / ours
                );
            }
        }
        _ => println!(
            "squawk is not on PATH, so there is no comparison (`pip install squawk-cli` to add it)"
        ),
    }
    real::main(exe.exists().then_some(exe.as_path()));
    if std::env::var_os("SLUICE_BENCH_KEEP").is_some() {
        println!("corpus kept in {}", root.display());
    } else {
        let _ = std::fs::remove_dir_all(&root);
    }
}
