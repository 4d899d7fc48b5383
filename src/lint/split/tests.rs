//! The splitter against sqlparser's tokenizer run on whole texts.

use super::*;

fn ranges(text: &str) -> Vec<&str> {
    split(text)
        .chunks
        .iter()
        .map(|c| &text[c.range.clone()])
        .collect()
}

#[test]
fn semicolons_inside_strings_and_bodies_do_not_split() {
    let text = "select ';';\ncreate function f() returns int as $$ select 1; $$ language sql;\n-- c;\nselect 2";
    assert_eq!(
        ranges(text),
        [
            "select ';';",
            "create function f() returns int as $$ select 1; $$ language sql;",
            "select 2"
        ]
    );
}

#[test]
fn a_psql_meta_command_ends_the_statement_before_it_and_is_skipped() {
    let text = "select format('drop index %I', 'x')\n\tfrom t where true \\gexec\ncreate index concurrently if not exists i on t (a);\n\\set x 1\nselect 2;";
    assert_eq!(
        ranges(text),
        [
            "select format('drop index %I', 'x')\n\tfrom t where true",
            "create index concurrently if not exists i on t (a);",
            "select 2;"
        ]
    );
}

#[test]
fn empty_statements_and_breakpoints_are_skipped() {
    let text = ";;\nselect 1;\n--> statement-breakpoint\nselect 2;";
    assert_eq!(ranges(text), ["select 1;", "select 2;"]);
}

#[test]
fn an_unterminated_string_keeps_the_statements_before_it() {
    let text = "select 1;\nselect 'oops";
    let s = split(text);
    assert_eq!(s.chunks.len(), 1);
    assert_eq!(s.error.map(|e| e.offset), Some(17));
}

#[test]
fn a_long_statement_is_read_a_piece_at_a_time_with_the_same_tokens() {
    let mut text = String::from("insert into t (a, b) values\n");
    for i in 0..20_000 {
        text.push_str(&format!("({i}, 'é;{i}\n-- x'),\n"));
    }
    text.push_str("(0, $$;$$);\nselect 'oops");
    let s = split(&text);
    assert_eq!(s.chunks.len(), 1);
    let tokens = &s.chunks[0].tokens;
    assert_eq!(tokens.len(), LONG_DATA_STATEMENT + 1);
    let body = &text[..text.len() - "\nselect 'oops".len()];
    let whole = Tokenizer::new(&PostgreSqlDialect {}, body)
        .tokenize_with_location()
        .expect("tokenizes");
    let whole: Vec<&TokenWithSpan> = whole
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    for (mine, theirs) in tokens.iter().zip(&whole) {
        assert_eq!(mine.token, theirs.token);
        assert_eq!(mine.span(), theirs.span, "{:?}", mine.token);
        assert_eq!(text[mine.range.clone()], theirs.token.to_string());
    }
    assert_eq!(&text[s.chunks[0].range.clone()], body);
    assert_eq!(s.error.map(|e| e.offset), Some(text.len() - "'oops".len()));
}

#[test]
fn statements_after_a_cut_keep_their_locations() {
    let text = "select 1; select\n  é, 'a;\nb', x; select 'ü'\n;\n\n  select y";
    let s = split(text);
    assert_eq!(
        ranges(text),
        [
            "select 1;",
            "select\n  é, 'a;\nb', x;",
            "select 'ü'\n;",
            "select y"
        ]
    );
    let spans: Vec<TokenWithSpan> = s.chunks.iter().flat_map(|c| spanned(&c.tokens)).collect();
    let whole = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize_with_location()
        .expect("tokenizes");
    let whole: Vec<_> = whole
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon))
        .collect();
    assert_eq!(spans, whole);
    assert_eq!(spans.len(), 12);
}
