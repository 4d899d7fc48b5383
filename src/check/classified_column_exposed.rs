//! `classified-column-exposed`: a view that runs with its owner's rights
//! reads `pii` and `phi` columns for whoever selects it, around the column
//! grants that withhold them (see `plan::classified_reads`).
//!
//! Input: one project's views and tables, and the workspace's roles.
//! Output: an error per such view and `pii`/`phi` column its query names,
//! when a role that does not read that classification (and is not the
//! schema owner) selects tables. Names are matched as words of the query,
//! as the other view checks do.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Classification, GrantOn, Project, Workspace};

pub fn owner_rights_views_read_no_withheld_columns(
    ws: &Workspace,
    p: &Project,
    out: &mut Vec<Diagnostic>,
) {
    // The first role that selects every table and is kept from columns
    // classified `k`.
    let reader = |k: Classification| {
        ws.roles.iter().find(|r| {
            r.withholds(Some(k))
                && r.grants.iter().any(|g| {
                    g.on == GrantOn::AllTables
                        && g.privileges.iter().any(|x| x == "select" || x == "all")
                })
        })
    };
    for v in p
        .views
        .iter()
        .filter(|v| v.materialized || !v.security_invoker)
    {
        let words: BTreeSet<String> = v
            .query
            .text
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        for t in p
            .tables
            .iter()
            .filter(|t| words.contains(&t.name.to_ascii_lowercase()))
        {
            for c in t
                .columns
                .iter()
                .filter(|c| words.contains(&c.name.to_ascii_lowercase()))
            {
                let Some((k, reader)) = c.classification.and_then(|k| Some((k, reader(k)?))) else {
                    continue;
                };
                out.push(
                    Diagnostic::error(
                        Code::ClassifiedColumnExposed,
                        format!(
                            "view `{}` reads `{}.{}`, classified `{k}`, with its owner's rights: `{}` would read it through the view",
                            v.name, t.name, c.name, reader.name, k = k.as_str()
                        ),
                    )
                    .at(v.name_span)
                    .with_label(c.span, format!("classified `{}` here", k.as_str()))
                    .help("make the view `security invoker`, so the caller's column grants apply, or leave the column out"),
                );
            }
        }
    }
}
