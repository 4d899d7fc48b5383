//! Explanations of the codes about what counts as released: drafts and the
//! release mode.

use super::Code;

/// The explanation of a release-scope code (empty for other codes).
pub(super) fn explain(code: Code) -> &'static str {
    match code {
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
