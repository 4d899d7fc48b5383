//! An emitted project applied on PostgreSQL as a team ships it: every
//! journal file in order, each script where `sluice build` says it runs
//! (after its expand, or before its contract).
//!
//! Input: the files `sluice::emit::workspace` wrote under `out/`. Output:
//! the database migrated; a failing file or script panics with its name.

use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

/// Applies every phase of `project` from `files` (emitted into `out`) on
/// `db`, running `after_first` right after the first journal file; `label`
/// names the deploy in failures. Returns the number of journal files.
pub fn apply_phases(
    pg: &Cluster,
    db: &str,
    files: &sluice::emit::Files,
    project: &str,
    label: &str,
    after_first: &dyn Fn(),
) -> usize {
    let root = Path::new("out").join(project);
    let get = |rel: &str| files.get(&root.join(rel)).cloned();
    let journal: Vec<String> = files
        .keys()
        .filter(|p| p.parent() == Some(root.as_path()) && p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            p.file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(!journal.is_empty(), "{label}: no journal files");
    for tag in &journal {
        if tag.ends_with("_contract") {
            if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                psql(pg, db, "pre.sql", &script)
                    .unwrap_or_else(|e| panic!("{label}: the script before {tag}:\n{e}"));
            }
        }
        let up = get(&format!("{tag}.sql")).expect("the journal file");
        apply(pg, db, &format!("{label} {tag}"), &up);
        if tag.starts_with("0000_") {
            after_first();
        }
        if let Some(migration) = tag.get(5..).map(|m| m.trim_end_matches("_expand")) {
            if !tag.ends_with("_contract") {
                if let Some(script) = get(&format!("backfill/{}_{migration}.sql", &tag[..4])) {
                    psql(pg, db, "script.sql", &script)
                        .unwrap_or_else(|e| panic!("{label}: the script of {tag}:\n{e}"));
                }
            }
        }
    }
    journal.len()
}
