//! Work done ahead of an in-order consumer: helper threads prepare the
//! next items while one thread takes them, strictly in order.
//!
//! Input: the number of items and how far ahead helpers may run, in items
//! and in a size the work reports for each (a file's bytes). Output: each
//! item, to the consumer, in position order; an item no helper has started
//! yet is prepared by the consumer itself, so it never waits for work
//! nobody does, and while a helper still prepares the item it needs, it
//! prepares the next unclaimed one rather than wait idle. No item is
//! started while `window` items are ahead of the consumer or the items
//! prepared and not yet taken reach `budget`, which bounds memory; a helper
//! blocks only then.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

pub struct Ahead<T> {
    len: usize,
    window: usize,
    budget: usize,
    state: Mutex<State<T>>,
    /// Signalled when an item is put (the consumer waits on it).
    ready: Condvar,
    /// Signalled when the consumer takes an item (helpers wait on it).
    room: Condvar,
}

struct State<T> {
    /// The next position nobody has claimed.
    next: usize,
    /// The next position the consumer takes.
    taken: usize,
    /// Items prepared and not yet taken, with their sizes.
    done: BTreeMap<usize, (T, usize)>,
    /// The sum of those sizes.
    held: usize,
    /// A helper panicked: what it claimed never comes.
    failed: bool,
}

impl<T> Ahead<T> {
    pub fn new(len: usize, window: usize, budget: usize) -> Ahead<T> {
        Ahead {
            len,
            window: window.max(1),
            budget,
            state: Mutex::new(State {
                next: 0,
                taken: 0,
                done: BTreeMap::new(),
                held: 0,
                failed: false,
            }),
            ready: Condvar::new(),
            room: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether another item may be started ahead of the consumer.
    fn room_for_next(&self, s: &State<T>) -> bool {
        s.next < self.len && s.next < s.taken + self.window && s.held < self.budget
    }

    /// Keep an item prepared ahead until the consumer takes it.
    fn put(s: &mut State<T>, p: usize, (item, size): (T, usize)) {
        s.held += size;
        s.done.insert(p, (item, size));
    }

    /// A helper's loop: claim the next position within the window, prepare
    /// it with `work` (the item and its size), put it; return when every
    /// position is claimed.
    pub fn help(&self, work: impl Fn(usize) -> (T, usize)) {
        let guard = Failed(self);
        loop {
            let mut s = self.lock();
            let p = loop {
                if s.next >= self.len {
                    std::mem::forget(guard);
                    return;
                }
                if self.room_for_next(&s) {
                    break s.next;
                }
                s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
            };
            s.next += 1;
            drop(s);
            let item = work(p);
            Self::put(&mut self.lock(), p, item);
            self.ready.notify_one();
        }
    }

    /// The item at position `p` (taken in order, from 0): a helper's, or
    /// prepared here with `work` when no helper has claimed it. While a
    /// helper still prepares `p`, the consumer prepares the next item
    /// nobody has claimed (within the window) instead of waiting idle.
    pub fn take(&self, p: usize, work: impl Fn(usize) -> (T, usize)) -> T {
        let mut s = self.lock();
        loop {
            if let Some((item, size)) = s.done.remove(&p) {
                s.held -= size;
                s.taken = p + 1;
                drop(s);
                self.room.notify_all();
                return item;
            }
            if s.next == p {
                s.next += 1;
                s.taken = p + 1;
                drop(s);
                self.room.notify_all();
                return work(p).0;
            }
            assert!(!s.failed, "a thread preparing files ahead panicked");
            if self.room_for_next(&s) {
                let q = s.next;
                s.next += 1;
                drop(s);
                let item = work(q);
                s = self.lock();
                Self::put(&mut s, q, item);
                continue;
            }
            s = self.ready.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Marks the work as failed if a helper unwinds, so the consumer stops
/// waiting for the item that helper claimed.
struct Failed<'a, T>(&'a Ahead<T>);

impl<T> Drop for Failed<'_, T> {
    fn drop(&mut self) {
        self.0.lock().failed = true;
        self.0.ready.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::Ahead;

    #[test]
    fn items_come_in_order_whoever_prepares_them() {
        let ahead = Ahead::new(200, 4, usize::MAX);
        let got: Vec<usize> = std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| ahead.help(|p| (p * 2, 1)));
            }
            (0..200).map(|p| ahead.take(p, |p| (p * 2, 1))).collect()
        });
        assert_eq!(got, (0..200).map(|p| p * 2).collect::<Vec<_>>());
    }

    #[test]
    fn helpers_never_run_more_than_the_window_ahead() {
        let ahead = Ahead::new(50, 3, usize::MAX);
        let most = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                ahead.help(|p| {
                    let taken = ahead.lock().taken;
                    most.fetch_max(p - taken.min(p), std::sync::atomic::Ordering::Relaxed);
                    (p, 1)
                })
            });
            for p in 0..50 {
                assert_eq!(ahead.take(p, |p| (p, 1)), p);
            }
        });
        assert!(most.into_inner() < 3);
    }

    #[test]
    fn helpers_stop_starting_items_once_those_held_reach_the_budget() {
        // Items of 10 with a budget of 25: the helper may start a third
        // while 20 are held, never a fourth. What it sees held when it
        // starts may include one more, which the consumer prepared while
        // it waited: 30 at most, where no budget would let it run 60 ahead.
        let ahead = Ahead::new(60, 1000, 25);
        let most = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                ahead.help(|p| {
                    let held = ahead.lock().held;
                    most.fetch_max(held, std::sync::atomic::Ordering::Relaxed);
                    (p, 10)
                })
            });
            for p in 0..60 {
                if p % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                assert_eq!(ahead.take(p, |p| (p, 10)), p);
            }
        });
        assert!(most.into_inner() <= 30);
        assert_eq!(ahead.lock().held, 0);
    }

    #[test]
    fn a_panicking_helper_fails_the_consumer_instead_of_hanging_it() {
        let ahead: Ahead<usize> = Ahead::new(10, 10, usize::MAX);
        let r = std::thread::scope(|s| {
            let h = s.spawn(|| ahead.help(|p| if p == 0 { panic!("boom") } else { (p, 1) }));
            let _ = h.join();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ahead.take(0, |p| (p, 1))))
        });
        assert!(r.is_err());
    }
}
