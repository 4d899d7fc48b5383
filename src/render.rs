//! Stage 6, render: statements → SQL text through minijinja templates.
//!
//! Input: a [`Plan`]'s statements. Output: SQL text. Templates live in
//! `templates/postgres/` (recipes under `recipes/`) and are compiled into
//! the binary. Quoting happens in Rust (the `ident`, `literal`, `qname` and
//! `dollar_quote` filters, over [`crate::quote`]), never by pasting in a
//! template, so no name or string from the DSL can break out of its quotes.

use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::plan::Stmt;

mod cache;
pub use cache::Cache;

pub use crate::quote::{comment_text, dollar_quote, dollar_tag, ident, literal};

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        const TEMPLATES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../templates/postgres/", $name, ".sql.j2")))),*
        ];
    };
}

templates!(
    "macros",
    "policy_macros",
    "set",
    "create_schema",
    "drop_schema",
    "public_create",
    "create_role",
    "drop_role",
    "create_extension",
    "drop_extension",
    "create_enum",
    "drop_type",
    "create_table",
    "drop_table",
    "create_partition",
    "create_partition_of",
    "add_constraint_as_defined",
    "rename_constraint",
    "set_owner",
    "add_foreign_key",
    "drop_constraint",
    "create_index",
    "enable_rls",
    "create_policy",
    "policy_predicate",
    "drop_policy",
    "create_function",
    "drop_function",
    "create_trigger",
    "create_view",
    "drop_view",
    "comment",
    "grant",
    "default_privileges",
    "alter_table",
    "set_identity_always",
    "raw",
    "contract_guard",
    "index_guard",
    "labels/grant",
    "labels/default_privileges",
    "labels/column_reads",
    "labels/set",
    "labels/create_policy",
    "labels/drop_policy",
    "headers/initial",
    "headers/initial_rollback",
    "headers/phase",
    "headers/phase_rollback",
    "scripts/nothing",
    "scripts/prelude",
    "scripts/refuse",
    "scripts/transaction",
    "functions/record_audit",
    "compliance/column_reads",
    "compliance/create_publication",
    "compliance/create_subscription",
    "compliance/create_purge",
    "compliance/create_purge_all",
    "compliance/drop_publication",
    "compliance/drop_purge",
    "compliance/drop_purge_all",
    "compliance/grant_purge",
    "compliance/purge_policy",
    "compliance/purge_predicate",
    "compliance/revoke_purge_all",
    "compliance/schedule_purges",
    "functions/set_updated_at",
    "recipes/add_check",
    "recipes/add_column",
    "recipes/add_enum_value",
    "recipes/add_unique_using_index",
    "recipes/alter_column",
    "recipes/backfill",
    "recipes/comment",
    "recipes/compat_view",
    "recipes/create_index_concurrently",
    "recipes/create_unique_index_concurrently",
    "recipes/drop_column",
    "recipes/drop_compat_view",
    "recipes/drop_constraint",
    "recipes/drop_index",
    "recipes/drop_object",
    "recipes/drop_sync_function",
    "recipes/drop_trigger",
    "recipes/grant",
    "recipes/narrow_column",
    "recipes/not_null_check",
    "recipes/raw_step",
    "recipes/rebuild_index",
    "recipes/rename_shadow",
    "recipes/rename_table",
    "recipes/set_not_null_proven",
    "recipes/sync_function",
    "recipes/sync_trigger",
    "recipes/validate_constraint",
);

/// A template environment as every renderer of sluice sets it up: strict
/// about undefined values, block tags trimmed, and the quoting filters
/// (`ident`, `idents`, `literal`, `qname`, `object_name`, `dollar_quote`,
/// `comment_text`), holding
/// `templates` (name, source) of the folder `folder` under `templates/`.
pub fn environment(
    folder: &str,
    templates: &[(&'static str, &'static str)],
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(false);
    env.add_filter("ident", |s: &Value| ident(&text(s)));
    env.add_filter("literal", |s: &Value| literal(&text(s)));
    env.add_filter("dollar_quote", |body: String, base: String| {
        dollar_quote(&base, &body)
    });
    env.add_filter("comment_text", |s: &Value| comment_text(&text(s)));
    env.add_filter("qname", |s: &Value, schema: &Value| {
        let mut out = ident(&text(schema));
        out.push('.');
        out.push_str(&ident(&text(s)));
        out
    });
    env.add_filter("idents", idents);
    env.add_filter("object_name", object_name);
    for (name, source) in templates {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {folder}/{name} is invalid: {e}"));
    }
    env
}

/// A filter's argument as text: a string as it is, borrowed (filters
/// run on every name a template writes), anything else as it prints.
fn text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(v.to_string()),
    }
}

/// Names quoted and joined by `, `: a column list. A filter, not a macro
/// that every template importing it would run again on each render.
fn idents(names: Value) -> Result<String, minijinja::Error> {
    let mut out = String::new();
    for (i, name) in names.try_iter()?.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&ident(&text(&name)));
    }
    Ok(out)
}

/// The object a comment, an owner change or a grant names (a `Target` of
/// `plan::target`): `schema.name`, then `.column` or `(argument types)`.
fn object_name(target: minijinja::Value) -> Result<String, minijinja::Error> {
    let text = |name: &str| -> Result<Option<String>, minijinja::Error> {
        let v = target.get_attr(name)?;
        Ok((!v.is_none() && !v.is_undefined()).then(|| v.to_string()))
    };
    let (Some(schema), Some(name)) = (text("schema")?, text("name")?) else {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "an object name needs a schema and a name",
        ));
    };
    let mut out = format!("{}.{}", ident(&schema), ident(&name));
    if let Some(column) = text("column")? {
        out.push('.');
        out.push_str(&ident(&column));
    }
    let args = target.get_attr("args")?;
    if !args.is_none() && !args.is_undefined() {
        let types: Vec<String> = args.try_iter()?.map(|a| a.to_string()).collect();
        out.push('(');
        out.push_str(&types.join(", "));
        out.push(')');
    }
    Ok(out)
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = environment("postgres", TEMPLATES);
        env.add_filter("policy_predicate", policy_predicate);
        env
    })
}

thread_local! {
    /// Each distinct policy expression a thread rendered, by its encoded
    /// value: most tables share theirs (the tenant's column, the owner's,
    /// the same role lookups), and a project plans a thousand policies.
    static PREDICATES: std::cell::RefCell<std::collections::HashMap<Vec<u8>, String, foldhash::fast::FixedState>> =
        Default::default();
}

/// The `policy_predicate` filter: a policy's expression (a `PredSql` of
/// `plan::predicate`) as the `policy_predicate` template writes it,
/// rendered once per distinct expression, without importing the macros
/// into every policy statement.
fn policy_predicate(
    state: &minijinja::State,
    p: minijinja::Value,
) -> Result<String, minijinja::Error> {
    let mut key = Vec::new();
    cache::encode(&p, &mut key);
    if let Some(text) = PREDICATES.with(|m| m.borrow().get(&key).cloned()) {
        return Ok(text);
    }
    let text = state
        .env()
        .get_template("policy_predicate")?
        .render(minijinja::context! { p })?;
    PREDICATES.with(|m| m.borrow_mut().insert(key, text.clone()));
    Ok(text)
}

/// Render the template `name` (under `templates/postgres/`, without
/// `.sql.j2`) with `ctx`, without a trailing newline.
pub fn template(name: &str, ctx: impl serde::Serialize) -> Result<String, minijinja::Error> {
    let body = env().get_template(name)?.render(ctx)?;
    Ok(body.trim_end().to_string())
}

/// Render the file header `headers/<name>` (comment lines), ended by a
/// newline.
pub fn header(name: &str, ctx: impl serde::Serialize) -> Result<String, minijinja::Error> {
    let mut text = template(&format!("headers/{name}"), ctx)?;
    text.push('\n');
    Ok(text)
}

/// Render one statement, headed by its label comment, without a trailing
/// newline.
pub fn statement(stmt: &Stmt) -> Result<String, minijinja::Error> {
    let body = env().get_template(stmt.template)?.render(stmt.ctx())?;
    let label = match stmt.header {
        Some(name) => env()
            .get_template(&format!("labels/{name}"))?
            .render(stmt.ctx())?
            .trim()
            .to_string(),
        None => stmt.label.clone(),
    };
    Ok(format!("-- {}\n{}", comment_text(&label), body.trim_end()))
}

/// The marker drizzle-orm splits a migration file on.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

thread_local! {
    /// The statements nearly every file repeats (marked so where they are
    /// made: the settings of a preamble, a rollback's `BEGIN` and
    /// `COMMIT`) that a thread rendered: a few per project. A history of
    /// 2,000 phases rendered them 30,000 times, more than all of its own
    /// statements.
    static REPEATS: Cache = Cache::default();
}

/// Statements joined into one migration file, one statement per chunk.
pub fn file(header: &str, stmts: &[Stmt]) -> Result<String, minijinja::Error> {
    let mut chunks = Vec::with_capacity(stmts.len());
    for s in stmts {
        let chunk = if s.repeated {
            REPEATS.with(|c| c.statement(s))?
        } else {
            statement(s)?
        };
        // drizzle splits on the marker wherever it stands, even inside a
        // string or body the user wrote: it would cut the statement.
        if chunk.contains(BREAKPOINT) {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!(
                    "`{}` holds `{BREAKPOINT}`, which would split it in two",
                    s.label
                ),
            ));
        }
        chunks.push(chunk);
    }
    let mut out = String::from(header);
    out.push_str(&chunks.join(&format!("\n{BREAKPOINT}\n")));
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }
}
