//! The `json` report: one object, `diagnostics` then `summary`, pretty
//! printed with two-space indents, 1-based lines and columns.
//!
//! Input: finished [`Diagnostics`] and their [`Sources`]. Output: the
//! report's bytes, to a writer. Each diagnostic has the same nine fields,
//! so its object is written field by field, serde_json escaping the
//! strings: the bytes serde_json's pretty printer gives (a test holds the
//! two together) at a fraction of its cost on a corpus's thousands of
//! findings. A long report is cut into pieces turned into text on all
//! cores and written in order: the same bytes as one pass.

use std::io::{self, Write};

use super::super::{Diagnostic, Diagnostics};
use crate::source::Sources;

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
    let cores = crate::cores::threads();
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
    let items = diags.items.as_slice();
    let threads = if items.is_empty() { 1 } else { threads };
    w.write_all(b"{\n  \"diagnostics\": [")?;
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
        for (k, piece) in items.chunks(PIECE).enumerate() {
            w.write_all(if k > 0 { b",\n" } else { b"\n" })?;
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
        io::Result::Ok(())
    })?;
    if !items.is_empty() {
        w.write_all(b"\n  ")?;
    }
    write!(
        w,
        "],\n  \"summary\": {{\n    \"errors\": {},\n    \"warnings\": {}\n  }}\n}}\n",
        diags.errors(),
        diags.warnings()
    )
}

/// The diagnostics as the elements of the report's array: each object
/// indented two levels, separated by `,\n`.
fn elements<W: Write>(items: &[Diagnostic], sources: &Sources, w: &mut W) -> io::Result<()> {
    // Findings come sorted by file: its name is escaped once per run of them.
    let mut file: Option<(crate::span::FileId, Vec<u8>)> = None;
    for (i, d) in items.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        w.write_all(b"    {\n      \"code\": ")?;
        string(w, d.code.as_str())?;
        w.write_all(b",\n      \"severity\": ")?;
        string(w, d.severity.as_str())?;
        w.write_all(b",\n      \"message\": ")?;
        string(w, &d.message)?;
        w.write_all(b",\n      \"file\": ")?;
        match d.span {
            Some(span) => {
                let f = sources.get(span.file);
                if file.as_ref().is_none_or(|(id, _)| *id != span.file) {
                    let mut name = Vec::new();
                    string(&mut name, &f.name)?;
                    file = Some((span.file, name));
                }
                if let Some((_, name)) = &file {
                    w.write_all(name)?;
                }
                let (l, c) = f.line_col(span.start as usize);
                let (el, ec) = f.line_col(span.end as usize);
                write!(
                    w,
                    ",\n      \"line\": {l},\n      \"column\": {c},\n      \"end_line\": {el},\n      \"end_column\": {ec}"
                )?;
            }
            None => w.write_all(
                b"null,\n      \"line\": null,\n      \"column\": null,\n      \"end_line\": null,\n      \"end_column\": null",
            )?,
        }
        w.write_all(b",\n      \"help\": ")?;
        match &d.help {
            Some(h) => string(w, h)?,
            None => w.write_all(b"null")?,
        }
        w.write_all(b"\n    }")?;
    }
    Ok(())
}

/// A JSON string, escaped as serde_json escapes it. Most strings need no
/// escape, and are written as they are once a scan shows it.
fn string<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    // Whole chunks, without an early exit, so the scan is vectorised.
    let special = s.as_bytes().chunks(32).any(|chunk| {
        chunk.iter().fold(false, |acc, &b| {
            acc | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    });
    if special {
        return serde_json::to_writer(w, s).map_err(io::Error::other);
    }
    w.write_all(b"\"")?;
    w.write_all(s.as_bytes())?;
    w.write_all(b"\"")
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

    /// The report as serde_json's pretty printer gives it.
    fn pretty(diags: &Diagnostics, sources: &Sources) -> String {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            diagnostics: Vec<Object<'a>>,
            summary: Summary,
        }
        #[derive(serde::Serialize)]
        struct Summary {
            errors: usize,
            warnings: usize,
        }
        #[derive(serde::Serialize)]
        struct Object<'a> {
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
        let diagnostics = diags
            .items
            .iter()
            .map(|d| {
                let at = d.span.map(|span| {
                    let f = sources.get(span.file);
                    let (l, c) = f.line_col(span.start as usize);
                    let (el, ec) = f.line_col(span.end as usize);
                    (f.name.as_str(), [l, c, el, ec])
                });
                Object {
                    code: d.code.as_str(),
                    severity: d.severity.as_str(),
                    message: &d.message,
                    file: at.map(|a| a.0),
                    line: at.map(|a| a.1[0]),
                    column: at.map(|a| a.1[1]),
                    end_line: at.map(|a| a.1[2]),
                    end_column: at.map(|a| a.1[3]),
                    help: d.help.as_deref(),
                }
            })
            .collect();
        let report = Report {
            diagnostics,
            summary: Summary {
                errors: diags.errors(),
                warnings: diags.warnings(),
            },
        };
        serde_json::to_string_pretty(&report).expect("serializes") + "\n"
    }

    #[test]
    fn the_report_has_the_bytes_serde_json_pretty_prints() {
        for n in [0, 1, 3, 20] {
            let (mut diags, mut sources) = report(n);
            let text = String::from("é\n");
            let id = sources.add(SourceFile::new("c \"d\".sql", text, FileKind::Sql));
            diags
                .items
                .push(Diagnostic::warning(Code::IgnoredFile, "é \u{1}").at(Span::new(id, 0, 2)));
            let long = format!(
                "{}\\{}\"{}\u{7f}",
                "a".repeat(31),
                "b".repeat(32),
                "c".repeat(40)
            );
            diags
                .items
                .push(Diagnostic::error(Code::IgnoredFile, long).help("\t"));
            let text = String::from_utf8(one_pass(&diags, &sources)).expect("utf-8");
            assert_eq!(text, pretty(&diags, &sources), "{n} diagnostics");
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
