//! Release integrity: what is already on disk binds what a build may write.
//!
//! Input: the files a build would write ([`crate::emit::Files`], pure
//! functions of the workspace) and the project folders on disk. Output: the
//! same files with the journal's `when` values settled against the journal
//! on disk (and the lock file recomputed), plus diagnostics.
//!
//! A journal entry on disk is *released*: its SQL file, its rollback and its
//! backfill scripts (same 4-digit prefix) may have run somewhere, so a build
//! never changes them. Entries after the last one committed to git are
//! drafts ([`super::draft`]): left out here, they are rewritten like new
//! entries. Released entries keep their place, tag and `when`;
//! new entries are only appended, each with a `when` later than every entry
//! before it (drizzle-orm skips, silently and forever, an entry whose `when`
//! is not greater than the last one it recorded). What sluice wrote is in
//! `meta/_sluice.lock.json` (SHA-256 per file): a released file whose bytes
//! differ from its recorded hash was edited by hand (`released-file-edited`);
//! a released file the workspace would now write differently, or no longer
//! write, is `released-migration-changed`, with the diff. Both are errors:
//! the build then writes nothing. Everything here only reads the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use super::integrity::diff;
use super::integrity::{changed, contracts_with_their_expand, edited};
use super::Files;
use super::{layout, sha256_hex, Journal, JournalEntry, Lock, JOURNAL, LOCK};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Target};
use crate::source::Sources;
use crate::span::Span;
use crate::Compilation;

/// A build's files after release checks.
#[derive(Debug)]
pub struct Settled {
    /// What to write: the emitted files with `when` values kept from disk.
    pub files: Files,
    /// Released files that changed, hand edits, a 1.x layout.
    pub diagnostics: Vec<Diagnostic>,
}

/// The folder a project is written to, as [`crate::emit::workspace`] puts it.
pub fn project_dir(p: &Project, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) => o.join(&p.name),
        None => PathBuf::from(&p.out),
    }
}

/// Check every project folder against the files a build would write, and
/// settle the journals. `Err` only when the disk cannot be read.
pub fn settle(
    c: &Compilation,
    out: Option<&Path>,
    mut files: Files,
    reemit: super::Reemit,
    scope: super::Snapshots,
) -> io::Result<Settled> {
    let ws = &c.workspace;
    let head = |span: Span| first_line(&c.sources, span);
    let mut diagnostics = Vec::new();
    if ws.settings.target != Target::Drizzle {
        return Ok(Settled { files, diagnostics });
    }
    let mode = match super::draft::mode() {
        Ok(mode) => mode,
        Err(value) => {
            diagnostics.push(super::draft::invalid_mode(&value));
            return Ok(Settled { files, diagnostics });
        }
    };
    for p in &ws.projects {
        let digests = |tags: &[String]| super::upgrade::digests(&c.sources, p, tags);
        let dir = project_dir(p, out);
        match layout::detect(&dir)? {
            Err(d) => {
                diagnostics.push(d.at(head(p.span)));
                continue;
            }
            Ok(layout::Layout::V1) => {
                let scope = super::draft::scope(&dir, mode);
                let digests = digests(&super::journal_tags_of(&files, &dir));
                diagnostics.extend(super::v1_release::settle(
                    p, &dir, &mut files, &scope, &digests, &head,
                )?);
                super::upgrade::record(&dir, &mut files, &digests);
                continue;
            }
            Ok(layout::Layout::V0) => {}
        }
        let mut disk = OnDisk::read(&dir)?;
        let history = disk.history(&super::journal_tags_of(&files, &dir));
        if !history.entries.is_empty() {
            continue_history(c, p, &dir, &history, &mut files, (reemit, scope))?;
        }
        let skip = history.entries.len();
        // Drafts are rewritten like new entries: only the released ones
        // bind the build.
        let tags: Vec<String> = disk
            .entries
            .iter()
            .map(|e| format!("{}.sql", e.tag))
            .collect();
        let released = super::draft::scope(&dir, mode).released(&tags).max(skip);
        disk.entries.truncate(released);
        let digests = digests(&super::journal_tags_of(&files, &dir));
        let kept = keep_unchanged(p, &dir, &disk, skip, &digests, &mut files, &head);
        diagnostics.extend(kept);
        diagnostics.extend(check_project(p, &dir, &disk, &files, &head, skip));
        settle_journal(&dir, &disk, &mut files);
        super::kept::keep(&dir, &disk.files, disk.lock.as_ref(), &mut files);
        super::upgrade::record(&dir, &mut files, &digests);
    }
    Ok(Settled { files, diagnostics })
}

/// Emit project `p` again, its journal entries numbered after `history`
/// (entries sluice did not write), in place of its files in `files`.
fn continue_history(
    c: &Compilation,
    p: &Project,
    dir: &Path,
    history: &super::History,
    files: &mut Files,
    (reemit, scope): (super::Reemit, super::Snapshots),
) -> io::Result<()> {
    let ws = &c.workspace;
    let (mut produced, states) = reemit(p, history.entries.len())?;
    // The psql scripts do not depend on the numbering: they stay, listed
    // in the lock like the rest.
    let scripts = |rel: &Path| rel.starts_with("subscribe") || rel.starts_with("schedule");
    for (path, text) in files.iter() {
        if let Ok(rel) = path.strip_prefix(dir) {
            if scripts(rel) {
                produced.push((rel.to_string_lossy().replace('\\', "/"), text.clone()));
            }
        }
    }
    let meta = super::meta_after(ws, p, &produced, &states, history, scope);
    files.retain(|path, _| !path.starts_with(dir) || path.extension().is_some_and(|e| e == "ts"));
    for (name, text) in produced.into_iter().chain(meta) {
        files.insert(dir.join(name), text);
    }
    Ok(())
}

/// Released files of the folder that this version would write differently
/// from an unchanged source: kept as on disk in `files`, with a warning each.
fn keep_unchanged(
    p: &Project,
    dir: &Path,
    disk: &OnDisk,
    skip: usize,
    digests: &super::upgrade::Digests,
    files: &mut Files,
    head: &dyn Fn(Span) -> Span,
) -> Vec<Diagnostic> {
    let by_prefix: BTreeMap<&str, &str> = disk
        .entries
        .iter()
        .skip(skip)
        .map(|e| (e.tag.split('_').next().unwrap_or(""), &*e.tag))
        .collect();
    let tag_of = |rel: &str| -> Option<String> {
        let file = rel.rsplit('/').next()?;
        let prefix = file.split('_').next()?;
        by_prefix.get(prefix).map(|t| t.to_string())
    };
    let released: Vec<(String, String, Option<&[u8]>)> = disk
        .released(skip)
        .into_iter()
        .filter_map(|rel| {
            let tag = tag_of(&rel)?;
            let bytes = disk.files.get(&rel).map(Vec::as_slice);
            Some((rel, tag, bytes))
        })
        .collect();
    super::upgrade::keep_unchanged(p, dir, &released, disk.lock.as_ref(), digests, files, head)
}

/// What a project folder holds now.
#[derive(Debug, Default)]
struct OnDisk {
    /// The journal's entries, if there is a readable journal.
    entries: Vec<JournalEntry<'static>>,
    journal_text: Option<String>,
    /// The journal exists but is not a journal.
    journal_error: Option<String>,
    lock: Option<Lock>,
    lock_error: Option<String>,
    /// Every file of the folder, relative path with `/` → bytes.
    files: BTreeMap<String, Vec<u8>>,
    /// Symbolic links (and other entries that are neither a file nor a
    /// folder), relative path with `/`: never read through.
    links: BTreeSet<String>,
}

impl OnDisk {
    fn read(dir: &Path) -> io::Result<OnDisk> {
        let mut disk = OnDisk::default();
        // A build killed between its two renames left the folder here; the
        // next write restores it, so it is what is released.
        let backup = super::siblings::backup_of(dir);
        let dir = if !dir.exists() && backup.is_dir() {
            backup.as_path()
        } else {
            dir
        };
        if !dir.is_dir() {
            return Ok(disk);
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            let kind = entry.file_type();
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !kind.is_file() && !kind.is_dir() {
                disk.links.insert(rel);
            } else if kind.is_file() {
                disk.files.insert(rel, fs::read(entry.path())?);
            }
        }
        if let Some(bytes) = disk.files.get(JOURNAL) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            match serde_json::from_str::<Journal<'static>>(&text) {
                Ok(j) => disk.entries = j.entries,
                Err(e) => disk.journal_error = Some(e.to_string()),
            }
            disk.journal_text = Some(text);
        }
        if let Some(bytes) = disk.files.get(LOCK) {
            match serde_json::from_slice::<Lock>(bytes) {
                Ok(l) => disk.lock = Some(l),
                Err(e) => disk.lock_error = Some(e.to_string()),
            }
        }
        Ok(disk)
    }

    /// The journal entries at its head that sluice did not write (their
    /// file is not in the lock, and the workspace does not produce their
    /// tag): a history `drizzle-kit generate` wrote, which sluice continues.
    fn history(&self, produced: &[String]) -> super::History {
        let recorded = |tag: &str| {
            self.lock
                .as_ref()
                .is_some_and(|l| l.files.contains_key(&format!("{tag}.sql")))
        };
        let entries: Vec<JournalEntry<'static>> = self
            .entries
            .iter()
            .take_while(|e| !recorded(&e.tag) && !produced.iter().any(|t| *t == *e.tag))
            .cloned()
            .collect();
        let last_id = entries.last().and_then(|e| {
            let prefix = e.tag.split('_').next()?;
            let bytes = self.files.get(&format!("meta/{prefix}_snapshot.json"))?;
            let json: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            json["id"].as_str().map(str::to_string)
        });
        super::History { entries, last_id }
    }

    /// The released files: each journal entry's SQL file, its rollback, and
    /// the backfill scripts with its prefix (on disk or recorded in the lock),
    /// leaving out the first `skip` entries (a history sluice continues).
    fn released(&self, skip: usize) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let recorded = self.lock.iter().flat_map(|l| l.files.keys());
        let known: BTreeSet<&String> = self.files.keys().chain(recorded).collect();
        // Looked up per file, not scanned per entry and file: a long
        // history has thousands of both.
        let tags: BTreeSet<&str> = self.entries.iter().skip(skip).map(|e| &*e.tag).collect();
        let prefixes: BTreeSet<&str> = self
            .entries
            .iter()
            .skip(skip)
            .map(|e| e.tag.split('_').next().unwrap_or(""))
            .collect();
        for e in self.entries.iter().skip(skip) {
            out.insert(format!("{}.sql", e.tag));
        }
        for path in known {
            let rollback = path
                .strip_prefix("rollback/")
                .and_then(|rest| rest.strip_suffix(".sql"))
                .is_some_and(|tag| tags.contains(tag));
            // `backfill/<prefix>_…`: the prefix has no `_` of its own.
            let backfill = path
                .strip_prefix("backfill/")
                .and_then(|rest| rest.split_once('_'))
                .is_some_and(|(prefix, _)| prefixes.contains(prefix));
            if rollback || backfill {
                out.insert(path.to_string());
            }
        }
        out
    }
}

/// The diagnostics of one project folder; its first `skip` journal entries
/// are a history sluice continues and does not own.
fn check_project(
    p: &Project,
    dir: &Path,
    disk: &OnDisk,
    files: &Files,
    head: &dyn Fn(Span) -> Span,
    skip: usize,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let shown = |rel: &str| dir.join(rel).display().to_string();
    if let Some(e) = &disk.journal_error {
        out.push(edited(&shown(JOURNAL), "is not a Drizzle journal any more").help(format!(
            "restore it from version control ({e}); sluice appends to it and never rewrites released entries"
        )));
        return out;
    }
    if let Some(e) = &disk.lock_error {
        out.push(edited(&shown(LOCK), "cannot be read").help(format!(
            "restore it from version control ({e}); it holds the hashes of the released files"
        )));
        return out;
    }
    let recorded = |rel: &str| disk.lock.as_ref().and_then(|l| l.files.get(rel));
    if let (Some(text), Some(hash)) = (&disk.journal_text, recorded(JOURNAL)) {
        if &sha256_hex(text.as_bytes()) != hash {
            out.push(
                edited(&shown(JOURNAL), "was edited after sluice wrote it (entries reordered, added or changed by hand)")
                    .help("restore it from version control; to add a migration, write it in the workspace and run `sluice build`, which appends it"),
            );
            return out;
        }
    }
    for rel in disk.released(skip) {
        let linked = disk
            .links
            .iter()
            .any(|l| rel == *l || rel.starts_with(&format!("{l}/")));
        if linked {
            out.push(
                edited(&shown(&rel), "was replaced by a symbolic link (or lies under one)")
                    .help("replace the link with the released file from version control; sluice neither reads nor writes through links"),
            );
            continue;
        }
        let on_disk = disk.files.get(&rel);
        let produced = files.get(&dir.join(&rel)).map(String::as_bytes);
        let rec = recorded(&rel);
        match (on_disk, rec) {
            (Some(bytes), Some(hash)) if &sha256_hex(bytes) != hash => {
                let mut d = edited(&shown(&rel), "was edited after sluice wrote it")
                    .help("restore it from version control and write the change as a new migration; databases that already ran this file never run it again");
                if let Some(new) = produced.filter(|new| &sha256_hex(new) == hash) {
                    d.message.push_str(&format!(
                        ":\n{}",
                        diff(&rel, new, bytes, "as sluice wrote it", "on disk")
                    ));
                }
                out.push(d);
            }
            (None, rec) => {
                let restorable = produced
                    .zip(rec)
                    .is_some_and(|(new, h)| &sha256_hex(new) == h);
                if !restorable {
                    out.push(
                        edited(&shown(&rel), "is released (named by the journal) but missing")
                            .help("restore it from version control; databases that already ran it keep its effects"),
                    );
                }
            }
            (Some(bytes), _) => match produced {
                Some(new) if new == bytes.as_slice() => {}
                Some(new) => {
                    let mut d = changed(
                        p,
                        &rel,
                        &shown(&rel),
                        "would now be written with different content",
                        head,
                    );
                    let change = diff(&rel, bytes, new, "released", "from the workspace now");
                    d.message.push_str(&format!(":\n{change}"));
                    out.push(d);
                }
                None => out.push(changed(
                    p,
                    &rel,
                    &shown(&rel),
                    "is no longer produced by the workspace",
                    head,
                )),
            },
        }
    }
    if out.is_empty() && !disk.entries.is_empty() {
        let released: BTreeSet<&str> = disk.entries.iter().map(|e| &*e.tag).collect();
        let produced = super::journal_tags_of(files, dir);
        let journal = dir.join(JOURNAL).display().to_string();
        out.extend(contracts_with_their_expand(
            p, &released, &produced, &journal, head,
        ));
    }
    if out.is_empty() {
        let produced = super::journal_tags_of(files, dir);
        for (i, e) in disk.entries.iter().enumerate().skip(skip) {
            let i = i - skip;
            if produced.get(i).map(String::as_str) != Some(&*e.tag) {
                let now = produced
                    .get(i)
                    .map_or("nothing".to_string(), |t| format!("`{t}`"));
                out.push(
                    Diagnostic::of(
                        Code::ReleasedMigrationChanged,
                        format!(
                            "the journal `{}` has `{}` as entry {i}, the workspace now puts {now} there",
                            shown(JOURNAL),
                            e.tag
                        ),
                    )
                    .at(head(p.span))
                    .help("released entries keep their place; add new migrations after the last released one"),
                );
                break;
            }
        }
    }
    out
}

/// `when` of each entry: the released entries keep theirs; each new entry
/// gets the later of its deterministic default and one millisecond after
/// the latest `when` before it. Then the lock is recomputed.
fn settle_journal(dir: &Path, disk: &OnDisk, files: &mut Files) {
    let journal_path = dir.join(JOURNAL);
    let Some(text) = files.get(&journal_path) else {
        return;
    };
    let Ok(mut journal) = serde_json::from_str::<Journal<'static>>(text) else {
        return;
    };
    let mut latest: Option<u64> = None;
    for (i, entry) in journal.entries.iter_mut().enumerate() {
        let released = disk
            .entries
            .get(i)
            .filter(|e| e.tag == entry.tag)
            .map(|e| e.when);
        let default = entry.when;
        let when = released.unwrap_or_else(|| latest.map_or(default, |l| default.max(l + 1)));
        latest = Some(latest.map_or(when, |l| l.max(when)));
        entry.when = when;
    }
    let settled = super::to_json(&journal);
    if &settled == text {
        return;
    }
    files.insert(journal_path, settled);
    super::relock(dir, files);
}

/// The first line of a span: a declaration's head, not its whole block.
fn first_line(sources: &Sources, span: Span) -> Span {
    if span.file.0 as usize >= sources.len() {
        return span;
    }
    let text = &sources.get(span.file).text;
    let Some(inside) = text.get(span.start as usize..span.end as usize) else {
        return span;
    };
    let line = inside.split('\n').next().unwrap_or("");
    let line = line.trim_end_matches(['{', ' ', '\r']);
    Span::new(
        span.file,
        span.start as usize,
        span.start as usize + line.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(idx: usize, tag: &str, when: u64) -> JournalEntry<'static> {
        JournalEntry {
            idx,
            version: "7".into(),
            when,
            tag: tag.to_string().into(),
            breakpoints: true,
        }
    }

    fn journal_text(entries: Vec<JournalEntry<'static>>) -> String {
        super::super::to_json(&Journal {
            version: "7".into(),
            dialect: "postgresql".into(),
            entries,
        })
    }

    fn whens(files: &Files, dir: &Path) -> Vec<u64> {
        let j: Journal = serde_json::from_str(&files[&dir.join(JOURNAL)]).expect("journal");
        j.entries.iter().map(|e| e.when).collect()
    }

    const TAGS: [&str; 3] = ["0000_initial", "0001_a_expand", "0002_b_expand"];

    fn emitted(dir: &Path) -> Files {
        let mut files = Files::new();
        let entries = TAGS
            .iter()
            .enumerate()
            .map(|(i, t)| entry(i, t, super::super::when(i)))
            .collect();
        files.insert(dir.join(JOURNAL), journal_text(entries));
        for t in TAGS {
            files.insert(dir.join(format!("{t}.sql")), format!("-- {t}\n"));
        }
        super::super::relock(dir, &mut files);
        files
    }

    #[test]
    fn new_entries_come_after_a_journal_with_real_timestamps() {
        let dir = Path::new("out/notes");
        let mut files = emitted(dir);
        let real = 1_750_000_000_000;
        let disk = OnDisk {
            entries: vec![entry(0, TAGS[0], real), entry(1, TAGS[1], real + 5)],
            ..OnDisk::default()
        };
        settle_journal(dir, &disk, &mut files);
        assert_eq!(whens(&files, dir), [real, real + 5, real + 6]);
        let lock: Lock = serde_json::from_str(&files[&dir.join(LOCK)]).expect("lock");
        assert_eq!(
            lock.files[JOURNAL],
            sha256_hex(files[&dir.join(JOURNAL)].as_bytes()),
            "the lock records the settled journal"
        );
    }

    #[test]
    fn a_fresh_folder_keeps_the_deterministic_whens() {
        let dir = Path::new("out/notes");
        let mut files = emitted(dir);
        let before = files.clone();
        settle_journal(dir, &OnDisk::default(), &mut files);
        assert_eq!(files, before);
        let disk = OnDisk {
            entries: vec![entry(0, TAGS[0], super::super::when(0))],
            ..OnDisk::default()
        };
        settle_journal(dir, &disk, &mut files);
        assert_eq!(
            files, before,
            "an earlier build of the same folder changes nothing"
        );
    }

    #[test]
    fn a_reordered_journal_without_a_lock_is_reported() {
        let c = crate::compile(Path::new("schemas")).expect("schemas/ loads");
        let p = &c.workspace.projects[0];
        let dir = Path::new("out/x");
        let files = emitted(dir);
        let mut disk = OnDisk {
            entries: vec![entry(0, TAGS[1], 1), entry(1, TAGS[0], 2)],
            ..OnDisk::default()
        };
        for t in TAGS {
            disk.files
                .insert(format!("{t}.sql"), format!("-- {t}\n").into_bytes());
        }
        let diags = check_project(p, dir, &disk, &files, &|s| s, 0);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::ReleasedMigrationChanged);
        assert!(
            diags[0].message.contains("has `0001_a_expand` as entry 0"),
            "{}",
            diags[0].message
        );
        disk.entries.swap(0, 1);
        assert!(check_project(p, dir, &disk, &files, &|s| s, 0).is_empty());
    }

    #[test]
    fn backfill_and_rollback_scripts_of_an_entry_are_released_with_it() {
        let mut disk = OnDisk {
            entries: vec![entry(0, TAGS[0], 1), entry(1, TAGS[1], 2)],
            ..OnDisk::default()
        };
        for f in [
            "0001_a_expand.sql",
            "rollback/0001_a_expand.sql",
            "backfill/0001_a.sql",
            "backfill/0002_b.sql",
            "meta/0001_snapshot.json",
        ] {
            disk.files.insert(f.to_string(), Vec::new());
        }
        let released: Vec<String> = disk.released(0).into_iter().collect();
        assert_eq!(
            released,
            [
                "0000_initial.sql",
                "0001_a_expand.sql",
                "backfill/0001_a.sql",
                "rollback/0001_a_expand.sql"
            ]
        );
    }
}
