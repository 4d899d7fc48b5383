//! Rendering of diagnostics: `human` (miette), `json`, `github` and
//! `sarif` ([`sarif`]).
//!
//! Input: finished [`Diagnostics`] and the [`Sources`] they point into.
//! Output: text for stdout. Rendering never fails: a span that does not fit
//! its file is shown without an excerpt.

mod json;
mod sarif;

pub use json::{json, json_to};
pub use sarif::sarif;

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{Diagnostic, Diagnostics, Severity};
use crate::source::Sources;
use crate::span::Span;

/// How `human` output looks.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl HumanStyle {
    /// Plain ASCII without colour: stable across terminals (snapshots).
    pub fn plain() -> HumanStyle {
        HumanStyle {
            color: false,
            unicode: false,
            width: 100,
        }
    }
}

/// All diagnostics, rendered with miette, each followed by a blank line.
pub fn human(diags: &Diagnostics, sources: &Sources, style: HumanStyle) -> String {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for d in &diags.items {
        let report = Report::new(d, sources);
        if handler.render_report(&mut out, &report).is_err() {
            let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
        }
        out.push('\n');
    }
    out
}

/// One human-readable diagnostic (used by tests and single reports).
pub fn human_one(d: &Diagnostic, sources: &Sources) -> String {
    let diags = Diagnostics {
        items: vec![d.clone()],
    };
    human(&diags, sources, HumanStyle::plain())
}

/// GitHub Actions workflow commands, one line per diagnostic.
pub fn github(diags: &Diagnostics, sources: &Sources) -> String {
    let mut out = String::new();
    for d in &diags.items {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = String::new();
        if let Some((file, p)) = Diagnostics::position(sources, d) {
            let _ = write!(
                props,
                "file={},line={},col={},endLine={},endColumn={},",
                escape_property(&file),
                p[0],
                p[1],
                p[2],
                p[3]
            );
        }
        let _ = write!(props, "title={}", escape_property(d.code.as_str()));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(out, "::{kind} {props}::{}", escape_data(&message));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Adapter from [`Diagnostic`] to miette's trait.
#[derive(Debug)]
struct Report {
    code: &'static str,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(d: &Diagnostic, sources: &Sources) -> Report {
        let severity = match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let mut report = Report {
            code: d.code.as_str(),
            message: d.message.clone(),
            severity,
            help: d.help.clone(),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        let Some(primary) = d.span else {
            return report;
        };
        let file = sources.get(primary.file);
        report.source = Some(NamedSource::new(&file.name, file.text.clone()));
        report
            .labels
            .push(labeled(d.label.clone(), primary, file.text.len(), true));
        for label in &d.labels {
            if label.span.file == primary.file {
                report.labels.push(labeled(
                    Some(label.message.clone()),
                    label.span,
                    file.text.len(),
                    false,
                ));
            } else {
                let other = sources.get(label.span.file);
                report.related.push(Report {
                    code: "",
                    message: label.message.clone(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(NamedSource::new(&other.name, other.text.clone())),
                    labels: vec![labeled(
                        Some(label.message.clone()),
                        label.span,
                        other.text.len(),
                        false,
                    )],
                    related: Vec::new(),
                });
            }
        }
        report
    }
}

fn labeled(text: Option<String>, span: Span, len: usize, primary: bool) -> LabeledSpan {
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    let source_span = SourceSpan::from(start..end);
    if primary {
        LabeledSpan::new_primary_with_span(text, source_span)
    } else {
        LabeledSpan::new_with_span(text, source_span)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}
