//! Explanations of the output-folder codes: release integrity and layout.

use super::Code;

/// The explanation of an output-folder code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::ReleasedMigrationChanged => {
            r#"Problem: a migration file that is already in the output folder (its
journal entry is released) would now be written with other content, or
not at all: the migration it came from was edited, removed or moved.
Why it matters: databases that already ran the file never run it again;
drizzle records only that it ran. Editing it makes production and new
databases differ without anyone noticing.
Fix: put the old migration back as it was and write the change as a new
migration after it. The diagnostic shows the diff of the change.
Example:
    // released: expand { add column notes.summary text }
    // wrong: editing it to add column notes.summary varchar(200)
    // fixed: a new migration
    migration summary_length {
      expand { change type notes.summary varchar(200) }
    }"#
        }
        Code::ReleasedFileEdited => {
            r#"Problem: a released file of the output folder (a journal entry, its
rollback or backfill script, or the journal) no longer has the SHA-256
that `meta/_sluice.lock.json` recorded when sluice wrote it: it was
edited by hand, deleted or reordered.
Why it matters: databases that ran the original never see the edit; new
databases do. sluice does not overwrite the edit silently, since it may
be a fix someone still needs.
Fix: restore the file (`git checkout -- FILE`) and write the change as a
new migration in the workspace, then run `sluice build` again.
Example:
    // wrong: editing drizzle/notes/0001_note_summary_expand.sql by hand
    // fixed:
    migration note_summary_fix {
      expand { add index notes (summary) }
    }"#
        }
        Code::DrizzleV1Layout => {
            r#"Problem: the output folder has the Drizzle 1.x layout
(`<14 digits>_<name>/migration.sql`, no `meta/_journal.json`), or the
nearest `package.json` asks for drizzle-kit or drizzle-orm 1.x.
Why it matters: sluice writes the 0.x layout (a journal and numbered
files). The 1.x migrator refuses a folder with a journal, and a folder
with both layouts applies neither correctly.
Fix: keep drizzle-kit 0.31 and drizzle-orm 0.45 (the stable line) in
`package.json`, or write plain SQL files with `target plain` in the
workspace block, or point `out` at another folder.
Example:
    // package.json: "drizzle-kit": "1.0.0-beta.2"   -> refused
    // package.json: "drizzle-kit": "^0.31.11"       -> fine
    workspace app {
      target plain   // or keep drizzle with the 0.x packages
    }"#
        }
        Code::UnsafeOutputFolder => {
            r#"Problem: a project's output folder (`<out>/<project>`) is the workspace
folder, contains it, or holds its `.sluice` sources; or a file that sluice
did not write (it is not in `meta/_sluice.lock.json`) sits where the build
would write one of its own.
Why it matters: a build replaces its project folders as a whole. Pointed
at the workspace it would bury the sources under generated files, and a
file in the way would be overwritten. sluice never deletes or overwrites
what it did not write: files of its own folders that it did not write (a
README, seed data) are carried over untouched, and anything else stops
the build before it writes.
Fix: point `out` (relative to the workspace folder) or `--out` at a folder
of its own, such as `../drizzle`; move the file that is in the way.
Example:
    workspace app {
      out "."            // wrong: the projects' folders are the sources
    }
    workspace app {
      out "../drizzle"   // fixed: drizzle/<project> beside the workspace
    }"#
        }
        Code::OutputFolderBusy => {
            r#"Problem: another `sluice build` holds the lock of the same output
folder (a file under `sluice-locks-<uid>/` in the system's temporary folder) and
did not finish within a few seconds.
Why it matters: two builds writing one folder at once could mix their
files, or one could remove what the other wrote. A build takes the lock
before it reads the folder and keeps it until its files are in place; the
lock goes with the process, so a killed build never leaves it held.
Fix: wait for the other build and run it again. If none is running, a
process that inherited the lock is still alive: end it.
Example:
    sluice build & sluice build   // the second waits, then reports this"#
        }
        _ => "",
    }
}
