//! `materialized-view-over-tenant-table`: a materialized view stores the
//! rows of its query as they were at refresh, with no row-level security,
//! so whoever may read it reads every tenant's rows. One over a tenant
//! table is refused unless that table says why it is safe
//! (`allow materialized-view-over-tenant-table "reason"`).

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

const RULE: &str = "materialized-view-over-tenant-table";

pub fn materialized_views_skip_tenant_tables(
    _: &Workspace,
    p: &Project,
    out: &mut Vec<Diagnostic>,
) {
    for v in p.views.iter().filter(|v| v.materialized) {
        let words: BTreeSet<String> = v
            .query
            .text
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        for t in p.tables.iter().filter(|t| t.tenant) {
            if !words.contains(&t.name.to_ascii_lowercase()) || t.is_exempt(RULE) {
                continue;
            }
            out.push(
                Diagnostic::of(
                    Code::MaterializedViewOverTenantTable,
                    format!(
                        "materialized view `{}` reads tenant table `{}`: it has no row-level security, so its readers see every tenant's rows",
                        v.name, t.name
                    ),
                )
                .at(v.name_span)
                .with_label(t.name_span, "the tenant table")
                .help(format!(
                    "use a plain view with `security invoker`, so `{}`'s policies apply to the caller; or, if only trusted roles can read it, add `allow {RULE} \"reason\"` to table `{}`",
                    t.name, t.name
                )),
            );
        }
    }
}
