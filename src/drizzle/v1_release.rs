//! Release integrity for the Drizzle 1.x layout.
//!
//! Input: the files a build would write for one project, in the journal
//! shape ([`crate::emit`]), and the project folder on disk. Output: the
//! project's files in the 1.x layout ([`super::v1`]), each entry's folder
//! name settled against the disk, plus diagnostics.
//!
//! drizzle-orm 1.0 records an applied migration by its folder name, so a
//! released folder keeps its name (and its timestamp) for ever. A folder
//! on disk whose `migration.sql` is in `meta/_sluice.lock.json` is one sluice
//! released: the N-th of them is the workspace's N-th journal entry, and
//! its `migration.sql`, `rollback.sql` and `backfill.sql` never change
//! (`released-file-edited` for a hand edit, `released-migration-changed`
//! for a workspace that would now write them differently). Folders sluice
//! did not write (a history `drizzle-kit generate` wrote before sluice took
//! over) come first and are left untouched; sluice's first snapshot follows
//! their last one. New entries get a timestamp one second after everything
//! before them, at the earliest 2024-01-01T00:00:00Z plus their index in
//! seconds. Only reads the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use super::integrity::{changed, contracts_with_their_expand, diff, edited};
use super::Files;
use super::{sha256_hex, v1, Lock, LOCK};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Project;
use crate::span::Span;

/// The files of a released entry that never change.
const FROZEN: [&str; 3] = [v1::MIGRATION, "rollback.sql", "backfill.sql"];

/// One `<14 digits>_<name>/` folder holding a `migration.sql`.
#[derive(Debug)]
struct Folder {
    name: String,
    secs: u64,
    /// File name inside the folder → bytes.
    files: BTreeMap<String, Vec<u8>>,
}

/// Relay the project's files into the 1.x layout and check them against
/// `dir`. `Err` only when the disk cannot be read.
pub fn settle(
    p: &Project,
    dir: &Path,
    files: &mut Files,
    scope: &super::draft::Scope,
    digests: &super::upgrade::Digests,
    head: &dyn Fn(Span) -> Span,
) -> io::Result<Vec<Diagnostic>> {
    let shown = |rel: &str| dir.join(rel).display().to_string();
    let mut out = Vec::new();
    let (folders, lock) = match read(dir)? {
        (folders, Ok(lock)) => (folders, lock),
        (_, Err(e)) => {
            out.push(edited(&shown(LOCK), "cannot be read").help(format!(
                "restore it from version control ({e}); it holds the hashes of the released files"
            )));
            return Ok(out);
        }
    };
    // The project's journal-shaped files, taken out of the build.
    let mut mine: Vec<(String, String)> = Vec::new();
    let keys: Vec<_> = files
        .keys()
        .filter(|k| k.starts_with(dir))
        .cloned()
        .collect();
    for key in keys {
        let text = files.remove(&key).unwrap_or_default();
        if let Some(rel) = key.strip_prefix(dir).ok().and_then(|r| r.to_str()) {
            mine.push((rel.replace('\\', "/"), text));
        }
    }
    let tags: Vec<String> = super::journal_tags(&mine)
        .into_iter()
        .map(str::to_string)
        .collect();
    let recorded = |rel: &str| lock.files.get(rel);
    let is_recorded = |f: &Folder| recorded(&format!("{}/{}", f.name, v1::MIGRATION)).is_some();
    let produced_names: BTreeSet<&str> = tags.iter().map(|t| v1::name_of(t)).collect();
    let is_produced = |f: &Folder| produced_names.contains(v1::name_of(&f.name));
    // The history sluice continues: the leading folders it did not write.
    // A folder `drizzle-kit up` converted from sluice's 0.x journal is
    // sluice's (its lock is gone, its name is the one sluice gives).
    let first_ours = folders
        .iter()
        .position(|f| is_recorded(f) || is_produced(f))
        .unwrap_or(folders.len());
    let (foreign, mut ours): (Vec<&Folder>, Vec<&Folder>) = (
        folders[..first_ours].iter().collect(),
        folders[first_ours..].iter().collect(),
    );
    if let Some(late) = ours.iter().find(|f| !is_recorded(f) && !is_produced(f)) {
        out.push(
            Diagnostic::of(
                Code::ReleasedMigrationChanged,
                format!(
                    "`{}` was not written by sluice and comes after its migrations",
                    shown(&late.name)
                ),
            )
            .at(head(p.span))
            .help("sluice owns the history after its first migration: move the change into the workspace as a migration and remove the folder (after restoring it in any database that ran it)"),
        );
        return Ok(out);
    }
    // Drafts are rewritten like new entries: only the released folders
    // keep their names and bind the build.
    let migrations: Vec<String> = ours
        .iter()
        .map(|f| format!("{}/{}", f.name, v1::MIGRATION))
        .collect();
    ours.truncate(scope.released(&migrations));
    let mut names: Vec<(String, String)> = Vec::new();
    let mut last = foreign.iter().chain(&ours).map(|f| f.secs).max();
    for (i, tag) in tags.iter().enumerate() {
        let name = match ours.get(i) {
            Some(f) => {
                if v1::name_of(&f.name) != v1::name_of(tag) {
                    out.push(
                        Diagnostic::of(
                            Code::ReleasedMigrationChanged,
                            format!(
                                "`{}` is released entry {i}, the workspace now puts `{}` there",
                                shown(&f.name),
                                v1::name_of(tag)
                            ),
                        )
                        .at(head(p.span))
                        .help("released entries keep their place; add new migrations after the last released one"),
                    );
                }
                f.name.clone()
            }
            None => {
                let secs = last.map_or(v1::default_secs(i), |l| v1::default_secs(i).max(l + 1));
                last = Some(secs);
                v1::folder_name(secs, tag)
            }
        };
        names.push((tag.clone(), name));
    }
    for f in ours.iter().skip(tags.len()) {
        out.push(changed(
            p,
            &format!("{}/{}", f.name, v1::MIGRATION),
            &shown(&f.name),
            "is released but no longer produced by the workspace",
            head,
        ));
    }
    let start = start_of(&foreign);
    let relaid = v1::relayout(mine, &names, start.as_ref());
    for (rel, text) in &relaid {
        files.insert(dir.join(rel), text.clone());
    }
    // Released files this version writes differently from an unchanged
    // migration are kept as they are (warnings, after the checks).
    let released: Vec<(String, String, Option<&[u8]>)> = ours
        .iter()
        .zip(&tags)
        .flat_map(|(f, tag)| {
            FROZEN.map(|file| {
                let bytes = f.files.get(file).map(Vec::as_slice);
                (format!("{}/{file}", f.name), tag.clone(), bytes)
            })
        })
        .collect();
    let kept = super::upgrade::keep_unchanged(p, dir, &released, Some(&lock), digests, files, head);
    let produced: BTreeMap<String, Vec<u8>> = relaid
        .iter()
        .map(|(r, _)| {
            let now = files
                .get(&dir.join(r))
                .map(String::as_bytes)
                .unwrap_or_default();
            (r.clone(), now.to_vec())
        })
        .collect();
    for f in &ours {
        for file in FROZEN {
            let rel = format!("{}/{file}", f.name);
            out.extend(check_file(
                p,
                &rel,
                &shown(&rel),
                f.files.get(file),
                recorded(&rel),
                produced.get(rel.as_str()).map(Vec::as_slice),
                head,
            ));
        }
    }
    if out.is_empty() && !ours.is_empty() {
        let released: BTreeSet<&str> = tags.iter().take(ours.len()).map(String::as_str).collect();
        out.extend(contracts_with_their_expand(
            p,
            &released,
            &tags,
            &dir.display().to_string(),
            head,
        ));
    }
    out.extend(kept);
    super::relock(dir, files);
    Ok(out)
}

/// One frozen file of a released entry: on disk, as recorded, as produced now.
fn check_file(
    p: &Project,
    rel: &str,
    shown: &str,
    on_disk: Option<&Vec<u8>>,
    recorded: Option<&String>,
    produced: Option<&[u8]>,
    head: &dyn Fn(Span) -> Span,
) -> Option<Diagnostic> {
    match (on_disk, recorded) {
        (None, None) => None,
        (Some(bytes), Some(hash)) if &sha256_hex(bytes) != hash => {
            let mut d = edited(shown, "was edited after sluice wrote it")
                .help("restore it from version control and write the change as a new migration; databases that already ran this file never run it again");
            if let Some(new) = produced.filter(|new| &sha256_hex(new) == hash) {
                d.message.push_str(&format!(
                    ":\n{}",
                    diff(rel, new, bytes, "as sluice wrote it", "on disk")
                ));
            }
            Some(d)
        }
        (None, Some(hash)) => {
            let restorable = produced.is_some_and(|new| &sha256_hex(new) == hash);
            (!restorable).then(|| {
                edited(shown, "is released but missing")
                    .help("restore it from version control; databases that already ran it keep its effects")
            })
        }
        (Some(bytes), _) => match produced {
            Some(new) if new == bytes.as_slice() => None,
            Some(new) => {
                let mut d = changed(
                    p,
                    rel,
                    shown,
                    "would now be written with different content",
                    head,
                );
                let change = diff(rel, bytes, new, "released", "from the workspace now");
                d.message.push_str(&format!(":\n{change}"));
                Some(d)
            }
            None => Some(changed(
                p,
                rel,
                shown,
                "is no longer produced by the workspace",
                head,
            )),
        },
    }
}

/// The last snapshot id and the rows of a history sluice continues:
/// its snapshots replayed in folder order (a base, then diffs).
fn start_of(history: &[&Folder]) -> Option<super::v1_ddl::Start> {
    let mut out: Option<super::v1_ddl::Start> = None;
    for f in history {
        let Some(snap) = f
            .files
            .get(v1::SNAPSHOT)
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        else {
            continue;
        };
        let Some(id) = snap["id"].as_str() else {
            continue;
        };
        let mut rows = out.take().map(|(_, r)| r).unwrap_or_default();
        super::v1_ddl::apply(&mut rows, &snap);
        out = Some((id.to_string(), rows));
    }
    out
}

/// The migration folders of `dir` in name order, and its lock (empty when
/// there is none; `Err` with the reason when it is unreadable).
fn read(dir: &Path) -> io::Result<(Vec<Folder>, Result<Lock, String>)> {
    // A build killed between its two renames left the folder here; the
    // next write restores it, so it is what is released.
    let backup = super::siblings::backup_of(dir);
    let dir = if !dir.exists() && backup.is_dir() {
        backup.as_path()
    } else {
        dir
    };
    let lock = match fs::read(dir.join(LOCK)) {
        Ok(bytes) => serde_json::from_slice::<Lock>(&bytes).map_err(|e| e.to_string()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Lock::default()),
        Err(e) => return Err(e),
    };
    let mut folders = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((folders, lock)),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Symbolic links are neither read nor followed.
        if !entry.file_type()?.is_dir() || !super::layout::is_v1_folder_name(&name) {
            continue;
        }
        if !entry.path().join(v1::MIGRATION).is_file() {
            continue;
        }
        let mut files = BTreeMap::new();
        for file in fs::read_dir(entry.path())? {
            let file = file?;
            if file.file_type()?.is_file() {
                let n = file.file_name().to_string_lossy().into_owned();
                files.insert(n, fs::read(file.path())?);
            }
        }
        let Some(secs) = v1::secs_of(&name) else {
            continue;
        };
        folders.push(Folder { name, secs, files });
    }
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((folders, lock))
}
