//! What the clusters of one major version share in a test process: the
//! provisioned binaries, the `initdb` template every cluster copies, and
//! the watchdog that cleans up after the process however it ends.

use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::OnceLock;

use super::{MAJORS, SETTINGS, SUPERUSER};

/// What the clusters of one major version share in this process.
pub(super) struct Setup {
    pub(super) major: u32,
    /// The folder of `initdb`, `pg_ctl` and `postgres`.
    pub(super) bin: PathBuf,
    /// The folder of `psql` and `pg_dump`.
    pub(super) clients: PathBuf,
    /// Running as root: the OS user that runs the server programs.
    pub(super) server_user: Option<&'static str>,
    /// `$TMPDIR/sluice-pg-<pid>-<major>`: the template and every cluster.
    pub(super) root: PathBuf,
    /// A data folder made by `initdb`, copied by each cluster.
    pub(super) template: PathBuf,
    /// The watchdog's stdin: closed only when this process ends.
    _watchdog: ChildStdin,
}

static SETUPS: [OnceLock<Result<Setup, String>>; 5] = [const { OnceLock::new() }; 5];

pub(super) fn setup(major: u32) -> &'static Setup {
    let slot = MAJORS
        .iter()
        .position(|m| *m == major)
        .unwrap_or_else(|| panic!("PostgreSQL {major} is not one of {MAJORS:?}"));
    match SETUPS[slot].get_or_init(|| Setup::new(major)) {
        Ok(setup) => setup,
        Err(why) => panic!("PostgreSQL {major} for the tests: {why}"),
    }
}

impl Setup {
    fn new(major: u32) -> Result<Setup, String> {
        let provisioned = crate::provision::server(major)?;
        let clients = crate::provision::clients()?;
        let uid = run(Command::new("id").arg("-u"))?;
        let server_user = if uid.trim() != "0" {
            None
        } else if run(Command::new("id").arg("postgres")).is_ok() {
            Some("postgres")
        } else {
            Some("nobody")
        };
        let root = std::env::temp_dir().join(format!("sluice-pg-{}-{major}", std::process::id()));
        // A leftover of an earlier process that had the same pid.
        let _ = fs::remove_dir_all(&root);
        let template = root.join("template");
        let mut setup = Setup {
            _watchdog: spawn_watchdog(&root, &provisioned, server_user)?,
            major,
            bin: provisioned.clone(),
            clients,
            server_user,
            root,
            template,
        };
        run(setup.server("mkdir").arg("-m").arg("700").arg(&setup.root))?;
        if setup.server_user.is_some()
            && run(setup
                .server("test")
                .arg("-x")
                .arg(provisioned.join("initdb")))
            .is_err()
        {
            setup.bin = setup.reachable_copy(&provisioned)?;
        }
        run(setup
            .server(setup.bin.join("initdb"))
            .arg("-D")
            .arg(&setup.template)
            .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C"])
            // 1 MiB WAL segments instead of 16: every cluster copies the
            // template, and several run at once.
            .arg("--wal-segsize=1")
            .arg("--no-sync"))?;
        append(&setup.template.join("postgresql.conf"), SETTINGS);
        Ok(setup)
    }

    /// A copy of the installation around `bin` (its parent folder) inside
    /// the process's folder, for a server user that cannot reach `bin`.
    fn reachable_copy(&self, bin: &Path) -> Result<PathBuf, String> {
        let install = bin.parent().ok_or("the server folder has no parent")?;
        let copy = self.root.join("install");
        run(Command::new("cp").arg("-a").arg(install).arg(&copy))?;
        run(Command::new("chmod").args(["-R", "a+rX"]).arg(&copy))?;
        run(Command::new("chmod").arg("a+x").arg(&self.root))?;
        Ok(copy.join("bin"))
    }

    /// A server-side program, run as the server user when we are root.
    pub(super) fn server(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = if let Some(user) = self.server_user {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", user, "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // The caller's folder may be closed to the server user.
        cmd.current_dir("/");
        cmd
    }
}

/// A shell that waits for this process to end (its stdin reaches EOF when
/// our end closes, which only happens at exit), then stops every cluster
/// still running under `root` and removes `root`. Its own process group keeps
/// it alive through a Ctrl-C sent to the tests.
fn spawn_watchdog(
    root: &Path,
    bin: &Path,
    server_user: Option<&str>,
) -> Result<ChildStdin, String> {
    const SCRIPT: &str = r#"
cat >/dev/null
ctl="$2"
if [ -x "$1/install/bin/pg_ctl" ]; then ctl="$1/install/bin/pg_ctl"; fi
for d in "$1"/*/data; do
  if [ -f "$d/postmaster.pid" ]; then
    if [ -n "$3" ]; then runuser -u "$3" -- "$ctl" stop -m immediate -D "$d"
    else "$ctl" stop -m immediate -D "$d"; fi
  fi
done >/dev/null 2>&1
rm -rf "$1"
"#;
    let mut child = Command::new("sh")
        .args(["-c", SCRIPT, "sluice-pg-watchdog"])
        .arg(root)
        .arg(bin.join("pg_ctl"))
        .arg(server_user.unwrap_or(""))
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

/// Runs `cmd`: its stdout when it succeeds, else what went wrong.
pub(super) fn run(cmd: &mut Command) -> Result<String, String> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{cmd:?}` could not run: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "`{cmd:?}` failed ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

pub(super) fn append(file: &Path, text: &str) {
    fs::OpenOptions::new()
        .append(true)
        .open(file)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .unwrap_or_else(|e| panic!("append to {}: {e}", file.display()));
}

/// A port free on 127.0.0.1 right now.
pub(super) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("bind a free port on 127.0.0.1")
}
