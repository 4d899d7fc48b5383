//! `security-definer-without-search-path`: a `SECURITY DEFINER` function
//! runs with its owner's rights and resolves names through the caller's
//! `search_path`, so a caller can plant objects that run as the owner.

use sqlparser::ast::{FunctionSecurity, Statement};

use super::{nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::{object_name, Stmt};
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::SecurityDefinerWithoutSearchPath,
    check: definer_functions_pin_search_path,
    finish: nothing_at_end,
};

fn definer_functions_pin_search_path(s: &Stmt, _: &State, _: &LintContext, out: &mut Vec<Finding>) {
    let Some(Statement::CreateFunction(f)) = s.ast.as_deref() else {
        return;
    };
    if f.security != Some(FunctionSecurity::Definer) {
        return;
    }
    let pinned = f
        .set_params
        .iter()
        .any(|p| object_name(&p.name) == "search_path");
    if !pinned {
        out.push(s.finding(
            RULE.code,
            s.at_words(&["SECURITY", "DEFINER"]),
            format!("`{}` runs as its owner but resolves names through the caller's `search_path`", object_name(&f.name)),
            "add `SET search_path = pg_catalog, public, pg_temp` (or the schemas it needs, `pg_temp` last) to the function",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn security_definer_without_search_path_err() {
        assert_flags(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ select 1 $$;",
            Code::SecurityDefinerWithoutSearchPath,
            1,
            46,
        );
    }

    #[test]
    fn security_definer_without_search_path_ok() {
        assert_clean("CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$ select 1 $$;");
    }
}
