//! Pass 7: every SQL fragment parsed with sqlparser (PostgreSQL dialect).
//!
//! A syntax error inside a fragment is reported at the exact DSL line and
//! column: sqlparser's 1-based position inside the fragment is mapped back
//! through the fragment's span. Raw SQL steps that sqlparser cannot parse
//! are passed through with an `unparsed-statement` warning, since
//! sqlparser does not cover all of PostgreSQL.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::collect::Collected;
use crate::ast::{self, ColumnOpt, Inverse, Pred, SqlText, StepKind, TableItem};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::span::Span;

pub(super) fn check_fragments(c: &Collected, diags: &mut Vec<Diagnostic>) {
    for conv in &c.conventions {
        conventions(conv, diags);
    }
    for pf in c.projects.values() {
        for d in &pf.decls {
            for conv in &d.conventions {
                conventions(conv, diags);
            }
        }
        for t in &pf.tables {
            table(t, diags);
        }
        for v in &pf.views {
            view(v, diags);
        }
        for f in &pf.functions {
            function(f, diags);
        }
        for (_, m) in &pf.migrations {
            for s in m.expand.iter().chain(m.contract.iter()) {
                step(&s.kind, diags);
            }
            for b in &m.backfills {
                expr(&b.expr, "backfill expression", diags);
                if let Some(f) = &b.filter {
                    expr(f, "backfill filter", diags);
                }
            }
        }
    }
}

fn conventions(c: &ast::ConventionsDecl, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = c.primary_key.as_ref().and_then(|p| p.default.as_ref()) {
        expr(d, "default", diags);
    }
}

fn table(t: &ast::TableDecl, diags: &mut Vec<Diagnostic>) {
    for item in &t.items {
        match item {
            TableItem::Column(c) => column(c, diags),
            TableItem::Check(c) => expr(&c.expr, "check constraint", diags),
            TableItem::Index(i) => index(i, diags),
            TableItem::Policy(p) => policy(p, diags),
            _ => {}
        }
    }
}

fn column(c: &ast::ColumnDef, diags: &mut Vec<Diagnostic>) {
    for opt in &c.opts {
        match opt {
            ColumnOpt::Default(e) => expr(e, "default", diags),
            ColumnOpt::Check(e) => expr(e, "check constraint", diags),
            ColumnOpt::Generated(e) => expr(e, "generated expression", diags),
            _ => {}
        }
    }
}

fn index(i: &ast::IndexDef, diags: &mut Vec<Diagnostic>) {
    for e in &i.elems {
        if let ast::IndexKey::Expr(x) = &e.key {
            expr(x, "index expression", diags);
        }
    }
    if let Some(p) = &i.predicate {
        expr(p, "index predicate", diags);
    }
}

fn policy(p: &ast::PolicyDef, diags: &mut Vec<Diagnostic>) {
    pred(&p.using, diags);
    if let Some(c) = &p.check {
        pred(c, diags);
    }
}

fn pred(p: &Pred, diags: &mut Vec<Diagnostic>) {
    match p {
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().for_each(|q| pred(q, diags)),
        Pred::Not(q, _) => pred(q, diags),
        Pred::Sql(t) => expr(t, "policy predicate", diags),
        _ => {}
    }
}

fn view(v: &ast::ViewDecl, diags: &mut Vec<Diagnostic>) {
    let Some(q) = &v.query else { return };
    match parse_statements(q) {
        Ok(stmts) => {
            let is_query =
                stmts.len() == 1 && matches!(stmts[0], sqlparser::ast::Statement::Query(_));
            if !is_query {
                diags.push(
                    Diagnostic::error(
                        Code::SqlSyntaxError,
                        format!("the body of view `{}` is not a single query", v.name.dotted()),
                    )
                    .at(q.span)
                    .help("a view body is one `SELECT …` (or `WITH … SELECT …`) without a trailing `;`"),
                );
            }
        }
        Err(e) => diags.push(sql_error(q, e, "view query", Severity::Error)),
    }
    diags.extend(super::sql_hazard::check(q, "view query"));
}

fn function(f: &ast::FunctionDecl, diags: &mut Vec<Diagnostic>) {
    let is_sql = f.language.as_ref().is_some_and(|l| l.name == "sql");
    if let (true, Some(body)) = (is_sql, &f.body) {
        if let Err(e) = parse_statements(body) {
            diags.push(sql_error(body, e, "function body", Severity::Error));
        }
    }
}

fn step(kind: &StepKind, diags: &mut Vec<Diagnostic>) {
    match kind {
        StepKind::CreateTable(t) => table(t, diags),
        StepKind::CreateView(v) | StepKind::ReplaceView(v) => view(v, diags),
        StepKind::CreateFunction(f) | StepKind::ReplaceFunction(f) => function(f, diags),
        StepKind::AddColumn { def, .. } => column(def, diags),
        StepKind::AddIndex { index: i, .. } => index(i, diags),
        StepKind::AddCheck { check, .. } => expr(&check.expr, "check constraint", diags),
        StepKind::AddPolicy { policy: p, .. } => policy(p, diags),
        StepKind::SetDefault { expr: e, .. } => expr(e, "default", diags),
        StepKind::ChangeType { using: Some(u), .. } => expr(u, "conversion expression", diags),
        StepKind::Sql { forward, inverse } => {
            raw(forward, diags);
            if let Inverse::Sql(inv) = inverse {
                raw(inv, diags);
            }
        }
        _ => {}
    }
}

fn raw(t: &SqlText, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = super::sql_hazard::check(t, "raw SQL") {
        diags.push(d);
    } else if let Err(e) = parse_statements(t) {
        let mut d = sql_error(t, e, "raw SQL", Severity::Warning);
        d.code = Code::UnparsedStatement;
        d.help = Some(
            "sluice could not parse this statement, so it is emitted as written and not checked; make sure it is valid PostgreSQL".into(),
        );
        diags.push(d);
    }
}

/// Parse one SQL expression; report a diagnostic on failure.
fn expr(t: &SqlText, what: &str, diags: &mut Vec<Diagnostic>) {
    if let Err(e) = parse_expr(t) {
        diags.push(sql_error(t, e, what, Severity::Error));
    } else if let Some(d) = super::sql_hazard::check(t, what) {
        diags.push(d);
    } else if let Some(at) = line_comment(&t.text) {
        // Emitted SQL continues after the fragment on the same line
        // (`CHECK (… -- x)`), so a line comment would swallow the rest.
        diags.push(
            Diagnostic::error(
                Code::SqlSyntaxError,
                format!("this {what} contains an SQL `--` comment"),
            )
            .at(t.span.sub(at, at + 2))
            .label("comment")
            .help("move the remark after the fragment as a `//` comment"),
        );
    }
}

/// Byte offset of a `--` line comment in SQL text (strings skipped).
fn line_comment(sql: &str) -> Option<usize> {
    use sqlparser::tokenizer::{Tokenizer, Whitespace};
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
