//! Splitting a SQL file into statements with sqlparser's tokenizer.
//!
//! Input: the text of one file. Output: one [`Chunk`] per statement — its
//! byte range and its significant tokens with byte ranges — in file order,
//! one at a time ([`Statements`]), then the file's `--` comments. Semicolons inside strings, quoted
//! identifiers and `$$` bodies are part of their token, so they never
//! split. A text the tokenizer rejects (an unterminated string) yields the
//! statements before the bad spot and an error at it.

use std::ops::Range;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

mod lines;

use lines::Cursor;
pub use lines::{give_back, lend, spanned, LineIndex, Lines};

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
    /// Its significant tokens; a data load longer than
    /// [`LONG_DATA_STATEMENT`] tokens keeps only its head, since no rule
    /// reads its rows.
    pub tokens: Vec<Tok>,
}

/// Tokens beyond which an `INSERT` is data, not worth a syntax tree.
pub const LONG_DATA_STATEMENT: usize = 4096;

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

/// Every statement of a file at once (for short texts and tests).
pub fn split(text: &str) -> Split {
    let mut statements = Statements::new(text);
    let chunks = statements.by_ref().collect();
    let (comments, error) = statements.finish();
    Split {
        chunks,
        comments,
        error,
    }
}

/// Bytes after which a piece is cut at the next line end, so a single
/// long statement is tokenized a piece at a time.
const PIECE: usize = 64 * 1024;

/// The statements of a file one at a time: the text is tokenized a piece
/// (see [`cut`](super::cut)) at a time, so only the current statement's
/// tokens are in memory. The `--` comments and the tokenizer's error are
/// collected on the way and handed over by [`Statements::finish`].
pub struct Statements<'a> {
    text: &'a str,
    /// Where the next piece starts; `text.len()` once all is read.
    at: usize,
    current: Chunk,
    ready: std::collections::VecDeque<Chunk>,
    /// Inside a psql meta-command (`\gexec`, `\set x 1`): to the end of its line.
    in_meta: bool,
    comments: Vec<Comment>,
    error: Option<SplitError>,
    /// The tokenizer's output for the current piece, its allocation kept
    /// from piece to piece.
    buf: Vec<TokenWithSpan>,
}

impl<'a> Statements<'a> {
    pub fn new(text: &'a str) -> Statements<'a> {
        Statements {
            text,
            at: 0,
            current: empty(),
            ready: Default::default(),
            in_meta: false,
            comments: Vec::new(),
            error: None,
            buf: Vec::new(),
        }
    }

    /// The `--` comments of the whole file and the tokenizer's error, once
    /// every statement has been taken.
    pub fn finish(self) -> (Vec<Comment>, Option<SplitError>) {
        (self.comments, self.error)
    }

    /// Tokenize the next piece; at the end of the text, close the last
    /// statement.
    fn read_piece(&mut self) {
        let dialect = PostgreSqlDialect {};
        let base = self.at;
        let end = super::cut::next_cut(self.text, base, PIECE);
        let piece = &self.text[base..end];
        let mut tokens = std::mem::take(&mut self.buf);
        tokens.clear();
        // About a token (whitespace included) per four bytes: spare most
        // of the doublings as the tokenizer pushes them one by one.
        tokens.reserve(piece.len() / 4);
        match Tokenizer::new(&dialect, piece).tokenize_with_location_into_buf(&mut tokens) {
            Ok(()) => self.at = end,
            Err(_) if end < self.text.len() => {
                // The cut fell inside a literal: read the rest at once.
                let rest = &self.text[base..];
                tokens.clear();
                match Tokenizer::new(&dialect, rest).tokenize_with_location_into_buf(&mut tokens) {
                    Ok(()) => {
                        self.at = self.text.len();
                        self.take(rest, base, tokens);
                        return self.close();
                    }
                    Err(e) => return self.fail(base, e),
                }
            }
            Err(e) => return self.fail(base, e),
        };
        self.take(piece, base, tokens);
        if self.at == self.text.len() {
            self.close();
        }
    }

    /// Record the error, and lint what stands before the bad spot.
    fn fail(&mut self, base: usize, e: sqlparser::tokenizer::TokenizerError) {
        let rest = &self.text[base..];
        let local = LineIndex::new(rest);
        let offset = base + local.offset(e.location).unwrap_or(rest.len());
        self.error = Some(SplitError {
            message: e.message,
            offset,
        });
        self.at = self.text.len();
        let head = &self.text[base..line_start(self.text, offset).max(base)];
        let dialect = PostgreSqlDialect {};
        if let Ok(t) = Tokenizer::new(&dialect, head).tokenize_with_location() {
            self.take(head, base, t);
        }
        self.close();
    }

    fn close(&mut self) {
        if !self.current.tokens.is_empty() {
            let last = std::mem::replace(&mut self.current, empty());
            self.ready.push_back(last);
        }
    }

    /// Sort the tokens of `piece` (which starts at byte `base`) into
    /// statements and comments.
    fn take(&mut self, piece: &str, base: usize, mut tokens: Vec<TokenWithSpan>) {
        let mut local = Cursor::new(piece);
        for t in tokens.drain(..) {
            let start = base + local.offset(t.span.start).unwrap_or(piece.len());
            let end = (base + local.offset(t.span.end).unwrap_or(start - base)).max(start);
            if self.in_meta {
                if matches!(t.token, Token::Whitespace(Whitespace::Newline) | Token::EOF) {
                    self.in_meta = false;
                }
                continue;
            }
            match t.token {
                // A psql meta-command is not SQL: it ends the statement
                // before it (`SELECT … \gexec` runs the query) and is skipped.
                Token::Backslash => {
                    self.in_meta = true;
                    self.close();
                }
                Token::Whitespace(Whitespace::SingleLineComment { comment, prefix })
                    if prefix == "--" =>
                {
                    self.comments.push(Comment {
                        text: comment.trim_end_matches(['\n', '\r']).to_string(),
                        range: start..end,
                    });
                }
                // The parser skips whitespace and comments.
                Token::Whitespace(_) | Token::EOF => {}
                Token::SemiColon => {
                    if !self.current.tokens.is_empty() {
                        self.current.range.end = end;
                    }
                    self.close();
                }
                token => {
                    let c = &mut self.current;
                    if c.tokens.is_empty() {
                        c.range.start = start;
                    }
                    c.range.end = end;
                    let data = c.tokens.len() > LONG_DATA_STATEMENT
                        && c.tokens.first().is_some_and(|t| t.is_word("INSERT"));
                    if !data {
                        c.tokens.push(Tok {
                            token,
                            range: start..end,
                        });
                    }
                }
            }
        }
        self.buf = tokens;
    }
}

impl Iterator for Statements<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        while self.ready.is_empty() && self.at < self.text.len() {
            self.read_piece();
        }
        if self.ready.is_empty() && self.at >= self.text.len() {
            self.close();
        }
        self.ready.pop_front()
    }
}

fn empty() -> Chunk {
    Chunk {
        range: 0..0,
        tokens: Vec::new(),
    }
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
        split(text)
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
        let s = split(text);
        assert_eq!(s.chunks.len(), 1);
        assert_eq!(s.error.map(|e| e.offset), Some(17));
    }

    #[test]
    fn a_long_statement_is_read_a_piece_at_a_time_with_the_same_tokens() {
        let mut text = String::from("insert into t (a, b) values\n");
        for i in 0..20_000 {
            text.push_str(&format!("({i}, 'é;{i}\n-- x'),\n"));
        }
        text.push_str("(0, $$;$$);\nselect 'oops");
        let s = split(&text);
        assert_eq!(s.chunks.len(), 1);
        let tokens = &s.chunks[0].tokens;
        assert_eq!(tokens.len(), LONG_DATA_STATEMENT + 1);
        let body = &text[..text.len() - "\nselect 'oops".len()];
        let whole = Tokenizer::new(&PostgreSqlDialect {}, body)
            .tokenize()
            .expect("tokenizes");
        let whole: Vec<&Token> = whole
            .iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect();
        for (mine, theirs) in tokens.iter().zip(&whole) {
            assert_eq!(&mine.token, *theirs);
            assert_eq!(text[mine.range.clone()], theirs.to_string());
        }
        assert_eq!(&text[s.chunks[0].range.clone()], body);
        assert_eq!(s.error.map(|e| e.offset), Some(text.len() - "'oops".len()));
    }

    #[test]
    fn statements_after_a_cut_keep_their_locations() {
        let text = "select 1; select\n  é, 'a;\nb', x;\nselect y";
        let lines = LineIndex::new(text);
        let s = split(text);
        assert_eq!(
            ranges(text),
            ["select 1;", "select\n  é, 'a;\nb', x;", "select y"]
        );
        let spans = spanned(text, &lines, &s.chunks[1].tokens);
        let whole = Tokenizer::new(&PostgreSqlDialect {}, text)
            .tokenize_with_location()
            .expect("tokenizes");
        let whole: Vec<_> = whole
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .skip(3)
            .collect();
        for (mine, theirs) in spans.iter().zip(&whole) {
            assert_eq!(mine, theirs);
        }
        assert_eq!(spans.len(), 6);
    }
}
