//! How long a table keeps its rows (`retain N UNIT [after COLUMN]`), and
//! which timestamp the period runs from.
//!
//! Input: a lowered [`Table`] and its project's [`Conventions`]. Output: the
//! interval text PostgreSQL reads (`'24 hours'`) and the basis column, or
//! why there is none (the check stage reports it; the plan stage purges
//! only tables that have one).

use super::{Column, Conventions, Table};
use crate::ast;
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Retention {
    pub amount: u64,
    /// Singular: `hour`, `day`, `week`, `month` or `year`.
    pub unit: &'static str,
    /// The column written after `after`, if any.
    pub after: Option<ast::Ident>,
    pub span: Span,
}

/// Why a retained table has no timestamp to purge by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NoBasis {
    /// `after COLUMN` names a column the table does not have.
    Unknown(String),
    /// `after COLUMN` names a column that is not a `timestamptz`/`timestamp`/`date`.
    NotATimestamp(String),
    /// No `after`, and neither the soft-delete nor the creation timestamp.
    Missing { deleted: String, created: String },
}

/// The extension whose presence makes sluice schedule the purges.
pub const PG_CRON: &str = "pg_cron";

/// Whether `p` declares pg_cron, so its purges are scheduled.
pub fn schedules_purges(p: &super::Project) -> bool {
    p.extensions.iter().any(|e| e.name == PG_CRON)
}

/// The procedure that purges every expired row of a table, batch by
/// batch and (for a tenant table) org by org, committing each batch.
pub fn purge_all_procedure(table: &str) -> String {
    format!("sluice_purge_all_{table}")
}

/// The pg_cron job that runs [`purge_all_procedure`].
pub fn purge_job(schema: &str, table: &str) -> String {
    format!("sluice_purge_{schema}_{table}")
}

impl Retention {
    /// When the job runs: every hour for a period counted in hours, once
    /// a day (03:00, the server's cron time zone) otherwise.
    pub fn cron_schedule(&self) -> &'static str {
        if self.unit == "hour" {
            "0 * * * *"
        } else {
            "0 3 * * *"
        }
    }

    /// `1 year`, `24 hours`: what `interval '…'` reads.
    pub fn interval(&self) -> String {
        let plural = if self.amount == 1 { "" } else { "s" };
        format!("{} {}{plural}", self.amount, self.unit)
    }

    /// The column the period runs from: the one written after `after`;
    /// otherwise the soft-delete timestamp (rows are purged that long after
    /// they were soft-deleted) when the table has one, else the creation
    /// timestamp (rows are purged that long after they were written).
    pub fn basis<'t>(&self, t: &'t Table, conv: &Conventions) -> Result<&'t Column, NoBasis> {
        if let Some(name) = &self.after {
            let c = t
                .column(&name.name)
                .ok_or_else(|| NoBasis::Unknown(name.name.clone()))?;
            let base = c.ty.base.to_ascii_lowercase();
            return if c.ty.array_dims == 0 && (base.starts_with("timestamp") || base == "date") {
                Ok(c)
            } else {
                Err(NoBasis::NotATimestamp(name.name.clone()))
            };
        }
        let deleted = conv.timestamps.get(2).map_or("deleted_at", String::as_str);
        let created = conv.timestamps.first().map_or("created_at", String::as_str);
        t.column(deleted)
            .or_else(|| t.column(created))
            .ok_or_else(|| NoBasis::Missing {
                deleted: deleted.to_string(),
                created: created.to_string(),
            })
    }
}
