//! The deploy order of the scripts drizzle does not run.
//!
//! Input: the relative paths of one project folder. Output: one [`Step`]
//! per `backfill/<NNNN>_<migration>.sql`, placed between journal entries.
//! drizzle-orm applies every pending journal entry in one transaction, so
//! what cannot run there (batched backfills that commit per batch,
//! `CONCURRENTLY`, a `VALIDATE` that must not share the transaction of its
//! `NOT VALID`) is in these scripts, and a person or a pipeline runs them:
//! after the entry with the same prefix, before the migration's contract
//! entry (whose constraints and drops assume the backfill is done). A
//! script named after a contract entry (`backfill/0003_a_contract.sql`)
//! runs just before that entry. In the 1.x layout the script is the
//! entry folder's `backfill.sql`, with the same rules.

use std::collections::HashMap;

/// One out-of-transaction script and where it goes in the deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `backfill/0001_note_summary.sql`.
    pub script: String,
    /// The journal entry it runs after (`0001_note_summary_expand`).
    pub after: Option<String>,
    /// The journal entry it must run before, when that entry exists yet.
    pub before: Option<String>,
    /// `note_summary`.
    pub migration: String,
}

impl Step {
    /// `after 0001_a_expand, before 0003_a_contract: psql -v ON_ERROR_STOP=1 -f DIR/backfill/…`.
    pub fn describe(&self, dir: &str) -> String {
        let after = match &self.after {
            Some(t) => format!("after {t}"),
            None => "before any journal entry".to_string(),
        };
        let before = match &self.before {
            Some(t) => format!("before {t}"),
            None => format!("before the contract of `{}` is deployed", self.migration),
        };
        let path = if dir.is_empty() {
            self.script.clone()
        } else {
            format!("{}/{}", dir.trim_end_matches('/'), self.script)
        };
        format!("{after}, {before}: psql -v ON_ERROR_STOP=1 -f {path}")
    }
}

/// The out-of-transaction scripts among `paths` (relative to a project
/// folder), in deploy order.
pub fn steps<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Step> {
    let paths: Vec<&str> = paths.into_iter().collect();
    let v1 = steps_v1(&paths);
    if !v1.is_empty() {
        return v1;
    }
    let mut tags: Vec<&str> = paths
        .iter()
        .filter_map(|p| p.strip_suffix(".sql"))
        .filter(|t| super::is_tag(t))
        .collect();
    tags.sort_unstable();
    // The contract tags by what follows their number (`a_contract` for
    // `0003_a_contract`), in order: a script finds its own migration's
    // contract, never that of a migration whose name ends like its own
    // (`b` is not `a_b`), without scanning the tags.
    let mut contracts: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in tags.iter().enumerate() {
        if t.ends_with("_contract") {
            contracts.entry(&t[5..]).or_default().push(i);
        }
    }
    let mut out: Vec<Step> = paths
        .iter()
        .filter_map(|p| {
            let name = p.strip_prefix("backfill/")?.strip_suffix(".sql")?;
            let (prefix, migration) = name.split_once('_')?;
            // The tags sort by their number first: those up to `prefix`
            // come first.
            let upto = tags.partition_point(|t| t[..4] <= *prefix);
            // `backfill/<contract tag>.sql` runs just before that contract.
            if tags.binary_search(&name).is_ok() && name.ends_with("_contract") {
                let earlier = tags.partition_point(|t| *t < name);
                return Some(Step {
                    script: p.to_string(),
                    after: tags[..earlier].last().map(|t| t.to_string()),
                    before: Some(name.to_string()),
                    migration: migration.trim_end_matches("_contract").to_string(),
                });
            }
            let after = tags[..upto].last().map(|t| t.to_string());
            let contract = format!("{migration}_contract");
            let before =
                first_from(contracts.get(contract.as_str()), upto).map(|i| tags[i].to_string());
            Some(Step {
                script: p.to_string(),
                after,
                before,
                migration: migration.to_string(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.script.cmp(&b.script));
    out
}

/// [`steps`] in the 1.x layout: `<folder>/backfill.sql`.
fn steps_v1(paths: &[&str]) -> Vec<Step> {
    let folder_of = |p: &str, file: &str| -> Option<String> {
        let f = p.strip_suffix(file)?;
        super::layout::is_v1_folder_name(f).then(|| f.to_string())
    };
    let mut folders: Vec<String> = paths
        .iter()
        .filter_map(|p| folder_of(p, "/migration.sql"))
        .collect();
    folders.sort_unstable();
    // The folders by entry name, in order.
    let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in folders.iter().enumerate() {
        named.entry(super::v1::name_of(f)).or_default().push(i);
    }
    let mut out: Vec<Step> = paths
        .iter()
        .filter_map(|p| {
            let f = folder_of(p, "/backfill.sql")?;
            let name = super::v1::name_of(&f);
            if let Some(m) = name.strip_suffix("_contract") {
                let earlier = folders.partition_point(|x| *x < f);
                return Some(Step {
                    script: p.to_string(),
                    after: folders[..earlier].last().cloned(),
                    before: Some(f.clone()),
                    migration: m.to_string(),
                });
            }
            let m = name.strip_suffix("_expand").unwrap_or(name);
            let contract = format!("{m}_contract");
            let later = folders.partition_point(|x| *x <= f);
            let before =
                first_from(named.get(contract.as_str()), later).map(|i| folders[i].clone());
            Some(Step {
                script: p.to_string(),
                after: Some(f.clone()),
                before,
                migration: m.to_string(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.script.cmp(&b.script));
    out
}

/// The first of the ordered positions `at` from `from` on.
fn first_from(at: Option<&Vec<usize>>, from: usize) -> Option<usize> {
    let at = at?;
    at.get(at.partition_point(|&i| i < from)).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_1x_backfill_runs_after_its_entry_and_before_its_contract() {
        let s = steps([
            "20240101000000_initial/migration.sql",
            "20240101000001_a_expand/migration.sql",
            "20240101000001_a_expand/backfill.sql",
            "20240101000001_a_expand/rollback.sql",
            "20240101000002_a_contract/migration.sql",
            "20240101000002_a_contract/backfill.sql",
        ]);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].describe("out"),
            "after 20240101000001_a_expand, before 20240101000002_a_contract: \
             psql -v ON_ERROR_STOP=1 -f out/20240101000001_a_expand/backfill.sql"
        );
        assert_eq!(
            s[1].describe(""),
            "after 20240101000001_a_expand, before 20240101000002_a_contract: \
             psql -v ON_ERROR_STOP=1 -f 20240101000002_a_contract/backfill.sql"
        );
    }

    use super::*;

    #[test]
    fn a_backfill_runs_after_its_expand_and_before_its_contract() {
        let paths = [
            "0000_initial.sql",
            "0001_note_summary_expand.sql",
            "0002_rename_body_expand.sql",
            "0003_note_summary_contract.sql",
            "backfill/0001_note_summary.sql",
            "rollback/0001_note_summary_expand.sql",
        ];
        let s = steps(paths);
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].describe("drizzle/notes"),
            "after 0001_note_summary_expand, before 0003_note_summary_contract: \
             psql -v ON_ERROR_STOP=1 -f drizzle/notes/backfill/0001_note_summary.sql"
        );
    }

    #[test]
    fn a_backfill_waits_for_its_own_contract_not_one_whose_name_ends_like_it() {
        let s = steps([
            "0000_initial.sql",
            "0001_b_expand.sql",
            "0002_a_b_expand.sql",
            "0003_a_b_contract.sql",
            "0004_b_contract.sql",
            "backfill/0001_b.sql",
        ]);
        assert_eq!(
            s[0].describe(""),
            "after 0001_b_expand, before 0004_b_contract: \
             psql -v ON_ERROR_STOP=1 -f backfill/0001_b.sql"
        );
    }

    #[test]
    fn a_contract_not_yet_emitted_is_named_by_its_migration() {
        let s = steps([
            "0000_initial.sql",
            "0001_a_expand.sql",
            "backfill/0001_a.sql",
        ]);
        assert_eq!(
            s[0].describe(""),
            "after 0001_a_expand, before the contract of `a` is deployed: \
             psql -v ON_ERROR_STOP=1 -f backfill/0001_a.sql"
        );
    }

    #[test]
    fn a_script_named_after_a_contract_runs_just_before_it() {
        let s = steps([
            "0000_initial.sql",
            "0001_a_expand.sql",
            "0002_b_expand.sql",
            "0003_a_contract.sql",
            "backfill/0001_a.sql",
            "backfill/0003_a_contract.sql",
        ]);
        assert_eq!(
            s[1].describe(""),
            "after 0002_b_expand, before 0003_a_contract: \
             psql -v ON_ERROR_STOP=1 -f backfill/0003_a_contract.sql"
        );
        assert_eq!(s[1].migration, "a");
    }

    #[test]
    fn no_backfill_no_step() {
        assert!(steps(["0000_initial.sql", "rollback/0000_initial.sql"]).is_empty());
    }
}
