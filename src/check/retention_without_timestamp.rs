//! `retention-without-timestamp`: a `retain` needs a timestamp for its
//! period to run from; without one, the purge would never delete a row.
//!
//! Input: one project's tables. Output: an error at each `retain` whose
//! basis column (see [`crate::ir::retention`]) is missing or not a
//! timestamp.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::retention::NoBasis;
use crate::ir::{Project, Workspace};

pub fn retained_tables_have_their_timestamp(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        let Some(r) = &t.retention else { continue };
        let Err(why) = r.basis(t, &p.conventions) else {
            continue;
        };
        let (message, help) = match why {
            NoBasis::Unknown(c) => (
                format!("`retain … after {c}`: table `{}` has no column `{c}`", t.name),
                "name a timestamp column of the table after `after`".to_string(),
            ),
            NoBasis::NotATimestamp(c) => (
                format!(
                    "`retain … after {c}`: column `{c}` of table `{}` is not a timestamp or date",
                    t.name
                ),
                "name a `timestamptz`, `timestamp` or `date` column after `after`".to_string(),
            ),
            NoBasis::Missing { deleted, created } => (
                format!(
                    "table `{}` is retained for {} but has neither `{deleted}` nor `{created}` to measure it from",
                    t.name,
                    r.interval()
                ),
                format!(
                    "keep the conventions' timestamps on the table, or say which column the period runs from: `retain {} after COLUMN`",
                    r.interval()
                ),
            ),
        };
        out.push(
            Diagnostic::error(Code::RetentionWithoutTimestamp, message)
                .at(r.span)
                .help(help),
        );
    }
}
