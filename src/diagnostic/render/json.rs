//! The `json` report: one object, `diagnostics` then `summary`, pretty
//! printed with two-space indents, 1-based lines and columns.
//!
//! Input: finished [`Diagnostics`] and their [`Sources`]. Output: the
//! report's bytes, to a writer. A long report (a corpus can have thousands
//! of findings) is cut into pieces turned into text on all cores and
//! written in order: the same bytes as one pass.

use std::io::{self, Write};

use serde::Serialize;

use super::super::{Diagnostic, Diagnostics};
use crate::source::Sources;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    /// As `Diagnostics::position`, with the file's name borrowed.
    fn new(d: &'a Diagnostic, sources: &'a Sources) -> JsonDiagnostic<'a> {
        let (file, p) = match d.span {
            Some(span) => {
                let file = sources.get(span.file);
                let (l, c) = file.line_col(span.start as usize);
                let (el, ec) = file.line_col(span.end as usize);
                (Some(file.name.as_str()), Some([l, c, el, ec]))
            }
            None => (None, None),
        };
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: &d.message,
            file,
            line: p.map(|p| p[0]),
            column: p.map(|p| p[1]),
            end_line: p.map(|p| p[2]),
            end_column: p.map(|p| p[3]),
            help: d.help.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: JsonItems<'a>,
    summary: JsonSummary,
}

/// The diagnostics, each turned into its JSON shape only as it is written.
struct JsonItems<'a>(&'a [Diagnostic], &'a Sources);

impl Serialize for JsonItems<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sources = self.1;
        s.collect_seq(self.0.iter().map(|d| JsonDiagnostic::new(d, sources)))
    }
}

/// The brief's JSON shape: one object, 1-based lines and columns.
pub fn json(diags: &Diagnostics, sources: &Sources) -> String {
    let mut out = Vec::new();
    let _ = json_to(diags, sources, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| "{}\n".into())
}

/// [`json`] written straight to `w`, so a long report is never held whole.
/// Generic over the writer: serde_json's many small writes then go to a
/// concrete buffer, not through a `dyn` call each.
pub fn json_to<W: Write>(diags: &Diagnostics, sources: &Sources, w: W) -> io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    json_on(diags, sources, w, threads(diags.items.len(), cores))
}

/// Findings turned into text as one piece.
const PIECE: usize = 256;

/// The threads worth turning `items` findings into text on.
fn threads(items: usize, cores: usize) -> usize {
    (items / PIECE).clamp(1, cores.max(1))
}

/// The report, its diagnostics cut into pieces of [`PIECE`] dealt in turn
/// to `threads` threads: this one writes its pieces straight to `w`, and
/// between them each other thread's next piece, which that thread turned
/// into text meanwhile. A thread runs at most one piece ahead, so the
/// report is never held whole.
fn json_on<W: Write>(
    diags: &Diagnostics,
    sources: &Sources,
    mut w: W,
    threads: usize,
) -> io::Result<()> {
    let summary = JsonSummary {
        errors: diags.errors(),
        warnings: diags.warnings(),
    };
    let items = diags.items.as_slice();
    if threads <= 1 || items.is_empty() {
        let report = JsonReport {
            diagnostics: JsonItems(items, sources),
            summary,
        };
        serde_json::to_writer_pretty(&mut w, &report)?;
        return w.write_all(b"\n");
    }
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .map(|t| {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                s.spawn(move || {
                    for piece in items.chunks(PIECE).skip(t).step_by(threads) {
                        let mut out = Vec::with_capacity(piece.len() * 600);
                        let done = elements(piece, sources, &mut out).map(|()| out);
                        // The writer stopped (an error): nobody reads on.
                        if tx.send(done).is_err() {
                            return;
                        }
                    }
                });
                rx
            })
            .collect();
        w.write_all(b"{\n  \"diagnostics\": [\n")?;
        for (k, piece) in items.chunks(PIECE).enumerate() {
            if k > 0 {
                w.write_all(b",\n")?;
            }
            match k % threads {
                0 => elements(piece, sources, &mut w)?,
                t => {
                    let text = helpers[t - 1]
                        .recv()
                        .map_err(|_| io::Error::other("a report thread stopped"))??;
                    w.write_all(&text)?;
                }
            }
        }
        w.write_all(b"\n  ],\n  \"summary\": ")?;
        let mut tail = Vec::new();
        serde_json::to_writer_pretty(&mut tail, &summary)?;
        indent(&tail, &mut w, b"\n  ")?;
        w.write_all(b"\n}\n")
    })
}

/// The diagnostics as the elements of the report's array: each object
/// pretty printed, indented two levels, separated by `,\n`.
fn elements<W: Write>(items: &[Diagnostic], sources: &Sources, w: &mut W) -> io::Result<()> {
    let mut one = Vec::with_capacity(1024);
    for (i, d) in items.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        one.clear();
        serde_json::to_writer_pretty(&mut one, &JsonDiagnostic::new(d, sources))?;
        w.write_all(b"    ")?;
        indent(&one, w, b"\n    ")?;
    }
    Ok(())
}

/// `text` with each line break written as `newline` (a break and an
/// indent). JSON text has line breaks only between tokens: inside strings
/// they are escaped.
fn indent<W: Write>(text: &[u8], w: &mut W, newline: &[u8]) -> io::Result<()> {
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        w.write_all(first)?;
    }
    for line in lines {
        w.write_all(newline)?;
        w.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::{FileKind, SourceFile};
    use crate::span::Span;

    fn report(n: usize) -> (Diagnostics, Sources) {
        let mut sources = Sources::new(".");
        let text = "SELECT 1;\nALTER TABLE \"t\" ADD COLUMN é int;\n".repeat(4);
        let id = sources.add(SourceFile::new("a/b.sql", text, FileKind::Sql));
        let items = (0..n)
            .map(|i| {
                let d = if i % 3 == 0 {
                    Diagnostic::error(Code::InvalidUtf8, format!("bad \"{i}\"\nline"))
                } else {
                    Diagnostic::warning(Code::IgnoredFile, format!("note {i}")).help("a\tb")
                };
                if i % 5 == 4 {
                    d
                } else {
                    d.at(Span::new(id, i % 40, i % 40 + 12))
                }
            })
            .collect();
        (Diagnostics { items }, sources)
    }

    fn one_pass(diags: &Diagnostics, sources: &Sources) -> Vec<u8> {
        let mut out = Vec::new();
        json_on(diags, sources, &mut out, 1).expect("write");
        out
    }

    #[test]
    fn a_report_made_on_several_threads_has_the_bytes_of_one_pass() {
        for n in [1, 2, 7, PIECE, PIECE + 1, 5 * PIECE + 3] {
            let (diags, sources) = report(n);
            let whole = one_pass(&diags, &sources);
            for threads in [2, 3, 8] {
                let mut out = Vec::new();
                json_on(&diags, &sources, &mut out, threads).expect("write");
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&whole),
                    "{n} diagnostics on {threads} threads"
                );
            }
        }
    }

    #[test]
    fn an_empty_report_is_one_object() {
        let (diags, sources) = report(0);
        let text = String::from_utf8(one_pass(&diags, &sources)).expect("utf-8");
        assert_eq!(
            text,
            "{\n  \"diagnostics\": [],\n  \"summary\": {\n    \"errors\": 0,\n    \"warnings\": 0\n  }\n}\n"
        );
        let mut out = Vec::new();
        json_on(&diags, &sources, &mut out, 4).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), text);
    }

    #[test]
    fn short_reports_are_made_on_one_thread() {
        assert_eq!(threads(0, 8), 1);
        assert_eq!(threads(2 * PIECE - 1, 8), 1);
        assert_eq!(threads(PIECE * 2, 8), 2);
        assert_eq!(threads(PIECE * 100, 2), 2);
        assert_eq!(threads(PIECE * 100, 0), 1);
    }
}
