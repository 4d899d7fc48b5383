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

mod ahead;
mod carry;
pub mod config;
pub mod context;
mod cut;
mod early;
pub mod fallback;
mod files;
mod lock;
mod paths;
mod place;
pub mod prepare;
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

pub use context::{LintContext, PgVersion};
pub use rules::{Rule, RULES};
pub use runner::{Part, Runner, Wrap};
pub use state::Catalog;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use split::{LineIndex, Lines};
use state::State;
use statement::Remains;

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

    /// [`Finding::to_diagnostic`], moving the texts instead of copying them.
    pub fn into_diagnostic(self, file: FileId, base: usize) -> Diagnostic {
        Diagnostic::of(self.code, self.message)
            .at(Span::new(file, base + self.at.start, base + self.at.end))
            .label("here")
            .help(self.help)
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
    split
        .chunks
        .into_iter()
        .map(|c| match prepare::parse(text, &lines, c) {
            Err(_) => "unparsed".to_string(),
            Ok(s) => match (&s.ast, &s.known) {
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
        let prepared = prepare::prepare(text, cx.pg);
        self.lint_prepared(text, prepared, parts, cx, &mut Vec::new())
            .0
    }

    /// [`Session::lint_parts`] on a file [`prepare`]d already (perhaps on
    /// another thread), with the text's line index, for showing the
    /// findings. A long file is split again here, a statement at a time,
    /// so only one statement's tokens are in memory. The statements of a
    /// file parsed ahead are not freed here but put in `spent`, for the
    /// caller to free where it costs the least.
    pub fn lint_prepared(
        &mut self,
        text: &str,
        prepared: prepare::Prepared,
        parts: &[Part],
        cx: &LintContext,
        spent: &mut Vec<Remains>,
    ) -> (Vec<Finding>, Lines) {
        let prepare::Prepared {
            outline,
            comments,
            error,
            statements,
            lines,
        } = prepared;
        let lines = match lines {
            Some(lines) => lines.attach(text),
            None => LineIndex::new(text),
        };
        let keep = statements.is_some();
        let mut chunks: Box<dyn Iterator<Item = prepare::Read>> = match statements {
            Some(read) => Box::new(read.into_iter()),
            None => Box::new(split::Statements::new(text).map(|c| prepare::parse(text, &lines, c))),
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
            let spent = keep.then_some(&mut *spent);
            self.lint_statements(text, &lines, mine, statements, &pcx, (&mut found, spent));
            if let Some(c) = kept {
                self.catalog = c;
            }
        }
        if let Some(e) = error {
            let end = text[e.offset..]
                .chars()
                .next()
                .map_or(e.offset, |c| e.offset + c.len_utf8());
            found.push(prepare::unparsed(
                e.offset..text.len(),
                e.offset..end,
                &e.message,
            ));
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
        drop(chunks);
        (found, lines.detach())
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
        outline: &[prepare::Outline],
        chunks: impl Iterator<Item = prepare::Read>,
        cx: &LintContext,
        (found, mut spent): (&mut Vec<Finding>, Option<&mut Vec<Remains>>),
    ) {
        let mut st = State::with_catalog(std::mem::take(&mut self.catalog));
        st.part_statements = outline.len();
        st.doomed = outline.iter().flat_map(|o| o.drops.clone()).collect();
        st.last_non_transactional = outline.iter().rev().find(|o| o.outside).map(|o| o.start);
        st.last_validation = outline.iter().rev().find(|o| o.validates).map(|o| o.start);
        carry::resume(&mut st, cx);
        for chunk in chunks {
            let s = match chunk {
                Ok(parsed) => parsed.stmt(text, lines),
                Err(unparsed) => {
                    found.push(unparsed);
                    continue;
                }
            };
            for rule in RULES {
                (rule.check)(&s, &st, cx, found);
            }
            st.learn(&s, cx);
            if let Some(spent) = spent.as_deref_mut() {
                spent.push(s.into_remains());
            }
        }
        for rule in RULES {
            (rule.finish)(&st, cx, found);
        }
        carry::keep(&mut st, cx);
        self.catalog = std::mem::take(&mut st.catalog);
    }
}
