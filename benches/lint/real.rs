//! The lint benchmark on real migration folders and on two edge files,
//! sluice and squawk side by side in one run.
//!
//! Input: `benches/corpus/` (folders of public projects, see its
//! `SOURCES.md`), the release binary, and squawk when `SQUAWK` names it or
//! it is on `PATH`. Output on stdout: statements/s of the in-process
//! linter on the corpus; for each tool as a whole process, the best and
//! median wall time of seven runs (the tools taking turns, so both see the
//! same load), the median CPU time (user + system, all threads: what a
//! loaded machine distorts least) and the peak memory (RSS) on the corpus,
//! on a
//! 6,400-column `CREATE TABLE`, on an 80,000-row `INSERT` and on 80,000
//! one-row `INSERT`s; and the throughput ratio.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 7;

/// The variable that makes the bench binary a measuring helper.
const HELPER: &str = "SLUICE_BENCH_MEASURE";

/// One run of a program: wall time, CPU time, peak RSS in KiB, exit
/// code. The bench
/// does not start it itself: Linux carries the peak memory of the process
/// that starts a program over into the program's own (`wait4` would report
/// the bench's tens of MiB for every tool). A fresh copy of this binary
/// ([`helper`]) starts it instead and reports what `wait4` says.
fn run(program: &Path, args: &[String], cwd: &Path) -> (Duration, Duration, u64, i32) {
    let me = std::env::current_exe().expect("the bench knows its own path");
    let out = Command::new(me)
        .env(HELPER, "1")
        .arg(program)
        .args(args)
        .current_dir(cwd)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("the measuring helper runs: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<i64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [nanos, cpu, kib, code] = nums[..] else {
        panic!("the measuring helper reports `nanos cpu_nanos kib code`, not {text:?}");
    };
    (
        Duration::from_nanos(nanos as u64),
        Duration::from_nanos(cpu as u64),
        kib as u64,
        code as i32,
    )
}

/// In a helper (`SLUICE_BENCH_MEASURE` set): run the program its arguments
/// name, output to null, and print its wall time in ns, its CPU time (user
/// and system) in ns, its peak RSS in KiB and its exit code. `false` when
/// this is no helper.
pub fn helper() -> bool {
    if std::env::var_os(HELPER).is_none() {
        return false;
    }
    let mut argv = std::env::args_os().skip(1);
    let program = argv.next().expect("the helper is given a program");
    let start = Instant::now();
    // Reaped by `wait4` below, which also reports the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(&program)
        .args(argv)
        .env_remove(HELPER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} runs: {e}", program.to_string_lossy()));
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
    // time_t and suseconds_t are i64 on 64-bit Linux.
    let nanos = |t: libc::timeval| t.tv_sec * 1_000_000_000 + t.tv_usec * 1000;
    let cpu = nanos(usage.ru_utime) + nanos(usage.ru_stime);
    // Linux reports ru_maxrss in KiB.
    println!("{} {cpu} {} {code}", elapsed.as_nanos(), usage.ru_maxrss);
    true
}

/// Best and median wall time, median CPU time and highest peak of a few
/// runs.
#[derive(Clone, Copy)]
struct Stats {
    best: Duration,
    median: Duration,
    cpu: Duration,
    peak: u64,
}

/// Run each command `RUNS` times, taking turns (so a change in the
/// machine's load falls on both alike); a crash fails the bench.
fn measure(commands: &[(&Path, &[String])], cwd: &Path) -> Vec<Stats> {
    let mut times = vec![Vec::new(); commands.len()];
    let mut cpus = vec![Vec::new(); commands.len()];
    let mut peaks = vec![0; commands.len()];
    for _ in 0..RUNS {
        for (k, (program, args)) in commands.iter().enumerate() {
            let (t, cpu, rss, code) = run(program, args, cwd);
            assert!(
                (0..=1).contains(&code),
                "{} {} exited {code}",
                program.display(),
                args.join(" ")
            );
            times[k].push(t);
            cpus[k].push(cpu);
            peaks[k] = peaks[k].max(rss);
        }
    }
    times
        .into_iter()
        .zip(cpus)
        .zip(peaks)
        .map(|((mut t, mut c), peak)| {
            t.sort();
            c.sort();
            Stats {
                best: t[0],
                median: t[t.len() / 2],
                cpu: c[c.len() / 2],
                peak,
            }
        })
        .collect()
}

/// squawk's own executable: `SQUAWK`, else `squawk` on `PATH`. A wrapper
/// script there (pyenv's shim) costs more to start than squawk itself, so
/// the executable it runs is measured instead.
pub fn squawk() -> Option<PathBuf> {
    let named = std::env::var_os("SQUAWK").map(PathBuf::from).or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join("squawk"))
            .find(|p| p.is_file())
    })?;
    let is_script = std::fs::read(&named).is_ok_and(|b| b.starts_with(b"#!"));
    let exe = if is_script {
        let out = Command::new("pyenv").args(["which", "squawk"]).output();
        match out {
            Ok(o) if o.status.success() => {
                PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string())
            }
            _ => {
                println!(
                    "note: {} is a wrapper script; its start-up is timed with squawk (SQUAWK=/path/to/squawk to avoid it)",
                    named.display()
                );
                named
            }
        }
    } else {
        named
    };
    let ok = Command::new(&exe)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(exe)
}

fn sql_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

fn statements(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            sluice::lint::split::split(&text).chunks.len()
        })
        .sum()
}

/// The two edge files: a very wide table and a very long data load.
fn edge_files(dir: &Path) -> Vec<(String, PathBuf)> {
    std::fs::create_dir_all(dir).expect("edge folder");
    let mut wide = String::from("SET lock_timeout = '2s';\nSET statement_timeout = '60s';\nCREATE TABLE wide (\n  id bigint PRIMARY KEY");
    for i in 0..6400 {
        wide.push_str(&format!(",\n  c{i} text"));
    }
    wide.push_str("\n);\n");
    let mut rows = String::from("INSERT INTO countries (id, code, name) VALUES\n");
    for i in 0..80_000 {
        let sep = if i == 0 { "" } else { ",\n" };
        rows.push_str(&format!("{sep}({i}, 'C{i:05}', 'Country number {i}')"));
    }
    rows.push_str(";\n");
    let mut many = String::new();
    for i in 0..80_000 {
        many.push_str(&format!(
            "INSERT INTO countries (id, code, name) VALUES ({i}, 'C{i:05}', 'Country number {i}');\n"
        ));
    }
    let mut out = Vec::new();
    for (name, text) in [
        ("6,400-column CREATE TABLE", wide),
        ("80,000-row INSERT", rows),
        ("80,000 one-row INSERTs", many),
    ] {
        let path = dir.join(format!("{}.sql", name.replace([',', ' '], "")));
        std::fs::write(&path, text).expect("write edge file");
        out.push((name.to_string(), path));
    }
    out
}

fn line(what: &str, st: Stats, statements: usize) {
    let s = st.best.as_secs_f64();
    println!(
        "{what:<40} {:>8.1} ms best {:>8.1} ms median {:>8.1} ms CPU {:>6.1} MiB peak {:>10.0} statements/s",
        s * 1000.0,
        st.median.as_secs_f64() * 1000.0,
        st.cpu.as_secs_f64() * 1000.0,
        st.peak as f64 / 1024.0,
        statements as f64 / s
    );
}

pub fn main(exe: Option<&Path>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/corpus");
    let files = sql_files(&root);
    let count = statements(&files);
    println!(
        "\nreal corpus: {} files, {count} statements ({}; see SOURCES.md)",
        files.len(),
        root.display()
    );
    let opts = sluice::lint::run::Options {
        paths: vec![root.clone()],
        ..Default::default()
    };
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        let r = sluice::lint::run::run(&opts).expect("the real corpus lints");
        best = best.min(start.elapsed());
        assert!(r.files > 0, "the real corpus has files");
    }
    println!(
        "sluice lint, in process: {:.1} ms, {:.0} statements/s",
        best.as_secs_f64() * 1000.0,
        count as f64 / best.as_secs_f64()
    );
    let Some(exe) = exe else {
        println!("(build the release binary to compare processes)");
        return;
    };
    let squawk = squawk();
    if let Some(sq) = &squawk {
        let version = Command::new(sq).arg("--version").output();
        let version = version.map_or(String::new(), |o| {
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        });
        println!("compared with {version} ({})", sq.display());
    }
    let rel: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    let ours_args: Vec<String> = ["lint", "--format", "json", "."].map(String::from).into();
    let mut theirs_args = vec!["--reporter".to_string(), "json".to_string()];
    theirs_args.extend(rel);
    let mut commands: Vec<(&Path, &[String])> = vec![(exe, &ours_args)];
    if let Some(sq) = &squawk {
        commands.push((sq, &theirs_args));
    }
    let stats = measure(&commands, &root);
    let ours = stats[0];
    line("`sluice lint` process, real corpus", ours, count);
    if let Some(&theirs) = stats.get(1) {
        line("`squawk` process, real corpus", theirs, count);
        println!(
            "sluice: {:.2}x squawk's whole-process throughput (best wall time), {:.2}x (median wall time), {:.2}x by CPU time; {:.2}x its peak memory",
            theirs.best.as_secs_f64() / ours.best.as_secs_f64(),
            theirs.median.as_secs_f64() / ours.median.as_secs_f64(),
            theirs.cpu.as_secs_f64() / ours.cpu.as_secs_f64(),
            ours.peak as f64 / theirs.peak as f64
        );
    } else {
        println!("squawk not found (`pip install squawk-cli==2.70.0`, or SQUAWK=/path/to/squawk)");
    }
    let edge = std::env::temp_dir().join(format!("sluice-lint-edge-{}", std::process::id()));
    for (name, path) in edge_files(&edge) {
        let arg = path.display().to_string();
        let ours_args: Vec<String> =
            vec!["lint".into(), "--format".into(), "json".into(), arg.clone()];
        let theirs_args: Vec<String> = vec!["--reporter".into(), "json".into(), arg];
        let mut commands: Vec<(&Path, &[String])> = vec![(exe, &ours_args)];
        if let Some(sq) = &squawk {
            commands.push((sq, &theirs_args));
        }
        let stats = measure(&commands, &edge);
        line(&format!("`sluice lint`, {name}"), stats[0], 1);
        if let Some(&theirs) = stats.get(1) {
            line(&format!("`squawk`, {name}"), theirs, 1);
        }
    }
    let _ = std::fs::remove_dir_all(&edge);
}
