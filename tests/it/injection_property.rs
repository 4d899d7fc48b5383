//! The injection property: hostile text (every dollar tag sluice writes,
//! `$$`, backslashes and psql meta-commands, quotes, comment markers, line
//! breaks, the drizzle breakpoint marker, and seeded random mixes of them)
//! in every text-bearing position of the DSL is either refused (a
//! diagnostic, or an emit error) or leaves every emitted file, split as psql
//! reads it, with no meta-command and the same statements as a plain word
//! in that position.

use crate::fixture;
use crate::injection::{emitted, BENIGN};
use crate::psql_split::shape;

const WORKSPACE: &str = r#"workspace test {
  out "drizzle"
  postgres 16
}

conventions {
  primary_key id uuid default gen_random_uuid()
  timestamps created_at, updated_at, deleted_at
}

tenancy {
  column org_id uuid
  org_from setting app.current_org_id
  user_from setting app.current_user_id
}

role service_rw { login connection_limit 25 runtime grant select, insert, update, delete on tables }
role migration_user { login connection_limit 2 owns schema }
"#;

/// How a payload is written into its position.
#[derive(Clone, Copy)]
enum Quote {
    /// Inside a DSL `"string"`.
    Dsl,
    /// Inside an SQL `'string'` of a fragment.
    Sql,
    /// As written, where `'benign'` is valid.
    Raw,
    /// As a name, where `benign` is valid.
    Name,
}

fn quote(payload: &str, how: Quote) -> String {
    match how {
        Quote::Dsl => payload
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n"),
        Quote::Sql => payload.replace('\'', "''"),
        Quote::Raw | Quote::Name => payload.to_string(),
    }
}

const TABLE_HEAD: &str = "table notes {\n  tenant\n  policy all tenant\n  title text\n";
const HISTORY: &str = "=== notes/migrations/0001_initial.sluice
migration initial {
  create table notes {
    tenant
    policy all tenant
    title text
    amount integer
  }
}
=== notes/migrations/0002_next.sluice
";

/// Every text-bearing position: a fixture body with `@@` where the payload
/// goes, and how it is quoted there.
fn positions() -> Vec<(&'static str, Quote, String)> {
    let t = TABLE_HEAD;
    let hist_table =
        "table notes {\n  tenant\n  policy all tenant\n  title text\n  amount integer\n}\n";
    let mut p: Vec<(&'static str, Quote, String)> = Vec::new();
    let mut add = |name, q, body: String| p.push((name, q, body));
    add(
        "table comment",
        Quote::Dsl,
        format!("{t}  comment \"@@\"\n}}\n"),
    );
    add(
        "column comment",
        Quote::Dsl,
        format!("{t}  body text comment \"@@\"\n}}\n"),
    );
    add(
        "table name",
        Quote::Name,
        format!("{t}}}\ntable @@ {{\n  tenant\n  policy all tenant\n}}\n"),
    );
    add("column name", Quote::Name, format!("{t}  @@ text\n}}\n"));
    add(
        "column default",
        Quote::Sql,
        format!("{t}  body text default '@@'\n}}\n"),
    );
    add(
        "column default raw",
        Quote::Raw,
        format!("{t}  body text default @@\n}}\n"),
    );
    add(
        "check",
        Quote::Sql,
        format!("{t}  check (title <> '@@')\n}}\n"),
    );
    add(
        "check raw",
        Quote::Raw,
        format!("{t}  check (title <> @@)\n}}\n"),
    );
    add(
        "generated",
        Quote::Sql,
        format!("{t}  shout text generated (title || '@@') stored\n}}\n"),
    );
    add(
        "index predicate",
        Quote::Sql,
        format!("{t}  index (title) where (title <> '@@')\n}}\n"),
    );
    add(
        "policy predicate",
        Quote::Sql,
        format!("{t}  policy select tenant and sql(title <> '@@')\n}}\n"),
    );
    add(
        "policy predicate raw",
        Quote::Raw,
        format!("{t}  policy select tenant and sql(title <> @@)\n}}\n"),
    );
    add(
        "exemption reason",
        Quote::Dsl,
        format!("{t}  allow naming-case \"@@\"\n}}\n"),
    );
    add(
        "enum value",
        Quote::Dsl,
        format!("enum mood {{ calm, \"@@\" }}\n{t}  mood mood\n}}\n"),
    );
    add(
        "view body",
        Quote::Sql,
        format!("{t}}}\nview NoteTitles = select title, '@@' as x from notes\n"),
    );
    add(
        "view body raw",
        Quote::Raw,
        format!("{t}}}\nview NoteTitles = select title, @@ as x from notes\n"),
    );
    add(
        "view dollar body",
        Quote::Raw,
        format!("{t}}}\nview NoteTitles {{\n  as $v$ select title, @@ as x from notes $v$\n}}\n"),
    );
    add(
        "view comment",
        Quote::Dsl,
        format!("{t}}}\nview NoteTitles {{\n  comment \"@@\"\n  as select title from notes\n}}\n"),
    );
    let f = |item: &str| {
        format!(
            "{t}}}\nfunction NoteCount() returns text {{\n  language sql\n  stable\n  {item}\n}}\n"
        )
    };
    add(
        "function body",
        Quote::Sql,
        f("body $$ select '@@'::text $$"),
    );
    add(
        "function body raw",
        Quote::Raw,
        f("body $$ select @@::text $$"),
    );
    add("function plpgsql body", Quote::Raw, format!("{t}}}\nfunction NoteCount() returns text {{\n  language plpgsql\n  body $$ begin return @@; end $$\n}}\n"));
    add(
        "function setting",
        Quote::Sql,
        f("set application_name = '@@'\n  body $$ select 'x'::text $$"),
    );
    add(
        "function setting raw",
        Quote::Raw,
        f("set application_name = @@\n  body $$ select 'x'::text $$"),
    );
    add(
        "function comment",
        Quote::Dsl,
        f("comment \"@@\"\n  body $$ select 'x'::text $$"),
    );
    add("app code", Quote::Dsl, format!("{t}}}\n=== notes/project.sluice\nproject notes {{\n  database notes\n  schema public\n  app \"@@\"\n  app_roles from setting app.current_app_role\n}}\n"));
    add(
        "role comment",
        Quote::Dsl,
        format!(
            "{t}}}\n=== workspace.sluice\n{WORKSPACE}role reader {{ nologin comment \"@@\" }}\n"
        ),
    );
    add(
        "extension version",
        Quote::Dsl,
        format!("{t}}}\n=== workspace.sluice\n{WORKSPACE}extension pgcrypto version \"@@\"\n"),
    );
    let m = |items: &str| {
        format!("{hist_table}{HISTORY}migration next {{\n  after initial\n{items}\n}}\n")
    };
    add(
        "backfill expression",
        Quote::Sql,
        m("  backfill notes.title = '@@'"),
    );
    add(
        "backfill expression raw",
        Quote::Raw,
        m("  backfill notes.title = @@"),
    );
    add(
        "backfill filter",
        Quote::Sql,
        m("  backfill notes.title = 'x' where title <> '@@'"),
    );
    add(
        "backfill filter raw",
        Quote::Raw,
        m("  backfill notes.title = 'x' where title <> @@"),
    );
    add("raw sql step", Quote::Sql, m("  sql $$ update notes set title = '@@' $$\n  inverse $$ update notes set title = '@@' $$"));
    add(
        "raw sql step raw",
        Quote::Raw,
        m("  sql $$ update notes set title = @@ $$\n  inverse $$ select 1 $$"),
    );
    add(
        "raw sql inverse raw",
        Quote::Raw,
        m("  sql $$ select 1 $$\n  inverse $$ update notes set title = @@ $$"),
    );
    add(
        "irreversible reason",
        Quote::Dsl,
        m("  sql $$ update notes set title = null $$\n  irreversible \"@@\""),
    );
    add(
        "unsafe reason",
        Quote::Dsl,
        format!("{t}}}\n{HISTORY}migration next {{\n  after initial\n  drop column notes.amount unsafe \"@@\"\n}}\n"),
    );
    add(
        "type change using",
        Quote::Sql,
        format!(
            "table notes {{\n  tenant\n  policy all tenant\n  title text\n  amount bigint\n}}\n{HISTORY}migration next {{\n  after initial\n  change type notes.amount to bigint using (amount::bigint + length('@@'))\n}}\n=== notes/migrations/0003_release.sluice\nmigration release_next {{\n  after next\n  release next\n}}\n"
        ),
    );
    add(
        "added enum value",
        Quote::Dsl,
        format!(
            "enum mood {{ calm, \"@@\" }}\n{hist_table}=== notes/migrations/0001_initial.sluice\nmigration initial {{\n  create enum mood {{ calm }}\n  create table notes {{\n    tenant\n    policy all tenant\n    title text\n    amount integer\n  }}\n}}\n=== notes/migrations/0002_next.sluice\nmigration next {{\n  after initial\n  add value \"@@\" to mood after \"calm\"\n}}\n"
        ),
    );
    p
}

/// Hostile pieces, then mixes of them seeded by the position's index.
fn payloads(position: u64) -> Vec<String> {
    let tags = [
        "backfill",
        "sync",
        "refuse",
        "function",
        "do",
        "sluice",
        "backfill_1",
        "v",
        "",
    ];
    let mut pieces: Vec<String> = [
        "\\",
        "\\!",
        "\\! touch /tmp/sluice-injected #",
        "\\gexec",
        "\\\\",
        "'",
        "''",
        "\"",
        "--",
        "/*",
        "*/",
        "\n",
        "\r",
        "\n\\! id\n",
        "--> statement-breakpoint",
        "\n--> statement-breakpoint\n",
        ";",
        "); drop table notes; --",
        "$",
        "E'",
        ":x",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for t in tags {
        pieces.push(format!("${t}$"));
        pieces.push(format!("${t}$ \\! touch /tmp/sluice-injected # ${t}$"));
        if matches!(t, "backfill" | "refuse" | "function") {
            pieces.push(format!("x${t}"));
        }
    }
    let mut out = pieces.clone();
    let mut seed: u64 = 0x5eed_1e55 + position;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for _ in 0..8 {
        let k = 2 + next(3);
        let mix: String = (0..k).map(|_| pieces[next(pieces.len())].clone()).collect();
        out.push(mix);
    }
    out
}

#[test]
fn hostile_text_in_every_position_is_refused_or_stays_in_its_place() {
    let positions = positions();
    let started = std::time::Instant::now();
    let results: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = positions
            .chunks(positions.len().div_ceil(2))
            .enumerate()
            .map(|(half, chunk)| {
                scope.spawn(move || {
                    let mut counts = (0, 0);
                    for (n, (name, how, body)) in chunk.iter().enumerate() {
                        let payloads = payloads((half * 100 + n) as u64);
                        let plain = match how {
                            Quote::Raw => format!("'{BENIGN}'"),
                            _ => BENIGN.to_string(),
                        };
                        let text = format!("// expect: nothing\n{}", body.replace("@@", &plain));
                        let benign = fixture::parse(&text, name);
                        let twin = emitted(&benign).unwrap_or_else(|| {
                            panic!(
                                "{name}: the benign form must compile:\n{}",
                                fixture::render(&fixture::compile(&benign))
                            )
                        });
                        let expected = shape(&twin).unwrap_or_else(|e| panic!("{name}: {e}"));
                        let mut accepted = 0;
                        for payload in &payloads {
                            let q = quote(payload, *how);
                            let hostile = fixture::parse(
                                &format!("// expect: nothing\n{}", body.replace("@@", &q)),
                                name,
                            );
                            let Some(files) = emitted(&hostile) else {
                                counts.1 += 1;
                                continue;
                            };
                            accepted += 1;
                            counts.0 += 1;
                            let got = shape(&files)
                                .unwrap_or_else(|e| panic!("{name} with {payload:?}: {e}"));
                            // A raw SQL step is statements as the user wrote them:
                            // they may add statements, never a meta-command.
                            if !name.starts_with("raw sql") || !matches!(how, Quote::Raw) {
                                assert_eq!(
                                    got, expected,
                                    "{name} with {payload:?}: the statements changed"
                                );
                            }
                        }
                        // A name is an identifier: no payload can be one.
                        if !name.ends_with(" name") {
                            assert!(
                                accepted > 0,
                                "{name}: every payload was refused, nothing was tested"
                            );
                        } else {
                            assert_eq!(accepted, 0, "{name}: a hostile name was accepted");
                        }
                    }
                    counts
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted: usize = results.iter().map(|r| r.0).sum();
    let refused: usize = results.iter().map(|r| r.1).sum();
    eprintln!(
        "{} positions: {accepted} hostile inputs emitted and checked, {refused} refused, in {:?}",
        positions.len(),
        started.elapsed()
    );
}
