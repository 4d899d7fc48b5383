//! Explanations of the name-resolution codes: unknown and duplicate
//! names, declarations in the wrong place, missing projects and workspaces.

use super::Code;

/// The explanation of one of these codes (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
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
        _ => "",
    }
}
