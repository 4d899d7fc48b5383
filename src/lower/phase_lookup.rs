//! Where a lowered state's tables are, and which tables read each name.
//!
//! Input: a lowered state's tables and, per table, the names its
//! references read. Output: a [`Lookup`] from a table name to its place,
//! and from a name to the tables that read it, kept from state to state:
//! built when a state is lowered whole, updated for the few tables a cut
//! lowers again. A phase then finds the tables around the ones it changed
//! in time proportional to them, not to the schema.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use foldhash::fast::FixedState;

/// See the module header. Fast fixed-seed hashing: looked up, never
/// iterated.
pub(super) struct Lookup {
    /// Each table's place in the state.
    pub index: HashMap<String, usize, FixedState>,
    /// The tables whose references read a name, each once, in order.
    readers: HashMap<String, Vec<usize>, FixedState>,
}

impl Lookup {
    /// The lookup of a state whose table `i` is `names[i]` and reads
    /// `reads[i]`.
    pub fn new<'n>(names: impl Iterator<Item = &'n str>, reads: &[Arc<Vec<String>>]) -> Lookup {
        let index = names.enumerate().map(|(i, n)| (n.to_string(), i)).collect();
        let mut readers: HashMap<String, Vec<usize>, FixedState> = HashMap::default();
        for (i, names) in reads.iter().enumerate() {
            for n in names.iter() {
                let at = readers.entry(n.clone()).or_default();
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
        }
        Lookup { index, readers }
    }

    /// The tables whose references read any of `names`, in order.
    pub fn referrers(&self, names: &BTreeSet<&str>) -> Vec<usize> {
        let mut out: Vec<usize> = names
            .iter()
            .filter_map(|n| self.readers.get(*n))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Table `i` now reads `new` instead of `old`.
    pub fn reread(&mut self, i: usize, old: &[String], new: &[String]) {
        for n in old {
            if let Some(at) = self.readers.get_mut(n) {
                at.retain(|&j| j != i);
                if at.is_empty() {
                    self.readers.remove(n);
                }
            }
        }
        for n in new {
            let at = self.readers.entry(n.clone()).or_default();
            if let Err(k) = at.binary_search(&i) {
                at.insert(k, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(r: &[&[&str]]) -> Vec<Arc<Vec<String>>> {
        r.iter()
            .map(|names| Arc::new(names.iter().map(|n| n.to_string()).collect()))
            .collect()
    }

    fn names<'a>(n: &[&'a str]) -> BTreeSet<&'a str> {
        n.iter().copied().collect()
    }

    #[test]
    fn the_referrers_of_a_name_follow_the_tables_that_read_it() {
        let tables = ["orgs", "users", "notes", "tags"];
        let r = reads(&[
            &[],
            &["orgs", "id"],
            &["users", "id", "orgs"],
            &["notes", "id"],
        ]);
        let mut l = Lookup::new(tables.into_iter(), &r);
        assert_eq!(l.index["notes"], 2);
        assert_eq!(l.referrers(&names(&["orgs"])), vec![1, 2]);
        assert_eq!(l.referrers(&names(&["notes", "users"])), vec![2, 3]);
        assert_eq!(l.referrers(&names(&["id"])), vec![1, 2, 3]);
        // `tags` now points at `users` instead of `notes`.
        l.reread(3, &r[3], &["users".to_string(), "id".to_string()]);
        assert_eq!(l.referrers(&names(&["notes"])), Vec::<usize>::new());
        assert_eq!(l.referrers(&names(&["users"])), vec![2, 3]);
        assert_eq!(l.referrers(&names(&["id"])), vec![1, 2, 3]);
    }
}
