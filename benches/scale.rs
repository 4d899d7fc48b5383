//! Scaling benchmark: `check`, `build` (from an empty folder, after an
//! edit, with nothing changed), `build --check`, `lint` of generated
//! workspaces of growing size and `plan` of a declared column, run as the
//! release binary.
//!
//! For each size it generates a workspace with `benches/gen` (20 columns
//! per table, two migrations per table, at most 200 tables per project),
//! then times each command as a child process: the median wall time of a
//! few runs and the peak resident memory of the child, read from `wait4`'s
//! `rusage` (`ru_maxrss`) for that one process. It prints a table of size
//! → bytes of the output folder, median and peak memory per command, and
//! the growth factor per 10×.
//!
//! Run: `cargo build --release && cargo bench --bench scale`. Sizes:
//! 10, 100 and 1,000 tables by default; `SLUICE_SCALE_SIZES=10,100,1000,5000`
//! picks others; `SLUICE_SCALE_EXE` another binary (to compare two builds).
//! `SLUICE_SCALE_RUNS` sets the runs per command (default 5,
//! 3 from 5,000 tables on); `SLUICE_SCALE_PER_PROJECT` the tables per project.
//! The scratch folder is under `std::env::temp_dir()`: `TMPDIR=/dev/shm`
//! keeps the file system out of the figures (ext4 creates files slowly
//! right after tens of thousands were deleted, as an earlier run does).

#[path = "gen/mod.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The columns of the table, in the order they are measured.
const COMMANDS: [&str; 8] = [
    "check",
    "build (empty folder)",
    "build (after an edit)",
    "build (no change)",
    "build --check",
    "lint",
    "check (with folder)",
    "plan (a column declared)",
];

/// One run of the binary: wall time, peak RSS in KiB, exit code.
fn run(exe: &Path, args: &[&str], cwd: &Path) -> (Duration, u64, i32) {
    let start = Instant::now();
    // Reaped by `wait4` below, which also reports the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(exe)
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the release binary runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for this child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; the pointers are valid.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(got, pid, "wait4 returns the child");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // Linux reports ru_maxrss in KiB.
    (elapsed, usage.ru_maxrss as u64, code)
}

struct Figures {
    median: Duration,
    peak_kib: u64,
}

/// Run `sluice ARGS` `runs` times in `cwd`, calling `before` (untimed)
/// ahead of each run.
fn measure(
    (exe, cwd): (&Path, &Path),
    args: &[&str],
    runs: usize,
    ok_codes: &[i32],
    before: &dyn Fn(),
) -> Figures {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        before();
        let (t, rss, code) = run(exe, args, cwd);
        assert!(
            ok_codes.contains(&code),
            "`sluice {}` exited {code}",
            args.join(" ")
        );
        times.push(t);
        peak = peak.max(rss);
    }
    times.sort();
    Figures {
        median: times[times.len() / 2],
        peak_kib: peak,
    }
}

/// The bytes of every file under `dir`: what a build wrote.
fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Declare a new nullable column on the first generated table of the
/// first project file that has one; returns that file and its text before.
fn declare_a_column(ws: &Path) -> (PathBuf, String) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(ws)
        .max_depth(2)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "sluice"))
        .filter(|p| p.file_name().is_some_and(|n| n != "workspace.sluice"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a project file");
        if let Some(at) = text.find("\n  c00 ") {
            let mut edited = text.clone();
            edited.insert_str(at + 1, "  planned_col text\n");
            std::fs::write(&path, edited).expect("the project file is written");
            return (path, text);
        }
    }
    panic!("no generated table to declare a column on");
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::var_os("SLUICE_SCALE_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| root.join("target"), PathBuf::from);
            target.join("release/sluice")
        });
    if !exe.exists() {
        println!("build the release binary first: cargo build --release");
        return;
    }
    let sizes: Vec<usize> = std::env::var("SLUICE_SCALE_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1000]);
    let per_project = env_usize("SLUICE_SCALE_PER_PROJECT").unwrap_or(200);
    let scratch = std::env::temp_dir().join(format!("sluice-scale-{}", std::process::id()));

    let mut rows: Vec<(usize, gen::Spec, Vec<Figures>, u64)> = Vec::new();
    for &size in &sizes {
        let spec = gen::Spec::sized(size, per_project, 20, 2);
        // The configured output folder, `drizzle/`, is relative to where
        // sluice runs: each size runs in a folder of its own.
        let cwd = scratch.join(format!("run{size}"));
        let ws = cwd.join("ws");
        gen::write(&ws, &spec).expect("the generated workspace is written");
        // Three runs of a 1,000-table build gave medians 10% apart from
        // one bench to the next: five from 5,000 tables down.
        let runs = env_usize("SLUICE_SCALE_RUNS").unwrap_or(if size >= 5000 { 3 } else { 5 });
        let m = |args: &[&str], ok: &[i32], before: &dyn Fn()| {
            measure((&exe, &cwd), args, runs, ok, before)
        };
        let nothing = || {};
        let out = cwd.join("drizzle");
        // Moved aside, not deleted: right after thousands of files are
        // freed, ext4 allocates new inodes slowly (it skips the recently
        // deleted ones, scanning past them for every file), which would
        // time the file system, not the build. A first build meets no
        // such thing; the folders moved aside go with the scratch folder.
        let emptied = std::cell::Cell::new(0);
        let empty = || {
            emptied.set(emptied.get() + 1);
            let _ = std::fs::rename(&out, cwd.join(format!("emptied-{}", emptied.get())));
        };
        // An edit of the workspace file (a comment) changes the sources:
        // the build plans the whole history again and rewrites the locks.
        let edits = std::cell::Cell::new(0);
        let edit = || {
            edits.set(edits.get() + 1);
            let path = ws.join("workspace.sluice");
            let mut text = std::fs::read_to_string(&path).expect("the workspace file");
            text.push_str(&format!("// edit {}\n", edits.get()));
            std::fs::write(&path, text).expect("the workspace file is written");
        };
        // `check` without an output folder; `build` from an empty folder,
        // after an edit, and with nothing changed (the folders' fingerprints
        // match: nothing is planned); `build --check` against the folder,
        // `lint` of what it wrote, and `check` once the folder exists.
        let mut figures = vec![m(&["check", "ws"], &[0], &nothing)];
        figures.push(m(&["build", "ws"], &[0], &empty));
        figures.push(m(&["build", "ws"], &[0], &edit));
        figures.push(m(&["build", "ws"], &[0], &nothing));
        figures.push(m(&["build", "ws", "--check"], &[0], &nothing));
        // The concurrent-index scripts carry psql's `\gexec`, which the
        // linter reports: the run is timed whatever it finds.
        figures.push(m(&["lint", "drizzle"], &[0, 1], &nothing));
        figures.push(m(&["check", "ws"], &[0], &nothing));
        // A column declared and not yet migrated: `plan` writes (here,
        // prints) the migration and checks the history with it.
        let declared = declare_a_column(&ws);
        figures.push(m(&["plan", "ws", "--dry-run"], &[0], &nothing));
        std::fs::write(&declared.0, &declared.1).expect("the declarations are restored");
        let written = bytes_under(&cwd.join("drizzle"));
        eprintln!(
            "measured {size} tables ({} projects × {} tables, {} migrations)",
            spec.projects,
            spec.tables,
            spec.total_migrations()
        );
        rows.push((size, spec, figures, written));
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let names: Vec<&str> = COMMANDS.to_vec();
    println!("\nrelease binary as a child process; time = median wall clock, peak = max ru_maxrss of the child\n");
    print!("| tables | projects | migrations | output folder |");
    for n in &names {
        print!(" {n} |");
    }
    println!();
    print!("|---|---|---|---|");
    for _ in &names {
        print!("---|");
    }
    println!();
    for (size, spec, figures, written) in &rows {
        print!(
            "| {size} | {} | {} | {:.1} MiB |",
            spec.projects,
            spec.total_migrations(),
            *written as f64 / (1024.0 * 1024.0)
        );
        for f in figures {
            print!(
                " {:.0} ms, {:.1} MiB |",
                f.median.as_secs_f64() * 1000.0,
                f.peak_kib as f64 / 1024.0
            );
        }
        println!();
    }
    println!("\ngrowth of the median time per 10× tables:\n");
    for pair in rows.windows(2) {
        let (a, _, fa, _) = &pair[0];
        let (b, _, fb, _) = &pair[1];
        let scale = (*b as f64 / *a as f64).log10();
        if scale <= 0.0 {
            continue;
        }
        let growth: Vec<String> = names
            .iter()
            .zip(fa.iter().zip(fb))
            .map(|(n, (x, y))| {
                let ratio = y.median.as_secs_f64() / x.median.as_secs_f64().max(1e-9);
                format!("{n} {:.1}×", ratio.powf(1.0 / scale))
            })
            .collect();
        println!("  {a} → {b}: {}", growth.join(", "));
    }
}
