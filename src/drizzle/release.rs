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
use std::io;
use std::path::{Path, PathBuf};

pub use super::integrity::diff;
mod on_disk;
mod split;

use super::integrity::{changed, contracts_with_their_expand, edited};
use super::Files;
use super::{layout, sha256_hex, Journal, JOURNAL, LOCK};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Target};
use crate::source::Sources;
use crate::span::Span;
use crate::Compilation;
use on_disk::OnDisk;

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
    let dirs: Vec<PathBuf> = ws.projects.iter().map(|p| project_dir(p, out)).collect();
    let settle_one = |i: usize, files: &mut Files| {
        settle_project(c, &ws.projects[i], &dirs[i], files, mode, (reemit, scope))
    };
    diagnostics.extend(split::each_folder(&dirs, &mut files, settle_one)?);
    Ok(Settled { files, diagnostics })
}

/// Check one project folder against the files a build would write (the
/// build's files under `dir`), and settle its journal.
fn settle_project(
    c: &Compilation,
    p: &Project,
    dir: &Path,
    files: &mut Files,
    mode: super::draft::Mode,
    (reemit, scope): (super::Reemit, super::Snapshots),
) -> io::Result<Vec<Diagnostic>> {
    let head = |span: Span| first_line(&c.sources, span);
    let digests = |tags: &[String]| super::upgrade::digests(&c.sources, p, tags);
    match layout::detect(dir)? {
        Err(d) => return Ok(vec![d.at(head(p.span))]),
        Ok(layout::Layout::V1) => {
            let scope = super::draft::scope(dir, mode);
            let digests = digests(&super::journal_tags_of(files, dir));
            let found = super::v1_release::settle(p, dir, files, &scope, &digests, &head)?;
            super::upgrade::record(dir, files, &digests);
            return Ok(found);
        }
        Ok(layout::Layout::V0) => {}
    }
    let mut disk = OnDisk::read(dir)?;
    let history = disk.history(&super::journal_tags_of(files, dir));
    if !history.entries.is_empty() {
        continue_history(c, p, dir, &history, files, (reemit, scope))?;
    }
    let skip = history.entries.len();
    // Drafts are rewritten like new entries: only the released ones
    // bind the build.
    let tags: Vec<String> = disk
        .entries
        .iter()
        .map(|e| format!("{}.sql", e.tag))
        .collect();
    let released = super::draft::scope(dir, mode).released(&tags).max(skip);
    disk.entries.truncate(released);
    let digests = digests(&super::journal_tags_of(files, dir));
    let mut diagnostics = keep_unchanged(p, dir, &disk, skip, &digests, files, &head);
    diagnostics.extend(check_project(p, dir, &disk, files, &head, skip));
    settle_journal(dir, &disk, files);
    super::kept::keep(dir, &disk.files, disk.lock.as_ref(), files);
    super::upgrade::record(dir, files, &digests);
    Ok(diagnostics)
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
mod tests;
