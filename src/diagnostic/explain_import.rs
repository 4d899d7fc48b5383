//! Explanations of the codes of `sluice import` and its `baseline`.

use super::Code;

/// The explanation of an import code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::MisplacedBaseline => {
            r#"Problem: a migration marked `baseline` is not the project's first
migration, or it does more than create objects (`after`, `release`,
`backfill`, `contract`, or a step that changes an existing object).
Why it matters: a baseline records the objects an adopted database already
holds. `sluice build` never emits it and drizzle never runs it, so any change
written in it would silently never reach the database.
Fix: keep the baseline as the first migration with only `create` (and raw
`sql`) steps; write every change in an ordinary migration after it.
Example:
    // wrong: a change inside the baseline is never applied
    migration baseline {
      baseline
      create table notes { title text not null }
      add column notes.pinned boolean not null default false
    }
    // fixed: the change is a migration of its own
    migration baseline {
      baseline
      create table notes { title text not null }
    }
    migration add_pinned {
      add column notes.pinned boolean not null default false
    }"#
        }
        Code::ImportKeptRawSql => {
            r#"Problem: the imported database holds an object that the DSL cannot
express yet (a trigger sluice did not generate, a rule, a grant outside the
roles' conventions, an exotic type). The import kept its definition as a raw
`sql $$ … $$` step of the baseline migration.
Why it matters: nothing is lost, but sluice does not check or manage the
object: it is neither compared for drift nor re-created by a build from
scratch.
Fix: replace the raw step by declarations when the DSL can say it, or keep it
and own it by hand. Each kept object is listed with its kind and name.
Example:
    migration baseline {
      baseline
      create table notes { title text not null }
      // kept by the import: trigger notes_search_refresh on notes
      sql $$ CREATE TRIGGER notes_search_refresh … $$ irreversible "imported"
    }"#
        }
        Code::ImportWouldOverwrite => {
            r#"Problem: `sluice import` would write a project folder or a
`workspace.sluice` that already exists.
Why it matters: an import writes a whole project at once; overwriting a
folder would destroy hand-written declarations and history.
Fix: import into a new workspace folder, or a project name the workspace
does not have yet, or move the existing folder away first.
Example:
    sluice import --database postgres://… --project notes imported/
    // wrong when imported/notes/ exists already; pick another folder"#
        }
        _ => "",
    }
}
