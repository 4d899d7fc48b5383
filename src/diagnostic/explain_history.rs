//! Explanations of the migration-history codes.

use super::Code;

/// The explanation of a history code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::SchemaDrift => {
            r#"Problem: the tables declared in the project differ from the tables its
migration history builds when replayed from an empty database: a column,
type, nullability, default, index, constraint, foreign key or policy is
on one side only, or a table's or column's comment or classification
differs (`classify column t.c pii`, `comment on table t "…"`); likewise
an enum, view, function, extension or role grant (`sluice plan` writes
the `create extension`, `grant`, `revoke` or `drop extension` step).
Why it matters: the database is built by the migrations, not by the
declarations. A declaration the history does not match is a lie about
production; `sluice build` would emit migrations that do not produce it.
Fix: add the step that closes the gap to a new migration (the help names
it), or correct the declaration.
Example:
    // declared: summary text not null, but no migration adds it
    migration note_summary {
      expand { add column notes.summary text }
      backfill notes.summary = coalesce(left(body, 200), '')
      contract { set not null notes.summary }
    }"#
        }
        Code::ContractInSameDeploy => {
            r#"Problem: a migration's contract phase (drops, `SET NOT NULL`, the end of a
rename) would ship in the same deploy as its expand phase: the migration
releases its own contract, or a release names a migration that runs later.
Why it matters: the contract is only safe once no running app version needs
the old shape. Applied together with the expand, the old version that is
still serving traffic during the rollout breaks (a dropped column, a column
it never writes becoming NOT NULL).
Fix: ship the expand, deploy the app version that uses the new shape, then
add `release NAME` to a later migration; its next build appends the
contract phase to the journal. When no old app version can be running (a
table nobody uses yet), say so: `release NAME together "reason"`.
Example:
    migration note_summary {
      expand { add column notes.summary text }
      contract { set not null notes.summary }
      release note_summary          // wrong: same deploy
    }
    migration tags { after note_summary
      release note_summary          // right: a later deploy
      expand { add column notes.tags text[] }
    }"#
        }
        Code::MigrationCycle => {
            r#"Problem: migrations wait for each other in a circle through `after`.
Why it matters: no order applies them all; sluice cannot build the
history at all.
Fix: remove one `after` of the cycle. A migration waits only for
migrations written before it.
Example:
    migration a { after b  add column notes.x text }
    migration b { after a  add column notes.y text }
    // fixed: migration b { after a … } and migration a without `after`"#
        }
        Code::ParallelMigrations => {
            r#"Problem: two migrations change the same table but neither comes after
the other: each names the same earlier migration in `after`, as happens
when two branches are merged side by side.
Why it matters: their relative order was never decided by anyone; the
second may assume a table the first changed, and deploys can differ
between environments.
Fix: make one wait for the other with `after`.
Example:
    migration add_pinned  { after initial  add column notes.pinned boolean }
    migration add_starred { after initial  add column notes.starred boolean }
    // fixed: migration add_starred { after add_pinned … }"#
        }
        _ => "",
    }
}
