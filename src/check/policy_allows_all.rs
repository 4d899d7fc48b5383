//! `policy-allows-all`: a tenant table's policy whose predicate is `true`
//! grants the command on every row the tenant filter lets through; say
//! `tenant` if every member of the org really may do it.

use crate::ast::Pred;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn tenant_policies_are_not_always_true(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in p.tables.iter().filter(|t| t.tenant) {
        for pol in t.policies.iter() {
            for pred in std::iter::once(&pol.using).chain(pol.check.iter()) {
                if is_always_true(pred) {
                    out.push(
                        Diagnostic::of(
                            Code::PolicyAllowsAll,
                            format!("a policy of tenant table `{}` is always true", t.name),
                        )
                        .at(pred.span())
                        .help("write `tenant` if every member of the org may do this, or a narrower predicate such as `owner or role(admin)`"),
                    );
                }
            }
        }
    }
}

fn is_always_true(p: &Pred) -> bool {
    match p {
        Pred::Bool(b, _) => *b,
        Pred::Sql(t) => t.text.trim().eq_ignore_ascii_case("true"),
        Pred::Or(ps, _) => ps.iter().any(is_always_true),
        Pred::And(ps, _) => ps.iter().all(is_always_true),
        _ => false,
    }
}
