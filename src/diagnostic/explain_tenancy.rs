//! Explanations of the tenant-isolation codes: what a runtime role may be
//! granted, and keys that ignore the tenant column.

use super::Code;

/// The explanation of a tenant-isolation code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::DangerousPrivilege => {
            r#"Problem: A runtime role (the one the application connects as) is granted
`all`, `truncate` or `trigger` on tables, or `all` on the schema.

Why it matters: Each gets around row-level security. `TRUNCATE` ignores RLS
and empties every tenant's rows at once. `TRIGGER` lets the role attach a
trigger that runs on other tenants' writes and copies their new rows.
`all on schema` includes `CREATE`: the role can add functions, views and
tables next to the tenant tables.

Fix: Grant only what the application uses. If the role truly needs the
privilege, say why at the end of the grant: `unsafe "reason"`.

Example:
    role jobs_rw { login  runtime  grant all on tables }
    // fixed
    role jobs_rw { login  runtime  grant select, insert, update on tables }
    // or, when a job must empty a staging table:
    role jobs_rw { login  runtime
      grant truncate on table import_rows unsafe "the nightly import restarts"
    }
"#
        }
        Code::GlobalTableWrite => {
            r#"Problem: A grant gives a runtime role `insert`, `update`, `delete` (or more)
on a `global` table by name.

Why it matters: A global table is shared by every tenant and has no
row-level security. A runtime role that writes it can change another
tenant's plan in `orgs`, delete an org, or rename the app codes every
`role(…)` check depends on. `grant … on tables` gives a runtime role only
`select` on global tables for that reason; this grant adds writes back.

Fix: Let a trusted role (an admin or migration role) write global tables.
If the application must, say why at the end of the grant:
`unsafe "reason"`, and the warning goes away.

Example:
    role service_rw { login  runtime  grant update on table orgs }
    // fixed
    role service_rw { login  runtime
      grant update on table orgs unsafe "the billing webhook updates plans"
    }
"#
        }
        Code::UnscopedTenantReference => {
            r#"Problem: A foreign key between two tenant tables that does not pair their
tenant columns, so a row of one tenant can point at another tenant's row.

Why it matters: PostgreSQL checks foreign keys without row-level security.
Org A can point its rows at org B's (a note at B's notebook), learn that
B's row exists, and block B's own deletes (`on delete restrict`).

Fix: Write the reference on one column (`notebook_id uuid -> notebooks.id`):
between tenant tables sluice compiles it to
`(org_id, notebook_id) -> notebooks(org_id, id)` and gives the target a
unique key on `(org_id, id)`. A composite key must pair the tenant columns.
If the reference must cross tenants, say why on the table:
`allow unscoped-tenant-reference "reason"`.

Example:
    foreign key (notebook_id, title) -> notebooks(id, title)
    // fixed
    foreign key (org_id, notebook_id) -> notebooks(org_id, id)
"#
        }
        Code::UniqueWithoutTenantColumn => {
            r#"Problem: A unique column, `unique (…)` or `unique index` of a tenant table
without the tenant column.

Why it matters: A unique key spans the whole table, across row-level
security: org A inserting a value that org B already holds fails, which
tells A that the value exists in B (a token hash, a storage key, an email).
It also keeps two tenants from using the same value.

Fix: Put the tenant column first: `unique (org_id, token_hash)`. If the
value must be unique across tenants (a random token, an external id), say
why on the table: `allow unique-without-tenant-column "reason"`.

Example:
    table sessions { tenant  token_hash text not null unique }
    // fixed
    table sessions {
      tenant
      token_hash text not null
      unique (org_id, token_hash)
    }
"#
        }
        _ => "",
    }
}
