//! The receiving side of the analytics feed: per project another project
//! publishes to, a psql script `subscribe/sluice_from_SOURCE.sql` that
//! creates the subscription to the source's publication.
//!
//! Input: the workspace and one receiving project. Output: the script per
//! source project (in workspace order), relative to the project's output
//! folder. It is not a migration: creating a subscription takes a
//! superuser on PostgreSQL 14 and 15 (from 16, a password in the
//! connection string), which the migration role is not and the repository
//! must not hold. The subscription is created without connecting and
//! disabled; its header says how to start it.

use serde::Serialize;

use crate::ir::feed::{self, received_by};
use crate::ir::{names, Project, Workspace};

/// From this version a subscription can apply changes as its owner
/// (`run_as_owner`) instead of as each table's owner, whom the receiving
/// tables' `FORCE ROW LEVEL SECURITY` would stop.
const RUN_AS_OWNER: u32 = 16;

#[derive(Serialize)]
struct Ctx<'a> {
    name: String,
    source: &'a str,
    source_database: &'a str,
    target: &'a str,
    database: &'a str,
    tables: Vec<&'a str>,
    conninfo: String,
    publication: String,
    slot: String,
    run_as_owner: bool,
}

/// `(path under the project's folder, script)` per source project.
pub fn files(ws: &Workspace, p: &Project) -> Result<Vec<(String, String)>, minijinja::Error> {
    let received = received_by(&ws.projects, &p.name);
    let mut out = Vec::new();
    for source in &ws.projects {
        let tables: Vec<&str> = received
            .iter()
            .filter(|r| r.source.name == source.name)
            .map(|r| r.table.name.as_str())
            .collect();
        if tables.is_empty() {
            continue;
        }
        let ctx = Ctx {
            name: feed::subscription(&source.name),
            source: &source.name,
            source_database: &source.database,
            target: &p.name,
            database: &p.database,
            tables,
            conninfo: format!("dbname={}", source.database),
            publication: names::publication(&p.name),
            slot: feed::slot(&source.name, &p.name),
            run_as_owner: p.postgres >= RUN_AS_OWNER,
        };
        let text = crate::render::template("compliance/create_subscription", &ctx)?;
        out.push((format!("subscribe/{}.sql", ctx.name), format!("{text}\n")));
    }
    Ok(out)
}
