//! Statements sqlparser does not parse but whose shape the rules need.
//!
//! Input: the significant tokens of a statement that failed to parse.
//! Output: a [`Known`] form when the leading keywords say what it is
//! (`REINDEX`, `CLUSTER`, `DROP INDEX CONCURRENTLY IF EXISTS …`, `ALTER TABLE
//! … SET TABLESPACE`, `ALTER SYSTEM`, `DO $$ … $$`, `CREATE TRIGGER` with
//! literal arguments, PG 18's `ADD CONSTRAINT … NOT NULL … NOT VALID`; PG 15's
//! `ON DELETE SET NULL (col)` is parsed without its column list), so the safe recipes pass and the unsafe forms
//! are still judged instead of being reported as unparsed.

use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::split::Tok;

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
    /// An anonymous code block; its body is not linted.
    Do,
    /// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER … ON table …`: sqlparser
    /// rejects string arguments to the trigger function (`f('email')`).
    CreateTrigger {
        table: String,
    },
    /// `ALTER TABLE t ADD CONSTRAINT c NOT NULL col [NOT VALID]` (PG 18).
    AddNotNullConstraint {
        table: String,
        column: String,
        not_valid: bool,
    },
}

/// The tokens without the column list of PostgreSQL 15's `ON DELETE SET
/// NULL (col, …)` / `SET DEFAULT (col, …)`, which sqlparser does not
/// parse; `None` when there is none.
pub fn without_set_null_columns(tokens: &[TokenWithSpan]) -> Option<Vec<TokenWithSpan>> {
    let words: Vec<usize> = (0..tokens.len())
        .filter(|&i| !matches!(tokens[i].token, Token::Whitespace(_)))
        .collect();
    let is = |k: usize, w: &str| {
        words.get(k).is_some_and(
            |&i| matches!(&tokens[i].token, Token::Word(x) if x.value.eq_ignore_ascii_case(w)),
        )
    };
    let mut drop = Vec::new();
    for k in 0..words.len() {
        if is(k, "DELETE")
            && is(k + 1, "SET")
            && (is(k + 2, "NULL") || is(k + 2, "DEFAULT"))
            && words
                .get(k + 3)
                .is_some_and(|&i| tokens[i].token == Token::LParen)
        {
            let open = words[k + 3];
            let close = (open..tokens.len()).find(|&i| tokens[i].token == Token::RParen)?;
            drop.push(open..=close);
        }
    }
    if drop.is_empty() {
        return None;
    }
    Some(
        tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.iter().any(|r| r.contains(i)))
            .map(|(_, t)| t.clone())
            .collect(),
    )
}

/// Recognize a statement from its tokens.
pub fn recognize(tokens: &[Tok]) -> Option<Known> {
    let w = |i: usize, word: &str| tokens.get(i).is_some_and(|t| t.is_word(word));
    if w(0, "DO") {
        return Some(Known::Do);
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
mod tests {
    use super::*;
    use crate::lint::split::{split, LineIndex};

    fn known(sql: &str) -> Option<Known> {
        let lines = LineIndex::new(sql);
        let s = split(sql, &lines);
        recognize(&s.chunks[0].tokens)
    }

    #[test]
    fn recognizes_the_forms_sqlparser_lacks() {
        assert_eq!(
            known("REINDEX INDEX CONCURRENTLY i"),
            Some(Known::Reindex { concurrently: true })
        );
        assert_eq!(
            known("DROP INDEX CONCURRENTLY IF EXISTS s.i, j CASCADE"),
            Some(Known::DropIndex {
                concurrently: true,
                if_exists: true,
                names: vec!["i".into(), "j".into()]
            })
        );
        assert_eq!(
            known("ALTER TABLE ONLY \"Notes\" SET TABLESPACE fast"),
            Some(Known::SetTablespace {
                table: "Notes".into()
            })
        );
        assert_eq!(
            known("ALTER TABLE t ADD CONSTRAINT c NOT NULL a NOT VALID"),
            Some(Known::AddNotNullConstraint {
                table: "t".into(),
                column: "a".into(),
                not_valid: true
            })
        );
        assert_eq!(known("DO $$ BEGIN END $$"), Some(Known::Do));
        assert_eq!(
            known("CLUSTER t USING i"),
            Some(Known::Cluster {
                table: Some("t".into())
            })
        );
        assert_eq!(
            known("CREATE TRIGGER a AFTER INSERT OR UPDATE ON s.\"Users\" FOR EACH ROW EXECUTE FUNCTION f('email')"),
            Some(Known::CreateTrigger {
                table: "Users".into()
            })
        );
        assert_eq!(known("CREATE TABLE t (a int"), None);
        assert_eq!(known("FROBNICATE t"), None);
    }
}
