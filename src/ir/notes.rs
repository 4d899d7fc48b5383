//! What a table or column is said to be: its comment and its
//! classification, as a migration history sets them and as the
//! declarations want them.
//!
//! Input: a comment and a tag, or one table's or column's notes as built
//! and as declared ([`super::diff`] finds them). Output: the PostgreSQL
//! comment text, and the `classify` / `comment on` steps that turn one into
//! the other — `schema-drift` suggests them and `sluice plan` writes them.
//! Both are one PostgreSQL comment (the tag on its last line), but they are
//! compared apart: each has its own step.

use super::Classification;

/// A comment and a classification tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Note {
    pub comment: Option<String>,
    pub classification: Option<Classification>,
}

impl Note {
    /// The PostgreSQL comment: the comment, with the classification tag on
    /// a last line of its own (`classification: pii`).
    pub fn text(&self) -> Option<String> {
        let tag = self
            .classification
            .map(|k| format!("classification: {}", k.as_str()));
        match (&self.comment, tag) {
            (None, tag) => tag,
            (Some(c), None) => Some(c.clone()),
            (Some(c), Some(tag)) => Some(format!("{c}\n{tag}")),
        }
    }
}

/// One table's or column's note as built and as declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteDiff {
    /// `None` for the table's own note.
    pub column: Option<String>,
    pub have: Note,
    pub want: Note,
}

impl NoteDiff {
    /// The steps that close it, on `table` (`classify column t.c pii`,
    /// `comment on table t "…"`, …), classification first.
    pub fn steps(&self, table: &str) -> Vec<String> {
        let (on, path) = match &self.column {
            Some(c) => ("column", format!("{table}.{c}")),
            None => ("table", table.to_string()),
        };
        let mut out = Vec::new();
        if self.have.classification != self.want.classification {
            out.push(match self.want.classification {
                Some(k) => format!("classify {on} {path} {}", k.as_str()),
                None => format!("declassify {on} {path}"),
            });
        }
        if self.have.comment != self.want.comment {
            out.push(match &self.want.comment {
                Some(c) => format!("comment on {on} {path} {}", quoted(c)),
                None => format!("drop comment on {on} {path}"),
            });
        }
        out
    }
}

/// A DSL string literal.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(comment: Option<&str>, k: Option<Classification>) -> Note {
        Note {
            comment: comment.map(str::to_string),
            classification: k,
        }
    }

    #[test]
    fn the_tag_goes_on_a_last_line_of_its_own() {
        assert_eq!(note(None, None).text(), None);
        assert_eq!(note(Some("a"), None).text().as_deref(), Some("a"));
        assert_eq!(
            note(None, Some(Classification::Pii)).text().as_deref(),
            Some("classification: pii")
        );
        assert_eq!(
            note(Some("a"), Some(Classification::Phi)).text().as_deref(),
            Some("a\nclassification: phi")
        );
    }

    #[test]
    fn the_steps_classify_first_and_quote_the_comment_as_the_dsl_reads_it() {
        let d = NoteDiff {
            column: Some("email".into()),
            have: note(Some("old"), Some(Classification::Pii)),
            want: note(Some("say \"hi\"\\\n"), None),
        };
        assert_eq!(
            d.steps("users"),
            [
                "declassify column users.email",
                r#"comment on column users.email "say \"hi\"\\\n""#,
            ]
        );
        let d = NoteDiff {
            column: None,
            have: note(Some("x"), None),
            want: note(None, Some(Classification::Internal)),
        };
        assert_eq!(
            d.steps("users"),
            [
                "classify table users internal",
                "drop comment on table users"
            ]
        );
    }
}
