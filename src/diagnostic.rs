//! Diagnostics: every problem sluice reports, from any stage.
//!
//! Input: problems found by load, parse, lower and check. Output: one sorted
//! list of [`Diagnostic`]s, rendered last by [`render`] as human (miette),
//! JSON or GitHub workflow commands. Diagnostics accumulate; no stage stops
//! at the first one.

mod codes;
mod explain;
mod explain_compliance;
mod explain_conventions;
mod explain_draft;
mod explain_feed;
mod explain_history;
mod explain_history_views;
mod explain_import;
mod explain_keys;
mod explain_names;
mod explain_plan;
mod explain_policies;
mod explain_release;
mod explain_rename;
mod explain_safety;
mod explain_safety_changes;
mod explain_syntax;
mod explain_tenancy;
mod explain_verify;
pub mod render;

pub use codes::{Code, Severity, SAFETY_RULES};

use crate::source::{Skipped, Sources};
use crate::span::Span;

/// A secondary location with its own message ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// A sentence, names in backticks.
    pub message: String,
    /// Primary location; `None` only for problems with no place in a file.
    pub span: Option<Span>,
    /// Text shown under the primary location.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// The concrete fix.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span: None,
            label: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, message)
    }

    /// A diagnostic with the code's default severity.
    pub fn of(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, code.default_severity(), message)
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        self.label = Some(message.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Key for a stable, readable order: file, position, code.
    /// File order, then place; a missing workspace declaration comes
    /// first, since most other problems of such a run follow from it.
    fn sort_key(&self) -> (bool, u32, u32, u32, &'static str, &str) {
        let follows = self.code != Code::MissingWorkspace;
        match self.span {
            Some(s) => (
                follows,
                s.file.0,
                s.start,
                s.end,
                self.code.as_str(),
                &self.message,
            ),
            None => (follows, u32::MAX, 0, 0, self.code.as_str(), &self.message),
        }
    }
}

/// The diagnostics of one run, in a deterministic order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sort by place and drop exact duplicates.
    pub fn finish(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    /// 1-based `(line, column, end_line, end_column)` of a diagnostic.
    pub fn position(sources: &Sources, d: &Diagnostic) -> Option<(String, [usize; 4])> {
        let span = d.span?;
        let file = sources.get(span.file);
        let (l, c) = file.line_col(span.start as usize);
        let (el, ec) = file.line_col(span.end as usize);
        Some((file.name.clone(), [l, c, el, ec]))
    }
}

impl From<Skipped> for Diagnostic {
    fn from(s: Skipped) -> Diagnostic {
        match s {
            Skipped::InvalidUtf8 { name, at } => {
                Diagnostic::error(Code::InvalidUtf8, format!("`{name}` is not valid UTF-8"))
                    .at(at)
                    .help("save the file as UTF-8")
            }
            Skipped::Misplaced { name, at } => Diagnostic::warning(
                Code::IgnoredFile,
                format!("`{name}` is not in a place sluice reads, so it was ignored"),
            )
            .at(at)
            .help("put workspace settings at the root, declarations in `<project>/`, and migrations in `<project>/migrations/`"),
        }
    }
}
