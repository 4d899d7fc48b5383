//! Statements sqlparser does not parse but whose shape the rules need.
//!
//! Input: the significant tokens of a statement that failed to parse.
//! Output: a [`Known`] form when the leading keywords say what it is
//! (`REINDEX`, `CLUSTER`, `DROP INDEX CONCURRENTLY IF EXISTS …`, `ALTER TABLE
//! … SET TABLESPACE`, `ALTER SYSTEM`, `DO $$ … $$`, `CREATE TRIGGER` with
//! literal arguments, PG 18's `ADD CONSTRAINT … NOT NULL … NOT VALID`), so the safe recipes pass and the unsafe forms
//! are still judged instead of being reported as unparsed.

use sqlparser::tokenizer::Token;

use super::split::{Tok, LONG_DATA_STATEMENT};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    Reindex {
        concurrently: bool,
    },
    Cluster {
        table: Option<String>,
    },
    DropIndex {
        concurrently: bool,
        if_exists: bool,
        names: Vec<String>,
    },
    SetTablespace {
        table: String,
    },
    AlterSystem,
    /// An anonymous code block; its body is not linted, but the `CHECK
    /// (col IS NOT NULL)` constraints it adds are learnt: (table,
    /// constraint, column).
    Do {
        not_null_checks: Vec<(String, String, String)>,
    },
    /// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER … ON table …`: sqlparser
    /// rejects string arguments to the trigger function (`f('email')`).
    CreateTrigger {
        table: String,
    },
    /// A valid statement sqlparser does not read whose tables no rule
    /// needs: `ALTER SEQUENCE … OWNED BY`, `COMMENT ON FUNCTION f()`,
    /// `ALTER PUBLICATION`, `CREATE PROCEDURE`, `ANALYZE a, b`, …
    Other {
        kind: &'static str,
    },
    /// A long `INSERT` (or `COPY … FROM STDIN`-less data load): it only
    /// changes data, and is not parsed.
    ChangesData,
    /// `ALTER TABLE t ADD CONSTRAINT c NOT NULL col [NOT VALID]` (PG 18).
    AddNotNullConstraint {
        table: String,
        column: String,
        not_valid: bool,
    },
}

/// Leading words of valid statements that lock no table a rule judges.
const OTHER_KINDS: &[(&[&str], &str)] = &[
    (&["ALTER", "SEQUENCE"], "ALTER SEQUENCE"),
    (&["COMMENT", "ON"], "COMMENT"),
    (&["ALTER", "PUBLICATION"], "ALTER PUBLICATION"),
    (&["CREATE", "PUBLICATION"], "CREATE PUBLICATION"),
    (&["DROP", "PUBLICATION"], "DROP PUBLICATION"),
    (&["CREATE", "SUBSCRIPTION"], "CREATE SUBSCRIPTION"),
    (&["CREATE", "PROCEDURE"], "CREATE PROCEDURE"),
    (&["ANALYZE"], "ANALYZE"),
    (&["ANALYSE"], "ANALYZE"),
    (
        &["ALTER", "DEFAULT", "PRIVILEGES"],
        "ALTER DEFAULT PRIVILEGES",
    ),
    (&["SECURITY", "LABEL"], "SECURITY LABEL"),
];

/// Significant tokens to leave out before parsing: words sqlparser does
/// not know that change no lock or rewrite a rule judges — `ONLY` in
/// `CREATE INDEX … ON ONLY t`, a final `WITH [NO] DATA` of `CREATE
/// MATERIALIZED VIEW`, `COLLATE c` after `ALTER TABLE … TYPE t` (the type
/// change, and its rewrite, are still seen), `IF EXISTS` of `ALTER INDEX`.
pub fn unknown_words(tokens: &[Tok]) -> Vec<usize> {
    let w = |i: usize, word: &str| tokens.get(i).is_some_and(|t| t.is_word(word));
    let mut out = Vec::new();
    if w(0, "CREATE") && (1..4).any(|i| w(i, "INDEX")) {
        if let Some(on) = (2..tokens.len().min(12)).find(|&i| w(i, "ON")) {
            if w(on + 1, "ONLY") {
                out.push(on + 1);
            }
        }
    }
    if w(0, "CREATE") && (1..4).any(|i| w(i, "MATERIALIZED")) {
        let n = tokens.len();
        if n > 3 && w(n - 2, "WITH") && w(n - 1, "DATA") {
            out.extend([n - 2, n - 1]);
        } else if n > 4 && w(n - 3, "WITH") && w(n - 2, "NO") && w(n - 1, "DATA") {
            out.extend([n - 3, n - 2, n - 1]);
        }
    }
    // `ALTER INDEX IF EXISTS i …`: the statement without the guard.
    if w(0, "ALTER") && w(1, "INDEX") && w(2, "IF") && w(3, "EXISTS") {
        out.extend([2, 3]);
    }
    // PostgreSQL 15's `ON DELETE SET NULL (col, …)` / `SET DEFAULT (col, …)`:
    // the same statement for every rule once the column list is left out.
    for i in 0..tokens.len() {
        if w(i, "DELETE")
            && w(i + 1, "SET")
            && (w(i + 2, "NULL") || w(i + 2, "DEFAULT"))
            && tokens
                .get(i + 3)
                .is_some_and(|t| matches!(t.token, Token::LParen))
        {
            if let Some(close) =
                (i + 3..tokens.len()).find(|&j| matches!(tokens[j].token, Token::RParen))
            {
                out.extend(i + 3..=close);
            }
        }
    }
    if w(0, "ALTER") && w(1, "TABLE") {
        let mut in_type = false;
        for i in 2..tokens.len() {
            if w(i, "TYPE") {
                in_type = true;
            } else if matches!(tokens[i].token, Token::Comma) {
                in_type = false;
            } else if in_type && w(i, "COLLATE") && tokens.get(i + 1).is_some() {
                out.extend([i, i + 1]);
            }
        }
    }
    out
}

/// The tables and views `DROP TABLE | VIEW | MATERIALIZED VIEW` names.
pub fn dropped_relations(tokens: &[Tok]) -> Vec<String> {
    let w = |i: usize, word: &str| tokens.get(i).is_some_and(|t| t.is_word(word));
    if !w(0, "DROP") {
        return Vec::new();
    }
    let mut i = if w(1, "TABLE") || w(1, "VIEW") {
        2
    } else if w(1, "MATERIALIZED") && w(2, "VIEW") {
        3
    } else {
        return Vec::new();
    };
    if w(i, "IF") && w(i + 1, "EXISTS") {
        i += 2;
    }
    qualified_names(&tokens[i.min(tokens.len())..])
}

/// Whether PostgreSQL refuses the statement inside a transaction block:
/// `… CONCURRENTLY` (but `REFRESH … CONCURRENTLY`), `VACUUM`, `ALTER
/// SYSTEM`, and before PostgreSQL 12 `ALTER TYPE … ADD VALUE`.
pub fn cannot_run_in_transaction(tokens: &[Tok], pg: super::PgVersion) -> bool {
    let w = |i: usize, word: &str| tokens.get(i).is_some_and(|t| t.is_word(word));
    if w(0, "VACUUM") || (w(0, "ALTER") && w(1, "SYSTEM")) {
        return true;
    }
    if w(0, "ALTER") && w(1, "TYPE") && !pg.is_at_least(12) {
        return (2..tokens.len()).any(|i| w(i, "ADD") && w(i + 1, "VALUE"));
    }
    let ddl = w(0, "CREATE") || w(0, "DROP") || w(0, "REINDEX") || w(0, "ALTER");
    ddl && tokens.iter().take(12).any(|t| t.is_word("CONCURRENTLY"))
        || (w(0, "ALTER") && tokens.iter().any(|t| t.is_word("CONCURRENTLY")))
}

/// Recognize a statement from its tokens.
pub fn recognize(tokens: &[Tok]) -> Option<Known> {
    let w = |i: usize, word: &str| tokens.get(i).is_some_and(|t| t.is_word(word));
    if w(0, "DO") {
        let not_null_checks = tokens[1..]
            .iter()
            .find_map(|t| match &t.token {
                Token::DollarQuotedString(d) => Some(body_not_null_checks(&d.value)),
                Token::SingleQuotedString(b) => Some(body_not_null_checks(b)),
                _ => None,
            })
            .unwrap_or_default();
        return Some(Known::Do { not_null_checks });
    }
    if w(0, "INSERT") && tokens.len() > LONG_DATA_STATEMENT {
        return Some(Known::ChangesData);
    }
    for (words, kind) in OTHER_KINDS {
        if words.iter().enumerate().all(|(i, word)| w(i, word)) {
            return Some(Known::Other { kind });
        }
    }
    if w(0, "CREATE") && w(1, "OR") && w(2, "REPLACE") && w(3, "PROCEDURE") {
        return Some(Known::Other {
            kind: "CREATE PROCEDURE",
        });
    }
    if w(0, "REINDEX") {
        let concurrently = tokens.iter().any(|t| t.is_word("CONCURRENTLY"));
        return Some(Known::Reindex { concurrently });
    }
    if w(0, "CLUSTER") {
        let table = tokens
            .get(1)
            .filter(|t| !t.is_word("VERBOSE"))
            .and_then(name_of);
        return Some(Known::Cluster { table });
    }
    if w(0, "ALTER") && w(1, "SYSTEM") {
        return Some(Known::AlterSystem);
    }
    if w(0, "DROP") && w(1, "INDEX") {
        return Some(drop_index(&tokens[2..]));
    }
    if w(0, "ALTER") && w(1, "TABLE") {
        return alter_table(&tokens[2..]);
    }
    if w(0, "CREATE") {
        return create_trigger(&tokens[1..]);
    }
    None
}

fn create_trigger(rest: &[Tok]) -> Option<Known> {
    let mut i = 0;
    while rest
        .get(i)
        .is_some_and(|t| t.is_word("OR") || t.is_word("REPLACE") || t.is_word("CONSTRAINT"))
    {
        i += 1;
    }
    if !rest.get(i).is_some_and(|t| t.is_word("TRIGGER")) {
        return None;
    }
    let on = rest.iter().skip(i).position(|t| t.is_word("ON"))? + i;
    let table = last_name(&rest[on + 1..])?;
    Some(Known::CreateTrigger { table })
}

fn drop_index(rest: &[Tok]) -> Known {
    let mut i = 0;
    let concurrently = rest.first().is_some_and(|t| t.is_word("CONCURRENTLY"));
    if concurrently {
        i += 1;
    }
    let if_exists = rest.get(i).is_some_and(|t| t.is_word("IF"))
        && rest.get(i + 1).is_some_and(|t| t.is_word("EXISTS"));
    if if_exists {
        i += 2;
    }
    let names = qualified_names(&rest[i.min(rest.len())..]);
    Known::DropIndex {
        concurrently,
        if_exists,
        names,
    }
}

fn alter_table(rest: &[Tok]) -> Option<Known> {
    let mut i = 0;
    while rest
        .get(i)
        .is_some_and(|t| t.is_word("IF") || t.is_word("EXISTS") || t.is_word("ONLY"))
    {
        i += 1;
    }
    let table = last_name(&rest[i..])?;
    let words: Vec<&Tok> = rest.iter().collect();
    let at = |j: usize, word: &str| words.get(j).is_some_and(|t| t.is_word(word));
    for j in 0..words.len() {
        if at(j, "SET") && at(j + 1, "TABLESPACE") {
            return Some(Known::SetTablespace { table });
        }
        if at(j, "CONSTRAINT") && at(j + 2, "NOT") && at(j + 3, "NULL") {
            let column = words.get(j + 4).and_then(|t| name_of(t))?;
            let not_valid = at(j + 5, "NOT") && at(j + 6, "VALID");
            return Some(Known::AddNotNullConstraint {
                table,
                column,
                not_valid,
            });
        }
    }
    None
}

/// `ALTER TABLE t ADD CONSTRAINT c CHECK (col IS NOT NULL)` in a `DO` body.
fn body_not_null_checks(body: &str) -> Vec<(String, String, String)> {
    // Most bodies do something else: spare them the tokenizer.
    let null = body
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"null"));
    if !null {
        return Vec::new();
    }
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(raw) = sqlparser::tokenizer::Tokenizer::new(&dialect, body).tokenize() else {
        return Vec::new();
    };
    let toks: Vec<Tok> = raw
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .map(|token| Tok {
            token,
            range: 0..0,
            at: Default::default(),
        })
        .collect();
    let w = |i: usize, word: &str| toks.get(i).is_some_and(|t| t.is_word(word));
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !(w(i, "ALTER") && w(i + 1, "TABLE")) {
            continue;
        }
        let mut j = i + 2;
        while w(j, "IF") || w(j, "EXISTS") || w(j, "ONLY") {
            j += 1;
        }
        let Some(table) = last_name(&toks[j..]) else {
            continue;
        };
        let Some(add) = (j..toks.len().min(j + 8)).find(|&k| w(k, "ADD") && w(k + 1, "CONSTRAINT"))
        else {
            continue;
        };
        let paren = |k: usize, open: bool| {
            toks.get(k)
                .is_some_and(|t| t.token == if open { Token::LParen } else { Token::RParen })
        };
        let (name, c) = (toks.get(add + 2).and_then(name_of), add + 3);
        if let (Some(name), true, true) = (name, w(c, "CHECK"), paren(c + 1, true)) {
            let col = toks.get(c + 2).and_then(name_of);
            if let (Some(col), true, true, true, true) = (
                col,
                w(c + 3, "IS"),
                w(c + 4, "NOT"),
                w(c + 5, "NULL"),
                paren(c + 6, false),
            ) {
                out.push((table, name, col));
            }
        }
    }
    out
}

/// The last part of the dotted name at the start of `tokens`.
fn last_name(tokens: &[Tok]) -> Option<String> {
    let mut name = None;
    let mut expect_name = true;
    for t in tokens {
        match (&t.token, expect_name) {
            (Token::Word(_), true) => {
                name = name_of(t);
                expect_name = false;
            }
            (Token::Period, false) => expect_name = true,
            _ => break,
        }
    }
    name
}

/// Comma-separated dotted names (`a, s.b`), last part of each.
fn qualified_names(tokens: &[Tok]) -> Vec<String> {
    let mut names = Vec::new();
    let mut current: Option<String> = None;
    for t in tokens {
        match &t.token {
            Token::Word(_) if t.is_word("CASCADE") || t.is_word("RESTRICT") => break,
            Token::Word(_) => current = name_of(t),
            Token::Period => {}
            Token::Comma => names.extend(current.take()),
            _ => break,
        }
    }
    names.extend(current);
    names
}

/// A word token as an identifier: unquoted words fold to lower case.
pub fn name_of(t: &Tok) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_lowercase()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
