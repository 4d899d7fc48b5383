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
