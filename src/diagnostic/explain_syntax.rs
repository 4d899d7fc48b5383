//! Explanations of the codes for files that cannot be read as written:
//! broken structure, unknown items and options, bad values, encodings.

use super::Code;

/// The explanation of one of these codes (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
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
        _ => "",
    }
}
