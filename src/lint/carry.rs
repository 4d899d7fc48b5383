//! What drizzle-orm's one transaction carries from a journal entry to the
//! next.
//!
//! drizzle-orm's `migrate()` opens ONE transaction and runs every pending
//! journal entry inside it, in journal order, committing at the end. So
//! the transaction open at the end of one entry is the one the next entry
//! starts in, whenever both are pending: a constraint added `NOT VALID`
//! is not committed yet. (Each entry may also be the first one pending,
//! so each still starts inside the runner's transaction.) A file that
//! leaves it with its own `COMMIT` carries nothing. The locks the entry
//! holds are still held too, but carried over a whole history they would
//! make every later entry warn, while a deploy runs only the few entries
//! pending; they are not carried.
//!
//! Input: a part's [`State`] at its end, or at the start of the next
//! part, with the part's [`LintContext`]. Output: the open transaction's
//! facts kept in the session's [`Catalog`](super::Catalog) between files,
//! and put back into the next journal entry's state.

use super::runner::Runner;
use super::state::{Open, State};
use super::LintContext;

/// Whether the runner runs the next file in the transaction this one
/// leaves open.
fn shares(cx: &LintContext) -> bool {
    cx.runner == Runner::Drizzle && cx.in_transaction
}

/// Start a journal entry in the transaction the entry before it left open.
pub fn resume(st: &mut State, cx: &LintContext) {
    let open = std::mem::take(&mut st.catalog.open);
    if !shares(cx) {
        return;
    }
    let now = st.transaction(cx);
    for c in open.not_valid {
        st.not_valid.insert(c, now);
    }
}

/// Keep what the transaction open at the end of a journal entry holds.
pub fn keep(st: &mut State, cx: &LintContext) {
    st.catalog.open = Open::default();
    let Some(now) = st.transaction(cx).filter(|_| shares(cx)) else {
        return;
    };
    st.catalog.open = Open {
        not_valid: st
            .not_valid
            .iter()
            .filter(|(_, t)| **t == Some(now))
            .map(|(c, _)| c.clone())
            .collect(),
    };
}
