//! A bundled project fully migrated for the RLS attack suite: every journal
//! file of its history in order, each script where `sluice build` says it
//! runs (after its expand, or before its contract).

use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

/// Applies every phase of `project` (as built from `c`) on `db`; returns
/// the number of journal files applied.
pub fn migrate(pg: &Cluster, db: &str, c: &sluice::Compilation, project: &str) -> usize {
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
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
    assert!(!journal.is_empty(), "{project}: no journal files");
    for tag in &journal {
        if tag.ends_with("_contract") {
            if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                psql(pg, db, "pre.sql", &script)
                    .unwrap_or_else(|e| panic!("{project}: the script before {tag}:\n{e}"));
            }
        }
        let up = get(&format!("{tag}.sql")).expect("the journal file");
        apply(pg, db, &format!("{project}/{tag}"), &up);
        if !tag.ends_with("_contract") && !tag.starts_with("0000_") {
            let migration = tag[5..].trim_end_matches("_expand");
            if let Some(script) = get(&format!("backfill/{}_{migration}.sql", &tag[..4])) {
                psql(pg, db, "script.sql", &script)
                    .unwrap_or_else(|e| panic!("{project}: the script of {tag}:\n{e}"));
            }
        }
    }
    journal.len()
}
