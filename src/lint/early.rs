//! Files prepared while the walk that finds them still runs: the walk and
//! the replay order it ends with are work for one core, and the first
//! files' reading and parsing need neither.
//!
//! Input: paths, offered as the walk finds them, and the work that prepares
//! one. Output: the items prepared before [`Early::stop`], taken by path
//! ([`Early::take`]). A helper takes the offered paths in order until the
//! budget — a number of files and of bytes prepared — is spent or the
//! walk's caller stops it; the rest are left to the in-order pipeline
//! ([`super::ahead`]). Stopping does not wait for a helper's current file:
//! the caller goes on judging, and only a `take` of that very file waits
//! for it. The budget bounds the memory held before the first file is
//! judged.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

pub struct Early<T> {
    /// Files offered at most.
    files: usize,
    /// Bytes prepared at most (a file that crosses it is kept).
    bytes: usize,
    state: Mutex<State<T>>,
    /// Signalled when a path is offered or the work is stopped.
    offered: Condvar,
    /// Signalled when a helper finishes a path.
    finished: Condvar,
}

struct State<T> {
    queue: VecDeque<PathBuf>,
    offers: usize,
    bytes: usize,
    stopped: bool,
    /// Paths a helper is preparing now.
    busy: Vec<PathBuf>,
    done: HashMap<PathBuf, T>,
}

impl<T> Early<T> {
    /// Nothing is taken when `files` is 0 (one core: no helper to take it).
    pub fn new(files: usize, bytes: usize) -> Early<T> {
        Early {
            files,
            bytes,
            state: Mutex::new(State {
                queue: VecDeque::new(),
                offers: 0,
                bytes: 0,
                stopped: false,
                busy: Vec::new(),
                done: HashMap::new(),
            }),
            offered: Condvar::new(),
            finished: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A path found: prepared early if the budget allows.
    pub fn offer(&self, path: &Path) {
        let mut s = self.lock();
        if s.stopped || s.offers >= self.files || s.bytes >= self.bytes {
            return;
        }
        s.offers += 1;
        s.queue.push_back(path.to_path_buf());
        drop(s);
        self.offered.notify_one();
    }

    /// No more offers, and no more work once the current item is done.
    pub fn stop(&self) {
        self.lock().stopped = true;
        self.offered.notify_all();
    }

    /// A helper's loop: prepare offered paths with `work` (which returns
    /// the item and the bytes it read) until stopped or out of budget.
    pub fn help(&self, work: impl Fn(&Path) -> (T, usize)) {
        loop {
            let mut s = self.lock();
            let path = loop {
                if s.stopped || s.bytes >= self.bytes {
                    return;
                }
                if let Some(p) = s.queue.pop_front() {
                    break p;
                }
                s = self.offered.wait(s).unwrap_or_else(|e| e.into_inner());
            };
            s.busy.push(path.clone());
            drop(s);
            let busy = Busy(self, &path);
            let (item, bytes) = work(&path);
            std::mem::forget(busy);
            let mut s = self.lock();
            s.bytes += bytes;
            s.busy.retain(|p| *p != path);
            s.done.insert(path, item);
            drop(s);
            self.finished.notify_all();
        }
    }

    /// The item prepared for `path`, once a helper preparing it now is
    /// done; `None` when no helper took it (nor will: after
    /// [`Early::stop`]).
    pub fn take(&self, path: &Path) -> Option<T> {
        let mut s = self.lock();
        loop {
            if let Some(item) = s.done.remove(path) {
                return Some(item);
            }
            if !s.busy.iter().any(|p| p == path) {
                return None;
            }
            s = self.finished.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Clears a path from the busy list if its work unwinds, so a `take` of
/// it stops waiting (and prepares it anew, where the panic shows).
struct Busy<'a, T>(&'a Early<T>, &'a Path);

impl<T> Drop for Busy<'_, T> {
    fn drop(&mut self) {
        self.0.lock().busy.retain(|p| p != self.1);
        self.0.finished.notify_all();
    }
}

/// Stops the work when dropped, so a helper never outlives an early
/// return of the walk.
pub struct Stop<'a, T>(pub &'a Early<T>);

impl<T> Drop for Stop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_paths_are_prepared_within_the_budget() {
        let early: Early<usize> = Early::new(3, usize::MAX);
        std::thread::scope(|s| {
            s.spawn(|| early.help(|p| (p.as_os_str().len(), 1)));
            for name in ["a", "bb", "ccc", "dddd", "eeeee"] {
                early.offer(Path::new(name));
            }
            // Wait for the three offers the budget allows.
            while early.lock().done.len() < 3 {
                std::thread::yield_now();
            }
            early.stop();
        });
        let got: Vec<Option<usize>> = ["a", "bb", "ccc", "dddd"]
            .iter()
            .map(|p| early.take(Path::new(p)))
            .collect();
        assert_eq!(got, [Some(1), Some(2), Some(3), None]);
        assert_eq!(early.take(Path::new("a")), None, "an item is taken once");
    }

    #[test]
    fn a_helper_stops_taking_once_the_bytes_are_spent() {
        let early: Early<()> = Early::new(usize::MAX, 10);
        std::thread::scope(|s| {
            s.spawn(|| early.help(|_| ((), 6)));
            for name in ["a", "b", "c", "d"] {
                early.offer(Path::new(name));
            }
            while early.lock().bytes < 10 {
                std::thread::yield_now();
            }
            // The helper has returned on its own: these are never taken.
            early.offer(Path::new("e"));
        });
        let taken = ["a", "b", "c", "d", "e"]
            .iter()
            .filter(|p| early.take(Path::new(p)).is_some())
            .count();
        assert_eq!(taken, 2);
    }

    #[test]
    fn a_stopped_helper_returns_with_paths_still_queued() {
        let early: Early<()> = Early::new(10, usize::MAX);
        std::thread::scope(|s| {
            let _stop = Stop(&early);
            early.offer(Path::new("a"));
            s.spawn(|| early.help(|_| ((), 1)));
        });
        // The helper returned: nothing is left in progress, so taking the
        // path answers at once, whether or not the helper got to it.
        assert!(early.lock().busy.is_empty());
        let _ = early.take(Path::new("a"));
        assert!(early.lock().done.is_empty());
    }

    #[test]
    fn taking_a_file_in_progress_waits_for_it_after_the_stop() {
        let early: Early<&str> = Early::new(10, usize::MAX);
        let started = std::sync::Barrier::new(2);
        let got = std::thread::scope(|s| {
            s.spawn(|| {
                early.help(|_| {
                    started.wait();
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    ("parsed", 1)
                })
            });
            early.offer(Path::new("a"));
            started.wait();
            // The caller stops the helper mid-file and goes on at once.
            early.stop();
            early.take(Path::new("a"))
        });
        assert_eq!(got, Some("parsed"));
    }
}
