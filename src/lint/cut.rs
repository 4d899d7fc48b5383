//! Where a SQL text can be cut into pieces that tokenize on their own.
//!
//! Input: a text and a byte position where no token is open. Output: the
//! end of the next piece — just past the first `;` that stands outside
//! strings, quoted names, dollar-quoted bodies and comments, or, once the
//! piece is `long` bytes, just past the first line end outside them; the
//! end of the text otherwise. The splitter tokenizes one piece at a time,
//! so a long file never has all its tokens in memory at once.
//!
//! This is a byte scan, not the tokenizer: where the two could disagree
//! (a cut the tokenizer would see inside a literal), tokenizing the piece
//! fails and the splitter tokenizes the rest of the text in one go.

/// The end of the piece that starts at `from`.
pub fn next_cut(text: &str, from: usize, long: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from;
    let mut copy = Copy::default();
    while i < b.len() {
        match b[i] {
            b';' if copy.from_stdin => return past_copy_data(b, i + 1),
            b';' => return i + 1,
            b'\n' if i - from >= long && !copy.starts => return i + 1,
            c if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = past_block_comment(b, i + 2),
            c => {
                let at = i;
                i = match c {
                    b'\'' => {
                        let escapes =
                            i > from && matches!(b[i - 1], b'E' | b'e') && starts_word(b, i - 1);
                        past_quoted(b, i + 1, b'\'', escapes)
                    }
                    b'"' => past_quoted(b, i + 1, b'"', false),
                    b'$' => past_dollar(b, i),
                    c if is_word_byte(c) => {
                        while i < b.len() && (is_word_byte(b[i]) || b[i] == b'$') {
                            i += 1;
                        }
                        i
                    }
                    _ => i + 1,
                };
                copy.note(&b[at..i]);
            }
        }
    }
    b.len()
}

/// Whether the statement read so far is a `COPY … FROM STDIN`, whose data
/// follows its `;` up to a line `\.` (as sqlparser's tokenizer reads it).
#[derive(Default)]
struct Copy {
    seen: bool,
    starts: bool,
    after_from: bool,
    from_stdin: bool,
    depth: u32,
}

impl Copy {
    /// One significant token (a word, a literal, a sign).
    fn note(&mut self, token: &[u8]) {
        let word = |w: &str| token.eq_ignore_ascii_case(w.as_bytes());
        if !self.seen {
            self.seen = true;
            self.starts = word("copy");
        }
        if self.after_from && self.depth == 0 && word("stdin") {
            self.from_stdin = true;
        }
        self.after_from = word("from");
        match token {
            b"(" => self.depth += 1,
            b")" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// Past the data of a `COPY … FROM STDIN` whose `;` ends at `i`: the rest
/// of that line, then lines up to one holding only `\.`.
fn past_copy_data(b: &[u8], i: usize) -> usize {
    let line_end = |from: usize| {
        b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |n| from + n + 1)
    };
    let mut at = line_end(i);
    while at < b.len() {
        let next = line_end(at);
        let line = &b[at..next];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line == b"\\." {
            return next;
        }
        at = next;
    }
    b.len()
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Whether the byte at `at` begins a word (the byte before is no part of one).
fn starts_word(b: &[u8], at: usize) -> bool {
    at == 0 || !(is_word_byte(b[at - 1]) || b[at - 1] == b'$')
}

/// Past the closing `quote` of a literal whose body starts at `i` (a
/// doubled quote is part of the body; so is `\'` in an `E'…'` string).
fn past_quoted(b: &[u8], mut i: usize, quote: u8, escapes: bool) -> usize {
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Past the `*/` closing a (nested) block comment whose body starts at `i`.
fn past_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Past a `$tag$ … $tag$` body opening at `i`; past the `$` alone when it
/// opens none (`$1`, an operator).
fn past_dollar(b: &[u8], i: usize) -> usize {
    let tag_end = b[i + 1..]
        .iter()
        .position(|&c| !(is_word_byte(c)))
        .map_or(b.len(), |n| i + 1 + n);
    let opens = b.get(tag_end) == Some(&b'$') && !b.get(i + 1).is_some_and(u8::is_ascii_digit);
    if !opens {
        return i + 1;
    }
    let tag = &b[i..=tag_end];
    let body = tag_end + 1;
    b[body..]
        .windows(tag.len())
        .position(|w| w == tag)
        .map_or(b.len(), |n| body + n + tag.len())
}

#[cfg(test)]
mod tests {
    use super::next_cut;

    fn pieces(text: &str, long: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let end = next_cut(text, at, long);
            out.push(&text[at..end]);
            at = end;
        }
        out
    }

    #[test]
    fn cuts_after_semicolons_outside_literals_and_comments() {
        let text = "select ';', \"a;b\", E'\\';', $x$ ; $y$ ; $x$, $$;$$ -- c;\n/* d; /* e; */ f; */ ;select 2;";
        assert_eq!(
            pieces(text, usize::MAX),
            [
                "select ';', \"a;b\", E'\\';', $x$ ; $y$ ; $x$, $$;$$ -- c;\n/* d; /* e; */ f; */ ;",
                "select 2;"
            ]
        );
    }

    #[test]
    fn a_dollar_inside_a_word_or_before_a_digit_opens_no_body() {
        let text = "select a$b$, $1; select 2";
        assert_eq!(pieces(text, usize::MAX), ["select a$b$, $1;", " select 2"]);
    }

    #[test]
    fn a_long_piece_is_cut_at_a_line_end_outside_literals() {
        let text = "insert into t values\n('a\nb'),\n(2);";
        assert_eq!(
            pieces(text, 4),
            ["insert into t values\n", "('a\nb'),\n", "(2);"]
        );
    }

    #[test]
    fn the_data_of_copy_from_stdin_stays_with_its_statement() {
        let text = "copy t (a) from stdin;\n1;2\n\\.\nselect 1;";
        assert_eq!(
            pieces(text, 1),
            ["copy t (a) from stdin;\n1;2\n\\.\n", "select 1;"]
        );
    }

    #[test]
    fn an_unterminated_literal_runs_to_the_end() {
        assert_eq!(pieces("select 'a; select 2;", 1), ["select 'a; select 2;"]);
        assert_eq!(
            pieces("select $x$ a; select 2;", 1),
            ["select $x$ a; select 2;"]
        );
    }
}
