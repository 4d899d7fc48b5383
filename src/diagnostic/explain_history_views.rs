//! Explanations of codes about what a later phase of the history cannot
//! do on PostgreSQL as written: a view left reading a column the phase
//! drops or renames, an index or key added to a partitioned table.

use super::Code;

/// The explanation of a history-view code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::ViewReadsDroppedColumn => {
            r#"Problem: a phase of the migration history drops or renames a column, and a
view the history created (and has not defined again since) still reads it.
Why it matters: PostgreSQL refuses to drop or rename a column a view uses,
so the phase drops the view first and creates it again afterwards, as the
history defines it. That `CREATE VIEW` names a column that is gone and
fails on the server, after `sluice check` passed, with the migration half
deployed in the eyes of the team. The declarations may already show the
new view: the history is what the database runs.
Fix: define the view again in the same phase, before the step that drops
or renames the column: `drop view V`, then `create view V { … }` with its
new body (as the declarations have it).
Example:
    // wrong: notes_view, created by the initial migration, reads legacy
    migration tidy {
      contract { drop column notes.legacy }
    }
    // fixed:
    migration tidy {
      contract {
        drop view notes_view
        create view notes_view {
          security invoker
          as select id, org_id, title from notes
        }
        drop column notes.legacy
      }
    }"#
        }
        Code::BlockingStepOnPartitionedTable => {
            r#"Problem: a migration after the first adds an index or a foreign key to a
partitioned table that already exists (an `add index`, `add unique` or
`add foreign key` step, or a `drop index` after which the tenant column's
own index comes back).
Why it matters: PostgreSQL builds no index of a partitioned table
`CONCURRENTLY`, and before 18 adds none of its foreign keys `NOT VALID`.
sluice has no online form for them: the build, or the key's validation,
reads every partition while writes to the table wait.
Fix: if the table is small enough, or a maintenance window allows it,
end the step with `unsafe "reason"`: sluice then builds it in the journal
file directly (marked for `sluice lint`). Otherwise give the table the
index or key in the migration that creates it.
Example:
    // wrong: notes is `partition by hash (org_id) into 4`
    migration title_index {
      expand { add index on notes (org_id, title) }
    }
    // fixed:
    migration title_index {
      expand {
        add index on notes (org_id, title) unsafe "2,000 rows: under a second"
      }
    }"#
        }
        _ => "",
    }
}
