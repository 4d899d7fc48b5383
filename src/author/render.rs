//! A planned migration as DSL text, through a minijinja template.
//!
//! Input: the steps of a [`Draft`]. Output: the text of the migration file
//! (`templates/author/migration.sluice.j2`). Rust orders and indents the
//! steps; the template lays out the file.

use std::sync::OnceLock;

use minijinja::{context, Environment};

use super::{text, Draft, Step};

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        crate::render::environment(
            "author",
            &[(
                "migration",
                include_str!("../../templates/author/migration.sluice.j2"),
            )],
        )
    })
}

/// The file's text: steps in bucket order (stable within a bucket), their
/// continuation lines indented to the step's depth.
pub(super) fn migration(number: &str, name: &str, d: Draft, initial: bool) -> String {
    let depth = if initial { 2 } else { 4 };
    let order = |mut v: Vec<(super::Bucket, Step)>| -> Vec<Step> {
        v.sort_by_key(|(b, _)| *b);
        v.into_iter()
            .map(|(_, s)| Step {
                why: crate::render::comment_text(&s.why),
                text: text::indent(&s.text, depth),
            })
            .collect()
    };
    let expand = order(d.expand);
    let contract = order(d.contract);
    let mut out = env()
        .get_template("migration")
        .and_then(|t| t.render(context! { number, name, initial, expand, contract }))
        .unwrap_or_else(|e| panic!("rendering a planned migration failed: {e}"));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
