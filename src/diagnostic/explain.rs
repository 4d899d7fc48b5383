//! Long-form explanations for `sluice explain CODE`.
//!
//! Each text has four parts, in this order: `Problem:` (what the diagnostic
//! means), `Why it matters:` (the consequence), `Fix:` (the change to make)
//! and `Example:` (a wrong snippet of the DSL and its corrected version).
//! The match has no wildcard arm, so a new code does not compile until it
//! is explained.

use super::Code;

impl Code {
    pub fn explain(self) -> &'static str {
        match self {
            Code::MisplacedBaseline | Code::ImportKeptRawSql | Code::ImportWouldOverwrite => {
                super::explain_import::explain(self)
            }
            Code::RetentionWithoutTimestamp
            | Code::RetentionWithoutKey
            | Code::ClassifiedColumnPublished
            | Code::ClassifiedColumnExposed => super::explain_compliance::explain(self),
            Code::MigrationCycle
            | Code::ParallelMigrations
            | Code::SchemaDrift
            | Code::ContractInSameDeploy => super::explain_history::explain(self),
            Code::PlanNeedsBackfill
            | Code::PlanPossibleRename
            | Code::PlanUnsupportedChange
            | Code::RenameHintDone => super::explain_plan::explain(self),
            Code::ReleasedMigrationChanged
            | Code::ReleasedFileEdited
            | Code::DrizzleV1Layout
            | Code::UnsafeOutputFolder
            | Code::OutputFolderBusy => super::explain_release::explain(self),
            Code::DangerousPrivilege
            | Code::GlobalTableWrite
            | Code::UnscopedTenantReference
            | Code::UniqueWithoutTenantColumn => super::explain_tenancy::explain(self),
            Code::PostgresNotFound
            | Code::DatabaseNotEmpty
            | Code::DeployFailed
            | Code::SeedFailed
            | Code::TenantLeak
            | Code::RollbackMismatch
            | Code::InvalidIndexLeft
            | Code::NotValidConstraintLeft => super::explain_verify::explain(self),
            Code::SyntaxError => {
                r#"Problem: The file breaks the structure of the grammar, so it cannot be read:
most often a block opened with `{` is never closed, an extra `}` closes
nothing, or the file ends in the middle of a declaration. An unclosed block is
reported at the `{` that opens it.

Why it matters: A bad line inside a block is skipped and reported on its own,
but a structural error discards the whole file. None of its declarations exist
for the rest of the check, so other errors (an unknown table, a missing
project) may follow from this one.

Fix: Close the block, string or `$$` body at the place the diagnostic points
to, then check again.

Example:
    // wrong: the block of `notes` is never closed
    table notes {
      title text not null

    // fixed
    table notes {
      title text not null
    }
"#
            }
            Code::UnexpectedItem => {
                r#"Problem: A line in a block is not one of the items that block accepts: a
column without a type, a misspelt keyword, a constraint written in the wrong
shape, or a word a policy predicate does not know. The same code reports a
view without a query, a function without a body and, as a warning, a
migration without steps.

Why it matters: sluice skips the line and goes on checking, but whatever the
line was meant to declare is not in the schema: the column, constraint or
policy you expect would not be created. The check fails until it is fixed.

Fix: Rewrite the line in the shape the help line shows, or take the keyword
the diagnostic suggests ("did you mean `tenant`?").

Example:
    table users {
      tenant
      email text not null
      unique org_id, email
    }
    // fixed
    table users {
      tenant
      email text not null
      unique (org_id, email)
    }
"#
            }
            Code::UnknownOption => {
                r#"Problem: After a column's type, or in a `role` block, a word is not one of the
options allowed there. Column options are `not null`, `null`, `default EXPR`,
`unique`, `primary key`, `check (EXPR)`, `-> table.column`, `comment "…"`,
`classify TAG`, `generated (EXPR) stored` and `identity`. Role options are
`login`, `nologin`, `connection_limit N`, `owns schema`, `runtime`,
`grant PRIVILEGES on …` and `comment "…"`.

Why it matters: sluice drops the unknown word and everything after it on the
line, so the column or role is not what you wrote: below, `email` would lose
both `not null` and `unique`. The check fails until it is fixed.

Fix: Correct the spelling (the diagnostic suggests the nearest option), or
move the item to the block where it belongs.

Example:
    table users {
      email text not nul unique
    }
    // fixed
    table users {
      email text not null unique
    }
"#
            }
            Code::SqlSyntaxError => {
                r#"Problem: An SQL fragment does not parse as PostgreSQL. sluice parses every
column default, check, generated expression, index expression and `where`,
policy `sql (…)` predicate, view query, `language sql` function body,
backfill expression and `change type … using (…)` conversion, and points at
the line and column of the error. A `(` that is never closed and a view body
that is not a single query are reported the same way. (Raw `sql $$ … $$`
steps get the warning `unparsed-statement` instead.) Any fragment, raw steps
included, is also refused when it holds a backslash outside a string, a
backslash in a plain `'…'` string, or a quote or comment that never ends.

Why it matters: The fragment is copied into the generated migration as it is
written; PostgreSQL would reject it at deploy time and roll the migration
back. A backslash outside a string is a psql command (`\!` runs a shell
command) when the file is run with psql; in `'…'` it is an escape on a server
with `standard_conforming_strings` off, which can end the string early; an
unterminated quote swallows the statements after it.

Fix: Correct the SQL at the position shown. Fragments are plain PostgreSQL:
strings in single quotes (`E'…'` with doubled backslashes when a string needs
a backslash), and view bodies without a trailing `;`.

Example:
    table notes {
      title text not null check (length(title) <= )
    }
    // fixed
    table notes {
      title text not null check (length(title) <= 200)
    }
"#
            }
            Code::InvalidValue => {
                r#"Problem: A setting holds a value outside its allowed set or range: a
classification other than `public`, `internal`, `confidential`, `pii` or
`phi`; a PostgreSQL version outside 14 to 18; an unknown privilege, index
method, partition method, policy command, lint level or function language; a
type with too many parameters; `batch 0` in a backfill; a project named
differently from its folder. The help line lists the accepted values.

Why it matters: sluice cannot compile a value it does not know, and any guess
would emit SQL you did not ask for: a wrong grant, a wrong index, or a
migration written for another server version.

Fix: Use one of the accepted values; the diagnostic suggests the nearest one.

Example:
    table users {
      email text not null classify secret
    }
    // fixed
    table users {
      email text not null classify pii
    }
"#
            }
            Code::UnknownType => {
                r#"Problem: A column type (or a function's parameter or return type) is neither a
PostgreSQL type that sluice knows (`text`, `uuid`, `timestamptz`,
`numeric(12,2)`, `jsonb`, …) nor an `enum` declared in the same project.

Why it matters: `CREATE TABLE` would fail at deploy time with "type does not
exist". A misspelt built-in type and an enum that was never declared look the
same until then.

Fix: Correct the spelling (the diagnostic suggests the nearest type), or
declare the enum in the project folder.

Example:
    table notes {
      status note_status not null
    }
    // fixed
    enum note_status { draft, published, archived }
    table notes {
      status note_status not null default 'draft'
    }
"#
            }
            Code::UnknownTable => {
                r#"Problem: A name that should be a table of this project names none: the
target of a foreign key (`-> notebooks.id`), the table of
`app_roles from TABLE`, or the table of a migration step. Migration steps are
checked against the history, not against the declared tables: a step may
only touch a table that an earlier step, in file order, created.

Why it matters: A foreign key to a missing table fails at deploy time, and a
step on a table the history never created fails on a fresh database even if
your own database happens to have that table.

Fix: Correct the name (the diagnostic suggests the nearest table), declare
the table, or create it in an earlier migration.

Example:
    table notes {
      tenant
      notebook_id uuid not null -> notebook.id
    }
    // fixed
    table notes {
      tenant
      notebook_id uuid not null -> notebooks.id
    }
"#
            }
            Code::UnknownColumn => {
                r#"Problem: A column name does not exist in its table: in an index, `unique`,
`primary key`, `foreign key` or `include` list, as the column a foreign key
references, inside a check, generated or index expression, or in a migration
step (checked against the history so far). `owner` or `tenant` in a policy
of a table without an owner column, or that is not `tenant`, is reported
too. Columns that sluice derives (`id`, `org_id`, timestamps) do exist.

Why it matters: PostgreSQL would reject the index, constraint or policy at
deploy time and roll the migration back.

Fix: Correct the name (the diagnostic suggests the nearest column), or
declare the column.

Example:
    table notes {
      tenant
      title text not null
      index (org_id, titel)
    }
    // fixed
    table notes {
      tenant
      title text not null
      index (org_id, title)
    }
"#
            }
            Code::UnknownRole => {
                r#"Problem: A database role is used but not declared with `role NAME { … }` in
`workspace.sluice`: in a policy's `to ROLE`, in `schema owner ROLE` of the
conventions, or in a `grant` or `revoke` step. The code also reports
`role(…)` in a policy when the project does not say where app roles come from
(`app_roles from TABLE` or `app_roles from setting NAME`).

Why it matters: `CREATE POLICY … TO` and `GRANT` fail at deploy time when
the role does not exist, and a misspelt role would leave the role you meant
without the access you intended.

Fix: Correct the name or declare the role in `workspace.sluice`; for
`role(…)`, add an `app_roles` source to the project.

Example:
    table audit_logs {
      tenant
      policy select to readonly tenant
    }
    // fixed: `role readonly_user { … }` is declared in workspace.sluice
    table audit_logs {
      tenant
      policy select to readonly_user tenant
    }
"#
            }
            Code::UnknownMigration => {
                r#"Problem: `after NAME` in a migration names no migration of the same project,
or names the migration itself.

Why it matters: `after` is how a migration says that it must run after
another one. With a name that matches nothing, the order it relies on is not
guaranteed, and it could run before the migration that creates what it
changes.

Fix: Name an existing migration of the same project (the diagnostic suggests
the nearest name). Migrations of other projects cannot be named: each
project is its own database with its own history.

Example:
    migration rename_body {
      after note_sumary
      expand { rename column notes.body to content }
    }
    // fixed
    migration rename_body {
      after note_summary
      expand { rename column notes.body to content }
    }
"#
            }
            Code::UnknownRule => {
                r#"Problem: A `lint` setting (`RULE = error|warning|off`) or an
`allow RULE "reason"` exemption names no rule. Either the id is misspelt, or
it is a code for invalid input (such as `unknown-column`), which is always
an error and cannot be configured or exempted.

Why it matters: The setting or exemption would have no effect: the rule you
meant to silence, tighten or exempt would keep its default level, without
anyone noticing.

Fix: Use the id of a configurable rule (the diagnostic suggests the nearest
one; `sluice explain` lists every code). For a code that reports invalid
input, fix the input instead.

Example:
    lint {
      missing-timestamp = off
    }
    // fixed
    lint {
      missing-timestamps = off
    }
"#
            }
            Code::DuplicateDefinition => {
                r#"Problem: Two definitions share one name in one scope: two tables of a
project (in one file or in two), two columns of a table, a view named like a
table, two enums, enum values, functions, function parameters, roles,
extensions, migrations, `project` or `workspace` declarations. In migrations,
a step that creates or renames a table or column to a name that already
exists at that point of the history is reported too.

Why it matters: PostgreSQL would refuse the second `CREATE`, and sluice
cannot know which definition you mean; it keeps the first and ignores the
others.

Fix: Rename or remove one of the two; the diagnostic points at both. A
declared column named like a derived one (`id`, `org_id`, `created_at`) is
not a duplicate: it replaces the derived column.

Example:
    table notes {
      title text not null
      title text
    }
    // fixed
    table notes {
      title    text not null
      subtitle text
    }
"#
            }
            Code::CrossProjectReference => {
                r#"Problem: A project refers to a table of another project: a foreign key such
as `-> core.users.id` from `notes`, `app_roles from core.app_permissions`,
or a policy, view or `language sql` function that reads
`core.app_permissions`. Each project is its own database, and PostgreSQL
cannot reference or query a table of another database.

Why it matters: In the notes database, `core.users` means a schema `core`
that does not exist there, so the migration fails at deploy time; a foreign
key across databases cannot be enforced at all. (The blueprint's notes
policies make this mistake.)

Fix: Keep the id as a plain `uuid` column (a soft reference, with a comment
saying so), carry the value in a session setting
(`app_roles from setting app.current_app_role`), or move the table into the
same project.

Example:
    table notes {
      reviewer_id uuid -> core.users.id
    }
    // fixed
    table notes {
      reviewer_id uuid comment "soft reference to core.users.id"
    }
"#
            }
            Code::MisplacedDeclaration => {
                r#"Problem: A declaration is in a kind of file that does not accept it. Files
at the workspace root hold `workspace`, `conventions`, `tenancy`, `role`,
`lint` and `extension`; files in `<project>/` hold `project`, `table`,
`view`, `function`, `enum` and `extension`; files in `<project>/migrations/`
hold only `migration`.

Why it matters: A misplaced declaration is not applied: a table in
`workspace.sluice` belongs to no database, and a top-level `lint` block in a
project file would not change that project's rule levels.

Fix: Move the declaration to the right file. To override conventions,
tenancy or lint levels for one project, put the block inside its `project`
declaration.

Example:
    // notes/notes.sluice
    project notes { database notes }
    lint { naming-case = off }
    // fixed
    project notes {
      database notes
      lint { naming-case = off }
    }
"#
            }
            Code::MissingProject => {
                r#"Problem: A project folder (a folder of the workspace with `.sluice` files,
directly or in `migrations/`) has no `project` declaration. Two of them in
one folder are reported as `duplicate-definition`, and one named differently
from its folder as `invalid-value`.

Why it matters: The `project` declaration names the database, the schema and
the app that everything in the folder is compiled for. Without it sluice can
only guess (the folder name as database, schema `public`), and would emit
migrations for the wrong database or schema.

Fix: Add `project NAME { … }`, named like the folder, to one file of it.

Example:
    // hr/hr.sluice
    table employees {
      tenant
      full_name text not null
    }
    // fixed
    project hr { database hr  schema hr  app "hr" }
    table employees {
      tenant
      full_name text not null
    }
"#
            }
            Code::MissingWorkspace => {
                r#"Problem: No file at the workspace root declares `workspace NAME { … }`. It
normally lives in `workspace.sluice`, next to the project folders.

Why it matters: The workspace block sets the output folder, the target
PostgreSQL version, the output format and the lock and statement timeouts of
every migration. Without it sluice falls back to built-in defaults
(`"drizzle"`, PostgreSQL 16, 2s and 60s), which may not match your
deployment.

Fix: Add a `workspace` block to `workspace.sluice`.

Example:
    // workspace.sluice
    conventions {
      primary_key id uuid default gen_random_uuid()
    }
    // fixed
    workspace vorklee {
      out      "drizzle"
      postgres 16
    }
    conventions {
      primary_key id uuid default gen_random_uuid()
    }
"#
            }
            Code::SchemaOwnership => {
                r#"Problem: A table, view, enum or function is declared with a schema qualifier
(`table audit.logs`) that is not the schema of its project. Each project owns
exactly one schema, set by `schema NAME` in its `project` block.

Why it matters: Ownership, grants and default privileges are set up for the
project's schema. An object in another schema falls outside them: the schema
may not exist, the runtime roles may not reach the object, and the rule that
each service owns its schema no longer holds.

Fix: Drop the qualifier (or write the project's own schema). If a table
really must live elsewhere, say why with `allow schema-ownership "reason"`.

Example:
    // core/core.sluice, project core with `schema core`
    table audit.logs {
      tenant
      action text not null
    }
    // fixed
    table audit_logs {
      tenant
      action text not null
    }
"#
            }
            Code::ConflictingOptions => {
                r#"Problem: One object carries two options that contradict each other: a column
that is both `null` and `not null`, a column with both a `default` and a
`generated (…) stored` value, a table marked both `tenant` and `global`, or
a `runtime` role (the one the application connects as) with `nologin`.

Why it matters: sluice cannot tell which option you meant, and a wrong guess
would be costly: a table of shared data isolated per tenant, or tenant data
shared with every org. PostgreSQL itself rejects a column with both a default
and a generated expression.

Fix: Keep the option you mean and delete the other.

Example:
    table apps {
      tenant
      global
      code text not null unique
    }
    // fixed
    table apps {
      global
      code text not null unique
    }
"#
            }
            Code::UnparsedStatement => {
                r#"Problem: The SQL of a raw `sql $$ … $$` step, or of its `inverse`, does not
parse: it has a mistake, or uses syntax sluice's SQL parser does not cover.

Why it matters: sluice emits it as written, without checking its syntax,
the objects it touches or the safety rules; a mistake shows up only when the
deploy runs it, and rolls the migration back.

Fix: Correct the SQL if it is wrong. If it is valid PostgreSQL, prefer a
dedicated step (`add column`, `add index`, …) when one exists; otherwise
keep it and test it against a real database.

Example:
    migration note_numbers {
      expand {
        sql $$ create sequense note_numbers $$
          inverse $$ drop sequence note_numbers $$
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
            Code::MissingTenancy => {
                r#"Problem: A table uses `tenant` or `owner`, but no `tenancy` block says how
the current tenant and user are known; or a `tenancy` block lacks its
`column` or its `org_from setting`. `tenant` needs `column` and `org_from`;
`owner` needs `user_from` as well.

Why it matters: sluice derives the tenant column, its index and the
row-level-security predicates from the tenancy block. Without it the
isolation cannot be compiled, and a table meant to be private to one org or
one user would not be.

Fix: Declare a complete `tenancy` block in `workspace.sluice`, or inside a
`project` block to override it for that project.

Example:
    // workspace.sluice, with `table notes { tenant  owner user_id }`
    tenancy {
      column   org_id uuid
      org_from setting app.current_org_id
    }
    // fixed
    tenancy {
      column    org_id uuid
      org_from  setting app.current_org_id
      user_from setting app.current_user_id
    }
"#
            }
            Code::ExemptionWithoutReason => {
                r#"Problem: An `allow RULE` line in a table gives no reason, or an empty one.

Why it matters: An exemption turns a rule off for one table, a decision that
reviewers and later maintainers must be able to judge. sluice does not apply
an exemption without a reason, so the rule stays in force and the check
fails.

Fix: Add the reason as a string after the rule id.

Example:
    table audit_logs {
      tenant
      allow missing-audit-fields
      action text not null
    }
    // fixed
    table audit_logs {
      tenant
      allow missing-audit-fields "append-only; the actor is in actor_id"
      action text not null
    }
"#
            }
            Code::UnsafeWithoutReason => {
                r#"Problem: A migration step is forced into its direct form with `unsafe`, but
no reason follows it (or the reason is empty).

Why it matters: sluice compiles each step into a safe recipe (for
`set not null`: a `CHECK … NOT VALID`, a separate `VALIDATE`, then
`SET NOT NULL`). `unsafe` skips the recipe, and the direct form can hold an
ACCESS EXCLUSIVE lock while it scans or rewrites the table, blocking every
query on it. That trade-off must be justified where reviewers see it.

Fix: Say why the safe recipe is not needed, or remove `unsafe`.

Example:
    migration note_summary {
      contract {
        set not null notes.summary unsafe
      }
    }
    // fixed
    migration note_summary {
      contract {
        set not null notes.summary unsafe "notes is empty everywhere"
      }
    }
"#
            }
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
            Code::MissingTimestamps => {
                r#"Problem: The conventions require lifecycle timestamps (`timestamps
created_at, updated_at, deleted_at`) and a table declares one of them itself
with a type other than `timestamptz`, or lacks one.

Why it matters: sluice derives these columns as `timestamptz`: `created_at`
and `updated_at` default to `now()`, `deleted_at` stays NULL until the row is
soft-deleted. A `timestamp` without time zone stores a wall-clock time
without its zone, so the same instant is stored differently depending on the
session's `TimeZone`, and comparisons with other tables' timestamps are off
by the offset.

Fix: Delete the declaration and let the convention add the column, or
declare it `timestamptz`. A table without a lifecycle (an append-only log)
can say so with `allow missing-timestamps "reason"`; none is then added.

Example:
    table notes {
      title      text not null
      created_at timestamp not null default now()
    }
    // fixed: `created_at timestamptz not null default now()` is derived
    table notes {
      title text not null
    }
"#
            }
            Code::MissingAuditFields => {
                r#"Problem: The conventions require audit columns (`audit created_by,
updated_by -> core.users.id`) and a table declares one of them itself with a
type other than `uuid`, or lacks one. In the project that holds the users
table, an audit column must also be a foreign key to it.

Why it matters: The audit columns record who created and who last changed
each row. With another type they cannot be matched to users; without the
foreign key they can hold ids of users that do not exist. (In the other
projects they stay plain uuids, since a foreign key cannot cross databases.)

Fix: Delete the declaration and let the convention add the column, or
declare it `uuid` (in `core`: `created_by uuid -> users.id on delete set
null`). A table without authors can use `allow missing-audit-fields "reason"`.

Example:
    table notes {
      title      text not null
      created_by text
    }
    // fixed: `created_by uuid` is derived from the conventions
    table notes {
      title text not null
    }
"#
            }
            Code::NamingCase => {
                r#"Problem: A table, enum, column, view or function name does not follow the
case the conventions set (`naming tables snake_case, columns snake_case,
views PascalCase, functions PascalCase`). Derived columns are not checked.

Why it matters: PostgreSQL folds unquoted names to lower case, so a name with
capitals must be double-quoted in every query, and a schema that mixes cases
makes each name a guess. Consistent names are also what reviewers, queries
and generated code rely on.

Fix: Rename the object; the help line gives the name in the right case.

Example:
    table users {
      tenant
      displayName text
    }
    // fixed
    table users {
      tenant
      display_name text
    }
"#
            }
            Code::IdentifierTooLong => {
                r#"Problem: A name is longer than 63 bytes, the limit of a PostgreSQL
identifier. sluice checks the names you write and the names it generates for
unnamed objects: `<table>_<columns>_idx` for indexes, `_key`, `_fkey` and
`_check` for constraints, `<table>_<commands>` for policies, and triggers.

Why it matters: PostgreSQL cuts a longer name to 63 bytes with only a
notice. Two names that share their first 63 bytes then collide and the
deploy fails with "already exists"; and the name in the database no longer
matches the one sluice emitted and compares against.

Fix: Shorten the name, or name the generated object yourself with `as NAME`.

Example:
    table notebook_collaborators {
      tenant
      invited_by uuid not null
      index (org_id, invited_by, created_at, deleted_at)
    }
    // fixed
    table notebook_collaborators {
      tenant
      invited_by uuid not null
      index (org_id, invited_by, created_at, deleted_at) as invites_idx
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
            Code::MaterializedViewOverTenantTable => {
                r#"Problem: A materialized view reads a tenant table.

Why it matters: A materialized view stores the rows its query returned at
the last refresh, and row-level security does not apply to it. Whoever can
read it (every runtime role, with `grant select on tables`) reads every
tenant's rows, whatever the tenant table's policies say.

Fix: Use a plain view with `security invoker`, so the tenant table's
policies apply to the caller. If only trusted roles can read the
materialized view, say so on the tenant table:
`allow materialized-view-over-tenant-table "reason"`.

Example:
    view NoteCounts {
      materialized
      as select org_id, count(*) from notes group by org_id
    }
    // fixed
    view NoteCounts {
      security invoker
      as select org_id, count(*) from notes group by org_id
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
            Code::TenantTableWithoutRls => {
                r#"Problem: Tenant data is not isolated by row-level security. Either a table
declares the tenant column (`org_id`) itself but is not marked `tenant`; or a
table says neither `tenant` nor `global`; or a `tenant` table has no policy
for some of `select`, `insert`, `update` and `delete`.

Why it matters: Only `tenant` tables get RLS and the predicate that limits
rows to the session's org. A table with its own `org_id` and no RLS lets
every org read every org's rows. On a tenant table, a command without a
policy matches no row: reads return nothing, inserts fail, and updates and
deletes silently change nothing.

Fix: Replace a declared `org_id` column with `tenant`, mark shared lookup
tables `global`, add a policy for each missing command.

Example:
    table notebooks {
      org_id uuid not null
      title  text not null
    }
    // fixed
    table notebooks {
      tenant
      title text not null
      policy all tenant
    }
"#
            }
            Code::RoleCheckNotAppScoped => {
                r#"Problem: A policy checks a user's app role without limiting the lookup to
this project's app: `role(…)` in a project whose app roles come from a table
but which has no `app "CODE"`, or a `sql (…)` predicate that reads the app
roles table without filtering by `app_id` (or the app's code).

Why it matters: Roles are granted per app. An unscoped lookup counts a role
from any app, so an admin of HR becomes an admin of notes. This is the
mistake in the blueprint's update policy.

Fix: Give the project its app code with `app "CODE"` and write
`role(admin, editor)`, which sluice scopes to that app; in a `sql (…)`
predicate, filter the lookup by the app.

Example:
    // core/core.sluice; its tables have `policy update owner or role(admin)`
    project core {
      database  core
      app_roles from app_permissions
    }
    // fixed
    project core {
      database  core
      app       "core"
      app_roles from app_permissions
    }
"#
            }
            Code::SettingWithoutMissingOk => {
                r#"Problem: A policy's `sql (…)` predicate calls `current_setting('name')` with
one argument.

Why it matters: The one-argument form raises an error when the session never
set the setting (a background job, a migration, a pooled connection without
`SET LOCAL`), so "no tenant known" becomes a failed query instead of "no
rows". `current_setting('name', true)` returns NULL instead, which matches
no row.

Fix: Pass `true` as the second argument, or use `tenant` and `owner`, which
sluice compiles that way.

Example:
    table notes {
      tenant
      user_id uuid not null
      policy update sql (user_id = current_setting('app.current_user_id')::uuid)
    }
    // fixed
    table notes {
      tenant
      user_id uuid not null
      policy update sql (
        user_id = current_setting('app.current_user_id', true)::uuid)
    }
"#
            }
            Code::PolicyAllowsAll => {
                r#"Problem: A policy of a `tenant` table is always true: its predicate is
`true`, `sql (true)`, or an `or` with such a branch.

Why it matters: The policy lets every member of the org, whatever their app
role, run the command on every row of the org. That is rarely what a policy
on tenant data means (`policy delete true` lets a viewer delete everyone's
notes), and a bare `true` does not show whether it was intended.

Fix: Write `tenant` if every member of the org may really do it, or a
narrower predicate such as `owner or role(admin)`.

Example:
    table notes {
      tenant
      owner user_id
      policy delete true
    }
    // fixed
    table notes {
      tenant
      owner user_id
      policy delete owner or role(admin)
    }
"#
            }
            Code::RuntimeRoleOwnsTable => {
                r#"Problem: A `runtime` role, one the application connects as, owns the
schema: it has `owns schema`, or the conventions name it as `schema owner`.

Why it matters: PostgreSQL does not apply row-level security to a table's
owner. sluice emits `FORCE ROW LEVEL SECURITY`, but an owner can turn it off
again, drop policies or alter the table; so a runtime role that owns the
tables can bypass tenant isolation, and an SQL injection in the application
can change the schema.

Fix: Give `owns schema` to the migration role, and only grants to the
runtime roles.

Example:
    role service_rw {
      login
      runtime
      owns schema
    }
    // fixed
    role service_rw {
      login
      runtime
      grant select, insert, update, delete on tables
    }
    role migration_user { login  owns schema }
"#
            }
            Code::UnsupportedOnTarget => {
                r#"Problem: A declaration needs a PostgreSQL feature that the project's target
version (`postgres N` in the workspace or the project) does not have. Today:
a view with `security invoker` needs PostgreSQL 15.

Why it matters: the SQL would fail at deploy time on the target server, or,
worse, mean something else there. A view without `security_invoker` runs
with its owner's rights, so row-level security would check the owner
instead of the caller and hand every tenant's rows to anyone who can read
the view.

Fix: Raise the target to a version that has the feature, or declare the
object without it (for a view over tenant tables: select from the tables
in the application, or upgrade the server).

Example:
    workspace vorklee { postgres 14 }
    view active_notes { security invoker  as $$ select * from notes $$ }
    // fixed
    workspace vorklee { postgres 15 }
"#
            }
            Code::ReservedWord => {
                r#"Problem: A table, column, view or function is named after a reserved word of
PostgreSQL (`user`, `order`, `group`, `check`, …). Derived columns are not
checked.

Why it matters: Every hand-written query, view, report and tool has to quote
the name. Unquoted, `select order from notebooks` is a syntax error, and
`select user from accounts` silently returns the current role's name instead
of the column.

Fix: Choose another name, usually a more specific noun (`sort_order`,
`account_user`, `group_name`).

Example:
    table notebooks {
      tenant
      order integer not null default 0
    }
    // fixed
    table notebooks {
      tenant
      sort_order integer not null default 0
    }
"#
            }
            Code::IgnoredFile => {
                r#"Problem: A `.sluice` file lies outside the places sluice reads: the workspace
root, the project folders (`<project>/`) and their `migrations/` folders. A
deeper file, such as `notes/tables/notebooks.sluice`, is skipped.

Why it matters: Nothing in the file is compiled: its tables, migrations or
settings are missing from the build, and this warning is the only sign.

Fix: Move the file to the workspace root, into its project folder or into
`<project>/migrations/`. If it is not meant to be read, delete it or give it
another extension.

Example:
    // schemas/notes/tables/notebooks.sluice: ignored
    table notebooks {
      tenant
      title text not null
    }
    // fixed: the same table, moved to schemas/notes/notebooks.sluice
    table notebooks {
      tenant
      title text not null
    }
"#
            }
            Code::NestingTooDeep => {
                r#"Problem: A file nests brackets (`(`, `{`) and `not`s more than 64 levels
deep, counted together; `not`s count per line.

Why it matters: sluice refuses such a file before reading it, instead of
exhausting its stack or its time on it. No real schema needs that depth, so
it is usually generated or damaged input.

Fix: Split the expression: move parts into a view or a function, drop
redundant brackets, and cancel double negations (`not not x` is `x`).

Example:
    policy select not not not not tenant   // ... 65 times
    // fixed
    policy select tenant
"#
            }
            Code::InvalidUtf8 => {
                r#"Problem: A `.sluice` file is not valid UTF-8, typically because an editor
saved it as Latin-1, Windows-1252 or UTF-16.

Why it matters: sluice does not read the file. None of its declarations exist
for the rest of the check, which may cause more errors (unknown tables, a
missing project).

Fix: Save the file as UTF-8, for example with
`iconv -f LATIN1 -t UTF-8 old.sluice > notebooks.sluice`. Non-ASCII text can
then stay in comments and strings.

Example:
    // wrong: saved as Latin-1, "é" is the single byte 0xE9
    // fixed: saved as UTF-8, "é" is the two bytes 0xC3 0xA9
    table notebooks {
      title text not null comment "intitulé du carnet"
    }
"#
            }
            Code::AddingVolatileDefault
            | Code::AddingStoredGeneratedColumn
            | Code::AddingSerialColumn
            | Code::ChangingColumnType
            | Code::SettingNotNull
            | Code::ConstraintMissingNotValid
            | Code::ValidateInSameTransaction
            | Code::AddingUniqueConstraint
            | Code::AddingExclusionConstraint
            | Code::IndexWithoutConcurrently
            | Code::DropIndexWithoutConcurrently
            | Code::ReindexWithoutConcurrently
            | Code::DetachPartitionWithoutConcurrently
            | Code::RewritingTable
            | Code::RefreshWithoutConcurrently
            | Code::ConcurrentlyInTransaction
            | Code::MissingLockTimeout
            | Code::MissingStatementTimeout
            | Code::StatementsAfterExclusiveLock
            | Code::DroppingColumn
            | Code::RenamingColumn
            | Code::RenamingTable
            | Code::DroppingTable
            | Code::TruncateCascade
            | Code::DroppingNotNull
            | Code::AddingRequiredColumn
            | Code::EnumValueWithoutPosition
            | Code::AddingJsonColumn
            | Code::UncommittedTransaction
            | Code::NestedTransaction
            | Code::NonIdempotentOutsideTransaction
            | Code::PreferBigint
            | Code::PreferIdentity
            | Code::PreferText
            | Code::PreferTimestamptz
            | Code::BanChar
            | Code::RlsNotForced
            | Code::SecurityDefinerWithoutSearchPath
            | Code::IgnoreWithoutReason => super::explain_safety::explain(self),
            Code::InternalError => {
                r#"Problem: sluice itself failed (it panicked) while checking the workspace.
This is a bug in sluice, not a mistake in your files; `sluice check` exits
with status 2.

Why it matters: The workspace was not checked at all: neither its errors nor
its cleanliness are known, and CI counts the run as failed.

Fix: Report the bug with the smallest input that triggers it. Until it is
fixed, rewriting the construct that triggers the crash may unblock you.

Example:
    // `sluice check` prints:
    //   error[internal-error]: sluice crashed while checking this workspace
    // Copy the workspace, delete files and then lines while the crash
    // persists, and attach what is left, for example a single file:
    table notes {
      title text not null
    }
"#
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_problem_why_fix_and_example() {
        for code in Code::ALL {
            let text = code.explain();
            let mut last = 0;
            for part in ["Problem:", "Why it matters:", "Fix:", "Example:"] {
                let at = text
                    .find(part)
                    .unwrap_or_else(|| panic!("`{code}` has no `{part}`"));
                assert!(at >= last, "`{code}`: `{part}` is out of order");
                last = at;
            }
        }
    }

    #[test]
    fn explanations_fit_the_terminal() {
        for code in Code::ALL {
            let text = code.explain();
            assert!(text.lines().count() <= 30, "`{code}` is too long");
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 80,
                    "`{code}`: line over 80 columns: {line}"
                );
            }
        }
    }
}
