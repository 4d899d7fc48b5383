//! The SQL `sluice verify` sends besides the deploy's own files.
//!
//! Input: a template name under `templates/verify/` and its context.
//! Output: the statement text. Rust decides what to ask; the templates
//! write it, quoting names and strings with the same `ident`, `literal`
//! and `qname` filters as the emitted migrations.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        const TEMPLATES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../templates/verify/", $name, ".sql.j2")))),*
        ];
    };
}

templates!(
    "relations",
    "locks",
    "scans",
    "user_tables",
    "count",
    "columns",
    "seed",
    "first_keys",
    "catalog",
    "probe_setup",
    "probe_count",
    "probe_write",
    "probe_insert",
    "functions",
    "checks",
    "create_database",
    "probe_function",
    "constraint_columns",
    "replica",
    "abort",
);

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| crate::render::environment("verify", TEMPLATES))
}

/// The statement of template `name` with `ctx`.
pub fn render(name: &str, ctx: impl Serialize) -> String {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| panic!("template verify/{name}: {e}"))
}

/// A template that takes no context.
pub fn fixed(name: &str) -> String {
    render(name, minijinja::context! {})
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        for (name, _) in super::TEMPLATES {
            assert!(super::env().get_template(name).is_ok(), "{name}");
        }
    }
}
