//! A bundled project fully migrated for the RLS attack suite: every journal
//! file of its history in order, each script where `sluice build` says it
//! runs (see `pg_walk`).

use std::path::Path;

use crate::pg::Cluster;

/// Applies every phase of `project` (as built from `c`) on `db`; returns
/// the number of journal files applied.
pub fn migrate(pg: &Cluster, db: &str, c: &sluice::Compilation, project: &str) -> usize {
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    crate::pg_walk::apply_phases(pg, db, &files, project, project, &|| {})
}
