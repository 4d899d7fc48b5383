//! The nesting limit, checked before the grammar runs: the parser and the
//! stages after it recurse once per bracket and per `not`, so a file nested
//! thousands deep would overflow the stack. Deeper input is refused with
//! `nesting-too-deep`, pointing where the limit is crossed.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};

/// The deepest nesting accepted: `(`, `{` and `not` together.
pub const MAX_NESTING: usize = 64;

/// Where `text` first nests deeper than [`MAX_NESTING`], as a byte offset.
///
/// Brackets count across lines (clamped at zero, so a stray `)` cannot
/// hide later depth); a `'…'` or `"…"` closed on its own line is skipped,
/// and so is a `//` comment outside brackets. `not`s count per line, on
/// top of the bracket depth, since a predicate stays on one line.
pub fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                nots = 0;
                i += 1;
            }
            q @ (b'\'' | b'"') => {
                let line_end = text[i + 1..].find('\n').map_or(b.len(), |e| i + 1 + e);
                match text[i + 1..line_end].find(q as char) {
                    Some(close) => i += close + 2,
                    None => i += 1,
                }
            }
            b'/' if depth == 0 && b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'{' => {
                depth += 1;
                if depth + nots > MAX_NESTING {
                    return Some(i);
                }
                i += 1;
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if text[start..i].eq_ignore_ascii_case("not") {
                    nots += 1;
                    if depth + nots > MAX_NESTING {
                        return Some(start);
                    }
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The diagnostic for a file nested too deeply, if it is.
pub fn check(file: FileId, text: &str) -> Option<Diagnostic> {
    let at = too_deep(text)?;
    Some(
        Diagnostic::error(
            Code::NestingTooDeep,
            format!("this nests deeper than {MAX_NESTING} levels of brackets and `not`s"),
        )
        .at(Span::new(file, at, at + 1))
        .label(format!("level {} starts here", MAX_NESTING + 1))
        .help("split the expression: name parts of it in a view or function, or drop redundant brackets and double negations"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_and_nots() {
        let ok = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(too_deep(&ok), None);
        let deep = format!("{}x", "(".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&deep), Some(MAX_NESTING));
        let nots = "not ".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&nots), Some(MAX_NESTING * 4));
        // Many `not`s over many lines, brackets in strings and comments.
        let lines = "not not x\n".repeat(1000) + &"'((((' \"{{{{\" // ((((\n".repeat(100);
        assert_eq!(too_deep(&lines), None);
    }
}
