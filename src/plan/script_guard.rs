//! Guards for journal entries that stand on an index an earlier entry's
//! script builds: a foreign key to a tenant-scoped `(org_id, id)` key,
//! built `CONCURRENTLY` by the script after the phase that first needed
//! it. Nothing records whether that script ran, and drizzle applies every
//! pending entry in one transaction: deployed without it, the later entry
//! fails on PostgreSQL ("no unique constraint matching given keys"). The
//! guard refuses first, naming the script to run, and the whole
//! transaction rolls back.
//!
//! Input: a phase's plan, and the indexes earlier phases' scripts build
//! (index key → script file, relative to the migrations folder). Output:
//! the guard statement put first in the plan's journal file, and this
//! phase's own script-built indexes added to the map.

use std::collections::BTreeMap;

use serde::Serialize;

use super::phase::{attr, PhasePlan};
use super::stmt::{Key, Stmt};

/// Index key → the script that builds it.
pub type Scripted = BTreeMap<Key, String>;

/// Put the guard first in `plan.forward` when one of its statements needs
/// an index of `scripted`; then record the indexes `plan`'s script builds
/// as built by `script`.
pub fn require(plan: &mut PhasePlan, tag: &str, script: &str, scripted: &mut Scripted) {
    #[derive(Serialize)]
    struct Check {
        schema: String,
        index: String,
        message: String,
        hint: String,
    }
    let mut checks: Vec<Check> = Vec::new();
    for s in &plan.forward {
        for dep in &s.deps {
            let Some(built_by) = scripted.get(dep) else {
                continue;
            };
            let Key::Other(k) = dep else { continue };
            let index = k.trim_start_matches("index ").to_string();
            if checks.iter().any(|c| c.index == index) {
                continue;
            }
            let what = match s.template {
                "add_foreign_key" => format!("foreign key {}", attr(s, "name")),
                _ => s.label.clone(),
            };
            checks.push(Check {
                schema: attr(s, "schema"),
                message: format!(
                    "{tag} refused: the unique index {index}, which {what} stands on, is built by \
                     {built_by}, which has not run to its end; the migration's transaction is \
                     rolled back"
                ),
                hint: format!(
                    "run {built_by} of this migrations folder first (psql -v ON_ERROR_STOP=1 -f \
                     <folder>/{built_by}), then migrate again"
                ),
                index,
            });
        }
    }
    if !checks.is_empty() {
        plan.forward.insert(
            0,
            Stmt::new(
                "index_guard",
                format!("GuardIndexes {tag}"),
                minijinja::context! { checks },
                Key::Other(format!("index guard {tag}")),
            ),
        );
    }
    for s in &plan.script {
        if s.label.starts_with("CreateIndexConcurrently ")
            || s.label.starts_with("CreateUniqueIndexConcurrently ")
        {
            scripted.insert(s.key.clone(), script.to_string());
        }
    }
}
