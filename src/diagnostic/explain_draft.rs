//! Explanations of the codes about what counts as released: drafts, the
//! release mode, and released files a newer sluice would write differently.

use super::Code;

/// The explanation of a release-scope code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
        Code::ReleasedOutputChanged => {
            r#"Problem: a released file of the output folder would be written with other
bytes by this version of sluice, although the migration it came from (and
the workspace settings) did not change: sluice's own output changed, for
example after an upgrade.
Why it matters: databases that already ran the file never run it again,
so rewriting it would make new databases differ from old ones. sluice
keeps the released bytes as they are on disk; the new output applies to
new migrations only. The warning shows what this version would write.
Fix: nothing is required. If the difference matters (a fix sluice now
makes), write it as a new migration. A lock without migration digests
(written by an earlier version) cannot tell an upgrade from an edited
migration: there the difference stays `released-migration-changed`. The
first successful build records the digests.
Example:
    // 0001_note_summary_expand.sql was built by an older sluice,
    // migration note_summary unchanged:
    //   warning[released-output-changed], the file is kept as it is
    migration note_summary {
      expand { add column notes.summary text }
    }"#
        }
        Code::InvalidReleaseMode => {
            r#"Problem: the environment variable `SLUICE_RELEASED` has a value other
than `git` or `all`.
Why it matters: it decides which entries of the output folder are
released (never rewritten) and which are drafts (rewritten by every
build). sluice does not guess: a wrong guess either refuses every
iteration or rewrites a released file.
Fix: set `SLUICE_RELEASED=git` (entries whose migration file is committed
are released, later ones are drafts; the default) or `SLUICE_RELEASED=all`
(every entry on disk is released; the default when `CI` is set), or unset
it.
Example:
    // wrong:
    SLUICE_RELEASED=yes sluice build
    // fixed:
    SLUICE_RELEASED=all sluice build"#
        }
        _ => "",
    }
}
