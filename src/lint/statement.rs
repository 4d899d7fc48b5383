//! One statement as the rules see it: sqlparser's syntax tree when it
//! parses, a [`Known`] form when only its tokens can be read, and the
//! tokens with byte ranges so a finding can point at the offending word.

use std::ops::Range;

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart, Statement};
use sqlparser::tokenizer::Span as SqlSpan;

use super::fallback::Known;
use super::split::{LineIndex, Tok};
use super::{Finding, LintContext};
use crate::diagnostic::Code;

pub struct Stmt<'a> {
    /// The whole file.
    pub text: &'a str,
    pub range: Range<usize>,
    pub tokens: Vec<Tok>,
    pub ast: Option<Box<Statement>>,
    pub known: Option<Known>,
    pub(super) lines: &'a LineIndex<'a>,
    /// The column types it writes, worked out once for all the rules
    /// that ask (`rules::written_types`).
    pub(super) written: std::cell::OnceCell<Vec<Written>>,
    /// The table a `CREATE TABLE` or `ALTER TABLE` names, worked out once
    /// for all the rules that ask (`rules::target_table`).
    pub(super) target: std::cell::OnceCell<String>,
}

/// What a judged statement owns that is costly to free (its tokens and
/// syntax tree): handed back so another thread can free it.
pub struct Remains {
    _tokens: Vec<Tok>,
    _ast: Option<Box<Statement>>,
}

/// A column, the type written for it, and where that type stands.
pub type Written = (String, String, std::ops::Range<usize>);

impl Stmt<'_> {
    /// The tokens and syntax tree, once the rules are done with them.
    pub fn into_remains(self) -> Remains {
        Remains {
            _tokens: self.tokens,
            _ast: self.ast,
        }
    }

    /// The text of the statement.
    pub fn sql(&self) -> &str {
        &self.text[self.range.clone()]
    }

    /// The first token (the statement's keyword).
    pub fn head(&self) -> Range<usize> {
        self.tokens
            .first()
            .map(|t| t.range.clone())
            .unwrap_or(self.range.clone())
    }

    /// The first run of consecutive words `words` (any case), from the
    /// first token on or after `from`; the statement head when absent.
    pub fn at_words_from(&self, from: usize, words: &[&str]) -> Range<usize> {
        let n = words.len();
        // Tokens are in text order: start at the first one at `from`.
        let first = self.tokens.partition_point(|t| t.range.start < from);
        for i in first..self.tokens.len() {
            if i + n > self.tokens.len() {
                break;
            }
            let run = &self.tokens[i..i + n];
            if run.iter().zip(words).all(|(t, w)| t.is_word(w)) {
                return run[0].range.start..run[n - 1].range.end;
            }
        }
        self.head()
    }

    pub fn at_words(&self, words: &[&str]) -> Range<usize> {
        self.at_words_from(0, words)
    }

    /// Where sqlparser says a node is, when it knows.
    pub fn at_span(&self, span: SqlSpan) -> Option<Range<usize>> {
        let start = self.lines.offset(span.start)?;
        let end = self.lines.offset(span.end).unwrap_or(start).max(start);
        Some(start..end)
    }

    /// Where an identifier stands; the statement head when unknown.
    pub fn at_ident(&self, ident: &Ident) -> Range<usize> {
        self.at_span(ident.span).unwrap_or_else(|| self.head())
    }

    /// Where a (qualified) name stands.
    pub fn at_name(&self, name: &ObjectName) -> Range<usize> {
        let idents: Vec<&Ident> = name.0.iter().filter_map(ObjectNamePart::as_ident).collect();
        match (idents.first(), idents.last()) {
            (Some(a), Some(b)) => match (self.at_span(a.span), self.at_span(b.span)) {
                (Some(x), Some(y)) => x.start..y.end,
                _ => self.head(),
            },
            _ => self.head(),
        }
    }

    /// The token that follows the one starting at `offset` (a column's type
    /// after its name), or the token at `offset` itself.
    pub fn token_after(&self, offset: usize) -> Range<usize> {
        let i = self.tokens.partition_point(|t| t.range.start < offset);
        match (i < self.tokens.len()).then_some(i) {
            Some(i) => self
                .tokens
                .get(i + 1)
                .unwrap_or(&self.tokens[i])
                .range
                .clone(),
            None => self.head(),
        }
    }

    /// A finding of `code` at `at`.
    pub fn finding(
        &self,
        code: Code,
        at: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            statement: self.range.clone(),
            at,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The identifier as PostgreSQL folds it: unquoted names are lower case.
pub fn ident_name(i: &Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_lowercase(),
    }
}

/// The last part of a qualified name (`public.notes` → `notes`).
pub fn object_name(n: &ObjectName) -> String {
    n.0.iter()
        .rev()
        .find_map(ObjectNamePart::as_ident)
        .map(ident_name)
        .unwrap_or_default()
}

/// Whether `cx` names `role` as a runtime role.
pub fn is_runtime_role(cx: &LintContext, role: &Ident) -> bool {
    let name = ident_name(role);
    cx.runtime_roles.contains(&name)
}
