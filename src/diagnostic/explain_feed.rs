//! Explanations of the codes about the receiving side of the analytics
//! feed (`publish to PROJECT`).

use super::Code;

/// The explanation of a feed code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::ReceivingTableMismatch => {
            r#"Problem: a table says `publish to PROJECT`, and PROJECT cannot
receive it as sent. sluice creates the receiving table in PROJECT from
what is published (the sent columns, their types, the primary key), so
PROJECT need not declare it. Replication matches a table by schema and
name, so a table from a project of another schema is created in that
schema of PROJECT's database (`core.users` reaches a `core.users` there,
with the source's enums its columns use). This code says that cannot
work: two projects publish a table of the same name to PROJECT, PROJECT
declares the table itself with another shape (a sent column missing or
of another type, another primary key, or a `not null` column without a
default that the feed does not send), PROJECT has a table of its own
with the name of a table it receives into another schema, or a sent
column's type is an enum PROJECT does not declare or declares with
other values (same schema), or, received into another schema, an enum
PROJECT declares too or another source there brings with other values.
Why it matters: the subscription would stop at the first row it cannot
apply, and the feed would silently fall behind.
Fix: publish one table of a name; remove the receiving project's own
declaration (or make it match); rename one of two tables of one name;
declare the enum in the receiving project too, with the same values;
rename one of two enums of one name.
Example:
    // wrong: analytics declares users without the sent `locale`
    table users { tenant  policy all tenant  locale text     // notes
                  publish to analytics }
    table users { tenant  policy select tenant }             // analytics
    // right: analytics declares no users table; sluice creates it"#
        }
        _ => "",
    }
}
