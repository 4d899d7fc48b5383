//! Explanations of the convention codes: tenancy and its exemptions,
//! timestamps and audit fields, naming, and what the target version has.

use super::Code;

/// The explanation of one of these codes (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
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
        _ => "",
    }
}
