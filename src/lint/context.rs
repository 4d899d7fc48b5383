//! What a verdict depends on besides the SQL text itself: the target
//! PostgreSQL version, whether the runner wraps each file in a transaction,
//! the migration phase, and names from the workspace (runtime roles, the
//! tenant column).

/// A PostgreSQL version: the major, and the minor when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PgVersion {
    pub major: u32,
    pub minor: Option<u32>,
}

impl PgVersion {
    pub const fn major(major: u32) -> PgVersion {
        PgVersion { major, minor: None }
    }

    /// Whether the server is at least this major version.
    pub fn is_at_least(&self, major: u32) -> bool {
        self.major >= major
    }
}

impl Default for PgVersion {
    fn default() -> PgVersion {
        PgVersion::major(15)
    }
}

impl std::str::FromStr for PgVersion {
    type Err = String;

    /// `15`, `14.3` (a minor matters for a few facts).
    fn from_str(s: &str) -> Result<PgVersion, String> {
        let bad = || format!("`{s}` is not a PostgreSQL version such as `15` or `14.3`");
        let (major, minor) = match s.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let major: u32 = major.trim().parse().map_err(|_| bad())?;
        let minor = match minor {
            Some(m) => Some(m.trim().parse::<u32>().map_err(|_| bad())?),
            None => None,
        };
        if !(9..=99).contains(&major) {
            return Err(bad());
        }
        Ok(PgVersion { major, minor })
    }
}

impl std::fmt::Display for PgVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.minor {
            Some(m) => write!(f, "{}.{m}", self.major),
            None => write!(f, "{}", self.major),
        }
    }
}

/// Everything a rule may consult beyond the statements of the file.
#[derive(Debug, Clone)]
pub struct LintContext {
    /// The target server version.
    pub pg: PgVersion,
    /// The runner opens a transaction around the statements (drizzle-orm
    /// one around all pending journal entries); a `COMMIT` in them leaves it.
    pub in_transaction: bool,
    /// The statements belong to a contract phase, where drops are expected.
    pub contract_phase: bool,
    /// Roles the application connects as; they must own nothing.
    pub runtime_roles: Vec<String>,
    /// The tenant column (`org_id`): tables holding it need row-level security.
    pub tenant_column: Option<String>,
    /// The runner, for what it does with transactions and for messages.
    pub runner: super::runner::Runner,
    /// The runner's transaction is PostgreSQL's implicit one for a query of
    /// several statements: `BEGIN` and `COMMIT` are allowed in it, and a
    /// `COMMIT` only starts the next one.
    pub one_query: bool,
}

impl Default for LintContext {
    fn default() -> LintContext {
        LintContext {
            pg: PgVersion::default(),
            in_transaction: false,
            contract_phase: false,
            runtime_roles: Vec::new(),
            tenant_column: Some("org_id".into()),
            runner: super::runner::Runner::Plain,
            one_query: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_with_and_without_minor() {
        assert_eq!("15".parse::<PgVersion>(), Ok(PgVersion::major(15)));
        let v: PgVersion = "14.3".parse().unwrap();
        assert_eq!((v.major, v.minor), (14, Some(3)));
        assert!("fifteen".parse::<PgVersion>().is_err());
        assert!("3".parse::<PgVersion>().is_err());
    }
}
