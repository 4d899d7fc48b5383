//! Emitted SQL split into statements the way psql reads a file: strings
//! (`'…'`, `E'…'`, with or without `standard_conforming_strings`), quoted
//! names, dollar quotes, `--` and nested `/* */` comments, parentheses. A
//! backslash outside all of them is a psql meta-command (`\!` runs a shell
//! command), which no emitted file may hold.

/// Whether `'…'` strings treat a backslash as an escape, as a server with
/// `standard_conforming_strings = off` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strings {
    Standard,
    BackslashEscapes,
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The statements of `text` as psql sends them, or why psql would do
/// something else (a meta-command, an unterminated quote).
pub fn split(text: &str, strings: Strings) -> Result<Vec<String>, String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i64;
    let mut i = 0;
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    while i < b.len() {
        let c = b[i];
        if b[i..].starts_with(b"--") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b[i..].starts_with(b"/*") {
            let mut nest = 0;
            loop {
                if i >= b.len() {
                    return Err(format!(
                        "unterminated /* comment at line {}",
                        line_of(start)
                    ));
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
        match c {
            b'\'' => {
                let e_prefix =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !ident_byte(b[i - 2]));
                let escapes = e_prefix || strings == Strings::BackslashEscapes;
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => {
                            return Err(format!("unterminated string at line {}", line_of(open)))
                        }
                        Some(b'\\') if escapes => i += 2,
                        Some(b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
                        Some(b'\'') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(format!("unterminated name at line {}", line_of(open))),
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'$' if i == 0 || !ident_byte(b[i - 1]) => {
                let mut j = i + 1;
                if j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'_' || b[j] >= 0x80) {
                    while j < b.len() && (ident_byte(b[j]) && b[j] != b'$') {
                        j += 1;
                    }
                }
                if b.get(j) == Some(&b'$') {
                    let tag = &text[i..=j];
                    match text[j + 1..].find(tag) {
                        Some(end) => i = j + 1 + end + tag.len(),
                        None => {
                            return Err(format!("unterminated {tag} quote at line {}", line_of(i)))
                        }
                    }
                } else {
                    i += 1;
                }
            }
            b'\\' => {
                let line = text[i..].lines().next().unwrap_or("");
                return Err(format!("psql meta-command at line {}: {line}", line_of(i)));
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                i += 1;
            }
            b';' if depth <= 0 => {
                out.push(text[start..=i].to_string());
                i += 1;
                start = i;
            }
            _ if ident_byte(c) => {
                while i < b.len() && ident_byte(b[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    if !head(&text[start..]).is_empty() {
        out.push(text[start..].to_string());
    }
    Ok(out)
}

/// The first two words of a statement, comments skipped: `CREATE TABLE`,
/// `DO $backfill$`, `ALTER TABLE`.
pub fn head(stmt: &str) -> String {
    let mut s = stmt.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    s.split_whitespace()
        .take(2)
        .map(|w| {
            w.trim_end_matches(';')
                .split(['$', '('])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each file of `files` as the heads of its statements, split under both
/// string conventions, which must agree; any meta-command is an error.
pub fn shape(files: &sluice::emit::Files) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let name = path.to_string_lossy().into_owned();
        if !name.ends_with(".sql") {
            continue;
        }
        let mut split_heads = Vec::new();
        for strings in [Strings::Standard, Strings::BackslashEscapes] {
            let stmts = split(text, strings).map_err(|e| format!("{name} ({strings:?}): {e}"))?;
            split_heads.push(stmts.iter().map(|s| head(s)).collect::<Vec<_>>());
        }
        if split_heads[0] != split_heads[1] {
            return Err(format!(
                "{name}: statements differ with standard_conforming_strings off:\n{:?}\n{:?}",
                split_heads[0], split_heads[1]
            ));
        }
        let mut heads = split_heads.swap_remove(0);
        // drizzle splits journal files at the marker; psql runs the scripts.
        if !name.contains("/backfill/") {
            let chunks = text.matches(sluice::render::BREAKPOINT).count();
            heads.push(format!("{chunks} breakpoints"));
        }
        out.push((name, heads));
    }
    Ok(out)
}

#[test]
fn the_splitter_sees_what_psql_sees() {
    use Strings::*;
    let s = |t: &str, m| split(t, m).map(|v| v.iter().map(|s| head(s)).collect::<Vec<_>>());
    assert_eq!(
        s("select 1; select 2;", Standard).unwrap(),
        ["SELECT 1", "SELECT 2"]
    );
    assert_eq!(
        s("DO $b$ ; $b$; select ';'", Standard).unwrap(),
        ["DO", "SELECT ';'"]
    );
    assert!(s("DO $b$ x $b$ \\! id # $b$;", Standard).is_err());
    assert!(s("select 'a\\'; \\! id", BackslashEscapes).is_err());
    assert_eq!(s("select 'a\\'; drop", Standard).unwrap().len(), 2);
    assert_eq!(s("select E'a\\'; drop';", Standard).unwrap().len(), 1);
    assert_eq!(
        s("create view v as select 1 -- c;\nselect 2;", Standard).unwrap(),
        ["CREATE VIEW"]
    );
    assert_eq!(
        s("select x$y$ from t; select 1;", Standard).unwrap().len(),
        2
    );
    assert_eq!(s("select f(1; 2); x;", Standard).unwrap().len(), 2);
}
