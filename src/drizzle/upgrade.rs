//! Released files this version of sluice would write differently.
//!
//! Input: a project, the compiled sources, the journal tags a build
//! produces, and the digests recorded in the folder's lock. Output: a
//! digest of each entry's source (recorded in `meta/_sluice.lock.json`
//! under `sources`), the verdict for a released file whose bytes would
//! change, and the warning for one that is kept.
//!
//! A released file whose migration did not change (same digest as when it
//! was built) but which this version would write with other bytes changed
//! because sluice's own output changed, as after an upgrade. Such a file is
//! kept byte-for-byte as on disk, with `released-output-changed` (a
//! warning): new behaviour applies to new entries only. When the source
//! changed, or the lock records no digest (written before sluice recorded
//! them), the difference stays `released-migration-changed`.
//!
//! An entry's digest covers the workspace files, then, in journal order,
//! each entry's tag and the text of the migration it came from (for an
//! entry without one, the project's declaration files): an entry's digest
//! changes when anything it was compiled from may have changed.

use std::collections::BTreeMap;
use std::path::Path;

use super::integrity::{diff, migration_of};
use super::{sha256_hex, to_json, Files, Lock, LOCK};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Project;
use crate::source::{FileKind, Sources};
use crate::span::Span;

/// Journal tag → digest of what the entry was compiled from.
pub type Digests = BTreeMap<String, String>;

/// The digest of every tag of `tags` (journal order) of project `p`.
pub fn digests(sources: &Sources, p: &Project, tags: &[String]) -> Digests {
    let files_of = |keep: &dyn Fn(&FileKind) -> bool| {
        let mut text = String::new();
        for (_, f) in sources.iter().filter(|(_, f)| keep(&f.kind)) {
            text.push_str(&f.name);
            text.push('\n');
            text.push_str(&f.text);
            text.push('\n');
        }
        text
    };
    let workspace = files_of(&|k| *k == FileKind::Workspace);
    let declarations = files_of(&|k| *k == FileKind::Project(p.name.clone()));
    let mut prev = sha256_hex(format!("sluice-sources-1\n{workspace}").as_bytes());
    let mut out = Digests::new();
    for tag in tags {
        let text = match migration_of(p, &format!("{tag}.sql")) {
            Some((_, span)) if (span.file.0 as usize) < sources.len() => sources.text(span),
            _ => declarations.as_str(),
        };
        prev = sha256_hex(format!("{prev}\n{tag}\n{text}").as_bytes());
        out.insert(tag.clone(), prev.clone());
    }
    out
}

/// The recorded and the current digest of the entry `tag` agree: its
/// source did not change since the file was written.
pub fn same_source(recorded: Option<&Lock>, now: &Digests, tag: &str) -> bool {
    let was = recorded.and_then(|l| l.sources.get(tag));
    was.is_some_and(|was| now.get(tag) == Some(was))
}

/// The warning for released file `rel` (shown as `shown`), kept as `old`
/// although this version would write `new`.
pub fn kept(
    p: &Project,
    rel: &str,
    shown: &str,
    old: &[u8],
    new: &[u8],
    head: &dyn Fn(Span) -> Span,
) -> Diagnostic {
    let d = Diagnostic::of(
        Code::ReleasedOutputChanged,
        format!(
            "released file `{shown}` is kept as it is on disk; this version of sluice would write it differently from the same migration:\n{}",
            diff(rel, old, new, "released, kept", "this version")
        ),
    )
    .help("nothing to do: released files never change, and new migrations get this version's output; if the difference matters, write it as a new migration");
    match migration_of(p, rel) {
        Some((name, span)) => d
            .at(head(span))
            .label(format!("migration `{name}` is unchanged")),
        None => d.at(head(p.span)),
    }
}

/// Keep each released file `(rel, tag, bytes on disk)` that sluice wrote (its bytes match
/// the lock), that this version would write differently, and whose entry's
/// source is unchanged: its bytes on disk replace the new ones in `files`,
/// with a warning each. A file kept by an earlier build whose output now is
/// what it was then is kept too, whatever changed in the sources since: the
/// lock records that output under `emitted`. Everything else is left to the
/// release checks.
#[allow(clippy::too_many_arguments)]
pub fn keep_unchanged(
    p: &Project,
    dir: &Path,
    released: &[(String, String, Option<&[u8]>)],
    lock: Option<&Lock>,
    digests: &Digests,
    files: &mut Files,
    head: &dyn Fn(Span) -> Span,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut emitted = BTreeMap::new();
    for (rel, tag, old) in released {
        let Some(old) = *old else { continue };
        let written = lock.and_then(|l| l.files.get(rel.as_str()));
        if written != Some(&sha256_hex(old)) {
            continue;
        }
        let path = dir.join(rel);
        let Some(new) = files.get(&path).filter(|new| new.as_bytes() != old) else {
            continue;
        };
        // Kept before with this very output: what changed since (a
        // workspace file, say) did not change this file.
        let new_hash = sha256_hex(new.as_bytes());
        let kept_before = lock.and_then(|l| l.emitted.get(rel.as_str())) == Some(&new_hash);
        if !kept_before && !same_source(lock, digests, tag) {
            continue;
        }
        let Ok(text) = String::from_utf8(old.to_vec()) else {
            continue;
        };
        let shown = path.display().to_string();
        out.push(kept(p, rel, &shown, old, new.as_bytes(), head));
        files.insert(path, text);
        emitted.insert(rel.clone(), new_hash);
    }
    if !out.is_empty() {
        super::relock(dir, files);
        let path = dir.join(LOCK);
        if let Some(mut l) = files
            .get(&path)
            .and_then(|t| serde_json::from_str::<Lock>(t).ok())
        {
            l.emitted.extend(emitted);
            files.insert(path, to_json(&l));
        }
    }
    out
}

/// Record `digests` in the lock among `files` of the project folder `dir`.
pub fn record(dir: &Path, files: &mut Files, digests: &Digests) {
    let path = dir.join(LOCK);
    let Some(mut lock) = files
        .get(&path)
        .and_then(|t| serde_json::from_str::<Lock>(t).ok())
    else {
        return;
    };
    lock.sources = digests.clone();
    files.insert(path, to_json(&lock));
}
