//! SQL text that would read differently to psql or to a server than to
//! sluice: a backslash outside any string (psql runs `\!`, `\gexec`, … as
//! meta-commands) or inside a plain `'…'` string (an escape when the server
//! has `standard_conforming_strings` off, so the string could end early).
//! Fragments are emitted as written, so such text is refused.

use crate::ast::SqlText;
use crate::diagnostic::{Code, Diagnostic};

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Where `sql` holds a backslash that psql or a server could read as
/// something other than a character of a string, or a quote or comment
/// that never ends (it would swallow the statements after it), and what.
pub(super) fn find(sql: &str) -> Option<(usize, &'static str)> {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"--") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b[i..].starts_with(b"/*") {
            let open = i;
            let mut nest = 0;
            loop {
                if i >= b.len() {
                    return Some((open, "an unterminated comment"));
                }
                if b[i..].starts_with(b"/*") {
                    nest += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        match b[i] {
            b'\'' => {
                let open = i;
                let e_prefix =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !ident_byte(b[i - 2]));
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' if e_prefix => i += 2,
                        b'\\' => return Some((i, "a backslash in a '…' string")),
                        b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                if i >= b.len() {
                    return Some((open, "an unterminated string"));
                }
                i += 1;
            }
            b'"' => {
                let open = i;
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'"' if b.get(i + 1) == Some(&b'"') => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                if i >= b.len() {
                    return Some((open, "an unterminated quoted name"));
                }
                i += 1;
            }
            b'$' if i == 0 || !ident_byte(b[i - 1]) => {
                let mut j = i + 1;
                if j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'_' || b[j] >= 0x80) {
                    while j < b.len() && ident_byte(b[j]) && b[j] != b'$' {
                        j += 1;
                    }
                }
                if b.get(j) == Some(&b'$') {
                    let tag = &sql[i..=j];
                    i = match sql[j + 1..].find(tag) {
                        Some(end) => j + 1 + end + tag.len(),
                        None => return Some((i, "an unterminated dollar quote")),
                    };
                } else {
                    i += 1;
                }
            }
            b'\\' => return Some((i, "a backslash outside a string")),
            _ => i += 1,
        }
    }
    None
}

/// The diagnostic for a fragment holding such a backslash, if it does.
pub(super) fn check(t: &SqlText, what: &str) -> Option<Diagnostic> {
    let (at, found) = find(&t.text)?;
    Some(
        Diagnostic::error(
            Code::SqlSyntaxError,
            format!("this {what} holds {found}"),
        )
        .at(t.span.sub(at, at + 1))
        .label("here")
        .help(if found.contains("unterminated") {
            "close it inside the fragment: emitted as written, it would swallow the statements after it"
        } else {
            "psql runs a backslash outside a string as a command, and a server with standard_conforming_strings off reads one in '…' as an escape: write the string as E'…' with the backslash doubled"
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn backslashes_outside_escape_strings_are_found() {
        assert_eq!(find(r"a \! id"), Some((2, "a backslash outside a string")));
        assert_eq!(find(r"x ~ '^\d+$'").map(|f| f.0), Some(6));
        assert_eq!(find(r"x ~ E'^\\d+$'"), None);
        assert_eq!(find(r#"$$ \! $$ || "a\b" -- \!"#), None);
        assert_eq!(find(r"'it''s' /* \ */ || $t$ \ $t$"), None);
        assert_eq!(find("a 'b"), Some((2, "an unterminated string")));
        assert_eq!(find("a $t$ b"), Some((2, "an unterminated dollar quote")));
        assert_eq!(find("a /* b"), Some((2, "an unterminated comment")));
    }
}
