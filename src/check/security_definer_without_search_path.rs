//! `security-definer-without-search-path` on DSL functions: a function
//! declared `security definer` runs with its owner's rights, so without
//! `set search_path = …` a caller who puts a schema of their own first on
//! the path makes it call their objects. `sluice lint` flags the same
//! function in SQL; the check reports it at the declaration.
//!
//! Input: a project's functions. Output: one diagnostic per `security
//! definer` function without a `search_path` setting, at `security definer`.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn definer_functions_fix_their_search_path(
    _: &Workspace,
    p: &Project,
    out: &mut Vec<Diagnostic>,
) {
    for f in p.functions.iter() {
        let Some((true, at)) = f.decl.security_definer else {
            continue;
        };
        let fixed = f
            .decl
            .settings
            .iter()
            .any(|(name, _)| name.name.eq_ignore_ascii_case("search_path"));
        if fixed {
            continue;
        }
        out.push(
            Diagnostic::of(
                Code::SecurityDefinerWithoutSearchPath,
                format!(
                    "function `{}` is `security definer` without `set search_path`, so a caller's schema on the path can hijack what it calls",
                    f.name
                ),
            )
            .at(at)
            .label("runs with its owner's rights")
            .help("add `set search_path = public, pg_temp` (the schemas it reads, then pg_temp) to the function"),
        );
    }
}
