//! `unsupported-on-target`: what a declaration emits must exist on the
//! project's target PostgreSQL version (`postgres N`).
//!
//! | feature | needs |
//! |---|---|
//! | `security invoker` view (`WITH (security_invoker = true)`) | 15 |

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

/// The first version with `security_invoker` views.
const SECURITY_INVOKER_VIEWS: u32 = 15;

pub fn features_exist_on_the_target(_ws: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for v in p.views.iter().filter(|v| v.security_invoker) {
        if p.postgres < SECURITY_INVOKER_VIEWS {
            out.push(
                Diagnostic::of(
                    Code::UnsupportedOnTarget,
                    format!(
                        "view `{}` is `security invoker`, which PostgreSQL {} does not have (it needs {SECURITY_INVOKER_VIEWS})",
                        v.name, p.postgres
                    ),
                )
                .at(v.name_span)
                .help(format!(
                    "target `postgres {SECURITY_INVOKER_VIEWS}` or later; without `security invoker` the view would read every tenant's rows with its owner's rights"
                )),
            );
        }
    }
}
