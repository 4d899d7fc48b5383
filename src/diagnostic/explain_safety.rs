//! Long-form explanations of the safety rules on SQL (`sluice lint`), in
//! the four parts of [`super::explain`]: Problem, Why it matters, Fix,
//! Example (the unsafe SQL, then the safe recipe).

use super::Code;

pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::AddingVolatileDefault => {
            r#"Problem: `ALTER TABLE … ADD COLUMN … DEFAULT f()` where `f` is volatile
(`random()`, `gen_random_uuid()`, `clock_timestamp()`, or any function sluice
does not know to be stable). Before PostgreSQL 11 any default counts.

Why it matters: PostgreSQL must compute a value per row, so it rewrites the
whole table under an ACCESS EXCLUSIVE lock: no reads, no writes until done.

Fix: Add the column without a default, set the default separately (it then
applies to new rows only), and backfill existing rows in batches.

Example:
    ALTER TABLE notes ADD COLUMN token uuid DEFAULT gen_random_uuid();
    -- safe
    ALTER TABLE notes ADD COLUMN token uuid;
    ALTER TABLE notes ALTER COLUMN token SET DEFAULT gen_random_uuid();
    -- then backfill `token` in batches, outside the migration
"#
        }
        Code::AddingStoredGeneratedColumn => {
            r#"Problem: `ADD COLUMN … GENERATED ALWAYS AS (expr) STORED` on an existing
table.

Why it matters: the expression is computed and stored for every row: a full
rewrite under an ACCESS EXCLUSIVE lock.

Fix: Add a plain nullable column, keep it current with a trigger, and
backfill existing rows in batches.

Example:
    ALTER TABLE notes ADD COLUMN title_lc text
      GENERATED ALWAYS AS (lower(title)) STORED;
    -- safe
    ALTER TABLE notes ADD COLUMN title_lc text;
    -- a BEFORE INSERT OR UPDATE trigger sets title_lc; backfill in batches
"#
        }
        Code::AddingSerialColumn => {
            r#"Problem: `ADD COLUMN` of type `serial`/`bigserial`, or an identity column
(`GENERATED … AS IDENTITY`), on an existing table.

Why it matters: every existing row gets a value from the sequence: a full
rewrite under an ACCESS EXCLUSIVE lock.

Fix: Add a nullable `bigint`, create a sequence and make it the default,
then backfill existing rows in batches.

Example:
    ALTER TABLE notes ADD COLUMN seq bigserial;
    -- safe
    CREATE SEQUENCE notes_seq;
    ALTER TABLE notes ADD COLUMN seq bigint;
    ALTER TABLE notes ALTER COLUMN seq SET DEFAULT nextval('notes_seq');
"#
        }
        Code::ChangingColumnType => {
            r#"Problem: `ALTER COLUMN … TYPE` that is not a binary-coercible widening.
Safe, and not reported when sluice sees the old type in an earlier file:
`varchar(n)` to `varchar(m >= n)` or `text`, `numeric(p,s)` to
`numeric(q >= p,s)`, `cidr` to `inet`, all without `USING`.

Why it matters: the table and all its indexes are rewritten under an ACCESS
EXCLUSIVE lock, and code reading the old type may break.

Fix: Expand/contract: add a new column, keep both in sync with a trigger,
backfill, switch readers, then drop the old column in a contract phase.

Example:
    ALTER TABLE notes ALTER COLUMN amount TYPE bigint;
    -- safe
    ALTER TABLE notes ADD COLUMN amount_v2 bigint;
    -- sync trigger, batched backfill, switch code, contract: drop amount
"#
        }
        Code::SettingNotNull => {
            r#"Problem: `ALTER COLUMN … SET NOT NULL` without a validated
`CHECK (col IS NOT NULL)` seen earlier in the file.

Why it matters: PostgreSQL scans the whole table to prove there is no NULL,
holding an ACCESS EXCLUSIVE lock throughout. From PostgreSQL 12 a validated
check constraint proves it instead, and the scan is skipped.

Fix: Add the check `NOT VALID`, validate it in a later transaction (which
does not block writes), then `SET NOT NULL`, then drop the check.

Example:
    ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;
    -- safe
    ALTER TABLE notes ADD CONSTRAINT notes_summary_nn
      CHECK (summary IS NOT NULL) NOT VALID;
    ALTER TABLE notes VALIDATE CONSTRAINT notes_summary_nn; -- later
    ALTER TABLE notes ALTER COLUMN summary SET NOT NULL;
    ALTER TABLE notes DROP CONSTRAINT notes_summary_nn;
"#
        }
        Code::ConstraintMissingNotValid => {
            r#"Problem: `ADD CONSTRAINT … CHECK` or `… FOREIGN KEY` on an existing table
without `NOT VALID`.

Why it matters: every row is checked while the lock is held: ACCESS
EXCLUSIVE for a check, SHARE ROW EXCLUSIVE on both tables for a foreign key.
Writes stop for the whole scan.

Fix: Add the constraint `NOT VALID` (new rows are checked at once), then
`VALIDATE CONSTRAINT` in a later transaction, which does not block writes.

Example:
    ALTER TABLE notes ADD CONSTRAINT notes_nb_fk
      FOREIGN KEY (notebook_id) REFERENCES notebooks (id);
    -- safe
    ALTER TABLE notes ADD CONSTRAINT notes_nb_fk
      FOREIGN KEY (notebook_id) REFERENCES notebooks (id) NOT VALID;
    ALTER TABLE notes VALIDATE CONSTRAINT notes_nb_fk; -- later
"#
        }
        Code::ValidateInSameTransaction => {
            r#"Problem: `VALIDATE CONSTRAINT` in the same transaction that added the
constraint `NOT VALID`. The transaction is the one the file's runner opens
(see `sluice lint --runner`): one per migration file for drizzle, goose and
flyway, the whole file for a several-statement prisma or golang-migrate
file, and what an explicit `BEGIN;` … `COMMIT;` encloses.

Why it matters: the strong lock taken by `ADD CONSTRAINT` is held until
commit, so the validation scan runs under it, as if `NOT VALID` were absent.

Fix: Validate after the transaction that added it commits: after its
`COMMIT;`, or in a later migration file.

Example:
    BEGIN;
    ALTER TABLE notes ADD CONSTRAINT c CHECK (title <> '') NOT VALID;
    ALTER TABLE notes VALIDATE CONSTRAINT c;
    COMMIT;
    -- safe: COMMIT after the ADD, validate in its own transaction
"#
        }
        Code::AddingUniqueConstraint => {
            r#"Problem: `ADD UNIQUE (…)` or `ADD PRIMARY KEY (…)` (or a new column
declared `UNIQUE` / `PRIMARY KEY`) on an existing table.

Why it matters: the unique index is built under an ACCESS EXCLUSIVE lock:
no reads or writes for the whole build.

Fix: Build the index concurrently, then attach it as the constraint.

Example:
    ALTER TABLE notes ADD CONSTRAINT notes_slug_key UNIQUE (org_id, slug);
    -- safe (the first statement outside a transaction)
    CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notes_slug_idx
      ON notes (org_id, slug);
    ALTER TABLE notes ADD CONSTRAINT notes_slug_key
      UNIQUE USING INDEX notes_slug_idx;
"#
        }
        Code::AddingExclusionConstraint => {
            r#"Problem: `ADD CONSTRAINT … EXCLUDE` on an existing table.

Why it matters: the index is built and every row checked under an ACCESS
EXCLUSIVE lock, and unlike unique constraints there is no `USING INDEX`
path: an exclusion constraint cannot be added online.

Fix: Create a new table with the constraint and move the data, or accept a
maintenance window and say so with a reasoned `sluice-ignore`.

Example:
    ALTER TABLE bookings ADD CONSTRAINT no_overlap
      EXCLUDE USING gist (room WITH =, during WITH &&);
    -- safe: declare it when the table is created
    CREATE TABLE bookings_v2 (room bigint, during tstzrange,
      EXCLUDE USING gist (room WITH =, during WITH &&));
"#
        }
        Code::IndexWithoutConcurrently => {
            r#"Problem: `CREATE INDEX` without `CONCURRENTLY` on a table that existed
before this file.

Why it matters: the build holds a SHARE lock, which blocks every INSERT,
UPDATE and DELETE on the table until the index is complete.

Fix: `CREATE INDEX CONCURRENTLY IF NOT EXISTS`, outside a transaction. For
Drizzle that means the phase's out-of-transaction script, not a journal file.

Example:
    CREATE INDEX notes_tags_idx ON notes USING gin (tags);
    -- safe
    CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx
      ON notes USING gin (tags);
"#
        }
        Code::DropIndexWithoutConcurrently => {
            r#"Problem: `DROP INDEX` without `CONCURRENTLY` (an index created earlier in
the same file is exempt).

Why it matters: it takes an ACCESS EXCLUSIVE lock on the index's table; if
a long query holds the table, every later query queues behind the drop.

Fix: `DROP INDEX CONCURRENTLY IF EXISTS`, outside a transaction.

Example:
    DROP INDEX notes_tags_idx;
    -- safe
    DROP INDEX CONCURRENTLY IF EXISTS notes_tags_idx;
"#
        }
        Code::ReindexWithoutConcurrently => {
            r#"Problem: `REINDEX` without `CONCURRENTLY`.

Why it matters: it blocks writes to the table and stalls reads that would
use the index, for as long as the rebuild takes.

Fix: From PostgreSQL 12, `REINDEX … CONCURRENTLY` outside a transaction.
Before 12: build a new index concurrently and drop the old one concurrently.

Example:
    REINDEX INDEX notes_tags_idx;
    -- safe
    REINDEX INDEX CONCURRENTLY notes_tags_idx;
"#
        }
        Code::DetachPartitionWithoutConcurrently => {
            r#"Problem: `ALTER TABLE … DETACH PARTITION` without `CONCURRENTLY`.

Why it matters: it takes an ACCESS EXCLUSIVE lock on the parent table and
the partition, blocking every query on the whole partitioned table.

Fix: From PostgreSQL 14, `DETACH PARTITION … CONCURRENTLY` outside a
transaction. Before 14, detach in a maintenance window.

Example:
    ALTER TABLE events DETACH PARTITION events_2023;
    -- safe
    ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;
"#
        }
        Code::RewritingTable => {
            r#"Problem: `VACUUM FULL`, `CLUSTER`, `ALTER TABLE … SET TABLESPACE` or
`SET LOGGED` / `SET UNLOGGED` on an existing table.

Why it matters: each rewrites the whole table under an ACCESS EXCLUSIVE
lock; the table is unusable until it finishes.

Fix: Do not rewrite a live table in a migration. Use an online tool such as
pg_repack, or a maintenance window with a reasoned `sluice-ignore`.

Example:
    VACUUM FULL notes;
    -- instead, in a maintenance window:
    -- sluice-ignore rewriting-table: run in the Sunday window, ticket 812
    VACUUM FULL notes;
"#
        }
        Code::RefreshWithoutConcurrently => {
            r#"Problem: `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY`.

Why it matters: the refresh holds an ACCESS EXCLUSIVE lock on the view:
every reader waits until it finishes.

Fix: `REFRESH MATERIALIZED VIEW CONCURRENTLY` (the view needs a unique
index), outside a long transaction.

Example:
    REFRESH MATERIALIZED VIEW note_counts;
    -- safe
    CREATE UNIQUE INDEX note_counts_key ON note_counts (notebook_id);
    REFRESH MATERIALIZED VIEW CONCURRENTLY note_counts;
"#
        }
        Code::ConcurrentlyInTransaction => {
            r#"Problem: a statement PostgreSQL refuses inside a transaction block —
`CREATE/DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY`, `DETACH PARTITION
… CONCURRENTLY`, `VACUUM`, `ALTER SYSTEM`, and before PostgreSQL 12 `ALTER
TYPE … ADD VALUE` — inside one. Every Drizzle journal file is inside one:
drizzle-orm runs all pending migrations in a single transaction.

Why it matters: the statement fails at deploy time, and the whole deploy
rolls back with it.

Fix: Move the statement to a script that runs outside any transaction (for
Drizzle: the phase's out-of-transaction script, never a journal file).

Example:
    -- drizzle/0003_tags.sql (a journal file)
    CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes (tags);
    -- safe: the same statement in a script run with psql, no transaction
"#
        }
        Code::MissingLockTimeout => {
            r#"Problem: a file takes a lock of SHARE mode or stronger on an existing
table before it sets `lock_timeout`.

Why it matters: a lock is dangerous while it is waited for. If a long query
holds the table, the migration queues for its lock, and every later query on
the table queues behind the migration: an outage.

Fix: Start the file with `SET LOCAL lock_timeout` (inside a transaction) or
`SET lock_timeout`, and retry the migration when it times out.

Example:
    ALTER TABLE notes ADD COLUMN summary text;
    -- safe
    SET LOCAL lock_timeout = '2s';
    SET LOCAL statement_timeout = '60s';
    ALTER TABLE notes ADD COLUMN summary text;
"#
        }
        Code::MissingStatementTimeout => {
            r#"Problem: a file takes a lock of SHARE mode or stronger on an existing
table before it sets `statement_timeout`.

Why it matters: an unexpectedly slow statement (a scan, a rewrite) holds
its lock for as long as it runs, and nothing stops it.

Fix: Start the file with `SET LOCAL statement_timeout` (inside a
transaction) or `SET statement_timeout`.

Example:
    SET LOCAL lock_timeout = '2s';
    ALTER TABLE notes ADD COLUMN summary text;
    -- safe
    SET LOCAL lock_timeout = '2s';
    SET LOCAL statement_timeout = '60s';
    ALTER TABLE notes ADD COLUMN summary text;
"#
        }
        Code::StatementsAfterExclusiveLock => {
            r#"Problem: in a transaction that holds an ACCESS EXCLUSIVE lock on an
existing table, a later statement changes data, validates a constraint, or
locks another table.

Why it matters: locks are held until commit. A brief exclusive lock becomes
as long as everything after it, and locks on further tables risk deadlocks.

Fix: Commit right after the statement that takes the exclusive lock; run
data changes (backfills) and validations in their own transactions.

Example:
    ALTER TABLE notes ADD COLUMN summary text;
    UPDATE notes SET summary = '' WHERE summary IS NULL;
    -- safe: the ALTER in the migration, the UPDATE as a batched backfill
"#
        }
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
