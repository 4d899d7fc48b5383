//! Explanations of the key codes: primary keys, foreign keys and their
//! indexes, partition keys, inverse relations and backfill keys.

use super::Code;

/// The explanation of one of these codes (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::MissingInverse => {
            r#"Problem: A raw `sql $$ … $$` step says neither how to undo it
(`inverse $$ … $$`) nor that it cannot be undone (`irreversible "reason"`);
or it is `irreversible` without a reason.

Why it matters: sluice writes a rollback script for every migration phase
but cannot invert arbitrary SQL: without an inverse, a rollback would leave
this change in place without saying so. An irreversible step makes the
rollback fail loudly, and its reason tells the person rolling back why.

Fix: Add `inverse $$ … $$` with SQL that undoes the step, or
`irreversible "reason"`.

Example:
    migration note_numbers {
      expand {
        sql $$ create sequence note_numbers $$
      }
    }
    // fixed
    migration note_numbers {
      expand {
        sql $$ create sequence note_numbers $$
          inverse $$ drop sequence note_numbers $$
      }
    }
"#
        }
        Code::PrimaryKeyNotUuid => {
            r#"Problem: The conventions set a primary key (`primary_key id uuid default
gen_random_uuid()`) and a table does not use it: it declares a key of
another type (`id bigserial primary key`), a key without the conventional
default, a composite `primary key (a, b)`, or no key at all.

Why it matters: Foreign keys, the audit log and application code expect
every row to be identified by one UUID column. Sequential ids leak row counts
and can be guessed, and a composite key cannot be referenced by one column.

Fix: Remove the declared key and let the convention add `id`; keep a natural
key as a `unique (…)` constraint. If the table really needs another key, say
why with `allow primary-key-not-uuid "reason"`.

Example:
    table note_tags {
      note_id uuid not null -> notes(id)
      tag_id  uuid not null -> tags.id
      primary key (note_id, tag_id)
    }
    // fixed: `id uuid` is derived from the conventions
    table note_tags {
      note_id uuid not null -> notes(id)
      tag_id  uuid not null -> tags.id
      unique (note_id, tag_id)
    }
"#
        }
        Code::PartitionKeyMissing => {
            r#"Problem: A primary key, unique constraint, `unique` column or unique index
of a partitioned table does not include every partition column.

Why it matters: PostgreSQL enforces uniqueness per partition only, so it
refuses such a key ("unique constraint on partitioned table must include
all partitioning columns") and the migration fails at deploy time. The
conventional primary key (`id`) gets the partition columns added by sluice;
a key you wrote must include them itself.

Fix: Add the partition columns to the key. Uniqueness within a tenant is
usually what is meant anyway.

Example:
    table notes {
      tenant
      slug text not null unique
      partition by hash (org_id) into 8
    }
    // fixed
    table notes {
      tenant
      slug text not null
      unique (org_id, slug)
      partition by hash (org_id) into 8
    }
"#
        }
        Code::ForeignKeyTargetNotUnique => {
            r#"Problem: A foreign key references columns that are not, as a set, the
primary key, a unique constraint, a `unique` column or a unique index
(plain columns, no `where`) of the referenced table.

Why it matters: PostgreSQL refuses the foreign key ("there is no unique
constraint matching given keys for referenced table"), so the migration
fails at deploy time. A tenant-scoped reference such as
`-> notebooks(org_id, id)` needs `unique (org_id, id)` on `notebooks`, even
though `id` alone is already unique.

Fix: Add the unique constraint to the referenced table (with a migration
step `add unique on notebooks (org_id, id)` when it has a history), or
reference its primary key.

Example:
    table notes {
      tenant
      notebook_id uuid not null
      foreign key (org_id, notebook_id) -> notebooks(org_id, id)
    }
    // fixed: in table notebooks
    unique (org_id, id)
"#
        }
        Code::MissingPrimaryKey => {
            r#"Problem: A table has no primary key, and the project has no `primary_key`
convention that would give it one.

Why it matters: Rows without a key cannot be referenced, updated one at a
time by tools, or replicated logically; sluice's backfills page by the
primary key and cannot run on the table at all.

Fix: Declare a primary key, or add a `primary_key` convention. A table that
really needs none can say `allow missing-primary-key "reason"`.

Example:
    table events {
      global
      name text not null
    }
    // fixed
    table events {
      global
      id   uuid primary key default gen_random_uuid()
      name text not null
    }
"#
        }
        Code::BackfillWithoutKey => {
            r#"Problem: A `backfill`, or the copy that a `rename column` or a `change type`
makes, targets a table without a primary key.

Why it matters: sluice's scripts update rows in batches paged by the
primary key (`WHERE key > last ORDER BY key LIMIT n`), one transaction per
batch. Without a key there is nothing to page by, and the script would fail
when run.

Fix: Give the table a primary key in an earlier migration, then move the
data.

Example:
    table events {
      global
      name text
    }
    // fixed
    table events {
      global
      id   uuid primary key default gen_random_uuid()
      name text
    }
"#
        }
        Code::ForeignKeyTypeMismatch => {
            r#"Problem: A foreign-key column's type differs from the type of the column it
references. Aliases count as one type (`int` and `integer`, `varchar` and
`text`, `timestamptz` and `timestamp with time zone`).

Why it matters: PostgreSQL refuses a foreign key between incompatible types
(`text` referencing `uuid`), so the migration fails at deploy time. Between
compatible types it accepts the key, but the narrower column can run out of
range (an `integer` pointing at a `bigint` key), and joins may need casts
that keep an index from being used.

Fix: Declare the referencing column with the referenced column's type.

Example:
    table notes {
      tenant
      notebook_id text not null -> notebooks.id
    }
    // fixed: notebooks.id is `uuid`
    table notes {
      tenant
      notebook_id uuid not null -> notebooks.id
    }
"#
        }
        Code::ForeignKeyWithoutIndex => {
            r#"Problem: A foreign key opts out of its index with `no index`, and no other
index, unique constraint or primary key starts with its columns. (sluice
indexes every foreign key unless told not to; an index with `where` does not
count.)

Why it matters: PostgreSQL does not index referencing columns by itself.
Each delete or key update of a parent row must find the rows that refer to
it; without an index that is a scan of the whole child table, made while
locks are held, and `on delete cascade` gets slower as the table grows.

Fix: Remove `no index`, or declare an index that leads with the foreign-key
columns (one that also serves your queries).

Example:
    table notes {
      tenant
      notebook_id uuid not null -> notebooks.id on delete cascade no index
    }
    // fixed
    table notes {
      tenant
      notebook_id uuid not null -> notebooks.id on delete cascade no index
      index (notebook_id, created_at)
    }
"#
        }
        _ => "",
    }
}
