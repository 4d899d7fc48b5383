//! Explanations of the codes about renaming a table online.

use super::Code;

/// The explanation of a table-rename code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::CompatViewWithheldColumns => {
            r#"Problem: a migration renames a table online, and a role that reads the
table does not read some of its columns (classified `pii` or `phi`, and
the role does not say `reads pii` / `reads phi`). Until the rename's
contract, the old name is a `security_invoker` view over every column of
the table, and PostgreSQL checks the caller of such a view for every
column the view reads, whichever columns the query asks for. So that role
can read nothing through the old name, although it still reads the new
one, its withheld columns left out.
Why it matters: a report, export or dashboard running as that role that
still uses the old name fails from the expand on, until it is moved to
the new name. The roles that read every column (the app's, typically)
keep working through the view.
Fix: move that role's queries to the new name before the expand is
deployed (the new name works for it from the expand on). It is reported
until a migration releases the rename's contract, which drops the view.
Example:
    role readonly_user { login  grant select on tables }   // no reads pii
    table people was users { tenant  email text classify pii }
    // plan writes `rename table users to people`: point readonly_user's
    // queries at `people` before deploying it"#
        }
        Code::ViewReadsRenamedTable => {
            r#"Problem: a migration renames a table, and a declared view's query still
names the table by its old name (a textual test: the old name right after
`from` or `join`, schema-qualified or not).
Why it matters: a database the history built keeps the view working
(PostgreSQL binds a view to the table, not its name), but the
declarations are what a fresh database, `sluice plan` and the typed
schema are built from: there, no relation has the old name once the
rename's contract drops the view under it, and the view cannot be created.
Fix: write the new name in the view's query; `sluice plan` then writes
`replace view` after the rename.
Example:
    table documents was notes { tenant  title text }
    view recent = select id, title from notes          // wrong
    view recent = select id, title from documents      // right"#
        }
        _ => "",
    }
}
