//! Contract guards: a contract phase that is correct only once its script
//! ran (a backfill caught up, a rename's or a type change's copy finished)
//! first counts the rows that script would still change, and refuses with
//! the command to run when there are any.
//!
//! Nothing records whether a psql script ran, and drizzle applies every
//! pending journal entry in one transaction: without the guard, a contract
//! deployed without its script drops the old column while the new one is
//! still empty. The refusal rolls back the migrator's whole transaction, so
//! nothing of that deploy is applied and no data is lost.

use serde::Serialize;

use super::expr::Predicate;
use super::stmt::{Key, Stmt};

/// Rows of `table` matching `needs` still need the script: `what` says
/// which part of it, for the message.
#[derive(Debug, Clone, Serialize)]
pub struct Guard {
    pub schema: String,
    pub table: String,
    /// What one row of `table` matches while it needs the script.
    pub needs: Predicate,
    /// e.g. `the copy of notes.body into content`.
    pub what: String,
}

/// The guard statement of a contract journal file `tag` whose script is
/// `script` (relative to the migrations folder); `None` without guards.
pub fn statement(guards: &[Guard], tag: &str, script: &str) -> Option<Stmt> {
    #[derive(Serialize)]
    struct Check<'a> {
        schema: &'a str,
        table: &'a str,
        needs: &'a Predicate,
        before: String,
        /// Which part of the script the rows still need.
        what: &'a str,
    }
    #[derive(Serialize)]
    struct Ctx<'a> {
        checks: Vec<Check<'a>>,
        hint: String,
    }
    if guards.is_empty() {
        return None;
    }
    let checks: Vec<Check> = guards
        .iter()
        .map(|g| Check {
            schema: &g.schema,
            table: &g.table,
            needs: &g.needs,
            before: format!("{tag} refused: "),
            what: &g.what,
        })
        .collect();
    let hint = format!(
        "run {script} of this migrations folder first (psql -v ON_ERROR_STOP=1 -f <folder>/{script}), then migrate again"
    );
    Some(Stmt::new(
        "contract_guard",
        format!("GuardContract {tag}"),
        Ctx { checks, hint },
        Key::Other(format!("guard {tag}")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_never_occurs_in_what_it_wraps() {
        let guard = Guard {
            schema: "public".into(),
            table: "notes".into(),
            needs: Predicate::bare(crate::plan::expr::Test::Sql {
                text: "x = '$guard$'".into(),
            }),
            what: "the copy of notes.a into b".into(),
        };
        let stmt = statement(&[guard], "0003_a_contract", "backfill/0003_a_contract.sql")
            .expect("a guard statement");
        let sql = crate::render::statement(&stmt).expect("renders");
        assert!(sql.contains("\nDO $guard_1$\n"), "{sql}");
        assert!(sql.trim_end().ends_with("$guard_1$;"), "{sql}");
    }

    #[test]
    fn no_guard_no_statement() {
        assert!(statement(&[], "0003_a_contract", "backfill/0003_a_contract.sql").is_none());
    }
}
