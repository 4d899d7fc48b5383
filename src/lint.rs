//! Stage: lint — the safety rules of `safety-catalog.md` on SQL text.
//!
//! Input: the text of one SQL file and a [`LintContext`] (target version,
//! transaction wrapping, phase). Output: [`Finding`]s — rule, statement
//! range, the offending token's range, message and help — in file order.
//! The same engine judges hand-written migrations (`sluice lint`) and the
//! SQL sluice emits, so a rule is written once, in `lint/rules/`.
//!
//! The file is split into statements with sqlparser's tokenizer and each is
//! parsed on its own (PostgreSQL dialect). A statement that neither parses
//! nor is a [`fallback::Known`] form becomes an `unparsed-statement`
//! finding; `DO $$ … $$` blocks are recognized and their bodies not linted.
//! Every rule judges a statement before [`state::State`] learns from it;
//! the one look ahead is which relations the file drops (their locks
//! block nobody who could still use them).

mod carry;
pub mod config;
pub mod context;
mod cut;
pub mod fallback;
mod lock;
pub mod rules;
pub mod run;
pub mod runner;
pub mod split;
pub mod state;
pub mod statement;
mod suppress;
#[cfg(test)]
mod testing;
pub use crate::pg::{types, volatility};

use std::ops::Range;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

pub use context::{LintContext, PgVersion};
pub use rules::{Rule, RULES};
pub use runner::{Part, Runner, Wrap};
pub use state::Catalog;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use split::LineIndex;
use state::State;
use statement::Stmt;

/// One rule broken by one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// Byte range of the whole statement in the linted text.
    pub statement: Range<usize>,
    /// Byte range of the offending token(s).
    pub at: Range<usize>,
    /// A sentence, names in backticks.
    pub message: String,
    /// The safe recipe.
    pub help: String,
}

impl Finding {
    /// A diagnostic in `file`, whose text starts `base` bytes into it
    /// (0 for a whole file; the offset of an embedded fragment otherwise).
    pub fn to_diagnostic(&self, file: FileId, base: usize) -> Diagnostic {
        Diagnostic::of(self.code, self.message.clone())
            .at(Span::new(file, base + self.at.start, base + self.at.end))
            .label("here")
            .help(self.help.clone())
    }
}

/// Lint one SQL text on its own.
pub fn lint_sql(text: &str, cx: &LintContext) -> Vec<Finding> {
    Session::new(cx.clone()).lint(text)
}

/// What each statement of `text` was read as: `Name` of sqlparser's
/// statement when it parses, `Known::Name` (or `Known::KIND` for the
/// statements no rule needs) when only its tokens are recognized,
/// `unparsed` otherwise. For the parse coverage corpus.
pub fn statement_kinds(text: &str) -> Vec<String> {
    let lines = LineIndex::new(text);
    let split = split::split(text);
    let mut found = Vec::new();
    split
        .chunks
        .into_iter()
        .map(|c| match statement(text, &lines, c, &mut found) {
            None => "unparsed".to_string(),
            Some(s) => match (&s.ast, &s.known) {
                (Some(a), _) => head_of(&format!("{a:?}")),
                (None, Some(fallback::Known::Other { kind })) => format!("Known::{kind}"),
                (None, Some(k)) => format!("Known::{}", head_of(&format!("{k:?}"))),
                (None, None) => "unparsed".to_string(),
            },
        })
        .collect()
}

fn head_of(debug: &str) -> String {
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_string()
}

/// Lints files one after another, carrying the [`Catalog`] (column types
/// and indexes) from each file to the next, as a migrations folder replays.
#[derive(Debug, Clone)]
pub struct Session {
    pub cx: LintContext,
    pub catalog: Catalog,
}

impl Session {
    pub fn new(cx: LintContext) -> Session {
        Session {
            cx,
            catalog: Catalog::default(),
        }
    }

    /// Lint one file's text with the session's context.
    pub fn lint(&mut self, text: &str) -> Vec<Finding> {
        let cx = self.cx.clone();
        self.lint_with(text, &cx)
    }

    /// Lint one file's text with a context of its own (its phase, whether
    /// its runner wraps it), keeping the session's catalog.
    pub fn lint_with(&mut self, text: &str, cx: &LintContext) -> Vec<Finding> {
        let wrap = if cx.in_transaction {
            Wrap::Transaction
        } else {
            Wrap::None
        };
        let part = Part {
            range: 0..text.len(),
            wrap,
            rollback: false,
        };
        self.lint_parts(text, std::slice::from_ref(&part), cx)
    }

    /// Lint the parts of a file its runner runs (a goose file's `Up` and
    /// `Down` sections), each with the transaction its runner opens around
    /// it. Statements outside every part are not run, so not linted. A
    /// rollback part teaches the catalog nothing: the next file runs after
    /// the forward change.
    pub fn lint_parts(&mut self, text: &str, parts: &[Part], cx: &LintContext) -> Vec<Finding> {
        let lines = LineIndex::new(text);
        // First pass: what the rules must know ahead of each statement. A
        // short file keeps its statements for the second pass; a long one
        // is split again, so only one statement's tokens are in memory.
        let keep = text.len() <= KEEP_STATEMENTS;
        let mut kept = Vec::new();
        let mut first = split::Statements::new(text);
        let outline: Vec<Outline> = first
            .by_ref()
            .map(|c| {
                let o = Outline {
                    start: c.range.start,
                    outside: fallback::cannot_run_in_transaction(&c.tokens, cx.pg),
                    drops: fallback::dropped_relations(&c.tokens),
                    validates: c.tokens.first().is_some_and(|t| t.is_word("alter"))
                        && c.tokens.iter().any(|t| t.is_word("validate")),
                };
                if keep {
                    kept.push(c);
                }
                o
            })
            .collect();
        let (comments, error) = first.finish();
        let mut chunks: Box<dyn Iterator<Item = split::Chunk>> = if keep {
            Box::new(kept.into_iter())
        } else {
            Box::new(split::Statements::new(text))
        };
        let mut found = Vec::new();
        let mut next = 0;
        for part in parts {
            let from = next;
            while outline.get(next).is_some_and(|o| o.start < part.range.end) {
                next += 1;
            }
            let skip = outline[from..next]
                .iter()
                .take_while(|o| o.start < part.range.start)
                .count();
            let mine = &outline[from + skip..next];
            let mut pcx = cx.clone();
            pcx.contract_phase |= part.rollback;
            pcx.one_query = part.wrap == Wrap::OneQuery;
            pcx.in_transaction = match part.wrap {
                Wrap::None => false,
                Wrap::Transaction => true,
                Wrap::OneQuery => mine.len() > 1,
                Wrap::UnlessNonTransactional => !mine.iter().any(|o| o.outside),
            };
            let kept = part.rollback.then(|| self.catalog.clone());
            let statements = chunks.by_ref().take(next - from).skip(skip);
            self.lint_statements(text, &lines, mine, statements, &pcx, &mut found);
            if let Some(c) = kept {
                self.catalog = c;
            }
        }
        if let Some(e) = error {
            let end = text[e.offset..]
                .chars()
                .next()
                .map_or(e.offset, |c| e.offset + c.len_utf8());
            found.push(unparsed(e.offset..text.len(), e.offset..end, &e.message));
        }
        let starts: Vec<usize> = outline.iter().map(|o| o.start).collect();
        let mut found = suppress::apply(&starts, &comments, found);
        found.sort_by(|a, b| {
            (a.at.start, a.code.as_str(), &a.message).cmp(&(
                b.at.start,
                b.code.as_str(),
                &b.message,
            ))
        });
        found.dedup();
        found
    }

    /// Every rule on every statement of one part, then on the part. Each
    /// statement is parsed, judged, learnt from and dropped in turn, so one
    /// syntax tree is alive at a time; what the rules need to know ahead
    /// (relations the part drops, where its last statement that cannot run
    /// in a transaction stands) comes from the part's [`Outline`].
    fn lint_statements(
        &mut self,
        text: &str,
        lines: &LineIndex,
        outline: &[Outline],
        chunks: impl Iterator<Item = split::Chunk>,
        cx: &LintContext,
        found: &mut Vec<Finding>,
    ) {
        let mut st = State::with_catalog(std::mem::take(&mut self.catalog));
        st.part_statements = outline.len();
        st.doomed = outline.iter().flat_map(|o| o.drops.clone()).collect();
        st.last_non_transactional = outline.iter().rev().find(|o| o.outside).map(|o| o.start);
        st.last_validation = outline.iter().rev().find(|o| o.validates).map(|o| o.start);
        carry::resume(&mut st, cx);
        for chunk in chunks {
            let Some(s) = statement(text, lines, chunk, found) else {
                continue;
            };
            for rule in RULES {
                (rule.check)(&s, &st, cx, found);
            }
            st.learn(&s, cx);
        }
        for rule in RULES {
            (rule.finish)(&st, cx, found);
        }
        carry::keep(&mut st, cx);
        self.catalog = std::mem::take(&mut st.catalog);
    }
}

/// Texts up to this many bytes are split once and their statements kept
/// between the two passes of [`Session::lint_parts`]; longer ones are split
/// twice, trading a second tokenization for memory.
const KEEP_STATEMENTS: usize = 1 << 20;

/// What the rules must know of a statement before reaching it.
struct Outline {
    start: usize,
    /// It cannot run inside a transaction block.
    outside: bool,
    /// The relations it drops.
    drops: Vec<String>,
    /// It validates a constraint.
    validates: bool,
}

/// Parse a chunk; an unparsable statement is reported and skipped.
fn statement<'a>(
    text: &'a str,
    lines: &'a LineIndex<'a>,
    chunk: split::Chunk,
    found: &mut Vec<Finding>,
) -> Option<Stmt<'a>> {
    let known = fallback::recognize(&chunk.tokens);
    // A long `INSERT`/`COPY` of data: no rule reads its rows, and its
    // syntax tree would cost far more memory than the text.
    if matches!(known, Some(fallback::Known::ChangesData)) {
        return Some(Stmt {
            text,
            range: chunk.range,
            tokens: chunk.tokens,
            ast: None,
            known,
            lines,
        });
    }
    let dialect = PostgreSqlDialect {};
    let drop = fallback::unknown_words(&chunk.tokens);
    let spanned = split::spanned(text, lines, &chunk.tokens);
    let spanned = if drop.is_empty() {
        spanned
    } else {
        without(spanned, &drop)
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
    let ast = match parsed {
        Ok(s) => Some(s),
        Err(e) if known.is_none() => {
            let (message, at) = parse_error(e, lines, &chunk.range, text);
            found.push(unparsed(chunk.range.clone(), at, &message));
            return None;
        }
        Err(_) => None,
    };
    Some(Stmt {
        text,
        range: chunk.range,
        tokens: chunk.tokens,
        ast,
        known,
        lines,
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

fn unparsed(statement: Range<usize>, at: Range<usize>, message: &str) -> Finding {
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
