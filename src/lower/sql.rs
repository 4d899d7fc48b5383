//! Pass 7: every SQL fragment parsed with sqlparser (PostgreSQL dialect).
//!
//! A syntax error inside a fragment is reported at the exact DSL line and
//! column: sqlparser's 1-based position inside the fragment is mapped back
//! through the fragment's span. Raw SQL steps that sqlparser cannot parse
//! are passed through with an `unparsed-statement` warning, since
//! sqlparser does not cover all of PostgreSQL.

use std::collections::HashSet;

use foldhash::fast::FixedState;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::collect::{Collected, ProjectFiles};
use crate::ast::{self, ColumnOpt, Inverse, Pred, SqlText, StepKind, TableItem};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::span::Span;

/// The fragments of the workspace's own conventions; each project's are
/// checked with the project ([`check_project`]), in parallel.
pub(super) fn check_conventions(c: &Collected, diags: &mut Vec<Diagnostic>) {
    let mut f = Fragments {
        diags,
        clean: HashSet::default(),
    };
    for conv in &c.conventions {
        f.conventions(conv);
    }
}

/// The fragments of one project's files: its conventions, tables, views,
/// functions and migrations.
pub(super) fn check_project(pf: &ProjectFiles, diags: &mut Vec<Diagnostic>) {
    let mut f = Fragments {
        diags,
        clean: HashSet::default(),
    };
    for d in &pf.decls {
        for conv in &d.conventions {
            f.conventions(conv);
        }
    }
    for t in &pf.tables {
        f.table(t);
    }
    for v in &pf.views {
        f.view(v);
    }
    for func in &pf.functions {
        f.function(func);
    }
    for (_, m) in &pf.migrations {
        for s in m.expand.iter().chain(m.contract.iter()) {
            f.step(&s.kind);
        }
        for b in &m.backfills {
            f.expr(&b.expr, "backfill expression");
            if let Some(filter) = &b.filter {
                f.expr(filter, "backfill filter");
            }
        }
    }
}

/// The fragment walk: diagnostics found so far, and the expressions
/// already found clean. A workspace repeats its expressions (the same
/// defaults, checks and predicates on many tables, and again in the steps
/// that built them): each distinct text is parsed once. Only a clean
/// verdict is remembered; a faulty fragment is reported where it stands.
struct Fragments<'c, 'd> {
    diags: &'d mut Vec<Diagnostic>,
    clean: HashSet<(&'static str, &'c str), FixedState>,
}

impl<'c> Fragments<'c, '_> {
    fn conventions(&mut self, c: &'c ast::ConventionsDecl) {
        if let Some(d) = c.primary_key.as_ref().and_then(|p| p.default.as_ref()) {
            self.expr(d, "default");
        }
    }

    fn table(&mut self, t: &'c ast::TableDecl) {
        for item in &t.items {
            match item {
                TableItem::Column(c) => self.column(c),
                TableItem::Check(c) => self.expr(&c.expr, "check constraint"),
                TableItem::Index(i) => self.index(i),
                TableItem::Policy(p) => self.policy(p),
                _ => {}
            }
        }
    }

    fn column(&mut self, c: &'c ast::ColumnDef) {
        for opt in &c.opts {
            match opt {
                ColumnOpt::Default(e) => self.expr(e, "default"),
                ColumnOpt::Check(e) => self.expr(e, "check constraint"),
                ColumnOpt::Generated(e) => self.expr(e, "generated expression"),
                _ => {}
            }
        }
    }

    fn index(&mut self, i: &'c ast::IndexDef) {
        for e in &i.elems {
            if let ast::IndexKey::Expr(x) = &e.key {
                self.expr(x, "index expression");
            }
        }
        if let Some(p) = &i.predicate {
            self.expr(p, "index predicate");
        }
    }

    fn policy(&mut self, p: &'c ast::PolicyDef) {
        self.pred(&p.using);
        if let Some(c) = &p.check {
            self.pred(c);
        }
    }

    fn pred(&mut self, p: &'c Pred) {
        match p {
            Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().for_each(|q| self.pred(q)),
            Pred::Not(q, _) => self.pred(q),
            Pred::Sql(t) => self.expr(t, "policy predicate"),
            _ => {}
        }
    }

    fn view(&mut self, v: &ast::ViewDecl) {
        let Some(q) = &v.query else { return };
        match parse_statements(q) {
            Ok(stmts) => {
                let is_query =
                    stmts.len() == 1 && matches!(stmts[0], sqlparser::ast::Statement::Query(_));
                if !is_query {
                    self.diags.push(
                        Diagnostic::error(
                            Code::SqlSyntaxError,
                            format!("the body of view `{}` is not a single query", v.name.dotted()),
                        )
                        .at(q.span)
                        .help("a view body is one `SELECT …` (or `WITH … SELECT …`) without a trailing `;`"),
                    );
                }
            }
            Err(e) => self
                .diags
                .push(sql_error(q, e, "view query", Severity::Error)),
        }
        self.diags.extend(super::sql_hazard::check(q, "view query"));
    }

    fn function(&mut self, f: &ast::FunctionDecl) {
        let is_sql = f.language.as_ref().is_some_and(|l| l.name == "sql");
        if let (true, Some(body)) = (is_sql, &f.body) {
            if let Err(e) = parse_statements(body) {
                self.diags
                    .push(sql_error(body, e, "function body", Severity::Error));
            }
        }
    }

    fn step(&mut self, kind: &'c StepKind) {
        match kind {
            StepKind::CreateTable(t) => self.table(t),
            StepKind::CreateView(v) | StepKind::ReplaceView(v) => self.view(v),
            StepKind::CreateFunction(f) | StepKind::ReplaceFunction(f) => self.function(f),
            StepKind::AddColumn { def, .. } => self.column(def),
            StepKind::AddIndex { index: i, .. } => self.index(i),
            StepKind::AddCheck { check, .. } => self.expr(&check.expr, "check constraint"),
            StepKind::AddPolicy { policy: p, .. } => self.policy(p),
            StepKind::SetDefault { expr: e, .. } => self.expr(e, "default"),
            StepKind::ChangeType { using: Some(u), .. } => self.expr(u, "conversion expression"),
            StepKind::Sql { forward, inverse } => {
                self.raw(forward);
                if let Inverse::Sql(inv) = inverse {
                    self.raw(inv);
                }
            }
            _ => {}
        }
    }

    fn raw(&mut self, t: &SqlText) {
        if let Some(d) = super::sql_hazard::check(t, "raw SQL") {
            self.diags.push(d);
        } else if let Err(e) = parse_statements(t) {
            let mut d = sql_error(t, e, "raw SQL", Severity::Warning);
            d.code = Code::UnparsedStatement;
            d.help = Some(
                "sluice could not parse this statement, so it is emitted as written and not checked; make sure it is valid PostgreSQL".into(),
            );
            self.diags.push(d);
        }
    }

    /// Parse one SQL expression; report a diagnostic on failure.
    fn expr(&mut self, t: &'c SqlText, what: &'static str) {
        if self.clean.contains(&(what, t.text.as_str())) {
            return;
        }
        if let Err(e) = parse_expr(t) {
            self.diags.push(sql_error(t, e, what, Severity::Error));
        } else if let Some(d) = super::sql_hazard::check(t, what) {
            self.diags.push(d);
        } else if let Some(at) = line_comment(&t.text) {
            // Emitted SQL continues after the fragment on the same line
            // (`CHECK (… -- x)`), so a line comment would swallow the rest.
            self.diags.push(
                Diagnostic::error(
                    Code::SqlSyntaxError,
                    format!("this {what} contains an SQL `--` comment"),
                )
                .at(t.span.sub(at, at + 2))
                .label("comment")
                .help("move the remark after the fragment as a `//` comment"),
            );
        } else {
            self.clean.insert((what, &t.text));
        }
    }
}

/// Byte offset of a `--` line comment in SQL text (strings skipped).
fn line_comment(sql: &str) -> Option<usize> {
    use sqlparser::tokenizer::{Tokenizer, Whitespace};
    // Tokenized only when it could hold one.
    if !sql.contains("--") {
        return None;
    }
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .ok()?;
    let tok = tokens.iter().find(|t| {
        matches!(&t.token, Token::Whitespace(Whitespace::SingleLineComment { prefix, .. }) if prefix == "--")
    })?;
    Some(offset_in(
        sql,
        tok.span.start.line as usize,
        tok.span.start.column as usize,
    ))
}

/// A parse failure: message and 1-based position inside the fragment.
#[derive(Debug)]
pub struct SqlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

pub fn parse_expr(t: &SqlText) -> Result<sqlparser::ast::Expr, SqlError> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .try_with_sql(&t.text)
        .map_err(from_parser)?;
    let e = parser.parse_expr().map_err(from_parser)?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(SqlError {
            message: format!("unexpected `{}` after the expression", next.token),
            line: next.span.start.line as usize,
            column: next.span.start.column as usize,
        });
    }
    Ok(e)
}

pub fn parse_statements(t: &SqlText) -> Result<Vec<sqlparser::ast::Statement>, SqlError> {
    let dialect = PostgreSqlDialect {};
    Parser::parse_sql(&dialect, &t.text).map_err(from_parser)
}

fn from_parser(e: ParserError) -> SqlError {
    let raw = match e {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s,
        ParserError::RecursionLimitExceeded => "the expression nests too deeply".to_string(),
    };
    // sqlparser appends " at Line: L, Column: C" to its messages.
    if let Some(idx) = raw.rfind(" at Line: ") {
        let (msg, pos) = raw.split_at(idx);
        let nums: Vec<usize> = pos
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [line, column] = nums[..] {
            return SqlError {
                message: msg.to_string(),
                line,
                column,
            };
        }
    }
    SqlError {
        message: raw,
        line: 0,
        column: 0,
    }
}

/// The DSL span of a 1-based position inside a fragment (end of the
/// fragment when the position is unknown or past the end).
pub fn fragment_span(t: &SqlText, line: usize, column: usize) -> Span {
    let offset = offset_in(&t.text, line, column);
    let end = t.text[offset..]
        .chars()
        .next()
        .map(|c| offset + c.len_utf8())
        .unwrap_or(offset);
    t.span.sub(offset, end)
}

/// Byte offset of a 1-based (line, column) in `text`; the end when unknown.
fn offset_in(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return text.len();
    }
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            off += l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(l.trim_end_matches('\n').len());
            break;
        }
        off += l.len();
    }
    off.min(text.len())
}

fn sql_error(t: &SqlText, e: SqlError, what: &str, severity: Severity) -> Diagnostic {
    let span = fragment_span(t, e.line, e.column);
    let message = e
        .message
        .trim_start_matches("sql parser error: ")
        .to_string();
    Diagnostic::new(
        Code::SqlSyntaxError,
        severity,
        format!("the SQL of this {what} does not parse: {message}"),
    )
    .at(span)
    .label("here")
    .help("fix the SQL; fragments are parsed as PostgreSQL")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    fn text(s: &str, at: usize) -> SqlText {
        SqlText {
            text: s.into(),
            span: Span::new(FileId(0), at, at + s.len()),
        }
    }

    #[test]
    fn an_error_maps_to_the_column_inside_the_fragment() {
        let t = text("length(title) <=", 100);
        let e = parse_expr(&t).unwrap_err();
        let span = fragment_span(&t, e.line, e.column);
        assert!(
            span.start as usize >= 100 && span.start as usize <= 100 + t.text.len(),
            "{e:?}"
        );
    }

    #[test]
    fn trailing_tokens_are_an_error() {
        let t = text("a = 1 b", 0);
        let e = parse_expr(&t).unwrap_err();
        assert_eq!((e.line, e.column), (1, 7), "{e:?}");
    }

    #[test]
    fn good_fragments_parse() {
        assert!(parse_expr(&text(
            "current_setting('app.current_org_id', true)::uuid",
            0
        ))
        .is_ok());
        assert!(
            parse_statements(&text("select id from notes where deleted_at is null", 0)).is_ok()
        );
    }
}
