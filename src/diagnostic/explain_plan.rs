//! Explanations of the codes `sluice plan` reports, and of the rename hint.

use super::Code;

/// The explanation of a plan code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::PlanNeedsBackfill => {
            r#"Problem: a column declared `not null` without a default is new to a table the
history has already created, so the table may hold rows that have no value
for it. `sluice plan` cannot invent that value, so it wrote nothing for the
project.
Why it matters: `ADD COLUMN … NOT NULL` fails on a table with rows, and a
guessed value would be wrong data.
Fix: give the column a `default` in its declaration and plan again, or write
the migration by hand: add the column nullable, backfill it with an
expression, and set it `not null` in the contract.
Example:
    // declared: rank integer not null
    migration add_rank {
      expand { add column notes.rank integer }
      backfill notes.rank = 0 where rank is null
      contract { set not null notes.rank }
    }"#
        }
        Code::PlanPossibleRename => {
            r#"Problem: a column of a table disappears from the declarations while a new one
of the same type appears. It may be a rename; `sluice plan` will not guess,
so it wrote nothing for the project.
Why it matters: planned as a drop and an add, a rename would lose the
column's data. Planned as a rename, a real drop and add would keep data
that should go.
A table that disappears while a new one with the same columns appears is
reported the same way.
Fix: if it is a rename, say so on the declaration with `was OLD_NAME`, plan,
and remove the hint once the migration exists. If it is not, plan in two
steps: remove the old column and plan, then add the new one and plan.
Example:
    // wrong: body vanished, content appeared
    table notes { content text }
    // fixed
    table notes { content text was body }
    // a table: notes vanished, documents appeared with its columns
    table documents was notes { … }"#
        }
        Code::PlanUnsupportedChange => {
            r#"Problem: `sluice plan` met a change it has no safe recipe for (a table's
tenancy, owner or primary key), or the migration it planned does not pass
`sluice check` (the errors that follow point into the planned text). It
wrote nothing.
Why it matters: a migration that check refuses would not build, and a
change of tenancy or key rewrites the table's identity: it needs a decision.
Fix: write that migration by hand with the steps the errors suggest, or
change the declarations back, then plan what remains.
Example:
    // tenancy changed on an existing table: write it by hand
    migration tenant_tags {
      expand { add column tags.org_id uuid }
      backfill tags.org_id = (select org_id from notes limit 1)
      contract { set not null tags.org_id }
    }"#
        }
        Code::RenameHintDone => {
            r#"Problem: a column (or a table: `table NEW was OLD`) says `was OLD`, but the
migration history already renames OLD to it, or the project has no history
to rename in.
Why it matters: the hint only tells `sluice plan` to write a rename. Once the
migration exists it does nothing, and a later column named OLD would be
mistaken for the old one.
Fix: remove `was OLD` from the declaration.
Example:
    // after 0003_rename_body renamed body to content
    table notes { content text was body }
    // fixed
    table notes { content text }"#
        }
        _ => "",
    }
}
