//! Explanations of the codes about compliance declarations: retention
//! (`retain`), the analytics feed and classification.

use super::Code;

/// The explanation of a compliance code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::RetentionWithoutTimestamp => {
            r#"Problem: a table says `retain N UNIT`, but it has no timestamp for the
period to run from: without `after COLUMN`, sluice purges soft-deleted
rows by the soft-delete timestamp (`deleted_at`) and other rows by the
creation timestamp (`created_at`), and the table has neither; or
`after COLUMN` names a column that does not exist or is not a
`timestamptz`, `timestamp` or `date`.
Why it matters: a retention period that nothing can measure would
compile to a purge that never deletes a row, while the declaration
promises that the data goes away.
Fix: keep the conventions' timestamps on the table (remove the
`allow missing-timestamps` exemption), or name the column the period
runs from with `after COLUMN`.
Example:
    // wrong: the table has no created_at or deleted_at
    table tokens {
      allow missing-timestamps "issued by the identity provider"
      issued_on text not null
      retain 30 days
    }
    // right
    table tokens {
      allow missing-timestamps "issued by the identity provider"
      issued_at timestamptz not null
      retain 30 days after issued_at
    }"#
        }
        Code::RetentionWithoutKey => {
            r#"Problem: a table says `retain N UNIT` but has no primary key.
Why it matters: the purge deletes expired rows in batches taken in
primary-key order, so that each batch is a short transaction and an
interrupted purge resumes where it stopped. Without a key there is no
order to page by, and one unbounded delete would lock and bloat the
table.
Fix: give the table a primary key (the `primary_key` convention, or
`primary key (…)`), or remove the `retain`.
Example:
    // wrong: no primary key convention, no key
    table events {
      happened_at timestamptz not null
      retain 90 days after happened_at
    }
    // right
    table events {
      id bigint identity
      primary key (id)
      happened_at timestamptz not null
      retain 90 days after happened_at
    }"#
        }
        Code::ClassifiedColumnPublished => {
            r#"Problem: a table's `publish to PROJECT (columns…)` names a column
classified `pii` or `phi`.
Why it matters: the publication sends those columns to another project's
database (the analytics feed), which must receive no raw personal or
health data. sluice leaves classified columns out of every publication;
naming one says you expect it to arrive, and it would not.
Fix: remove the column from the list, or publish a derived column that
is not personal data (a month instead of a date of birth, a country
instead of an address) computed by the application.
Example:
    // wrong
    table users {
      email text classify pii
      locale text
      publish to analytics (id, org_id, email, locale)
    }
    // right
    table users {
      email text classify pii
      locale text
      publish to analytics (id, org_id, locale)
    }"#
        }
        Code::ClassifiedColumnExposed => {
            r#"Problem: a view reads a column classified `pii` or `phi`, and it runs
with its owner's rights (it is not `security invoker`, or it is
materialized), while a role that does not say `reads pii` (or `reads
phi`) may select the project's views.
Why it matters: such a role is granted every column of the table but the
ones it does not read; a view that runs as its owner reads them for it,
so the column grants would not hold.
Fix: make the view `security invoker` (the caller's column grants then
apply), or leave the classified column out of its query.
Example:
    // wrong
    view LeaveNotes {
      as select id, medical_note from leave_requests
    }
    // right
    view LeaveNotes {
      security invoker
      as select id, medical_note from leave_requests
    }"#
        }
        _ => "",
    }
}
