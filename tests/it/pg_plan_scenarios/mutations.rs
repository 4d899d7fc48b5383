//! The (before, after) pairs of the plan scenarios: the base project, every
//! single change kind as a text edit of it, and seeded combinations of
//! changes that touch different things.
//!
//! Input: nothing. Output: [`BASE`], [`mutations`], [`scenarios`] (lists
//! of mutation indexes) and [`mutate`], which applies one list to the base.

pub const BASE: &str = "// workspace: grant references on table notebooks

enum note_kind { plain, todo }

enum legacy_state { active, archived }

table notebooks {
  tenant
  title       text not null
  description text
  sort_order  integer not null default 0
  color       varchar(20)
  index (org_id, title)
  check (length(title) < 1000) as notebooks_title_len
  policy all role(admin, editor)
}

table notes {
  tenant
  notebook_id uuid not null -> notebooks.id on delete cascade
  title       text not null
  body        text
  pinned      boolean not null default false
  views       integer
  kind        note_kind
  topic       text classify internal comment \"what the note is about\"
  policy select role(admin, editor, viewer)
  policy insert, update, delete role(admin, editor)
}

table labels {
  tenant
  name text not null
  check (length(name) < 500)
  policy all role(admin)
  policy select role(viewer)
}

view NotebookTitles {
  security invoker
  as select id, org_id, title from notebooks
}

function NotebookCount() returns bigint {
  language sql
  stable
  body $$ select count(*) from notebooks $$
}
";

/// One change of the base declarations: the columns (or tables) it
/// touches, so that combined changes never touch the same thing.
pub struct Mutation {
    keys: Vec<String>,
    edits: Vec<(String, String)>,
}

fn m(keys: &[&str], edits: Vec<(String, String)>) -> Mutation {
    Mutation {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        edits,
    }
}

/// Replace `from` by `to`.
fn s(from: &str, to: &str) -> (String, String) {
    (from.to_string(), to.to_string())
}

/// Add `line` as the first item after `tenant` of `table`.
fn add_to(table: &str, line: &str) -> (String, String) {
    let head = format!("table {table} {{\n  tenant\n");
    (head.clone(), format!("{head}  {line}\n"))
}

/// Every change kind below passes, each found by this suite once, the
/// removed ones included: a drop by generated name emitting nothing, a
/// changed policy's rollback recreating the old one before dropping the
/// new one, a dropped table named after it went, the derived tenant index
/// missing from the compared shape, an `add unique` contract's rollback
/// dropping the index its expand built; a view or function created in a
/// later phase without its owner, and a dropped view's rollback creating
/// it again without owner and grants; a view that gained a column rolled
/// back with `CREATE OR REPLACE`. Enums, views and functions are
/// compared and planned like tables.
pub fn mutations() -> Vec<Mutation> {
    let mut v = Vec::new();
    let types = [
        ("text", "'x'"),
        ("integer", "0"),
        ("bigint", "7"),
        ("boolean", "false"),
        ("jsonb", "'{}'::jsonb"),
        ("timestamptz", "now()"),
        ("numeric(10, 2)", "0"),
        ("uuid", "gen_random_uuid()"),
    ];
    for table in ["notebooks", "notes", "labels"] {
        for (i, (ty, default)) in types.iter().enumerate() {
            let col = format!("extra_{i}");
            let key = format!("{table}.{col}");
            let (a, b) = add_to(table, &format!("{col} {ty}"));
            // A column added where one of its type is dropped is a
            // possible rename, which plan rightly refuses to guess.
            let shape = format!("{table}.added-or-dropped");
            v.push(Mutation {
                keys: vec![key.clone(), shape.clone()],
                edits: vec![(a, b)],
            });
            let (a, b) = add_to(table, &format!("{col}_d {ty} not null default {default}"));
            v.push(Mutation {
                keys: vec![format!("{key}_d"), shape],
                edits: vec![(a, b)],
            });
        }
    }
    v.extend([
        // drops: contract only
        m(&["notebooks.description", "notebooks.added-or-dropped"], vec![s("  description text\n", "")]),
        m(&["notebooks.color", "notebooks.added-or-dropped"], vec![s("  color       varchar(20)\n", "")]),
        m(&["notes.body", "notes.added-or-dropped"], vec![s("  body        text\n", "")]),
        m(&["notes.pinned", "notes.added-or-dropped"], vec![s("  pinned      boolean not null default false\n", "")]),
        m(&["notebooks.title", "notebooks.check"], vec![s("  check (length(title) < 1000) as notebooks_title_len\n", "")]),
        // type changes
        m(&["notes.views"], vec![s("  views       integer\n", "  views       bigint\n")]),
        m(&["notebooks.color", "notebooks.added-or-dropped"], vec![s("  color       varchar(20)\n", "  color       text\n")]),
        m(&["notebooks.color", "notebooks.added-or-dropped"], vec![s("  color       varchar(20)\n", "  color       varchar(40)\n")]),
        m(&["notebooks.description", "notebooks.added-or-dropped"], vec![s("  description text\n", "  description varchar(500)\n")]),
        // renames with the hint
        m(&["notebooks.description", "notebooks.added-or-dropped"], vec![s("  description text\n", "  summary text was description\n")]),
        m(&["notes.body", "notes.added-or-dropped"], vec![s("  body        text\n", "  content text was body\n")]),
        m(&["notes.views"], vec![s("  views       integer\n", "  view_count integer was views\n")]),
        // defaults and nullability
        m(&["notes.views"], vec![s("  views       integer\n", "  views       integer default 0\n")]),
        m(&["notebooks.sort_order"], vec![s("  sort_order  integer not null default 0\n", "  sort_order  integer not null\n")]),
        m(&["notebooks.sort_order"], vec![s("  sort_order  integer not null default 0\n", "  sort_order  integer default 0\n")]),
        m(&["notes.views"], vec![s("  views       integer\n", "  views       integer not null\n")]),
        m(&["labels.name"], vec![s("  name text not null\n", "  name text\n")]),
        // indexes, checks, uniques
        m(&["notes.views", "notes.index2"], vec![add_to("notes", "index (views) where (views is not null)")]),
        m(&["notes.title", "notes.index3"], vec![add_to("notes", "index (lower(title))")]),
        m(&["notebooks.sort_order", "notebooks.index2"], vec![add_to("notebooks", "index (org_id, sort_order desc)")]),
        m(&["notes.views", "notes.check"], vec![add_to("notes", "check (views >= 0)")]),
        m(&["notebooks.sort_order", "notebooks.check2"], vec![add_to("notebooks", "check (sort_order >= 0) as notebooks_sort_positive")]),
        // policies
        m(&["notebooks.policy"], vec![add_to("notebooks", "policy select role(viewer)")]),
        // drops by generated name, and the derived tenant index: without
        // `(org_id, title)` the tenant column needs its own index again;
        // with `(org_id, name)` labels' own one goes
        m(&["notebooks.index"], vec![s("  index (org_id, title)\n", "")]),
        m(&["labels.check"], vec![s("  check (length(name) < 500)\n", "")]),
        m(&["labels.name", "labels.index"], vec![add_to("labels", "index (org_id, name)")]),
        m(&["notes.notebook_id"], vec![s(" -> notebooks.id on delete cascade\n", "\n")]),
        // the foreign key's derived index, dropped by its name when the
        // reference says `no index`
        m(&["notes.notebook_id"], vec![s(" -> notebooks.id on delete cascade\n", " -> notebooks.id on delete cascade no index\n")]),
        // uniques
        m(&["labels.name", "labels.unique"], vec![add_to("labels", "unique (org_id, name)")]),
        m(&["notes.title", "notes.unique"], vec![add_to("notes", "unique (org_id, title, notebook_id)")]),
        // changed and removed policies
        m(&["labels.policy"], vec![s("  policy all role(admin)\n", "  policy all role(admin, editor)\n")]),
        m(&["notes.policy"], vec![s("  policy insert, update, delete role(admin, editor)\n", "  policy insert, update, delete role(admin)\n")]),
        // (its own line: `notebooks.policy` adds the same text to notebooks)
        m(&["labels.policy"], vec![s("  policy select role(viewer)\n}\n\nview NotebookTitles", "}\n\nview NotebookTitles")]),
        // a dropped table
        m(&["labels"], vec![s("table labels {\n  tenant\n  name text not null\n  check (length(name) < 500)\n  policy all role(admin)\n  policy select role(viewer)\n}\n", "")]),
        // enums: values added (online), a new one, one dropped
        m(&["enum.note_kind"], vec![s("enum note_kind { plain, todo }", "enum note_kind { plain, todo, done }")]),
        m(&["enum.note_kind"], vec![s("enum note_kind { plain, todo }", "enum note_kind { draft, plain, review, todo }")]),
        m(&["new.label_color", "labels.added-or-dropped"], vec![s("enum legacy_state", "enum label_color { red, blue }\n\nenum legacy_state"), add_to("labels", "color label_color")]),
        m(&["enum.legacy_state"], vec![s("enum legacy_state { active, archived }\n", "")]),
        // views and functions: replaced in place, created, dropped in the contract
        m(&["obj.NotebookTitles"], vec![s("  as select id, org_id, title from notebooks\n", "  as select id, org_id, title from notebooks where title <> ''\n")]),
        m(&["obj.NotebookTitles"], vec![s("view NotebookTitles {\n  security invoker\n  as select id, org_id, title from notebooks\n}\n", "")]),
        // a view that gains a column: its rollback drops and creates it
        m(&["obj.NotebookTitles", "notebooks.description"], vec![s("  as select id, org_id, title from notebooks\n", "  as select id, org_id, title, description from notebooks\n")]),
        m(&["obj.NoteTitles"], vec![s("function NotebookCount()", "view NoteTitles = select id, title from notes\n\nfunction NotebookCount()")]),
        m(&["obj.NotebookCount"], vec![s("body $$ select count(*) from notebooks $$", "body $$ select count(*) from notebooks where title <> '' $$")]),
        m(&["obj.NotebookCount"], vec![s("function NotebookCount() returns bigint {\n  language sql\n  stable\n  body $$ select count(*) from notebooks $$\n}\n", "")]),
        m(&["obj.LabelCount", "labels"], vec![s("function NotebookCount()", "function LabelCount() returns bigint {\n  language sql\n  stable\n  body $$ select count(*) from labels $$\n}\n\nfunction NotebookCount()")]),
        // new tables, written before `table labels {` (so not with a
        // change that removes it)
        m(&["new.tags", "labels.anchor"], vec![s("table labels {", "table tags {\n  tenant\n  name text not null\n  policy all role(admin)\n}\n\ntable labels {")]),
        m(&["new.comments", "labels.anchor"], vec![s("table labels {", "table comments {\n  tenant\n  note_id uuid not null -> notes.id on delete cascade\n  body text not null\n  policy all role(admin, editor)\n}\n\ntable labels {")]),
        // a table renamed with the hint: renamed in place, its generated
        // names with it, a view under the old name until the contract
        m(&["labels", "new.tags", "new.comments"], vec![s("table labels {", "table tags was labels {")]),
        // one that a view, a function and another table's key read: the
        // view and function replaced with the new name after the rename
        m(
            &["notebooks", "notes.notebook_id", "obj.NotebookTitles", "obj.NotebookCount", "grant.line"],
            vec![
                s("table notebooks {", "table journals was notebooks {"),
                s("on table notebooks\n", "on table journals\n"),
                s("-> notebooks.id", "-> journals.id"),
                s("from notebooks\n", "from journals\n"),
                s("from notebooks $$", "from journals $$"),
            ],
        ),
        // extensions and role grants (`// workspace:` lines go to the
        // runtime role of workspace.sluice): created or granted in the
        // expand, revoked in the contract
        m(&["ext.pg_trgm", "notebooks.anchor"], vec![s("table notebooks {", "extension pg_trgm\n\ntable notebooks {")]),
        m(&["grant.labels", "labels", "grant.line"], vec![s("// workspace: grant references on table notebooks\n", "// workspace: grant references on table notebooks\n// workspace: grant references on table labels\n")]),
        m(&["grant.notebooks", "grant.line"], vec![s("// workspace: grant references on table notebooks\n", "")]),
        // comments and classifications, added, changed and removed: the
        // `COMMENT ON` with its tag, and for `pii` the runtime role (which
        // does not `reads pii`) loses `SELECT` on the column; alone on
        // its table, as the column grants it leaves are its own concern
        m(&["notes.topic"], vec![s("comment \"what the note is about\"", "comment \"the note's subject\"")]),
        m(&["notes.topic"], vec![s("topic       text classify internal comment \"what the note is about\"", "topic       text")]),
        m(&["notes"], vec![s("topic       text classify internal", "topic       text classify pii")]),
        m(&["notebooks.description"], vec![s("  description text\n", "  description text classify confidential comment \"what it is for\"\n")]),
        m(&["labels.comment"], vec![add_to("labels", "comment \"Labels of an org.\"")]),
    ]);
    v
}

fn conflicts(a: &Mutation, b: &Mutation) -> bool {
    a.keys.iter().any(|x| {
        b.keys
            .iter()
            .any(|y| x == y || x.starts_with(&format!("{y}.")) || y.starts_with(&format!("{x}.")))
    })
}

/// The scenarios: every mutation alone, then seeded combinations of two or
/// three that touch different things, up to `total`.
pub fn scenarios(total: usize) -> Vec<Vec<usize>> {
    let all = mutations();
    let mut out: Vec<Vec<usize>> = (0..all.len()).map(|i| vec![i]).collect();
    let mut seed: u64 = 0x5eed_1ce5;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    while out.len() < total {
        let k = 2 + next(2);
        let mut pick: Vec<usize> = Vec::new();
        for _ in 0..k * 4 {
            let i = next(all.len());
            if pick.len() < k && pick.iter().all(|&j| j != i && !conflicts(&all[i], &all[j])) {
                pick.push(i);
            }
        }
        pick.sort();
        if pick.len() >= 2 && !out.contains(&pick) {
            out.push(pick);
        }
    }
    out
}

pub fn mutate(pick: &[usize], all: &[Mutation]) -> String {
    let mut text = BASE.to_string();
    for &i in pick {
        for (from, to) in &all[i].edits {
            assert!(
                text.contains(from.as_str()),
                "mutation {i} finds no `{from}`"
            );
            text = text.replacen(from.as_str(), to, 1);
        }
    }
    text
}
