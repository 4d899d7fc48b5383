//! A table renamed in the replayed shapes: PostgreSQL's `ALTER TABLE …
//! RENAME TO` as sluice's rename recipe completes it.
//!
//! Input: the shapes a history builds, the old and the new name. Output:
//! the shapes with the table under its new name, the names sluice
//! generated from the old one (`notes_pkey`, `notes_title_idx`,
//! `notes_org_id_fkey`, …) generated from the new one, as the recipe
//! renames them (a name written with `as` is kept), and every foreign key
//! that pointed at the old name pointing at the new one.

use super::shape::Shapes;
use crate::span::Span;

/// Suffixes of the index and constraint names sluice generates for a
/// table: `<table>_…_idx`, `_key`, `_fkey`, `_check`, `_checkN`, `_pkey`.
const GENERATED_SUFFIXES: [&str; 5] = ["_idx", "_key", "_fkey", "_check", "_pkey"];

/// The name `name` of an index or constraint of table `from` takes once
/// the table is renamed to `to`: a generated name follows the table, a
/// written one (`as notes_title_ci`) stays.
pub fn generated_name_after_rename(name: &str, from: &str, to: &str) -> Option<String> {
    let rest = name.strip_prefix(from)?.strip_prefix('_')?;
    let numbered_check = name
        .rsplit_once("_check")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let generated = numbered_check || GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s));
    generated.then(|| format!("{to}_{rest}"))
}

/// Rename table `from` to `to` in `shapes` (nothing when `from` is not
/// there).
pub fn rename_table(shapes: &mut Shapes, from: &str, to: &str, span: Span) {
    if let Some((mut t, _)) = shapes.remove(from) {
        let rename = |name: String| generated_name_after_rename(&name, from, to).unwrap_or(name);
        t.index_names = std::mem::take(&mut t.index_names)
            .into_iter()
            .map(|(n, v)| (rename(n), v))
            .collect();
        t.constraint_names = std::mem::take(&mut t.constraint_names)
            .into_iter()
            .map(|(n, v)| (rename(n), v))
            .collect();
        shapes.insert(to.to_string(), (t, span));
    }
    let (old, new) = (format!("-> {from}("), format!("-> {to}("));
    for (t, _) in shapes.values_mut() {
        t.foreign_keys = std::mem::take(&mut t.foreign_keys)
            .into_iter()
            .map(|s| s.replace(&old, &new))
            .collect();
        for r in &mut t.references {
            r.text = r.text.replace(&old, &new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::generated_name_after_rename as after;

    #[test]
    fn generated_names_follow_the_table_and_written_ones_stay() {
        assert_eq!(
            after("notes_pkey", "notes", "docs").as_deref(),
            Some("docs_pkey")
        );
        assert_eq!(
            after("notes_org_id_title_idx", "notes", "docs").as_deref(),
            Some("docs_org_id_title_idx")
        );
        assert_eq!(
            after("notes_check2", "notes", "docs").as_deref(),
            Some("docs_check2")
        );
        assert_eq!(after("notes_title_ci", "notes", "docs"), None);
        assert_eq!(after("notebooks_pkey", "notes", "docs"), None);
    }
}
