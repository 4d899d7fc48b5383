//! How statements sqlparser cannot parse are recognized by their leading words.

use super::*;
use crate::lint::split::split;

fn known(sql: &str) -> Option<Known> {
    let s = split(sql);
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
    assert_eq!(
        known("DO $$ BEGIN END $$"),
        Some(Known::Do {
            not_null_checks: vec![]
        })
    );
    assert_eq!(
        known("DO $d$ BEGIN IF true THEN ALTER TABLE s.\"t\" ADD CONSTRAINT \"t_a_nn\" CHECK (\"a\" IS NOT NULL) NOT VALID; END IF; END $d$"),
        Some(Known::Do {
            not_null_checks: vec![("t".into(), "t_a_nn".into(), "a".into())]
        })
    );
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
