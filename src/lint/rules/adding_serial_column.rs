//! `adding-serial-column`: `ADD COLUMN` of `serial`/`bigserial` or an
//! identity column fills every existing row: a rewrite under ACCESS
//! EXCLUSIVE.

use sqlparser::ast::ColumnOption;

use super::{added_columns_typed, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{ident_name, Stmt};
use crate::lint::types::is_serial;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::AddingSerialColumn,
    check: serial_columns_are_not_added,
    finish: nothing_at_end,
};

fn serial_columns_are_not_added(s: &Stmt, st: &State, _: &LintContext, out: &mut Vec<Finding>) {
    for (c, table, ty) in added_columns_typed(s, st) {
        let identity = c.options.iter().any(|o| {
            matches!(
                &o.option,
                ColumnOption::Generated {
                    generation_expr: None,
                    ..
                } | ColumnOption::Identity(_)
            )
        });
        let serial = is_serial(ty);
        if !(identity || serial) {
            continue;
        }
        let col = ident_name(&c.name);
        let name_at = s.at_ident(&c.name);
        let at = if serial {
            s.token_after(name_at.start)
        } else {
            s.at_words_from(name_at.start, &["GENERATED"])
        };
        out.push(s.finding(
            RULE.code,
            at,
            format!("adding the auto-numbered column `{col}` fills every row of `{table}`: a rewrite under an ACCESS EXCLUSIVE lock"),
            format!("add `{col}` as a nullable `bigint`, create a sequence and set it as the default, then backfill existing rows in batches"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn adding_serial_column_err() {
        // `bigserial` is also a hygiene matter (prefer-identity).
        let found = findings_with(&cx(), "ALTER TABLE notes ADD COLUMN seq bigserial;");
        assert_eq!(
            found,
            vec![
                (Code::AddingSerialColumn, 1, 34),
                (Code::PreferIdentity, 1, 34)
            ]
        );
        assert_flags(
            "ALTER TABLE notes ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;",
            Code::AddingSerialColumn,
            1,
            41,
        );
    }

    #[test]
    fn adding_serial_column_ok() {
        assert_clean("CREATE SEQUENCE notes_seq;\nALTER TABLE notes ADD COLUMN seq bigint;\nALTER TABLE notes ALTER COLUMN seq SET DEFAULT nextval('notes_seq');");
    }
}
