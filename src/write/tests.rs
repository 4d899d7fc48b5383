//! The write's all-or-nothing swaps, its modules and its lock-only folders.

use super::*;

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_swap_that_fails_after_another_folder_was_swapped_restores_both() {
    let root = std::env::temp_dir().join(format!("sluice-write-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let mut old = Files::new();
    let mut new = Files::new();
    for p in ["a", "b"] {
        old.insert(root.join(p).join("0000_initial.sql"), format!("old {p}"));
        old.insert(root.join(p).join("meta/_journal.json"), "{}".into());
        new.insert(root.join(p).join("0000_initial.sql"), format!("new {p}"));
        new.insert(root.join(p).join("rollback/0000_initial.sql"), "x".into());
    }
    write(&old).expect("the first write");
    let before = tree(&root);
    FAIL_SWAP_OF.with(|f| *f.borrow_mut() = Some(root.join("b")));
    let result = write(&new);
    FAIL_SWAP_OF.with(|f| *f.borrow_mut() = None);
    assert!(result.is_err());
    assert_eq!(
        tree(&root),
        before,
        "folder `a` was swapped and not restored"
    );
    write(&new).expect("a later write");
    assert_eq!(
        fs::read_to_string(root.join("a/0000_initial.sql"))
            .ok()
            .as_deref(),
        Some("new a")
    );
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_module_beside_the_applications_files_is_replaced_alone() {
    let root = std::env::temp_dir().join(format!("sluice-write-ts-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("app")).expect("mkdir");
    fs::write(root.join("app/client.ts"), "mine").expect("an application file");
    fs::write(root.join("app/notes.ts"), "old").expect("the previous module");
    let mut files = Files::new();
    files.insert(root.join("out/notes/0000_initial.sql"), "x".into());
    files.insert(root.join("app/notes.ts"), "new".into());
    write(&files).expect("the write");
    assert_eq!(
        fs::read_to_string(root.join("app/notes.ts"))
            .ok()
            .as_deref(),
        Some("new")
    );
    assert_eq!(
        fs::read_to_string(root.join("app/client.ts"))
            .ok()
            .as_deref(),
        Some("mine")
    );
    assert_eq!(stale(&files).expect("readable"), Vec::<PathBuf>::new());
    let leftovers: Vec<_> = fs::read_dir(root.join("app"))
        .expect("read")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("sluice-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    fs::write(root.join("app/notes.ts"), "edited").expect("edit");
    assert_eq!(
        stale(&files).expect("readable"),
        vec![root.join("app/notes.ts")]
    );
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn nested_output_folders_belong_to_their_project() {
    assert_eq!(
        project_folder(Path::new("out/notes/rollback/0000_initial.sql")),
        PathBuf::from("out/notes")
    );
    assert_eq!(
        project_folder(Path::new("out/notes/0000_initial.sql")),
        PathBuf::from("out/notes")
    );
    for script in [
        "out/analytics/subscribe/sluice_from_notes.sql",
        "out/notes/schedule/sluice_purge.sql",
    ] {
        assert_eq!(
            project_folder(Path::new(script)),
            PathBuf::from(script.rsplitn(3, '/').nth(2).expect("a project folder"))
        );
    }
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).expect("on disk").ino()
}

/// Two project folders `a` and `b`, written once, whose locks say `lock`.
fn two_folders(root: &Path, lock: &str, a_sql: &str) -> Files {
    let mut files = Files::new();
    for p in ["a", "b"] {
        files.insert(root.join(p).join("0000_initial.sql"), format!("sql {p}"));
        files.insert(root.join(p).join("meta/_journal.json"), "{}".into());
        files.insert(root.join(p).join(crate::drizzle::LOCK), lock.into());
    }
    files.insert(root.join("a/0000_initial.sql"), a_sql.into());
    files
}

#[test]
fn a_folder_whose_lock_alone_changed_keeps_its_folder_and_gets_the_new_lock() {
    let root = std::env::temp_dir().join(format!("sluice-write-lock-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    write(&two_folders(&root, "old", "sql a")).expect("the first write");
    let (a, b) = (inode(&root.join("a")), inode(&root.join("b")));
    let changed = write(&two_folders(&root, "new", "sql a, edited")).expect("a second write");
    assert_eq!(changed.written.len(), 3, "{changed:?}");
    assert_ne!(
        inode(&root.join("a")),
        a,
        "`a` changed beyond its lock: swapped"
    );
    assert_eq!(inode(&root.join("b")), b, "`b` changed in its lock alone");
    assert_eq!(
        fs::read_to_string(root.join("b").join(crate::drizzle::LOCK))
            .ok()
            .as_deref(),
        Some("new")
    );
    assert_eq!(
        stale(&two_folders(&root, "new", "sql a, edited")).expect("readable"),
        Vec::<PathBuf>::new()
    );
    // Locks alone changed everywhere: one folder holds the marker.
    let (a, b) = (inode(&root.join("a")), inode(&root.join("b")));
    write(&two_folders(&root, "newer", "sql a, edited")).expect("a third write");
    let swapped = [inode(&root.join("a")) != a, inode(&root.join("b")) != b];
    assert_eq!(swapped.iter().filter(|s| **s).count(), 1, "{swapped:?}");
    for p in ["a", "b"] {
        assert_eq!(
            fs::read_to_string(root.join(p).join(crate::drizzle::LOCK))
                .ok()
                .as_deref(),
            Some("newer")
        );
    }
    let leftovers: Vec<_> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".sluice-"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = fs::remove_dir_all(&root);
}
