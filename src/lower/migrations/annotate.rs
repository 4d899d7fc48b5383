//! The parts of a `classify` / `declassify` / `comment on` / `drop comment
//! on` step that do not depend on the history: a known classification tag.
//!
//! Input: the step. Output: whether it can be replayed; a diagnostic for an
//! unknown tag (the same as on a declaration).

use crate::ast::{Annotate, Annotation};
use crate::diagnostic::Diagnostic;

pub(super) fn valid(a: &Annotate, diags: &mut Vec<Diagnostic>) -> bool {
    match &a.change {
        Annotation::Classify(Some(k)) => super::super::columns::classification(k, diags).is_some(),
        _ => true,
    }
}
