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

use super::stmt::{Key, Stmt};

/// Rows of `table` matching `needs` still need the script: `what` says
/// which part of it, for the message.
#[derive(Debug, Clone, Serialize)]
pub struct Guard {
    /// The qualified, quoted table name.
    pub table: String,
    /// An SQL predicate on one row of `table`.
    pub needs: String,
    /// e.g. `the copy of notes.body into content`.
    pub what: String,
}

/// The guard statement of a contract journal file `tag` whose script is
/// `script` (relative to the migrations folder); `None` without guards.
pub fn statement(guards: &[Guard], tag: &str, script: &str) -> Option<Stmt> {
    #[derive(Serialize)]
    struct Check<'a> {
        table: &'a str,
        needs: &'a str,
        before: String,
        after: String,
    }
    #[derive(Serialize)]
    struct Ctx<'a> {
        quote: String,
        checks: Vec<Check<'a>>,
        hint: String,
    }
    if guards.is_empty() {
        return None;
    }
    let checks: Vec<Check> = guards
        .iter()
        .map(|g| Check {
            table: &g.table,
            needs: &g.needs,
            before: format!("{tag} refused: "),
            after: format!(
                " rows still need {}, which its script does and this contract relies on (dropping \
                 or requiring a column now would lose or reject their data); the migration's \
                 transaction is rolled back",
                g.what
            ),
        })
        .collect();
    // Everything the block holds that did not come from this file.
    let inside: Vec<&str> = guards
        .iter()
        .flat_map(|g| [g.table.as_str(), g.needs.as_str(), g.what.as_str()])
        .collect();
    let hint = format!(
        "run {script} of this migrations folder first (psql -v ON_ERROR_STOP=1 -f <folder>/{script}), then migrate again"
    );
    Some(Stmt::new(
        "contract_guard",
        format!("GuardContract {tag}"),
        Ctx {
            quote: crate::render::dollar_tag("guard", &inside.join("\n")),
            checks,
            hint,
        },
        Key::Other(format!("guard {tag}")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_never_occurs_in_what_it_wraps() {
        let guard = Guard {
            table: "\"public\".\"notes\"".into(),
            needs: "x = '$guard$'".into(),
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
