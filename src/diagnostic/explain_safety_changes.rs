//! Long-form explanations of the safety rules on SQL about breaking
//! changes, transactions, column types and security (the lock and rewrite
//! rules are in `explain_safety`), in the four parts of [`super::explain`].

use super::Code;

/// The explanation of one of these rules (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::DroppingColumn => {
            r#"Problem: `ALTER TABLE … DROP COLUMN` outside a contract phase.

Why it matters: the application version still running selects or inserts
the column; its queries fail the moment the drop commits. The data is gone.

Fix: Stop using the column, deploy, then drop it in a contract phase. In
sluice, files of a contract phase (`*_contract.sql`) are exempt.

Example:
    ALTER TABLE notes DROP COLUMN legacy;
    -- safe: deploy code that no longer reads `legacy`, then in
    -- 0005_notes_contract.sql:
    ALTER TABLE notes DROP COLUMN legacy;
"#
        }
        Code::RenamingColumn => {
            r#"Problem: `ALTER TABLE … RENAME COLUMN`.

Why it matters: running code that uses the old name fails the moment the
rename commits; code using the new name fails until then. No deploy order
makes both versions work.

Fix: Expand/contract: add the new column, sync both with triggers,
backfill, switch the code, drop the old column in a contract phase.

Example:
    ALTER TABLE notes RENAME COLUMN body TO content;
    -- safe
    ALTER TABLE notes ADD COLUMN content text;
    -- sync triggers both ways, backfill, deploy, contract: drop body
"#
        }
        Code::RenamingTable => {
            r#"Problem: `ALTER TABLE … RENAME TO`.

Why it matters: running code that uses the old table name fails the moment
the rename commits.

Fix: Rename, and keep a view under the old name while old code runs (drop
it in a contract phase); or copy the data with sync triggers.

Example:
    ALTER TABLE notes RENAME TO documents;
    -- safe
    ALTER TABLE notes RENAME TO documents;
    CREATE VIEW notes AS SELECT * FROM documents;
    -- contract phase: DROP VIEW notes;
"#
        }
        Code::DroppingTable => {
            r#"Problem: `DROP TABLE` outside a contract phase (a table created earlier in
the same file is exempt).

Why it matters: the running application may still use the table; its
queries fail at once, and the data is gone for good.

Fix: Stop using the table, deploy, then drop it in a contract phase.

Example:
    DROP TABLE legacy_notes;
    -- safe: in a contract phase file, after the code stopped using it
    -- 0007_legacy_contract.sql
    DROP TABLE IF EXISTS legacy_notes;
"#
        }
        Code::TruncateCascade => {
            r#"Problem: `TRUNCATE … CASCADE`.

Why it matters: it also empties every table with a foreign key to the named
ones, recursively: tables the statement never names lose all their rows.

Fix: Name every table to empty, without `CASCADE`; PostgreSQL then refuses
instead of silently emptying more.

Example:
    TRUNCATE notebooks CASCADE;
    -- safe
    TRUNCATE notebooks, notes;
"#
        }
        Code::DroppingNotNull => {
            r#"Problem: `ALTER COLUMN … DROP NOT NULL` outside a contract phase.

Why it matters: the running application assumes the column always has a
value; the first NULL written by new code breaks the old readers.

Fix: Deploy code that handles NULL first, then drop the constraint in a
contract phase.

Example:
    ALTER TABLE notes ALTER COLUMN title DROP NOT NULL;
    -- safe: once every reader handles NULL, in a contract phase file
    ALTER TABLE notes ALTER COLUMN title DROP NOT NULL;
"#
        }
        Code::AddingRequiredColumn => {
            r#"Problem: `ADD COLUMN … NOT NULL` without a default on an existing table.

Why it matters: it fails on any table with rows, and once it succeeds
every insert from the running code, which does not know the column, fails.

Fix: Add the column nullable, backfill it, then apply the not-null recipe;
or give it a constant default, which is free since PostgreSQL 11.

Example:
    ALTER TABLE notes ADD COLUMN summary text NOT NULL;
    -- safe
    ALTER TABLE notes ADD COLUMN summary text NOT NULL DEFAULT '';
    -- or: nullable, backfill, CHECK NOT VALID, VALIDATE, SET NOT NULL
"#
        }
        Code::EnumValueWithoutPosition => {
            r#"Problem: `ALTER TYPE … ADD VALUE` without `BEFORE` or `AFTER`.

Why it matters: enum values sort in declaration order; an appended value
sorts after every other, which is rarely what ordering code expects. The
new value cannot be used in the transaction that adds it.

Fix: State the position, and add enum values in a migration of their own.

Example:
    ALTER TYPE leave_status ADD VALUE 'cancelled';
    -- safe
    ALTER TYPE leave_status ADD VALUE IF NOT EXISTS 'cancelled'
      AFTER 'rejected';
"#
        }
        Code::AddingJsonColumn => {
            r#"Problem: a column of type `json`.

Why it matters: `json` keeps the text as written and re-parses it on every
access; it has no equality operator, so no unique index, no GIN index, no
DISTINCT. `jsonb` is what is almost always meant.

Fix: Use `jsonb`.

Example:
    CREATE TABLE events (id bigint PRIMARY KEY, payload json);
    -- safe
    CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);
"#
        }
        Code::UncommittedTransaction => {
            r#"Problem: a `BEGIN` that no `COMMIT` or `ROLLBACK` closes by the end of
the file.

Why it matters: depending on the runner, the work is rolled back silently
at disconnect, or the transaction stays open, holding every lock it took.

Fix: End the transaction in the file that opens it.

Example:
    BEGIN;
    ALTER TABLE notes ADD COLUMN summary text;
    -- safe
    BEGIN;
    ALTER TABLE notes ADD COLUMN summary text;
    COMMIT;
"#
        }
        Code::NestedTransaction => {
            r#"Problem: `BEGIN`, `COMMIT` or `ROLLBACK` in a file that its runner already
wraps in a transaction (every Drizzle journal file: drizzle-orm runs all
pending migrations in one transaction), or a `BEGIN` inside an open one.

Why it matters: PostgreSQL ignores the inner `BEGIN` with a warning, but
the inner `COMMIT` ends the runner's transaction early: later failures no
longer roll back what came before, and the migration is half applied.

Fix: Remove the explicit transaction statements.

Example:
    -- drizzle/0004_summary.sql
    BEGIN;
    ALTER TABLE notes ADD COLUMN summary text;
    COMMIT;
    -- safe
    ALTER TABLE notes ADD COLUMN summary text;
"#
        }
        Code::NonIdempotentOutsideTransaction => {
            r#"Problem: DDL that runs outside a transaction (autocommit) without `IF NOT
EXISTS` / `IF EXISTS`.

Why it matters: if the file fails half way, the statements before the
failure stay applied; running the file again then fails on them, and
someone has to repair the database by hand.

Fix: Guard each statement so a re-run skips what is already done.

Example:
    CREATE INDEX CONCURRENTLY notes_tags_idx ON notes USING gin (tags);
    -- safe
    CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx
      ON notes USING gin (tags);
"#
        }
        Code::PreferBigint => {
            r#"Problem: a key of type `integer` / `int` / `smallint`: a primary key, a
foreign key, an identity or `serial` column, or a column named `id` or
`…_id`. Counters and measures (`year integer`) are not reported.

Why it matters: a 32-bit key runs out at about two billion; widening it
later is a type change, which rewrites the table, its indexes and every
table whose foreign keys reference it.

Fix: Use `bigint` (and `bigint GENERATED ALWAYS AS IDENTITY` for generated
keys), and `bigint` for the columns that reference it.

Example:
    CREATE TABLE votes (id serial PRIMARY KEY, note_id integer, count integer);
    -- safe
    CREATE TABLE votes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      note_id bigint, count integer);
"#
        }
        Code::PreferIdentity => {
            r#"Problem: a column of type `serial`, `bigserial` or `smallserial`.

Why it matters: serial is a shorthand for a sequence default; the sequence
has its own permissions, and inserts may bypass it and collide later.
Identity columns are the standard form, with the sequence tied to the column.

Fix: Use `bigint GENERATED ALWAYS AS IDENTITY`.

Example:
    CREATE TABLE tags (id bigserial PRIMARY KEY);
    -- safe
    CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
"#
        }
        Code::PreferText => {
            r#"Problem: a column of type `varchar(n)`.

Why it matters: changing the limit later is a type change that takes an
ACCESS EXCLUSIVE lock (and shrinking it rewrites). `text` is just as fast.

Fix: Use `text`, with a `CHECK (length(col) <= n)` if the limit matters;
a check can be replaced online with `NOT VALID` and `VALIDATE`.

Example:
    CREATE TABLE tags (id bigint PRIMARY KEY, name varchar(100));
    -- safe
    CREATE TABLE tags (id bigint PRIMARY KEY,
      name text CHECK (length(name) <= 100));
"#
        }
        Code::PreferTimestamptz => {
            r#"Problem: a column of type `timestamp` (without time zone).

Why it matters: the value is wall-clock time with no zone; what instant it
means depends on the writer's `TimeZone`, so values from different clients
or servers silently disagree.

Fix: Use `timestamptz`, which stores an instant.

Example:
    CREATE TABLE visits (id bigint PRIMARY KEY, seen_at timestamp);
    -- safe
    CREATE TABLE visits (id bigint PRIMARY KEY, seen_at timestamptz);
"#
        }
        Code::BanChar => {
            r#"Problem: a column of type `char(n)` / `character(n)`.

Why it matters: values are padded with spaces to `n`, comparisons ignore
the padding, and it is never faster than `text`.

Fix: Use `text`, with a `CHECK` on the length if it matters.

Example:
    CREATE TABLE countries (code char(2) PRIMARY KEY);
    -- safe
    CREATE TABLE countries (code text PRIMARY KEY
      CHECK (length(code) = 2));
"#
        }
        Code::RlsNotForced => {
            r#"Problem: `ALTER TABLE … ENABLE ROW LEVEL SECURITY` without `FORCE ROW
LEVEL SECURITY` in the same file.

Why it matters: row-level security does not apply to the table's owner.
When the owner is the role migrations, jobs or the application connect as,
every policy is silently bypassed.

Fix: Force it, so the owner is subject to the policies too.

Example:
    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
    -- safe
    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
    ALTER TABLE notes FORCE ROW LEVEL SECURITY;
"#
        }
        Code::SecurityDefinerWithoutSearchPath => {
            r#"Problem: a `SECURITY DEFINER` function without `SET search_path`.

Why it matters: the function runs with its owner's privileges but resolves
unqualified names through the caller's `search_path`; a caller can create
a function or table that shadows one it uses, and run code as the owner.

Fix: Pin the search path on the function, with `pg_temp` last.

Example:
    CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql
      SECURITY DEFINER AS $$ SELECT count(*) FROM notes $$;
    -- safe
    CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql
      SECURITY DEFINER SET search_path = public, pg_temp
      AS $$ SELECT count(*) FROM notes $$;
"#
        }
        Code::IgnoreWithoutReason => {
            r#"Problem: a `-- sluice-ignore rule-id` or `-- sluice-ignore-file rule-id`
comment without a reason after a colon.

Why it matters: a silenced safety rule is a decision someone must be able
to review later; without the reason, nobody can tell whether it still holds.

Fix: Write why the statement is safe here after a colon.

Example:
    -- sluice-ignore rewriting-table
    VACUUM FULL audit_log;
    -- fixed
    -- sluice-ignore rewriting-table: table is empty until the launch
    VACUUM FULL audit_log;
"#
        }
        _ => "",
    }
}
