//! A `postgres` error that prints the server's whole report.

use std::fmt;

/// A `postgres` error whose `Display` and `Debug` (what `expect` prints)
/// show the server's whole report: severity, SQLSTATE, message, detail,
/// hint and context, not just "db error".
pub struct SqlError(pub postgres::Error);

impl SqlError {
    /// The SQLSTATE, when the server reported the error.
    pub fn code(&self) -> Option<&postgres::error::SqlState> {
        self.0.code()
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(db) = self.0.as_db_error() else {
            write!(f, "{}", self.0)?;
            let mut source = std::error::Error::source(&self.0);
            while let Some(cause) = source {
                write!(f, ": {cause}")?;
                source = cause.source();
            }
            return Ok(());
        };
        write!(
            f,
            "{} {}: {}",
            db.severity(),
            db.code().code(),
            db.message()
        )?;
        for (label, part) in [
            ("DETAIL", db.detail()),
            ("HINT", db.hint()),
            ("WHERE", db.where_()),
        ] {
            if let Some(part) = part {
                write!(f, "\n{label}: {part}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for SqlError {}
