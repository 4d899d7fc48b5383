//! `meta/_journal.json`: the list of migrations drizzle-kit applies, in
//! order, each with a deterministic timestamp.
//!
//! Input: the journal entries of a project folder (those of a history
//! sluice continues first). Output: the journal's text, keys in
//! drizzle-kit's order.

use serde::Serialize;

use super::{to_json, Entry, EPOCH_MS, VERSION};

/// `when` of the entry at `idx`: deterministic, strictly increasing, and in
/// the past for any realistic number of entries.
pub fn when(idx: usize) -> u64 {
    EPOCH_MS + idx as u64 * 1_000
}

/// `_journal.json`, keys in drizzle-kit's order.
#[derive(Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Journal<'a> {
    pub version: std::borrow::Cow<'a, str>,
    pub dialect: std::borrow::Cow<'a, str>,
    pub entries: Vec<JournalEntry<'a>>,
}

/// One line of `_journal.json`, keys in drizzle-kit's order.
#[derive(Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry<'a> {
    pub idx: usize,
    pub version: std::borrow::Cow<'a, str>,
    pub when: u64,
    pub tag: std::borrow::Cow<'a, str>,
    pub breakpoints: bool,
}

pub(super) fn journal(entries: &[Entry], before: &[JournalEntry<'static>]) -> String {
    let ours = entries.iter().enumerate().map(|(i, e)| {
        let idx = before.len() + i;
        JournalEntry {
            idx,
            version: VERSION.into(),
            when: when(idx),
            tag: e.tag.into(),
            breakpoints: true,
        }
    });
    let j = Journal {
        version: VERSION.into(),
        dialect: "postgresql".into(),
        entries: before.iter().cloned().chain(ours).collect(),
    };
    to_json(&j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_increases_and_is_in_the_past() {
        assert!(when(1) > when(0));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        assert!(when(9_999) < now);
    }
}
