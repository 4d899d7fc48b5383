//! The steps that turn the `reads` a project's history carries into the
//! declared ones, and the ones a project's initial migration names.
//!
//! Input: the declared roles and what the history carries
//! ([`Access::reads`]). Output: `grant reads` steps in the expand (a role
//! reading more breaks no running app version), `revoke reads` steps in
//! the contract (the running app version may still read those columns).

use std::collections::BTreeMap;

use super::{Bucket, Draft};
use crate::ir::access::Access;
use crate::ir::Role;

pub(super) fn plan(roles: &[Role], built: &Access, out: &mut Draft) {
    if !built.explicit_reads {
        return;
    }
    let declared = crate::ir::reads::declared(roles);
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (role, c) in declared.keys().filter(|k| !built.reads.contains_key(*k)) {
        missing.entry(role).or_default().push(c);
    }
    for (role, cs) in missing {
        out.expand(
            Bucket::Object,
            format!("grant reads {} to {role}", cs.join(", ")),
            "reading more columns breaks nothing the running app version does".into(),
            format!("grant_reads_{role}"),
        );
    }
    let mut extra: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (role, c) in built.reads.keys().filter(|k| !declared.contains_key(*k)) {
        extra.entry(role).or_default().push(c);
    }
    for (role, cs) in extra {
        out.contract(
            Bucket::DropObject,
            format!("revoke reads {} from {role}", cs.join(", ")),
            "withholding columns waits for the contract: the running app version may still read them".into(),
            format!("revoke_reads_{role}"),
        );
    }
}

/// The initial migration's `reads`, one step per role that declares
/// some, so the history carries them.
pub(super) fn initial(roles: &[Role], out: &mut Draft) {
    let lines: Vec<String> = roles
        .iter()
        .filter(|r| !r.reads.is_empty())
        .map(|r| {
            let cs: Vec<&str> = r.reads.iter().map(|c| c.as_str()).collect();
            format!("grant reads {} to {}", cs.join(", "), r.name)
        })
        .collect();
    if !lines.is_empty() {
        out.expand(
            Bucket::Item,
            lines.join("\n"),
            "the classifications each role reads, named so the history carries them".into(),
            "initial".into(),
        );
    }
}
