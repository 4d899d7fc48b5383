//! Work done ahead of an in-order consumer: helper threads prepare the
//! next items while one thread takes them, strictly in order.
//!
//! Input: the number of items and how far ahead helpers may run. Output:
//! each item, to the consumer, in position order; an item no helper has
//! started yet is prepared by the consumer itself, so it never waits for
//! work nobody does, and while a helper still prepares the item it needs,
//! it prepares the next unclaimed one rather than wait idle. At most
//! `window` items are prepared and not yet taken, which bounds memory; a
//! helper blocks only when the window is full.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

pub struct Ahead<T> {
    len: usize,
    window: usize,
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
    done: BTreeMap<usize, T>,
    /// A helper panicked: what it claimed never comes.
    failed: bool,
}

impl<T> Ahead<T> {
    pub fn new(len: usize, window: usize) -> Ahead<T> {
        Ahead {
            len,
            window: window.max(1),
            state: Mutex::new(State {
                next: 0,
                taken: 0,
                done: BTreeMap::new(),
                failed: false,
            }),
            ready: Condvar::new(),
            room: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A helper's loop: claim the next position within the window, prepare
    /// it with `work`, put it; return when every position is claimed.
    pub fn help(&self, work: impl Fn(usize) -> T) {
        let guard = Failed(self);
        loop {
            let mut s = self.lock();
            let p = loop {
                if s.next >= self.len {
                    std::mem::forget(guard);
                    return;
                }
                if s.next < s.taken + self.window {
                    break s.next;
                }
                s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
            };
            s.next += 1;
            drop(s);
            let item = work(p);
            self.lock().done.insert(p, item);
            self.ready.notify_one();
        }
    }

    /// The item at position `p` (taken in order, from 0): a helper's, or
    /// prepared here with `work` when no helper has claimed it. While a
    /// helper still prepares `p`, the consumer prepares the next item
    /// nobody has claimed (within the window) instead of waiting idle.
    pub fn take(&self, p: usize, work: impl Fn(usize) -> T) -> T {
        let mut s = self.lock();
        loop {
            if let Some(item) = s.done.remove(&p) {
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
                return work(p);
            }
            assert!(!s.failed, "a thread preparing files ahead panicked");
            if s.next < self.len && s.next < s.taken + self.window {
                let q = s.next;
                s.next += 1;
                drop(s);
                let item = work(q);
                s = self.lock();
                s.done.insert(q, item);
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
        let ahead = Ahead::new(200, 4);
        let got: Vec<usize> = std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| ahead.help(|p| p * 2));
            }
            (0..200).map(|p| ahead.take(p, |p| p * 2)).collect()
        });
        assert_eq!(got, (0..200).map(|p| p * 2).collect::<Vec<_>>());
    }

    #[test]
    fn helpers_never_run_more_than_the_window_ahead() {
        let ahead = Ahead::new(50, 3);
        let most = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                ahead.help(|p| {
                    let taken = ahead.lock().taken;
                    most.fetch_max(p - taken.min(p), std::sync::atomic::Ordering::Relaxed);
                    p
                })
            });
            for p in 0..50 {
                assert_eq!(ahead.take(p, |p| p), p);
            }
        });
        assert!(most.into_inner() < 3);
    }

    #[test]
    fn a_panicking_helper_fails_the_consumer_instead_of_hanging_it() {
        let ahead: Ahead<usize> = Ahead::new(10, 10);
        let r = std::thread::scope(|s| {
            let h = s.spawn(|| ahead.help(|p| if p == 0 { panic!("boom") } else { p }));
            let _ = h.join();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ahead.take(0, |p| p)))
        });
        assert!(r.is_err());
    }
}
