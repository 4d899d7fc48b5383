//! Explanations of the codes `sluice verify` reports from a live server.

use super::Code;

/// The explanation of a verify code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::PostgresNotFound => {
            r#"Problem: `sluice verify` deploys to a throwaway PostgreSQL server it
starts itself, and found no server programs (`initdb`, `pg_ctl`,
`postgres`) of the wanted major version, or they did not start.
Why it matters: without a server nothing is verified; verify never
falls back to a silent pass.
Fix: install the server of the workspace's `postgres` version, or point
`--pg-bin DIR` or `SLUICE_PG_BIN` at the folder holding `initdb`; or give
a scratch database with `--database URL`.
Example:
    apt-get install postgresql-16
    sluice verify --pg-bin /usr/lib/postgresql/16/bin"#
        }
        Code::DatabaseNotEmpty => {
            r#"Problem: the database given to `--database` already holds tables.
Why it matters: verify creates, seeds, rolls back and drops objects; on
a database with data it would change that data, and its catalog
comparisons would see objects it did not create.
Fix: give it an empty scratch database (a new Neon branch, `createdb`),
or pass `--allow-existing` when that database is meant to be used.
Example:
    createdb verify_scratch
    sluice verify --database postgres://localhost/verify_scratch"#
        }
        Code::DeployFailed => {
            r#"Problem: a journal entry, an out-of-transaction script or a rollback
failed on the server while verify deployed the workspace on tables
holding rows.
Why it matters: the same failure would stop the deploy in production,
with the app half way between two versions.
Fix: read the server's message; the usual causes are a `not null`
added before the backfill that fills it, or a raw SQL step (or its
`inverse`) that does not run on the state it meets.
Example:
    // wrong: the rows have no value yet
    expand { add column notes.rank integer not null }
    // fixed: nullable, backfilled, then set not null in contract
    expand { add column notes.rank integer }
    backfill notes.rank = 0
    contract { set not null notes.rank }"#
        }
        Code::SeedFailed => {
            r#"Problem: before a phase, verify fills every table with rows generated
from its catalog (types, defaults, enums, foreign keys, the two orgs),
trying a few values per column to meet its checks; for this table no
value it tried met them.
Why it matters: the phase then ran on an empty table there, so a scan
or rewrite of that table was not seen.
Fix: give the column a default that meets the check, or loosen a check
no plain value can meet.
Example:
    // hard to meet with generated values
    code text not null check (code ~ '^[A-Z]{3}-[0-9]{4}$')
    // met by its default
    code text not null default 'ABC-0001' check (code ~ '^[A-Z]{3}-[0-9]{4}$')"#
        }
        Code::TenantLeak => {
            r#"Problem: on the fully deployed database, a role that does not own the
schema saw or changed a row of another org: reading a tenant table,
updating, deleting, moving a row to another org, inserting a row for
another org, reading a view, or calling a set-returning function with
another org's id.
Why it matters: one tenant reads or writes another tenant's data.
Fix: keep every policy confined to the org setting; make views
`security_invoker`; never let a `security definer` function choose the
org from its arguments.
Example:
    // wrong: runs as the owner and takes the org from the caller
    function NotesOf(org uuid) returns setof notes security definer ...
    // fixed: reads the caller's org from the setting, under RLS
    function NotesOf() returns setof notes security invoker ..."#
        }
        Code::RollbackMismatch => {
            r#"Problem: a phase's rollback script did not give back the catalog
(tables, columns, constraints, indexes, policies, functions, views,
grants, roles) as it was before that phase, or applying the phase again
after its rollback gave another catalog.
Why it matters: a rollback is the way back from a bad deploy; one that
leaves objects behind or drops too much turns the way back into another
incident.
Fix: give the raw SQL step an `inverse` that undoes exactly what it
does, or mark it `irreversible "reason"` so its rollback refuses.
Example:
    // wrong: the inverse leaves the comment behind
    sql $$ comment on table notes is 'reviewed' $$ inverse $$ select 1 $$
    // fixed
    sql $$ comment on table notes is 'reviewed' $$
      inverse $$ comment on table notes is null $$"#
        }
        Code::InvalidIndexLeft => {
            r#"Problem: after the deploy, an index is marked invalid: a `CREATE INDEX
CONCURRENTLY` failed part way and left it behind.
Why it matters: an invalid index is still maintained on every write but
never used by queries, and a re-run with `IF NOT EXISTS` skips it.
Fix: the script must drop the invalid index and build it again; sluice's
backfill scripts do. A hand-written step must too.
Example:
    DROP INDEX CONCURRENTLY IF EXISTS notes_title_idx;
    CREATE INDEX CONCURRENTLY notes_title_idx ON notes (title);"#
        }
        Code::NotValidConstraintLeft => {
            r#"Problem: after the deploy, a check or foreign key is still `NOT VALID`.
Why it matters: old rows are not proven to satisfy it, and the planner
cannot rely on it. It is expected while the contract phase that
validates it is pending.
Fix: release the contract in a later migration (`release NAME`), whose
script validates the constraint.
Example:
    migration next {
      after summary
      release summary
    }"#
        }
        _ => "",
    }
}
