//! Retention, scheduled: for a project that declares the `pg_cron`
//! extension and retains tables, the psql script `schedule/sluice_purge.sql`
//! that registers one pg_cron job per retained table, calling its
//! `sluice_purge_all_TABLE` procedure.
//!
//! Input: the workspace and one project. Output: the script (path under
//! the project's folder), or nothing. It is not a migration: a pg_cron job
//! runs as the role that scheduled it, and only a role that bypasses
//! row-level security (a superuser) sees every org's expired rows.

use serde::Serialize;

use crate::ir::retention::{purge_all_procedure, purge_job, schedules_purges};
use crate::ir::{Project, Workspace};

#[derive(Serialize)]
struct Job {
    job: String,
    cron: &'static str,
    procedure: String,
}

/// `(path under the project's folder, script)`, when there is a job.
pub fn files(_: &Workspace, p: &Project) -> Result<Vec<(String, String)>, minijinja::Error> {
    if !schedules_purges(p) {
        return Ok(Vec::new());
    }
    let jobs: Vec<Job> = p
        .tables
        .iter()
        .filter(|t| !t.primary_key.is_empty())
        .filter_map(|t| {
            let r = t.retention.as_ref()?;
            r.basis(t, &p.conventions).ok()?;
            Some(Job {
                job: purge_job(&p.schema, &t.name),
                cron: r.cron_schedule(),
                procedure: purge_all_procedure(&t.name),
            })
        })
        .collect();
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let text = crate::render::template(
        "compliance/schedule_purges",
        minijinja::context! {
            project => &p.name,
            database => &p.database,
            schema => &p.schema,
            jobs,
        },
    )?;
    Ok(vec![(
        "schedule/sluice_purge.sql".to_string(),
        format!("{text}\n"),
    )])
}
