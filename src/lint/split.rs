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
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace};

mod lines;

use lines::Cursor;
pub use lines::{give_back, lend, spanned, LineIndex, Lines};

/// A significant (non-whitespace) token and where it stands.
#[derive(Debug, Clone)]
pub struct Tok {
    pub token: Token,
    pub range: Range<usize>,
    /// Where it starts and ends as sqlparser counts (1-based lines and
    /// character columns), kept from the tokenizer for the parser.
    pub at: [Loc; 2],
}

/// A line and a character column, both 1-based (0 for none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
}

impl Tok {
    /// The token's span, as sqlparser's parser takes it.
    pub fn span(&self) -> sqlparser::tokenizer::Span {
        let loc = |l: Loc| Location::new(l.line.into(), l.column.into());
        sqlparser::tokenizer::Span::new(loc(self.at[0]), loc(self.at[1]))
    }

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
    /// The line of `at` (1-based) and the characters before it on that
    /// line: a piece starts where a statement ended, often mid-line.
    line: u32,
    column: u32,
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
            line: 1,
            column: 0,
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
            Ok(()) => {
                self.take(piece, base, tokens);
                self.at = end;
                self.pass(piece);
                if self.at == self.text.len() {
                    self.close();
                }
            }
            Err(_) if end < self.text.len() => {
                // The cut fell inside a literal: read the rest at once.
                let rest = &self.text[base..];
                tokens.clear();
                match Tokenizer::new(&dialect, rest).tokenize_with_location_into_buf(&mut tokens) {
                    Ok(()) => {
                        self.at = self.text.len();
                        self.take(rest, base, tokens);
                        self.close();
                    }
                    Err(e) => self.fail(base, e),
                }
            }
            Err(e) => self.fail(base, e),
        }
    }

    /// Move the line and column of `at` past `piece`.
    fn pass(&mut self, piece: &str) {
        let count = |s: &str| s.chars().count() as u32;
        match piece.rfind('\n') {
            Some(last) => {
                self.line += piece.bytes().filter(|&b| b == b'\n').count() as u32;
                self.column = count(&piece[last + 1..]);
            }
            None => self.column += count(piece),
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
        // The tokenizer counts from the piece's start: its first line
        // continues the line `at` stands on.
        let (line, column) = (self.line, self.column);
        let loc = |l: Location| {
            let (l_line, l_column) = (l.line as u32, l.column as u32);
            match l_line {
                0 => Loc::default(),
                1 => Loc {
                    line,
                    column: l_column + column,
                },
                n => Loc {
                    line: line + n - 1,
                    column: l_column,
                },
            }
        };
        let total = tokens.len();
        for (k, t) in tokens.drain(..).enumerate() {
            // Blanks (about half the tokens: a space is a token) and a
            // meta-command's words need no place.
            let line_end = matches!(t.token, Token::Whitespace(Whitespace::Newline) | Token::EOF);
            if self.in_meta {
                self.in_meta = !line_end;
                continue;
            }
            if line_end
                || matches!(
                    t.token,
                    Token::Whitespace(
                        Whitespace::Space | Whitespace::Tab | Whitespace::MultiLineComment(_)
                    )
                )
            {
                continue;
            }
            let start = base + local.offset(t.span.start).unwrap_or(piece.len());
            let end = (base + local.offset(t.span.end).unwrap_or(start - base)).max(start);
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
                        // About every other token of a piece is
                        // whitespace, and a piece is mostly one statement.
                        c.tokens
                            .reserve(((total - k) / 2).min(LONG_DATA_STATEMENT + 1));
                    }
                    c.range.end = end;
                    let data = c.tokens.len() > LONG_DATA_STATEMENT
                        && c.tokens.first().is_some_and(|t| t.is_word("INSERT"));
                    if !data {
                        c.tokens.push(Tok {
                            token,
                            range: start..end,
                            at: [loc(t.span.start), loc(t.span.end)],
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
mod tests;
