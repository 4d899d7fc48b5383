//! Splitting a SQL file into statements with sqlparser's tokenizer.
//!
//! Input: the text of one file. Output: one [`Chunk`] per statement — its
//! byte range, its significant tokens with byte ranges, and the comments
//! standing before it — in file order. Semicolons inside strings, quoted
//! identifiers and `$$` bodies are part of their token, so they never
//! split. A text the tokenizer rejects (an unterminated string) yields the
//! statements before the bad spot and an error at it.

use std::ops::Range;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace};

/// Byte offsets of line starts, to turn sqlparser's 1-based line and
/// character column into byte offsets.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Columns are bytes when the whole text is ASCII (the common case).
    ascii: bool,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// Byte offset of a location; `None` for the empty location (0, 0).
    pub fn offset(&self, loc: Location) -> Option<usize> {
        if loc.line == 0 {
            return None;
        }
        let start = *self.starts.get(loc.line as usize - 1)?;
        let col = loc.column.saturating_sub(1) as usize;
        if self.ascii {
            return Some((start + col).min(self.text.len()));
        }
        let line = &self.text[start..];
        let byte = line
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line.len());
        Some(start + byte)
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// A significant (non-whitespace) token and where it stands.
#[derive(Debug, Clone)]
pub struct Tok {
    pub token: Token,
    pub range: Range<usize>,
}

impl Tok {
    /// Whether this is the unquoted keyword or word `word` (any case).
    pub fn is_word(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }
}

/// A `--` comment and where it stands.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub range: Range<usize>,
}

/// One statement of the file.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// From the first token to the closing `;` (or the last token).
    pub range: Range<usize>,
    pub tokens: Vec<Tok>,
    /// Every significant token with its location, for sqlparser's parser.
    pub spanned: Vec<TokenWithSpan>,
}

/// A file the tokenizer could not read to the end.
#[derive(Debug, Clone)]
pub struct SplitError {
    pub message: String,
    pub offset: usize,
}

/// The statements and `--` comments of a file.
#[derive(Debug, Default)]
pub struct Split {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Comment>,
    pub error: Option<SplitError>,
}

pub fn split(text: &str, lines: &LineIndex) -> Split {
    let dialect = PostgreSqlDialect {};
    let mut out = Split::default();
    let tokens = match Tokenizer::new(&dialect, text).tokenize_with_location() {
        Ok(t) => t,
        Err(e) => {
            let offset = lines.offset(e.location).unwrap_or(text.len());
            out.error = Some(SplitError {
                message: e.message,
                offset,
            });
            // Lint what stands before the bad spot.
            let head = &text[..line_start(text, offset)];
            match Tokenizer::new(&dialect, head).tokenize_with_location() {
                Ok(t) => t,
                Err(_) => return out,
            }
        }
    };
    let mut current = Chunk {
        range: 0..0,
        tokens: Vec::new(),
        spanned: Vec::new(),
    };
    // Inside a psql meta-command (`\gexec`, `\set x 1`): to the end of its line.
    let mut in_meta = false;
    for t in tokens {
        let start = lines.offset(t.span.start).unwrap_or(text.len());
        let end = lines.offset(t.span.end).unwrap_or(start).max(start);
        if in_meta {
            if matches!(t.token, Token::Whitespace(Whitespace::Newline) | Token::EOF) {
                in_meta = false;
            }
            continue;
        }
        match &t.token {
            // A psql meta-command is not SQL: it ends the statement before
            // it (`SELECT … \gexec` runs the query) and is skipped.
            Token::Backslash => {
                in_meta = true;
                if !current.tokens.is_empty() {
                    out.chunks.push(std::mem::replace(
                        &mut current,
                        Chunk {
                            range: 0..0,
                            tokens: Vec::new(),
                            spanned: Vec::new(),
                        },
                    ));
                } else {
                    current.spanned.clear();
                }
            }
            Token::Whitespace(Whitespace::SingleLineComment { comment, prefix })
                if prefix == "--" =>
            {
                out.comments.push(Comment {
                    text: comment.trim_end_matches(['\n', '\r']).to_string(),
                    range: start..end,
                });
            }
            // The parser skips whitespace and comments: keeping them would
            // double the memory a long file's tokens take.
            Token::Whitespace(_) => {}
            Token::SemiColon => {
                if !current.tokens.is_empty() {
                    current.range.end = end;
                    out.chunks.push(std::mem::replace(
                        &mut current,
                        Chunk {
                            range: 0..0,
                            tokens: Vec::new(),
                            spanned: Vec::new(),
                        },
                    ));
                } else {
                    current.spanned.clear();
                }
            }
            Token::EOF => {}
            _ => {
                if current.tokens.is_empty() {
                    current.range.start = start;
                }
                current.range.end = end;
                current.tokens.push(Tok {
                    token: t.token.clone(),
                    range: start..end,
                });
                current.spanned.push(t);
            }
        }
    }
    if !current.tokens.is_empty() {
        out.chunks.push(current);
    }
    out
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str) -> Vec<&str> {
        let lines = LineIndex::new(text);
        split(text, &lines)
            .chunks
            .iter()
            .map(|c| &text[c.range.clone()])
            .collect()
    }

    #[test]
    fn semicolons_inside_strings_and_bodies_do_not_split() {
        let text = "select ';';\ncreate function f() returns int as $$ select 1; $$ language sql;\n-- c;\nselect 2";
        assert_eq!(
            ranges(text),
            [
                "select ';';",
                "create function f() returns int as $$ select 1; $$ language sql;",
                "select 2"
            ]
        );
    }

    #[test]
    fn a_psql_meta_command_ends_the_statement_before_it_and_is_skipped() {
        let text = "select format('drop index %I', 'x')\n\tfrom t where true \\gexec\ncreate index concurrently if not exists i on t (a);\n\\set x 1\nselect 2;";
        assert_eq!(
            ranges(text),
            [
                "select format('drop index %I', 'x')\n\tfrom t where true",
                "create index concurrently if not exists i on t (a);",
                "select 2;"
            ]
        );
    }

    #[test]
    fn empty_statements_and_breakpoints_are_skipped() {
        let text = ";;\nselect 1;\n--> statement-breakpoint\nselect 2;";
        assert_eq!(ranges(text), ["select 1;", "select 2;"]);
    }

    #[test]
    fn an_unterminated_string_keeps_the_statements_before_it() {
        let text = "select 1;\nselect 'oops";
        let lines = LineIndex::new(text);
        let s = split(text, &lines);
        assert_eq!(s.chunks.len(), 1);
        assert_eq!(s.error.map(|e| e.offset), Some(17));
    }

    #[test]
    fn offsets_count_characters_per_line() {
        let text = "é\nab";
        let lines = LineIndex::new(text);
        assert_eq!(lines.offset(Location::new(2, 2)), Some(4));
        assert_eq!(lines.offset(Location::new(1, 2)), Some(2));
        assert_eq!(lines.line_of(4), 2);
    }
}
