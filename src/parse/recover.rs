//! Error recovery: turn catch-all matches and pest failures into targeted
//! diagnostics ("did you mean `not null`?") instead of "expected one of …".

mod whole_file;

pub(crate) use whole_file::pest_error;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// The block a catch-all match was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    TopLevel,
    Workspace,
    Conventions,
    Tenancy,
    Role,
    Lint,
    Project,
    Table,
    ColumnOption,
    Index,
    Unique,
    Check,
    PrimaryKey,
    ForeignKey,
    Partition,
    Policy,
    Predicate,
    View,
    Function,
    Step,
}

impl Context {
    /// What the block is called in messages.
    fn place(self) -> &'static str {
        match self {
            Context::TopLevel => "at the top level of a file",
            Context::Workspace => "in a `workspace` block",
            Context::Conventions => "in a `conventions` block",
            Context::Tenancy => "in a `tenancy` block",
            Context::Role => "in a `role` block",
            Context::Lint => "in a `lint` block",
            Context::Project => "in a `project` block",
            Context::Table => "in a table",
            Context::ColumnOption => "after a column's type",
            Context::Index => "in an index",
            Context::Unique => "in a unique constraint",
            Context::Check => "in a check constraint",
            Context::PrimaryKey => "in a primary key",
            Context::ForeignKey => "in a foreign key",
            Context::Partition => "in a partition clause",
            Context::Policy => "in a policy",
            Context::Predicate => "in a policy predicate",
            Context::View => "in a view",
            Context::Function => "in a function",
            Context::Step => "in a migration",
        }
    }

    /// The words that may start an item here (for suggestions).
    fn keywords(self) -> &'static [&'static str] {
        match self {
            Context::TopLevel => &[
                "workspace",
                "conventions",
                "tenancy",
                "role",
                "lint",
                "extension",
                "project",
                "table",
                "view",
                "function",
                "enum",
                "migration",
            ],
            Context::Workspace => &[
                "out",
                "schema_ts",
                "postgres",
                "target",
                "lock_timeout",
                "statement_timeout",
            ],
            Context::Conventions => &["primary_key", "timestamps", "audit", "naming", "schema"],
            Context::Tenancy => &["column", "org_from", "user_from", "app_roles"],
            Context::Role => &[
                "login",
                "nologin",
                "connection_limit",
                "owns",
                "runtime",
                "reads",
                "grant",
                "comment",
            ],
            Context::Lint => &["exclude"],
            Context::Project => &[
                "database",
                "schema",
                "postgres",
                "out",
                "schema_ts",
                "app",
                "app_roles",
                "conventions",
                "tenancy",
                "lint",
            ],
            Context::Table => &[
                "tenant",
                "global",
                "owner",
                "comment",
                "classify",
                "retain",
                "allow",
                "index",
                "unique",
                "check",
                "primary",
                "foreign",
                "policy",
                "partition",
            ],
            Context::ColumnOption => &[
                "not",
                "null",
                "default",
                "unique",
                "primary",
                "check",
                "->",
                "comment",
                "classify",
                "generated",
                "identity",
                "was",
            ],
            Context::Predicate => &["owner", "tenant", "role", "sql", "true", "false", "not"],
            Context::View => &["as", "comment", "materialized", "security"],
            Context::Function => &[
                "language",
                "security",
                "set",
                "comment",
                "body",
                "stable",
                "immutable",
                "volatile",
            ],
            Context::Step => &[
                "create",
                "replace",
                "add",
                "set",
                "drop",
                "change",
                "rename",
                "enable",
                "grant",
                "revoke",
                "sql",
                "after",
                "expand",
                "backfill",
                "contract",
                "classify",
                "declassify",
                "comment",
            ],
            _ => &[],
        }
    }

    /// The shape of a correct item, for the help line.
    fn expected(self) -> &'static str {
        match self {
            Context::TopLevel => "a file holds declarations: `workspace`, `conventions`, `tenancy`, `role`, `lint`, `extension`, `project`, `table`, `view`, `function`, `enum` or `migration`",
            Context::Workspace => "a workspace block holds `out \"drizzle\"`, `schema_ts \"app/db/{project}.ts\"`, `postgres 16`, `target drizzle|plain`, `lock_timeout 2s`, `statement_timeout 60s`",
            Context::Conventions => "conventions are `primary_key id uuid default gen_random_uuid()`, `timestamps created_at, updated_at, deleted_at`, `audit created_by, updated_by -> core.users.id`, `naming tables snake_case, …`, `schema owner ROLE`",
            Context::Tenancy => "tenancy holds `column org_id uuid`, `org_from setting app.current_org_id`, `user_from setting app.current_user_id`, `app_roles from TABLE|setting NAME`",
            Context::Role => "a role holds `login`, `nologin`, `connection_limit N`, `owns schema`, `runtime`, `reads pii, phi`, `grant PRIVILEGES on tables|sequences|functions|schema|table T`, `comment \"…\"`",
            Context::Lint => "a lint block holds `rule-id = error|warning|off` and `exclude \"glob\"`",
            Context::Project => "a project holds `database NAME`, `schema NAME`, `postgres N`, `out \"DIR\"`, `schema_ts \"FILE.ts\"`, `app \"CODE\"`, `app_roles from …`, `audit_trail TABLE`, and `conventions`/`tenancy`/`lint` blocks",
            Context::Table => "a table holds columns (`name type [options]`), `tenant`, `global`, `owner COLUMN`, `index (…)`, `unique (…)`, `check (…)`, `foreign key (…) -> …`, `policy COMMAND PREDICATE`, `comment \"…\"`, `classify TAG`, `retain N UNIT`, `allow RULE \"reason\"`",
            Context::ColumnOption => "column options are `not null`, `null`, `default EXPR`, `unique`, `primary key`, `check (EXPR)`, `-> table.column`, `comment \"…\"`, `classify TAG`, `generated (EXPR) stored`, `identity`, `was OLD_NAME`",
            Context::Index => "an index is written `index [METHOD] (col, …) [include (…)] [where (EXPR)] [as NAME]`",
            Context::Unique => "a unique constraint is written `unique (col, …) [as NAME]`",
            Context::Check => "a check constraint is written `check (EXPR) [as NAME]`",
            Context::PrimaryKey => "a composite primary key is written `primary key (col, …)`",
            Context::ForeignKey => "a foreign key is written `foreign key (col, …) -> table(col, …) [on delete ACTION]`",
            Context::Partition => "partitioning is written `partition by hash (org_id) into N`",
            Context::Policy => "a policy is written `policy select|insert|update|delete|all [to ROLE] PREDICATE [check PREDICATE]`, e.g. `policy update owner or role(admin, editor)`",
            Context::Predicate => "a predicate combines `tenant`, `owner`, `role(NAME, …)`, `sql(EXPR)`, `true`, `false` with `and`, `or`, `not` and parentheses",
            Context::View => "a view block holds `as SELECT …`, `comment \"…\"`, `materialized`, `security invoker`",
            Context::Function => "a function block holds `language L`, `stable|immutable|volatile`, `security definer|invoker`, `set NAME = VALUE`, `comment \"…\"`, `body $$ … $$`",
            Context::Step => "a migration holds `after NAME`, `expand { … }`, `backfill table.column = EXPR`, `contract { … }` and steps such as `add column t.c type`, `set not null t.c`, `rename column t.c to d`, `drop column t.c`, `sql $$ … $$ inverse $$ … $$`",
        }
    }
}

/// A diagnostic for text that no rule of its block accepted.
pub(crate) fn invalid_item(span: Span, text: &str, context: Context) -> Diagnostic {
    let text = text.trim();
    let first = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == '{')
        .next()
        .unwrap_or(text);
    let shown = shorten(text);
    // Try the first two words too, so `not nul` suggests `not null`.
    let two: Vec<&str> = text.split_whitespace().take(2).collect();
    let two_words = two.join(" ");
    let two_len = text.find(two.last().copied().unwrap_or("")).unwrap_or(0)
        + two.last().map_or(0, |w| w.len());
    let (word, word_span, suggestion) =
        match did_you_mean(&two_words, context.keywords().iter().copied()) {
            Some(s) if two.len() == 2 && s != two_words => {
                (two_words.as_str(), span.sub(0, two_len), Some(s))
            }
            _ => (
                first,
                span.sub(0, first.len()),
                did_you_mean(first, context.keywords().iter().copied()),
            ),
        };

    // A name with a letter outside ASCII: say why it is refused.
    if !first.is_ascii()
        && first
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        let at = text.find(first).unwrap_or(0);
        return Diagnostic::error(
            Code::UnexpectedItem,
            format!("`{first}` is not a valid name: names are ASCII letters, digits and `_`"),
        )
        .at(span.sub(at, at + first.len()))
        .label("not ASCII")
        .help("rename it with ASCII letters, digits and `_` only: PostgreSQL would need a non-ASCII name quoted in every query");
    }
    // A lone identifier in a table is a column without a type.
    if context == Context::Table && is_identifier(text) {
        return Diagnostic::error(Code::UnexpectedItem, format!("column `{text}` has no type"))
            .at(span)
            .label("type missing")
            .help(format!(
                "write the type after the name, e.g. `{text} text not null`"
            ));
    }
    let (code, message, label) = match context {
        Context::ColumnOption => (
            Code::UnknownOption,
            format!("`{shown}` is not a column option"),
            "not a column option",
        ),
        Context::Role => (
            Code::UnknownOption,
            format!("`{shown}` is not a role option"),
            "not a role option",
        ),
        Context::Predicate => (
            Code::UnexpectedItem,
            format!("`{shown}` is not a policy predicate"),
            "not a predicate",
        ),
        Context::Index
        | Context::Unique
        | Context::Check
        | Context::PrimaryKey
        | Context::ForeignKey
        | Context::Partition
        | Context::Policy => (
            Code::UnexpectedItem,
            format!("`{shown}` is not understood {}", context.place()),
            "not understood here",
        ),
        _ => (
            Code::UnexpectedItem,
            format!("unexpected `{shown}` {}", context.place()),
            "not expected here",
        ),
    };
    let mut d = Diagnostic::error(code, message);
    match suggestion {
        Some(s) if s != word => {
            d = d
                .at(word_span)
                .label(format!("did you mean `{s}`?"))
                .help(context.expected());
        }
        _ => d = d.at(span).label(label).help(context.expected()),
    }
    d
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn shorten(s: &str) -> String {
    let one_line = s.lines().next().unwrap_or("");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(40).collect();
        format!("{cut}…")
    } else if one_line.len() < s.len() {
        format!("{one_line}…")
    } else {
        one_line.to_string()
    }
}
