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
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        let mut done = work();
        for h in helpers {
            done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        done
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, t)| t).collect()
}
