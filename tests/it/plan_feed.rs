//! `sluice plan` for the analytics feed of tables the history already
//! has: a table that joins the feed, or sends other columns, gets a
//! `publish` step in the expand; one that leaves it gets `unpublish` in the
//! contract; the planned history then matches the declarations.

use crate::fixture;

const WORKSPACE: &str = "// expect: schema-drift, schema-drift, schema-drift
table notes {
  tenant
  policy all tenant
  title text
}

table teams {
  tenant
  policy all tenant
  name text not null
  slug text
  publish to analytics (id, org_id, name)
}

table tags {
  tenant
  policy all tenant
  label text
  publish to analytics (id, org_id, label)
}
=== notes/migrations/0001_initial.sluice
migration initial {
  create table notes {
    tenant
    policy all tenant
    title text
    publish to analytics
  }
  create table teams {
    tenant
    policy all tenant
    name text not null
    slug text
  }
  create table tags {
    tenant
    policy all tenant
    label text
    publish to analytics (id, org_id)
  }
}
=== analytics/project.sluice
project analytics {
  database analytics
  schema public
}
";

#[test]
fn plan_publishes_and_unpublishes_existing_tables() {
    let mut f = fixture::parse(WORKSPACE, "plan_feed");
    let c = fixture::compile(&f);
    let mut codes = fixture::codes(&c);
    codes.sort();
    assert_eq!(codes, f.expect, "{}", fixture::render(&c));
    let out = sluice::author::plan(
        &c,
        &sluice::author::Options {
            project: Some("notes".into()),
            name: Some("feed".into()),
        },
    );
    assert!(
        out.diagnostics.items.is_empty(),
        "{:?}",
        out.diagnostics.items
    );
    assert_eq!(out.files.len(), 1);
    let text = out.files[0].text.clone();
    // The planned migration closes the drift.
    f.files
        .insert("notes/migrations/0002_feed.sluice".into(), text.clone());
    let after = fixture::compile(&f);
    assert!(
        fixture::codes(&after).is_empty(),
        "{}\n{text}",
        fixture::render(&after)
    );
    insta::assert_snapshot!(text);
}
