//! `retention-without-key`: the purge pages through expired rows by
//! primary key, so a retained table needs one.
//!
//! Input: one project's tables. Output: an error at each `retain` on a
//! table without a primary key.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn retained_tables_have_a_primary_key(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in p.tables.iter().filter(|t| t.primary_key.is_empty()) {
        let Some(r) = &t.retention else { continue };
        out.push(
            Diagnostic::error(
                Code::RetentionWithoutKey,
                format!(
                    "table `{}` is retained for {} but has no primary key for the purge to page by",
                    t.name,
                    r.interval()
                ),
            )
            .at(r.span)
            .help("give the table a primary key, or remove the `retain`"),
        );
    }
}
