//! `sluice import` of a database with retention, `pii` and `phi` columns:
//! the purge function reads back as the table's `retain`, a role with
//! table-wide `SELECT` on `pii` or `phi` tables as `reads pii` / `reads
//! phi`, and the roles that read those tables column by column keep their
//! `grant … on tables`.

use std::path::Path;

use crate::import_roundtrip::{from_scratch, import};
use crate::pg_emit::apply;

/// Every `.sluice` file under `dir`, normalised to one trimmed line each.
fn lines(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(lines(&p));
        } else if p.extension().is_some_and(|e| e == "sluice") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.extend(text.lines().map(|l| l.trim().to_string()));
        }
    }
    out
}

/// The lines of the block that starts with `head`.
fn block(all: &[String], head: &str) -> Vec<String> {
    all.iter()
        .skip_while(|l| l.as_str() != head)
        .take_while(|l| l.as_str() != "}")
        .cloned()
        .collect()
}

#[test]
fn a_purge_function_imports_as_retain_and_table_wide_reads_of_pii_and_phi_as_reads() {
    let (c, originals) = from_scratch(Path::new("schemas"));
    let pg = crate::pg::Cluster::start();
    let hr = c
        .workspace
        .projects
        .iter()
        .find(|p| p.name == "hr")
        .expect("the hr project");
    let db = pg.create_db();
    apply(&pg, &db, "hr declared", &originals["hr"]);
    let (ws, _) = import(&pg, &db, "readonly_user", "hr", &hr.schema);
    let all = lines(&ws);
    let logs = block(&all, "table phi_access_logs {");
    assert!(
        logs.contains(&"retain 6 years after created_at".to_string()),
        "phi_access_logs has its retain:\n{}",
        logs.join("\n")
    );
    assert!(
        !all.iter()
            .any(|l| l.contains("sluice_purge_") || l.contains("_purge_select")),
        "the purge function and its policies are derived, not declared:\n{}",
        all.join("\n")
    );
    let reads = |role: &str| -> Vec<String> {
        block(&all, &format!("role {role} {{"))
            .into_iter()
            .filter(|l| l.starts_with("reads "))
            .collect()
    };
    // As `schemas/workspace.sluice` says: the API reads both, the jobs and
    // the on-call admin read pii, readonly_user neither.
    assert_eq!(reads("service_rw"), vec!["reads pii, phi".to_string()]);
    assert_eq!(reads("jobs_rw"), vec!["reads pii".to_string()]);
    assert_eq!(reads("admin_user"), vec!["reads pii".to_string()]);
    assert_eq!(reads("readonly_user"), Vec::<String>::new());
    for role in ["service_rw", "jobs_rw", "admin_user", "readonly_user"] {
        let b = block(&all, &format!("role {role} {{"));
        assert!(
            b.iter()
                .any(|l| l.starts_with("grant ") && l.ends_with(" on tables")),
            "{role} keeps its grant on tables:\n{}",
            b.join("\n")
        );
    }
}
