//! What `sluice build` says it changed: a `wrote` line for each file that
//! is new or whose bytes differ, a `removed` line for each file an earlier
//! build wrote that this one no longer produces, then a count; the files
//! whose bytes are the same are left as they are on disk.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use crate::drizzle::Scratch;

fn listed<'a>(out: &'a str, verb: &str) -> BTreeSet<&'a str> {
    out.lines()
        .filter_map(|l| l.strip_prefix(verb)?.strip_prefix(' '))
        .collect()
}

fn inode(path: &Path) -> u64 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

#[test]
fn a_second_build_of_the_same_sources_writes_nothing_and_says_it_is_up_to_date() {
    let s = Scratch::new("same-again");
    let first = s.build();
    let files = s.tree().len();
    assert_eq!(listed(&first, "wrote").len(), files, "{first}");
    assert!(
        first
            .lines()
            .any(|l| l == format!("{files} files written, 0 unchanged")),
        "{first}"
    );
    let initial = s.out("core").join("0000_initial.sql");
    let before = inode(&initial);
    let second = s.build();
    assert!(listed(&second, "wrote").is_empty(), "{second}");
    assert!(listed(&second, "removed").is_empty(), "{second}");
    assert!(
        second
            .lines()
            .any(|l| l == format!("up to date: {files} files")),
        "{second}"
    );
    assert_eq!(inode(&initial), before, "an unchanged file was rewritten");
}

#[test]
fn a_build_after_an_edit_lists_exactly_the_files_whose_bytes_changed() {
    let s = Scratch::new("edit-listed");
    s.build();
    let before = s.tree();
    let initial = s.out("core").join("0000_initial.sql");
    let initial_inode = inode(&initial);
    s.add_notes_x();
    let out = s.build();
    let after = s.tree();
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| format!("out/{path}"))
        .collect();
    let wrote: BTreeSet<String> = listed(&out, "wrote")
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(wrote, changed, "{out}");
    assert!(
        wrote.iter().any(|p| p.contains("add_notes_x")),
        "the new migration is listed: {out}"
    );
    let unchanged = after.len() - changed.len();
    assert!(unchanged > 0, "{out}");
    assert!(
        out.lines()
            .any(|l| l == format!("{} files written, {unchanged} unchanged", changed.len())),
        "{out}"
    );
    assert_eq!(
        inode(&initial),
        initial_inode,
        "a file with the same bytes was rewritten in a folder that changed"
    );
}

#[test]
fn a_file_an_earlier_build_wrote_and_this_one_does_not_is_listed_as_removed() {
    let s = Scratch::new("removed-listed");
    s.build();
    let dir = s.out("analytics");
    let lock_path = dir.join("meta/_sluice.lock.json");
    let mut lock: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&lock_path).expect("lock")).expect("JSON");
    let files = lock["files"].as_object_mut().expect("the lock lists files");
    let hash = files["subscribe/sluice_from_core.sql"].clone();
    // A feed an earlier build subscribed to, dropped since.
    files.insert("subscribe/sluice_from_hr.sql".into(), hash);
    fs::write(
        &lock_path,
        serde_json::to_string_pretty(&lock).expect("JSON"),
    )
    .expect("write");
    fs::copy(
        dir.join("subscribe/sluice_from_core.sql"),
        dir.join("subscribe/sluice_from_hr.sql"),
    )
    .expect("copy");
    let out = s.build();
    assert_eq!(
        listed(&out, "removed"),
        BTreeSet::from(["out/analytics/subscribe/sluice_from_hr.sql"]),
        "{out}"
    );
    assert_eq!(
        listed(&out, "wrote"),
        BTreeSet::from(["out/analytics/meta/_sluice.lock.json"]),
        "{out}"
    );
    assert!(!dir.join("subscribe/sluice_from_hr.sql").exists());
    assert!(
        out.lines()
            .any(|l| l.starts_with("1 file written, 1 removed, ")),
        "{out}"
    );
}
