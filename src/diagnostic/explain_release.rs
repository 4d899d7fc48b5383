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
            r#"Problem: the output folder has one Drizzle layout and the nearest
`package.json` asks for the other: a 0.x folder (`meta/_journal.json`)
under a `package.json` that pins drizzle-kit or drizzle-orm 1.x, a 1.x
folder (`<14 digits>_<name>/migration.sql`) under one that pins 0.x, or
a folder holding both.
Why it matters: sluice writes the layout the project uses: 1.x when the
folder has it or `package.json` asks for it, else 0.x. The 1.x migrator
refuses a folder with a journal, the 0.x migrator reads only the
journal, and a folder with both applies neither correctly.
Fix: before upgrading, write every snapshot with `sluice build
--every-snapshot` and convert the 0.x folder with `npx drizzle-kit up`
(drizzle-kit 1.0), or pin the packages that match the folder, or point
`out` at a new folder.
Example:
    // "drizzle-kit": "1.0.0-rc.5", meta/_journal.json -> refused
    // "drizzle-kit": "1.0.0-rc.5", a new folder       -> 1.x layout
    // "drizzle-kit": "^0.31.11"                       -> 0.x layout
    workspace app {
      out "../drizzle"
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
