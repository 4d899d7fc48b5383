//! The throwaway PostgreSQL server `sluice verify` deploys to by default.
//!
//! Input: where to look for the server programs (`--pg-bin`,
//! `SLUICE_PG_BIN`, `PATH`, `pg_config`, the usual distribution folders,
//! the test suite's provisioned cache) and the wanted major version.
//! Output: a running [`Cluster`] (`initdb` + `pg_ctl`) that listens on
//! 127.0.0.1 only, on a free port, with its data, log and unix socket in a
//! private temporary folder; `trust` access for every role. Dropping it
//! stops the server, on success and on error alike, and a watchdog shell
//! removes the folder in the background as the process ends (it also
//! stops the server first if the process is killed).
//!
//! PostgreSQL refuses to run as root: as root, the server programs run as
//! the `postgres` OS user (else `nobody`) through `runuser`, and when that
//! user cannot reach the binaries the installation is copied into the
//! private folder first. Clients connect as the caller.

use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The bootstrap superuser of the cluster.
pub const SUPERUSER: &str = "postgres";

/// Settings for a server that only has to be fast and private.
const SETTINGS: &str = "
listen_addresses = '127.0.0.1'
fsync = off
full_page_writes = off
synchronous_commit = off
autovacuum = off
timezone = 'UTC'
";

/// A running throwaway cluster; stopped and removed on drop.
pub struct Cluster {
    bin: PathBuf,
    user: Option<&'static str>,
    root: PathBuf,
    pub port: u16,
    pub version: String,
    /// The watchdog's stdin: it closes when this process ends, however it ends.
    _watchdog: Option<std::process::ChildStdin>,
}

/// Why no server could be started: the text of a diagnostic.
#[derive(Debug)]
pub struct NotFound {
    pub message: String,
    pub help: String,
}

/// The folder of `initdb`, `pg_ctl` and `postgres` of `major` (any major
/// when `None`): the first candidate that holds all three and, when a major
/// is wanted, reports it.
pub fn find_bin(explicit: Option<&Path>, major: Option<u32>) -> Result<PathBuf, NotFound> {
    let mut tried = Vec::new();
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = explicit {
        candidates.push(dir.to_path_buf());
    } else {
        if let Some(dir) = std::env::var_os("SLUICE_PG_BIN") {
            candidates.push(PathBuf::from(dir));
        }
        if let Some(path) = std::env::var_os("PATH") {
            candidates.extend(std::env::split_paths(&path));
        }
        if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
            let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !dir.is_empty() {
                candidates.push(PathBuf::from(dir));
            }
        }
        for pattern_root in [
            "/usr/lib/postgresql",
            "/usr/local/lib/postgresql",
            "/opt/homebrew/opt",
            "/usr/local/opt",
        ] {
            candidates.extend(sorted_children(Path::new(pattern_root)).map(|d| d.join("bin")));
        }
        candidates.extend(
            sorted_children(Path::new("/usr"))
                .filter(|d| d.to_string_lossy().contains("pgsql"))
                .map(|d| d.join("bin")),
        );
        candidates.push(PathBuf::from("/usr/local/pgsql/bin"));
        candidates.extend(
            sorted_children(Path::new("target/test-tools"))
                .filter(|d| d.to_string_lossy().contains("postgres-"))
                .map(|d| d.join("package/native/bin")),
        );
    }
    for dir in candidates {
        if !["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|p| dir.join(p).is_file())
        {
            continue;
        }
        let found = server_major(&dir);
        match (major, found) {
            (Some(want), Some(got)) if want != got => {
                tried.push(format!("{} (PostgreSQL {got})", dir.display()))
            }
            (_, Some(_)) => return Ok(dir),
            (_, None) => tried.push(format!(
                "{} (its `postgres --version` failed)",
                dir.display()
            )),
        }
    }
    let wanted = major.map_or("PostgreSQL".to_string(), |m| format!("PostgreSQL {m}"));
    let seen = if tried.is_empty() {
        String::new()
    } else {
        format!("; found only {}", tried.join(", "))
    };
    let message = match explicit {
        Some(dir) => format!(
            "no {wanted} server programs (`initdb`, `pg_ctl`, `postgres`) in `{}`{seen}",
            dir.display()
        ),
        None => {
            format!("no {wanted} server programs (`initdb`, `pg_ctl`, `postgres`) were found{seen}")
        }
    };
    Err(NotFound {
        message,
        help: format!(
            "install the {wanted} server (Debian/Ubuntu: `apt-get install postgresql-{}`; macOS: `brew install postgresql@{}`) \
             or point `--pg-bin DIR` or `SLUICE_PG_BIN` at the folder holding `initdb` and `pg_ctl`; \
             or verify against a scratch database with `--database URL`",
            major.unwrap_or(16),
            major.unwrap_or(16)
        ),
    })
}

fn sorted_children(dir: &Path) -> impl Iterator<Item = PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    // Newest version first.
    out.sort();
    out.reverse();
    out.into_iter()
}

/// The major version `postgres --version` reports.
fn server_major(bin: &Path) -> Option<u32> {
    let out = Command::new(bin.join("postgres"))
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last()?;
    version.split('.').next()?.parse().ok()
}

impl Cluster {
    /// `initdb` and start a private cluster from the programs in `bin`.
    pub fn start(bin: &Path) -> Result<Cluster, String> {
        let user = server_user()?;
        let root = std::env::temp_dir().join(format!("sluice-verify-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let mut cluster = Cluster {
            bin: bin.to_path_buf(),
            user,
            root: root.clone(),
            port: 0,
            version: String::new(),
            _watchdog: None,
        };
        run(cluster.server("mkdir").arg("-m").arg("700").arg(&root))?;
        if user.is_some() && run(cluster.server("test").arg("-x").arg(bin.join("initdb"))).is_err()
        {
            cluster.bin = cluster.reachable_copy(bin)?;
        }
        cluster._watchdog = Some(watchdog(&root, &cluster.bin, user)?);
        let data = root.join("data");
        run(cluster
            .server(cluster.bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C"])
            .arg("--no-sync"))?;
        let socket = root.display().to_string().replace('\'', "''");
        append(
            &data.join("postgresql.conf"),
            &format!("{SETTINGS}unix_socket_directories = '{socket}'\n"),
        )?;
        let mut failure = String::new();
        // Another process may take the free port before the server binds it.
        for _ in 0..5 {
            let port = free_port()?;
            append(&data.join("postgresql.conf"), &format!("port = {port}\n"))?;
            let started = run(cluster
                .server(cluster.bin.join("pg_ctl"))
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(root.join("log")));
            match started {
                Ok(_) => {
                    cluster.port = port;
                    cluster.version = server_major(&cluster.bin)
                        .map(|m| m.to_string())
                        .unwrap_or_default();
                    return Ok(cluster);
                }
                Err(e) => {
                    let log = fs::read_to_string(root.join("log")).unwrap_or_default();
                    failure = format!("{e}\nserver log:\n{log}");
                    if !log.contains("Address already in use") {
                        break;
                    }
                }
            }
        }
        Err(format!(
            "the throwaway PostgreSQL server did not start: {failure}"
        ))
    }

    /// A connection configuration for `db` as the superuser.
    pub fn config(&self, db: &str) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host("127.0.0.1")
            .port(self.port)
            .user(SUPERUSER)
            .dbname(db)
            .application_name("sluice-verify");
        c
    }

    fn reachable_copy(&self, bin: &Path) -> Result<PathBuf, String> {
        let install = bin.parent().ok_or("the server folder has no parent")?;
        let copy = self.root.join("install");
        run(Command::new("cp").arg("-a").arg(install).arg(&copy))?;
        run(Command::new("chmod").args(["-R", "a+rX"]).arg(&copy))?;
        run(Command::new("chmod").arg("a+x").arg(&self.root))?;
        Ok(copy.join("bin"))
    }

    fn server(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = match self.user {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(program);
                cmd
            }
            None => Command::new(program),
        };
        cmd.current_dir("/");
        cmd
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .server(self.bin.join("pg_ctl"))
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.root.join("data"))
            .stdin(Stdio::null())
            .output();
        // Removing the data folder can take seconds on a busy disk: the
        // watchdog does it once its stdin closes, right after this.
        if self._watchdog.is_none() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// A shell in its own process group that waits for this process to end
/// (its stdin reaches end of file then, even on a kill or Ctrl-C), then
/// stops the server if it still runs and removes the folder.
fn watchdog(
    root: &Path,
    bin: &Path,
    user: Option<&str>,
) -> Result<std::process::ChildStdin, String> {
    use std::os::unix::process::CommandExt as _;
    const SCRIPT: &str = r#"
cat >/dev/null
if [ -f "$1/data/postmaster.pid" ]; then
  if [ -n "$3" ]; then runuser -u "$3" -- "$2" stop -m immediate -D "$1/data"
  else "$2" stop -m immediate -D "$1/data"; fi
fi >/dev/null 2>&1
rm -rf "$1"
"#;
    let mut child = Command::new("sh")
        .args(["-c", SCRIPT, "sluice-verify-watchdog"])
        .arg(root)
        .arg(bin.join("pg_ctl"))
        .arg(user.unwrap_or(""))
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("start the cleanup watchdog (sh): {e}"))?;
    child
        .stdin
        .take()
        .ok_or_else(|| "the watchdog has no stdin".to_string())
}

/// As root, the OS user that runs the server programs.
fn server_user() -> Result<Option<&'static str>, String> {
    let uid = run(Command::new("id").arg("-u"))?;
    if uid.trim() != "0" {
        return Ok(None);
    }
    if run(Command::new("id").arg("postgres")).is_ok() {
        Ok(Some("postgres"))
    } else {
        Ok(Some("nobody"))
    }
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{cmd:?}` could not run: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{cmd:?}` failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn append(file: &Path, text: &str) -> Result<(), String> {
    fs::OpenOptions::new()
        .append(true)
        .open(file)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("append to {}: {e}", file.display()))
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("find a free port on 127.0.0.1: {e}"))
}
