//! How many threads the parallel parts of a run may use.
//!
//! Input: the environment. Output: `SLUICE_THREADS` when it is a positive
//! number, else the cores this process may run on. Asked once per process
//! (on Linux each answer of the standard library reads the cgroup files
//! again). Every parallel part joins its results in input order, so the
//! output never depends on the answer: `SLUICE_THREADS=1` is how a test
//! shows that, and how a shared machine keeps sluice to one core.

use std::sync::OnceLock;

/// The threads a parallel part may use, at least 1.
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("SLUICE_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// `f` of each of `items`, in their order, spread over the cores.
pub fn in_parallel<T: Send>(items: &[usize], f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads().min(8);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(|&i| f(i)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&i) = items.get(k) else {
                return done;
            };
            done.push((k, f(i)));
        }
    };
    on_threads(threads.min(items.len()), work)
}

/// `then` of each of `items` and of what `first` gave for it, in their
/// order, spread over the cores. A thread starts every item's `first`
/// before any `then`: when `then` is the longer stage, the items' second
/// stages then overlap on every core, where a thread per whole item would
/// leave the last one running alone.
pub fn in_two_stages<A: Send, T: Send>(
    items: &[usize],
    first: impl Fn(usize) -> A + Sync,
    then: impl Fn(usize, A) -> T + Sync,
) -> Vec<T> {
    let threads = threads().min(8);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(|&i| then(i, first(i))).collect();
    }
    /// The items started so far, and the first stages done whose second
    /// stage no thread has taken.
    struct Queue<A> {
        started: usize,
        ready: std::collections::VecDeque<(usize, A)>,
    }
    let queue = std::sync::Mutex::new(Queue {
        started: 0,
        ready: std::collections::VecDeque::new(),
    });
    let lock = || queue.lock().unwrap_or_else(|e| e.into_inner());
    let work = || {
        let mut done = Vec::new();
        loop {
            let mut q = lock();
            if q.started < items.len() {
                let k = q.started;
                q.started += 1;
                drop(q);
                let a = first(items[k]);
                lock().ready.push_back((k, a));
            } else if let Some((k, a)) = q.ready.pop_front() {
                drop(q);
                done.push((k, then(items[k], a)));
            } else {
                // Every item is started; a first stage still running is
                // finished by the thread running it, which then takes it.
                return done;
            }
        }
    };
    on_threads(threads.min(items.len()), work)
}

/// `work` on `threads` threads (this one among them), each returning
/// the results it made by their place; all of them, in place order.
fn on_threads<T: Send>(threads: usize, work: impl Fn() -> Vec<(usize, T)> + Sync) -> Vec<T> {
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(&work)).collect();
        let mut done = work();
        for h in helpers {
            done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        done
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_stages_give_every_item_in_order_whatever_thread_took_it() {
        let items: Vec<usize> = (0..40).rev().collect();
        let got = in_two_stages(
            &items,
            |i| {
                // Uneven first stages, so that threads overtake each other.
                std::thread::sleep(std::time::Duration::from_micros((i % 7) as u64 * 50));
                i * 3
            },
            |i, a| (i, a + 1),
        );
        let want: Vec<(usize, usize)> = items.iter().map(|&i| (i, i * 3 + 1)).collect();
        assert_eq!(got, want);
    }
}
