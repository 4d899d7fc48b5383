//! Stage 2, parse: source text → [`ast::File`].
//!
//! Input: one [`SourceFile`]. Output: its syntax tree plus diagnostics. The
//! pest grammar (`grammar/sluice.pest`) has catch-all rules, so a bad line
//! becomes a targeted diagnostic (see [`recover`]) and parsing goes on; only
//! structural damage (an unclosed block) fails the whole file, reported as
//! one `syntax-error`.

mod annotate;
mod decls;
mod migration;
mod nesting;
mod recover;
mod sql;
mod table;

use pest::iterators::Pair;
use pest::Parser as _;
use pest_derive::Parser;

use crate::ast::{self, Ident, Item, Path, StrLit};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::span::{FileId, Span};

pub use nesting::MAX_NESTING;
pub(crate) use recover::Context;

#[derive(Parser)]
#[grammar = "../grammar/sluice.pest"]
struct SluiceParser;

/// Parse one file. Never panics; every problem becomes a diagnostic.
pub fn parse_file(file_id: FileId, file: &SourceFile) -> (ast::File, Vec<Diagnostic>) {
    let mut cx = Cx {
        file: file_id,
        diags: Vec::new(),
    };
    if let Some(d) = nesting::check(file_id, &file.text) {
        cx.diags.push(d);
        return (ast::File::default(), cx.diags);
    }
    let pairs = match SluiceParser::parse(Rule::file, &file.text) {
        Ok(pairs) => pairs,
        Err(e) => {
            cx.diags.push(recover::pest_error(file_id, &file.text, e));
            return (ast::File::default(), cx.diags);
        }
    };
    let mut out = ast::File::default();
    for pair in pairs.flatten().filter(|p| p.as_rule() == Rule::file) {
        for item in pair.into_inner() {
            if let Some(item) = top_item(&mut cx, item) {
                out.items.push(item);
            }
        }
    }
    (out, cx.diags)
}

/// Parse state for one file: its id and the diagnostics found so far.
pub(crate) struct Cx {
    pub file: FileId,
    pub diags: Vec<Diagnostic>,
}

impl Cx {
    pub fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    pub fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    pub fn path(&self, pair: Pair<Rule>) -> Path {
        let span = self.span(&pair);
        let parts = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.ident(p))
            .collect();
        Path { parts, span }
    }

    pub fn string(&self, pair: Pair<Rule>) -> StrLit {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
        StrLit {
            value: unescape(raw),
            span,
        }
    }

    pub fn int(&mut self, pair: Pair<Rule>) -> u64 {
        let span = self.span(&pair);
        pair.as_str().parse().unwrap_or_else(|_| {
            self.diags.push(
                Diagnostic::error(Code::InvalidValue, "this number is too large")
                    .at(span)
                    .help("use a number below 2^64"),
            );
            0
        })
    }

    pub fn idents(&self, pair: Pair<Rule>) -> Vec<Ident> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.ident(p))
            .collect()
    }

    pub fn duration(&mut self, pair: Pair<Rule>) -> ast::Duration {
        let span = self.span(&pair);
        let text = pair.as_str();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let unit = &text[digits.len()..];
        let factor = match unit {
            "ms" => 1,
            "s" => 1_000,
            "min" => 60_000,
            "h" => 3_600_000,
            _ => 86_400_000,
        };
        let millis = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(factor));
        if millis.is_none() {
            self.diags.push(
                Diagnostic::error(Code::InvalidValue, "this duration is too large")
                    .at(span)
                    .help("durations are written like `2s`, `100ms` or `5min`"),
            );
        }
        ast::Duration {
            millis: millis.unwrap_or(0),
            span,
        }
    }

    /// Report a catch-all match in the given context.
    pub fn invalid(&mut self, pair: Pair<Rule>, context: Context) {
        let span = self.span(&pair);
        let d = recover::invalid_item(span, pair.as_str(), context);
        self.diags.push(d);
    }
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// One top-level declaration, by its rule.
fn top_item(cx: &mut Cx, pair: Pair<Rule>) -> Option<Item> {
    Some(match pair.as_rule() {
        Rule::workspace_decl => Item::Workspace(decls::workspace(cx, pair)),
        Rule::conventions_decl => Item::Conventions(decls::conventions(cx, pair)),
        Rule::tenancy_decl => Item::Tenancy(decls::tenancy(cx, pair)),
        Rule::role_decl => Item::Role(decls::role(cx, pair)),
        Rule::lint_decl => Item::Lint(decls::lint(cx, pair)),
        Rule::extension_decl => Item::Extension(decls::extension(cx, pair)),
        Rule::project_decl => Item::Project(decls::project(cx, pair)),
        Rule::table_decl => Item::Table(table::table(cx, pair)),
        Rule::view_decl => Item::View(decls::view(cx, pair)),
        Rule::function_decl => Item::Function(decls::function(cx, pair)),
        Rule::enum_decl => Item::Enum(decls::enum_decl(cx, pair)),
        Rule::migration_decl => Item::Migration(migration::migration(cx, pair)),
        Rule::invalid_item => {
            cx.invalid(pair, Context::TopLevel);
            return None;
        }
        _ => return None,
    })
}

/// The first child of a rule, by rule name.
fn child<'a>(pair: &Pair<'a, Rule>, rule: Rule) -> Option<Pair<'a, Rule>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

/// A path with one empty part, where a declaration lacks its name.
fn empty_path(span: crate::span::Span) -> Path {
    Path {
        parts: vec![Ident {
            name: String::new(),
            span,
        }],
        span,
    }
}
