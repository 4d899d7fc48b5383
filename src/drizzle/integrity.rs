//! Release integrity shared by both Drizzle layouts: the diagnostics for a
//! released file that changed, and the rule that a contract does not ship
//! in the same deploy as its expand.
//!
//! Input: a project, the files on disk and the files a build would write.
//! Output: diagnostics, and unified diffs for them.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Project;
use crate::span::Span;

/// A new contract entry whose migration's expand entry is new in the same
/// build would ship both phases in one deploy: refused unless the release
/// says `together "reason"`. (A folder without released entries has no
/// running app version to protect.) `released` and `produced` are journal
/// tags; `shown` names where the released ones are recorded.
pub(super) fn contracts_with_their_expand(
    p: &Project,
    released: &BTreeSet<&str>,
    produced: &[String],
    shown: &str,
    head: &dyn Fn(Span) -> Span,
) -> Vec<Diagnostic> {
    let is_new = |tag: &str| !released.contains(tag);
    let new_names: BTreeSet<&str> = produced
        .iter()
        .filter(|t| is_new(t))
        .filter_map(|t| t.get(5..))
        .collect();
    let mut releases = std::collections::HashMap::new();
    for r in p.migrations.iter().flat_map(|x| &x.releases) {
        releases.entry(r.migration.name.as_str()).or_insert(r);
    }
    let mut out = Vec::new();
    for tag in produced.iter().filter(|t| is_new(t)) {
        let Some(m) = tag.get(5..).and_then(|t| t.strip_suffix("_contract")) else {
            continue;
        };
        let expand = format!("{m}_expand");
        if !new_names.contains(expand.as_str()) {
            continue;
        }
        let release = releases.get(m).copied();
        let allowed = release.is_some_and(|r| {
            r.together.as_ref().is_some_and(|(reason, _)| {
                reason.as_ref().is_some_and(|s| !s.value.trim().is_empty())
            })
        });
        if allowed {
            continue;
        }
        let at = release.map_or(head(p.span), |r| r.span);
        out.push(
            Diagnostic::of(
                Code::ContractInSameDeploy,
                format!(
                    "`{tag}` would ship in the same deploy as the expand phase of `{m}`, which `{shown}` has not released yet",
                ),
            )
            .at(at)
            .help(format!(
                "build and deploy without `release {m}` first, and add it once the new app version is live; or write `release {m} together \"why no old app version is running\"`"
            )),
        );
    }
    out
}

pub(super) fn edited(path: &str, what: &str) -> Diagnostic {
    Diagnostic::of(Code::ReleasedFileEdited, format!("`{path}` {what}"))
}

/// A released-migration-changed diagnostic at the migration the file came
/// from (else at the project).
pub(super) fn changed(
    p: &Project,
    rel: &str,
    shown: &str,
    what: &str,
    head: &dyn Fn(Span) -> Span,
) -> Diagnostic {
    let help = if p.migrations.is_empty() {
        // No history: the declarations themselves were released.
        format!(
            "a released file never changes, and project `{}` has no migrations: its declarations were released as its initial migration. Put the declarations back as they were, copy them into `migrations/0001_initial.sluice` as `migration initial {{ create table … }}`, and write the change as a migration after it",
            p.name
        )
    } else {
        "a released file never changes: restore the migration as it was and write the change as a new migration after it".to_string()
    };
    let d = Diagnostic::of(
        Code::ReleasedMigrationChanged,
        format!("released migration file `{shown}` {what}"),
    )
    .help(help);
    match migration_of(p, rel) {
        Some((name, span)) => d
            .at(head(span))
            .label(format!("migration `{name}` produced it")),
        None => d.at(head(p.span)),
    }
}

/// The migration a file of the folder came from: its tag without the
/// prefix and the phase suffix (`0001_note_summary_expand.sql` →
/// `note_summary`).
pub(super) fn migration_of<'a>(p: &'a Project, rel: &str) -> Option<(&'a str, Span)> {
    let file = rel.rsplit('/').next()?.strip_suffix(".sql")?;
    let name = file.split_once('_')?.1;
    let base = ["_expand", "_contract", "_backfill"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    p.migrations
        .iter()
        .find(|m| m.name == base || m.name == name)
        .map(|m| (m.name.as_str(), m.span))
}

/// A unified diff, three lines of context.
pub fn diff(rel: &str, old: &[u8], new: &[u8], old_name: &str, new_name: &str) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{rel} ({old_name})"),
            &format!("{rel} ({new_name})"),
        )
        .to_string()
}
