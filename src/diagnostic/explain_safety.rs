//! Long-form explanations of the safety rules on SQL (`sluice lint`), in
//! the four parts of [`super::explain`]: Problem, Why it matters, Fix,
//! Example (the unsafe SQL, then the safe recipe). The lock and rewrite
//! rules are here; the others are in `explain_safety_changes`.

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
        _ => super::explain_safety_changes::explain(code),
    }
}
