//! Whole-file parse failures: a pest error (an unclosed block or string,
//! or no rule matching) turned into one syntax diagnostic.
//!
//! Input: the file's text and pest's error. Output: a [`Diagnostic`].

use pest::error::{ErrorVariant, InputLocation};

use crate::diagnostic::{Code, Diagnostic};
use crate::parse::Rule;
use crate::span::{FileId, Span};

/// A whole-file parse failure (structural: an unclosed block or string).
pub(crate) fn pest_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = pos.min(text.len());
    let at_end = text[pos..].trim().is_empty();
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let point = Span::new(file, pos, next_char_end(text, pos));
    if let Some(open) = last_unclosed_brace(text) {
        let keyword = text[..open]
            .rsplit('\n')
            .next()
            .and_then(|line| line.split_whitespace().next())
            .unwrap_or("");
        let what = if keyword
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !keyword.is_empty()
        {
            format!("the `{keyword}` block opened here is never closed")
        } else {
            "this block is never closed".to_string()
        };
        let mut d = Diagnostic::error(Code::SyntaxError, what)
            .at(Span::new(file, open, open + 1))
            .label("opened here")
            .help("close the block with `}` after its last item");
        if at_end {
            d = d.with_label(point, "the file ends here");
        }
        return d;
    }
    if at_end {
        return Diagnostic::error(
            Code::SyntaxError,
            "the file ends in the middle of a declaration",
        )
        .at(point)
        .label("file ends here")
        .help("complete the declaration");
    }
    let found = text[pos..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .take(20)
        .collect::<String>();
    Diagnostic::error(
        Code::SyntaxError,
        format!("unexpected `{found}`; expected {expected}"),
    )
    .at(point)
    .label("unexpected here")
    .help("check for a missing `{`, an extra `}` or an unterminated string or `$$` body before this point")
}

fn next_char_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .chars()
        .next()
        .map(|c| pos + c.len_utf8())
        .unwrap_or(pos)
}

fn describe(rules: &[Rule]) -> String {
    let mut names: Vec<String> = rules.iter().map(|r| rule_name(*r)).collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "something else".into(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {}", names.join(", "), last)
        }
    }
}

fn rule_name(r: Rule) -> String {
    let raw = format!("{r:?}");
    if let Some(kw) = raw.strip_prefix("k_") {
        return format!("`{kw}`");
    }
    match r {
        Rule::EOI => "end of file".into(),
        Rule::ident => "a name".into(),
        Rule::path => "a name".into(),
        Rule::string => "a string".into(),
        Rule::int => "a number".into(),
        _ => raw.replace('_', " "),
    }
}

/// Offset of the last `{` that has no matching `}` (strings and comments
/// skipped), to point at the block an early end of file left open.
fn last_unclosed_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' => stack.push(i),
            b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}
