//! Explanations of the row-level security codes: tables without RLS,
//! role checks, settings, permissive policies and table owners.

use super::Code;

/// The explanation of one of these codes (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
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
        _ => "",
    }
}
