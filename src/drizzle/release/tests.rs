//! The release checks on folders built in memory.

use super::*;
use crate::drizzle::{JournalEntry, Lock};

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
    crate::drizzle::to_json(&Journal {
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
