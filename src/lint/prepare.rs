//! The half of linting a file that needs nothing from the files before it:
//! splitting it into statements and parsing each.
//!
//! Input: a file's text and the target version. Output: a [`Prepared`]
//! file — the [`Outline`] of every statement (what the rules must know
//! ahead of it), the `--` comments, the tokenizer's error, and, for a text
//! up to [`KEEP_STATEMENTS`] bytes, every statement parsed ([`Parsed`]) or
//! its `unparsed-statement` finding. A folder's next file can so be
//! prepared on another thread while the session judges the one before it;
//! a longer text is split again and parsed a statement at a time while it
//! is judged, so only one statement's tokens are in memory.

use std::ops::Range;

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::fallback::{self, Known};
use super::split::{self, Comment, LineIndex, Lines, SplitError, Tok};
use super::statement::Stmt;
use super::{Finding, PgVersion};
use crate::diagnostic::Code;

/// Texts up to this many bytes keep their parsed statements between
/// preparing and judging; longer ones are split twice, trading a second
/// tokenization for memory.
pub const KEEP_STATEMENTS: usize = 256 << 10;

/// What the rules must know of a statement before reaching it.
#[derive(Debug)]
pub struct Outline {
    pub start: usize,
    /// It cannot run inside a transaction block.
    pub outside: bool,
    /// The relations it drops.
    pub drops: Vec<String>,
    /// It validates a constraint.
    pub validates: bool,
}

/// One statement, parsed, without the text it points into.
#[derive(Debug)]
pub struct Parsed {
    pub range: Range<usize>,
    pub tokens: Vec<Tok>,
    pub ast: Option<Box<Statement>>,
    pub known: Option<Known>,
}

impl Parsed {
    /// The statement as the rules see it, in its file's text.
    pub fn stmt<'a>(self, text: &'a str, lines: &'a LineIndex<'a>) -> Stmt<'a> {
        Stmt {
            text,
            range: self.range,
            tokens: self.tokens,
            ast: self.ast,
            known: self.known,
            lines,
            written: Default::default(),
            target: Default::default(),
        }
    }
}

/// A statement read, or why it cannot be.
pub type Read = Result<Parsed, Finding>;

/// A file split and, when short, parsed.
#[derive(Debug)]
pub struct Prepared {
    pub outline: Vec<Outline>,
    pub comments: Vec<Comment>,
    pub error: Option<SplitError>,
    /// Every statement read, in order; `None` for a long text.
    pub statements: Option<Vec<Read>>,
    /// The text's line index, made once for parsing and judging alike;
    /// `None` for a long text.
    pub lines: Option<Lines>,
}

/// Split `text` and, when it is short, parse every statement.
pub fn prepare(text: &str, pg: PgVersion) -> Prepared {
    let keep = text.len() <= KEEP_STATEMENTS;
    let lines = keep.then(|| LineIndex::new(text));
    // A statement ends at a `;` (most do): reserve that many, so the
    // large parsed statements are not moved again and again as the list
    // grows. Capped, as semicolons in function bodies are not statements.
    let guess = count_byte(text.as_bytes(), b';').min(MAX_GUESS) + 1;
    let mut statements = Vec::with_capacity(if keep { guess } else { 0 });
    let mut outline = Vec::with_capacity(guess);
    let mut split = split::Statements::new(text);
    outline.extend(split.by_ref().map(|c| {
        let o = Outline {
            start: c.range.start,
            outside: fallback::cannot_run_in_transaction(&c.tokens, pg),
            drops: fallback::dropped_relations(&c.tokens),
            validates: c.tokens.first().is_some_and(|t| t.is_word("alter"))
                && c.tokens.iter().any(|t| t.is_word("validate")),
        };
        if let Some(lines) = &lines {
            statements.push(parse(text, lines, c));
        }
        o
    }));
    let (comments, error) = split.finish();
    Prepared {
        outline,
        comments,
        error,
        statements: keep.then_some(statements),
        lines: lines.map(LineIndex::detach),
    }
}

/// Statements reserved for ahead at most, however many `;` a text has.
const MAX_GUESS: usize = 256;

fn count_byte(bytes: &[u8], b: u8) -> usize {
    bytes.iter().filter(|&&c| c == b).count()
}

/// Parse a chunk; an unparsable statement is an `unparsed-statement`
/// finding.
pub fn parse(text: &str, lines: &LineIndex, mut chunk: split::Chunk) -> Read {
    let known = fallback::recognize(&chunk.tokens);
    // A long `INSERT`/`COPY` of data: no rule reads its rows, and its
    // syntax tree would cost far more memory than the text.
    if matches!(known, Some(Known::ChangesData)) {
        return Ok(Parsed {
            range: chunk.range,
            tokens: chunk.tokens,
            ast: None,
            known,
        });
    }
    let dialect = PostgreSqlDialect {};
    let drop = fallback::unknown_words(&chunk.tokens);
    // The parser borrows the statement's own tokens and hands them back,
    // unless some are left out for it.
    let lent = drop.is_empty();
    let spanned = if lent {
        split::lend(&mut chunk.tokens)
    } else {
        without(split::spanned(&chunk.tokens), &drop)
    };
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(spanned);
    let parsed = parser.parse_statement().and_then(|s| {
        let next = parser.peek_token();
        if next.token == Token::EOF {
            Ok(s)
        } else {
            Err(ParserError::ParserError(format!(
                "Expected: end of statement, found: {} at Line: {}, Column: {}",
                next.token, next.span.start.line, next.span.start.column
            )))
        }
    });
    if lent {
        split::give_back(&mut chunk.tokens, parser.into_tokens());
    }
    let ast = match parsed {
        Ok(s) => Some(Box::new(s)),
        Err(e) if known.is_none() => {
            let (message, at) = parse_error(e, lines, &chunk.range, text);
            return Err(unparsed(chunk.range.clone(), at, &message));
        }
        Err(_) => None,
    };
    Ok(Parsed {
        range: chunk.range,
        tokens: chunk.tokens,
        ast,
        known,
    })
}

/// The tokens but the `drop`-th significant ones (comments and
/// whitespace are not counted).
fn without(
    spanned: Vec<sqlparser::tokenizer::TokenWithSpan>,
    drop: &[usize],
) -> Vec<sqlparser::tokenizer::TokenWithSpan> {
    let mut k = 0;
    spanned
        .into_iter()
        .filter(|t| {
            if matches!(t.token, Token::Whitespace(_)) {
                return true;
            }
            k += 1;
            !drop.contains(&(k - 1))
        })
        .collect()
}

pub fn unparsed(statement: Range<usize>, at: Range<usize>, message: &str) -> Finding {
    Finding {
        code: Code::UnparsedStatement,
        statement,
        at,
        message: format!("sqlparser cannot parse this statement, so it was not checked: {message}"),
        help: "make sure the statement is valid PostgreSQL and review it by hand; add `-- sluice-ignore unparsed-statement: reason` above it once reviewed".into(),
    }
}

/// sqlparser's message without its position, and the offending token.
fn parse_error(
    e: ParserError,
    lines: &LineIndex,
    range: &Range<usize>,
    text: &str,
) -> (String, Range<usize>) {
    let raw = match e {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s,
        ParserError::RecursionLimitExceeded => "the statement nests too deeply".into(),
    };
    let raw = raw.trim_start_matches("sql parser error: ").to_string();
    if let Some(idx) = raw.rfind(" at Line: ") {
        let nums: Vec<u64> = raw[idx..]
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [line, column] = nums[..] {
            let loc = sqlparser::tokenizer::Location::new(line, column);
            if let Some(at) = lines.offset(loc).filter(|o| range.contains(o)) {
                let end = text[at..]
                    .find(|c: char| c.is_whitespace() || c == ';')
                    .map_or(range.end, |n| at + n.max(1));
                return (raw[..idx].to_string(), at..end.min(range.end));
            }
        }
        return (raw[..idx].to_string(), range.start..range.start);
    }
    (raw, range.start..range.start)
}
